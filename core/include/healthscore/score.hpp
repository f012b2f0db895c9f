// SPDX-License-Identifier: MIT
// Scoring a table with a model (`spec/model.md`, "Scoring"). Signal scores are kept per signal, and
// category scores per category, so a weight change recomputes only the weighted sums and a rule
// change only its own signal.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "healthscore/model.hpp"
#include "healthscore/table.hpp"

namespace healthscore {

struct score_options {
  /// Used when the model has no `as_of`: days since 1970-01-01 (the CLI passes the local date).
  std::int32_t today = 0;
  /// Score even when a signal's column is not in the table (it is then missing in every row).
  bool allow_missing_columns = true;
};

/// Rounds half away from zero, as bands and displays do.
double round_half_away(double x) noexcept;
/// Index of the band the score falls in, or -1 for an unscored (NaN) score.
int band_of(double score, const std::vector<band>& bands) noexcept;

/// One signal's 0–100 scores over the table (NaN where missing).
std::vector<double> score_signal(const signal& s, const table& t, std::int32_t as_of);

/// Histogram bins: one per rounded health score 0..100, so every bin lies in exactly one band.
inline constexpr std::size_t histogram_bins = 101;

struct summary {
  std::vector<std::size_t> band_counts;  ///< per model band
  std::size_t unscored = 0;
  /// Scored accounts per rounded score (half away from zero), 0..100; computed in the same pass as
  /// the scores, so the page never walks a million scores to draw it.
  std::vector<std::size_t> histogram = std::vector<std::size_t>(histogram_bins, 0);
  /// Missing cells per signal column (first occurrence of a column only), in model order.
  std::vector<std::pair<std::string, std::size_t>> missing;
  std::vector<std::string> absent_columns;  ///< signal columns not in the table
};

class scorer {
 public:
  /// Computes every signal's scores. Throws input_error when a column is absent and the options do
  /// not allow it.
  scorer(const table& t, model m, const score_options& options = {});

  /// Adopts a changed model, recomputing only what changed: weights -> sums; a rule or column ->
  /// that signal; bands -> band indexes. Throws model_error when it is invalid (state unchanged).
  void update(model m);
  /// Fast paths for the sliders.
  void set_category_weight(std::size_t c, double w);
  void set_signal_weight(std::size_t c, std::size_t s, double w);

  const model& current_model() const noexcept { return model_; }
  const table& data() const noexcept { return *table_; }
  std::size_t rows() const noexcept { return table_->rows; }
  std::int32_t as_of() const noexcept { return as_of_; }

  const std::vector<double>& scores() const noexcept { return scores_; }       ///< NaN: unscored
  const std::vector<std::int8_t>& bands() const noexcept { return bands_; }    ///< -1: unscored
  const std::vector<double>& category_scores(std::size_t c) const { return category_scores_.at(c); }
  const std::vector<double>& signal_scores(std::size_t c, std::size_t s) const { return signal_scores_.at(c).at(s); }
  const summary& totals() const noexcept { return summary_; }

 private:
  void compute_signal_(std::size_t c, std::size_t s);
  void compute_category_(std::size_t c);
  void compute_overall_();
  void compute_bands_();
  void compute_summary_();

  const table* table_;
  model model_;
  score_options options_;  // kept for update(): `today` when a new model drops `as_of`
  std::int32_t as_of_;
  std::vector<std::vector<std::vector<double>>> signal_scores_;
  std::vector<std::vector<std::size_t>> signal_missing_;  // missing rows per signal
  std::vector<std::vector<double>> category_scores_;
  std::vector<double> scores_;
  std::vector<std::int8_t> bands_;
  summary summary_;
};

/// Convenience: score once.
inline scorer score(const table& t, const model& m, const score_options& o = {}) { return scorer(t, m, o); }

}  // namespace healthscore
