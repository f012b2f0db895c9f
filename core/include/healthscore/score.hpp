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

/// Band counts, histogram and account value of one set of accounts (all of them, or one segment).
struct band_totals {
  std::size_t rows = 0;  ///< accounts in the set
  std::vector<std::size_t> band_counts;  ///< per model band (by index; a segment's bands share the ids)
  std::size_t unscored = 0;
  /// Scored accounts per rounded score (half away from zero), 0..100; computed in the same pass as
  /// the scores, so the page never walks a million scores to draw it.
  std::vector<std::size_t> histogram = std::vector<std::size_t>(histogram_bins, 0);
  // Account value (`value_column`; all zero without one). Empty or unreadable values count as 0.
  std::vector<double> band_values;  ///< per model band: the sum of the accounts' values
  double unscored_value = 0;  ///< value of the unscored accounts
  double value_total = 0;  ///< every account's value, unscored ones included
  std::size_t value_missing = 0;  ///< accounts whose value is empty or unreadable
  /// The value of the scored accounts per rounded score, 0..100 (the histogram weighted by value;
  /// empty without a value column, all zero when the column is absent).
  std::vector<double> histogram_value;
  /// The value in the lowest band (the model's first), the contract's *value at risk*.
  double value_at_risk() const noexcept { return band_values.empty() ? 0.0 : band_values.front(); }
};

/// One segment's totals: a group's (in model order), then the other segment's.
struct segment_totals : band_totals {
  std::string id;  ///< the group id; empty for the other segment
  std::string label;  ///< the group label, or `segments.other_label`
};

struct summary : band_totals {
  bool has_value = false;  ///< the model names a value column (present in the table or not)
  /// Empty without segments; else one per group in model order, then the other segment last. The
  /// overall counts and values are the sums of these, band by band.
  std::vector<segment_totals> segments;
  /// Missing cells per signal column (first occurrence of a column only), in model order.
  std::vector<std::pair<std::string, std::size_t>> missing;
  std::vector<std::string> absent_columns;  ///< signal columns not in the table
};

/// Scores a scorer keeps, one per account for each signal and category: at 8 bytes each, 1.2 GB
/// (5 million accounts × 30, the largest file the readers take by the sample's 20 scored columns).
/// A model and file past it are refused before anything is allocated: a bound per scorer (the band
/// sensitivity and the weight search copy a scorer's scores for a while, and the trend keeps a
/// scorer per snapshot), so a 1,000-signal model no longer grows the page to the 4 GB a WebAssembly
/// tab can have, which it keeps (memory cannot be given back).
inline constexpr std::uint64_t max_score_cells = 150'000'000;

/// One signal's scores over the table, kept small: most rules give few distinct scores (steps, maps,
/// booleans, recency in days, linear rules over counts), so the scores are 1- or 2-byte codes into
/// a table of those scores, which holds each score's exact bits; a signal with more than 65,536
/// distinct scores keeps its doubles. At 1M accounts × 16 signals that is about 25 MB, not 128.
class packed_scores {
 public:
  packed_scores() = default;
  explicit packed_scores(std::vector<double> scores);
  std::size_t size() const noexcept { return size_; }
  double operator[](std::size_t row) const noexcept {
    return width_ == 1 ? table_[c8_[row]] : width_ == 2 ? table_[c16_[row]] : raw_[row];
  }
  /// Rows [base, base + len) into `out`.
  void decode(std::size_t base, std::size_t len, double* out) const noexcept;
  /// Rows `rows[0 .. len)` into `out`.
  void gather(const std::uint32_t* rows, std::size_t len, double* out) const noexcept;
  /// The scores as doubles, one per row.
  std::vector<double> unpack() const;
  /// Bytes per row: 1, 2 or 8.
  int width() const noexcept { return width_; }
  /// The doubles themselves when they are kept as such (width 8), else null.
  const double* raw() const noexcept { return width_ == 8 ? raw_.data() : nullptr; }

 private:
  std::size_t size_ = 0;
  int width_ = 8;
  std::vector<double> table_, raw_;
  std::vector<std::uint8_t> c8_;
  std::vector<std::uint16_t> c16_;
};

/// A row's segment in `scorer::segments()`: a group index, or this for the other segment.
inline constexpr std::int8_t other_segment = -1;

class scorer {
 public:
  /// Computes every signal's scores. Throws input_error when a column is absent and the options do
  /// not allow it.
  scorer(const table& t, model m, const score_options& options = {});

