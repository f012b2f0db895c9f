// SPDX-License-Identifier: MIT
// Why an account has its score, and the smallest change of one signal's raw value (or, when no single
// signal can, of two) that lifts it into the next band, said in the signal's own values.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "healthscore/score.hpp"

namespace healthscore {

struct signal_explanation {
  std::size_t category = 0, signal = 0;
  std::string column;
  std::string raw;  ///< the cell as written
  double score = 0;  ///< NaN: missing (and not counted under renormalize)
  bool missing = false;
  double share = 0;  ///< effective weight share of the health score, 0..1
  double contribution = 0;  ///< share * score: points this signal adds
  double points_lost = 0;  ///< share * (100 - score)
};

struct category_explanation {
  std::string id, label;
  double score = 0;  ///< NaN: missing
  double share = 0;  ///< effective weight share, 0..1
  double contribution = 0, points_lost = 0;
};

/// Which way a change moves the raw value: up, down, or to a category (or into an empty cell).
enum class lift_direction : std::uint8_t { raise, reduce, set };
const char* to_string(lift_direction d) noexcept;

/// What the suggested value means: that value, or any value beyond it the same way ("31 or more",
/// "2 or fewer"; for dates, later or earlier). A bound is stated only when every value beyond it
/// that the rule reads was checked to score at least as well (monotone rules, or each region of a
/// steps rule), with the other change of a pair held where it is. A `log` rule reads no value
/// below 0, so its "or fewer" goes down to 0.
enum class lift_bound : std::uint8_t { exactly, or_more, or_fewer };
const char* to_string(lift_bound b) noexcept;

/// The kind of raw value a change writes: a number, a date, or a text (a `map` label, a boolean word).
enum class raw_kind : std::uint8_t { number, date, text };
const char* to_string(raw_kind k) noexcept;

/// One cell to change: signal (category, signal) of the row's model, on `column`.
struct lift_change {
  std::size_t category = 0, signal = 0;
  std::string column;
  std::string signal_id;  ///< the signal's `id`, empty when it has none
  lift_direction direction = lift_direction::raise;
  raw_kind kind = raw_kind::number;
  std::string from_raw;  ///< the cell as written, trimmed; empty when the cell is empty
  double from_value = 0;  ///< the cell as the rule reads it: a number, days since 1970; NaN otherwise
  double to_value = 0;  ///< number or date (days since 1970) to write; NaN for text
  std::string to_text;  ///< the value as text: the number with `decimals` digits, ISO date, or label
  int decimals = 0;  ///< digits after the point of `to_value` (the column's granularity)
  bool percent = false;  ///< the column is written as percentages: `to_value` is a fraction
  /// A `map` rule's default: any text not in its list (and none such in the file to name); `to_text`
  /// is then empty.
  bool any_other = false;
  lift_bound bound = lift_bound::exactly;
  double from_score = 0;  ///< the signal's score now (NaN: missing under renormalize)
  double to_score = 0;  ///< its score after the change
};

/// The smallest change found that lifts the account into the next band (or above), checked by
/// rescoring the account with the changed cells through the rule kernels and per-row arithmetic the
/// scorer uses (its segment's model, the missing-value policy, renormalisation, column statistics
/// recomputed with the new value).
struct improvement {
  std::vector<lift_change> changes;  ///< one, or two when no single signal can
  int to_band = 0;  ///< the band the account reaches (of its segment's bands)
  double to_health = 0;  ///< its health score after the changes (bands use its rounding)
};

struct explanation {
  std::size_t row = 0;  ///< 0-based
  double score = 0;  ///< NaN: unscored
  int band = -1;
  std::vector<category_explanation> categories;
  std::vector<signal_explanation> signals;
  /// None when already in the top band, unscored, or when neither one nor two signals can lift it
  /// (or `explain_options::lift` is off).
  std::optional<improvement> next_band;
};

struct explain_options {
  bool lift = true;  ///< search for `next_band` (a call list needs only the shares)
};

explanation explain(const scorer& s, std::size_t row, const explain_options& o = {});

}  // namespace healthscore
