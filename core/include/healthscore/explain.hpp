// SPDX-License-Identifier: MIT
// Why an account has its score, and the smallest single-signal change that lifts it a band.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "healthscore/score.hpp"

namespace healthscore {

struct signal_explanation {
  std::size_t category = 0, signal = 0;
  std::string column;
  std::string raw;            ///< the cell as written
  double score = 0;           ///< NaN: missing (and not counted under renormalize)
  bool missing = false;
  double share = 0;           ///< effective weight share of the health score, 0..1
  double contribution = 0;    ///< share * score: points this signal adds
  double points_lost = 0;     ///< share * (100 - score)
};

struct category_explanation {
  std::string id, label;
  double score = 0;  ///< NaN: missing
  double share = 0;  ///< effective weight share, 0..1
  double contribution = 0, points_lost = 0;
};

struct improvement {
  std::size_t category = 0, signal = 0;
  std::string column;
  double from_score = 0, to_score = 0;  ///< signal score now and needed
  std::optional<double> raw_value;      ///< raw value that gives to_score, for invertible rules
  int to_band = 0;
};

struct explanation {
  std::size_t row = 0;  ///< 0-based
  double score = 0;     ///< NaN: unscored
  int band = -1;
  std::vector<category_explanation> categories;
  std::vector<signal_explanation> signals;
  std::optional<improvement> next_band;  ///< none when green already or no single signal can do it
};

explanation explain(const scorer& s, std::size_t row);

}  // namespace healthscore