  /// Adopts a changed model, recomputing only what changed: weights -> sums; a rule or column ->
  /// that signal; bands -> band indexes. With segments (and the same segment column and values) the
  /// diff is made per segment, on each segment's own model, so a change inside one group recomputes
  /// only that group's rows; a change to the segment column or values rescores everything. Throws
  /// model_error when it is invalid (state unchanged).
  void update(model m);
  /// Fast paths for the sliders, on the base model: every segment that does not override that
  /// weight (the other segment always) is rescored, the rest are untouched.
  void set_category_weight(std::size_t c, double w);
  void set_signal_weight(std::size_t c, std::size_t s, double w);
  /// The same inside segment group `g` only: sets (or adds) the group's override and rescores only
  /// that group's rows. The other segment is the base model: use the calls above for it.
  void set_category_weight(std::size_t g, std::size_t c, double w);
  void set_signal_weight(std::size_t g, std::size_t c, std::size_t s, double w);

  const model& current_model() const noexcept { return model_; }
  const table& data() const noexcept { return *table_; }
  std::size_t rows() const noexcept { return table_->rows; }
  std::int32_t as_of() const noexcept { return as_of_; }

  const std::vector<double>& scores() const noexcept { return scores_; }  ///< NaN: unscored
  const std::vector<std::int8_t>& bands() const noexcept { return bands_; }  ///< -1: unscored
  const std::vector<double>& category_scores(std::size_t c) const { return category_scores_.at(c); }
  /// A signal's scores, unpacked (a copy: one row's is signal_score).
  std::vector<double> signal_scores(std::size_t c, std::size_t s) const { return signal_scores_.at(c).at(s).unpack(); }
  double signal_score(std::size_t c, std::size_t s, std::size_t row) const { return signal_scores_.at(c).at(s)[row]; }
  const summary& totals() const noexcept { return summary_; }

  /// Per row: its segment group index, or `other_segment`. Empty when the model has no segments.
  const std::vector<std::int8_t>& segments() const noexcept { return segment_of_; }
  /// The model segment `k` is scored with (a group index or `other_segment`): `segment_model()` of
  /// the current model, or the model itself for the other segment and for a model without segments.
  const model& segment_model_of(int k) const;
  /// The model a row is scored with.
  const model& row_model(std::size_t row) const;
  /// The rows of segment `k`, ascending; empty for a model without segments.
  const std::vector<std::uint32_t>& segment_rows(int k) const;

 private:
  // With segments, each segment is a *slot*: groups 0..G-1 in model order, then the other segment
  // (slot G, scored by the base model). Each slot's rows are scored by gathering and scattering
  // blocks of its rows; a model without segments runs the contiguous column loops, as before.
  bool segmented() const noexcept { return model_.segments.has_value(); }
  std::size_t slots() const noexcept { return slot_rows_.size(); }
  const model& slot_model(std::size_t j) const noexcept { return j < group_models_.size() ? group_models_[j] : model_; }
  void bind_columns_();
  void compute_signal_(std::size_t c, std::size_t s);
  void compute_signal_in_(std::size_t j, std::size_t c, std::size_t s, std::vector<double>& scores) const;
  void compute_category_(std::size_t c);
  void compute_category_in_(std::size_t j, std::size_t c);
  void compute_overall_();
  void compute_overall_in_(std::size_t j);
  void compute_bands_();
  void compute_bands_in_(std::size_t j);
  void add_values_(band_totals& out, const std::vector<std::uint32_t>* rows) const;
  void gather_totals_();
  void plain_totals_();
  void compute_summary_();
  void compute_all_();
  void update_segmented_(model m, std::int32_t new_as_of);

  std::vector<model> group_models_;  // segment_model(model_, g) per group
  std::vector<std::vector<std::uint32_t>> slot_rows_;  // per slot; empty without segments
  std::vector<band_totals> slot_totals_;  // per slot
  std::vector<std::int8_t> segment_of_;  // per row; empty without segments
  std::optional<cell_values<double>> values_;  // the value column's numbers; none without one

  const table* table_;
  model model_;
  score_options options_;  // kept for update(): `today` when a new model drops `as_of`
  std::int32_t as_of_;
  std::vector<std::vector<packed_scores>> signal_scores_;
  std::vector<std::vector<std::size_t>> signal_missing_;  // missing rows per signal
  std::vector<std::vector<double>> category_scores_;
  std::vector<double> scores_;
  std::vector<std::int8_t> bands_;
  summary summary_;
};

/// Convenience: score once.
inline scorer score(const table& t, const model& m, const score_options& o = {}) { return scorer(t, m, o); }

}  // namespace healthscore
