// SPDX-License-Identifier: MIT
// Two scenarios (whole models) scored on the same table, compared row by row: the band migration
// matrix, the accounts that changed band, and those accounts as CSV (id, name, both scores and
// bands). The studio's Scenarios step; a file compared with an earlier file is `compare_scores`.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "healthscore/score.hpp"

namespace healthscore {

struct scenario_comparison {
  std::size_t rows = 0;
  /// transitions[band in a][band in b], each model's bands in order, then one row/column for
  /// "unscored"; the two models may have different band lists.
  std::vector<std::vector<std::size_t>> transitions;
  std::vector<std::size_t> moved;  ///< rows whose band differs (or became scored/unscored), ascending
  /// One segment's share of `transitions`: its rows only (row sums are its band mix in `a`, column
  /// sums in `b`).
  struct segment {
    std::string id;  ///< the group id; empty for the other segment
    std::string label;  ///< the group label, or `segments.other_label`
    std::size_t rows = 0;
    std::vector<std::vector<std::size_t>> transitions;
  };
  /// Empty when neither model has segments; else by `a`'s segments (`b`'s when only `b` has them):
  /// each group in model order, then the other segment. They add up to `transitions`.
  std::vector<segment> segments;
};

/// Throws input_error when the two scorers do not score the same table.
scenario_comparison compare_scenarios(const scorer& a, const scorer& b);

/// The moved accounts as CSV: `id,name,<label_a> score,<label_a> band,<label_b> score,<label_b> band`,
/// scores with two decimals as the scored export writes them, bands by label, cells defused as
/// every export is. The id and name come from `a`'s model (`Row N` when it names no id column).
std::string scenario_changes_csv(const scorer& a, const scorer& b, const scenario_comparison& c,
                                 std::string_view label_a, std::string_view label_b);

}  // namespace healthscore
