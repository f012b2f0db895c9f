// SPDX-License-Identifier: MIT
// Evidence that a health score means something: how well it separates a known outcome (AUC with a
// DeLong interval, ROC curve, outcome rate per band, suggested weights checked on held-out rows,
// band sensitivity to each category weight), and how scores moved between two files of the same
// accounts. Each analysis returns a plain struct; `*_to_json` and `*_to_text` render it, so the
// command line and the page print the same figures.
//
// Conventions (documented for users in README, "Evidence"):
// - An account is *good* or *bad*. The model's `outcome.positive` values name the positive outcome;
//   by default a positive outcome is bad (churned). `"good": true` in `outcome` says it is good
//   (renewed, upgraded). Matching is trimmed and case-insensitive; an empty cell is unknown and the
//   row is left out of every figure that needs the outcome (and counted).
// - AUC is "how well a higher score picks the good accounts": the probability that a random good
//   account scores above a random bad one, ties counting one half. 0.5 is chance; below 0.5 the
//   score points the wrong way.
// - Intervals are 95%, DeLong's, normal approximation, clipped to [0, 1].
// - Every figure is rounded for display by one function (`evidence_round`), and the JSON carries
//   the rounded value, so the CLI, the JSON and the page agree to the last printed digit.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "healthscore/model.hpp"
#include "healthscore/score.hpp"
#include "healthscore/table.hpp"

namespace healthscore {

// ---- outcome labels ---------------------------------------------------------------------------

/// Per row: 1 good, 0 bad, -1 unknown (empty outcome cell).
using outcome_labels = std::vector<std::int8_t>;

/// True when the model's positive outcome is a good one (`"good": true` in `outcome`).
bool outcome_is_good(const outcome& o);
/// Labels every row of `t`. Throws input_error when the outcome column is not in the table.
outcome_labels label_outcomes(const table& t, const outcome& o);

// ---- AUC, DeLong, ROC (pure functions on vectors) ---------------------------------------------

struct auc_estimate {
  double auc = std::numeric_limits<double>::quiet_NaN();  ///< NaN without both classes
  double se = std::numeric_limits<double>::quiet_NaN();  ///< DeLong standard error
  double lo = std::numeric_limits<double>::quiet_NaN(), hi = std::numeric_limits<double>::quiet_NaN();
  std::size_t good = 0, bad = 0;  ///< accounts used
  std::size_t left_out = 0;  ///< rows with an unknown outcome or a missing (NaN) score
};

/// AUC of `score` for picking label 1 over label 0 (Mann-Whitney, ties 1/2), O(n log n), with its
/// DeLong standard error and 95% interval. Rows with label -1 or a NaN score are left out.
auc_estimate auc_with_interval(const std::vector<double>& score, const outcome_labels& labels);

/// Two scores on the same accounts: AUC(b) - AUC(a) with DeLong's paired standard error. Only rows
/// where both scores and the label are known take part.
struct auc_difference {
  auc_estimate a, b;  ///< each on the shared rows
  double diff = std::numeric_limits<double>::quiet_NaN(), se = std::numeric_limits<double>::quiet_NaN();
  double lo = std::numeric_limits<double>::quiet_NaN(), hi = std::numeric_limits<double>::quiet_NaN();
};
auc_difference compare_auc(const std::vector<double>& a, const std::vector<double>& b, const outcome_labels& labels);

/// One ROC point: the share of bad and of good accounts scoring at or above a threshold.
struct roc_point {
  double bad = 0;  ///< x: false positive rate (bad accounts picked)
  double good = 0;  ///< y: true positive rate (good accounts picked)
};
/// The empirical ROC curve from (0,0) to (1,1), one point per distinct score, evenly thinned to at
/// most `max_points` (ends kept). Empty without both classes.
std::vector<roc_point> roc_curve(const std::vector<double>& score, const outcome_labels& labels,
                                 std::size_t max_points = 200);

// ---- suggested weights ------------------------------------------------------------------------

/// Rows in the training part of a 70/30 split decided by a hash of each account's id (trimmed text
/// of `id_column`), or of the row number when there is no id column: the split is the same on every
/// machine and does not depend on row order.
std::vector<bool> training_rows(const table& t, const std::string& id_column, double train_share = 0.7);

/// Σ w·c / Σ w over the categories present in a row (NaN categories leave both sums), as scoring does.
std::vector<double> combine_categories(const std::vector<std::vector<double>>& category_scores,
                                       const std::vector<double>& weights);

struct weight_suggestion {
  std::vector<std::string> ids, labels;
  std::vector<double> current;  ///< current category weights scaled to sum to 100
  std::vector<double> suggested;  ///< whole numbers, non-negative, summing to 100
  std::size_t train_rows = 0, test_rows = 0;
  /// Training accounts the search itself used: all of them up to `weight_search_cap`, else an even
  /// sample of that many (the AUCs reported are still over every training account).
  std::size_t search_rows = 0;
  bool search_sampled = false;
  std::size_t search_tries = 0;  ///< weightings tried (each one a combined score and its AUC)
  bool search_stopped = false;  ///< the search spent `weight_search_work` before it converged
  double train_auc_current = std::numeric_limits<double>::quiet_NaN();
  double train_auc_suggested = std::numeric_limits<double>::quiet_NaN();
  auc_difference test;  ///< a = current, b = suggested, on the held-out rows
  bool checked = false;  ///< enough held-out accounts of both kinds to judge
  bool reliable = false;  ///< held-out: the gain's 95% interval lies above 0 and the suggested AUC's above 0.5
  message verdict;  ///< one sentence for the user
};

/// Searches whole-number weights summing to 100 that maximise the training-part AUC of the combined
/// category score (pairwise weight transfers, steps 20, 10, 5, 2, 1, from the current and from equal
/// weights), then checks current against suggested on the held-out part with a paired DeLong test.
/// Deterministic. Categories switched off (weight 0) may be given weight. Past `weight_search_cap`
/// training accounts with a known outcome, the search runs on every k-th of them (k the smallest
/// stride that fits), so at a million accounts it takes about a second rather than minutes; an AUC
/// over 50,000 accounts is within a few thousandths of the full one.
inline constexpr std::size_t weight_search_cap = 50'000;
/// The work one weighting costs the search, in row units: a pass over the categories to combine them
/// (one unit per category and row) and a sort for its AUC (about this many units per row).
inline constexpr std::uint64_t weight_search_sort_units = 20;
/// The work the search may do, in those units: Σ over the weightings it tries of rows × (categories +
/// `weight_search_sort_units`). About 1.5 s natively and 3 s in the page (BENCHMARKS.md); a model of
/// a few categories converges long before (the sample model tries a few hundred weightings), one of
/// dozens stops here with the best weights found so far, still checked on the held-out accounts and
/// marked `search_stopped`. Counted in work, not time, so the command line and the page stop at the
/// same weighting and agree.
inline constexpr std::uint64_t weight_search_work = 2'000'000'000;

/// The weight search of `suggest_weights` as work done a slice at a time: the page answers a slider
/// between two slices. Slicing does not change the result. Holds its own copies of the inputs.
class weight_search {
 public:
  weight_search(std::vector<std::vector<double>> category_scores, const std::vector<double>& current_weights,
                outcome_labels labels, std::vector<bool> train, std::uint64_t work_limit = weight_search_work);
  ~weight_search();
  weight_search(weight_search&&) noexcept;
  weight_search& operator=(weight_search&&) noexcept;
  /// Does about `work` more units (at least one weighting); true once the search is over.
  bool advance(std::uint64_t work = std::numeric_limits<std::uint64_t>::max());
  bool done() const noexcept;
  /// The suggestion (complete once `done`).
  weight_suggestion result() const;

 private:
  struct state;
  void finish();
  std::unique_ptr<state> p_;
};

weight_suggestion suggest_weights(const std::vector<std::vector<double>>& category_scores,
                                  const std::vector<double>& current_weights, const outcome_labels& labels,
                                  const std::vector<bool>& train);

/// A copy of `m` with the suggested category weights and " (suggested weights)" added to its name:
/// the "try these weights" scenario. Throws model_error when the sizes disagree.
model with_suggested_weights(const model& m, const weight_suggestion& w);

// ---- validate: everything together ------------------------------------------------------------

struct discrimination {
  std::string kind;  ///< "health", "category" or "signal"
  std::string id;  ///< category id; for a signal "category/column"
  std::string label;  ///< category label or signal column
  std::size_t category = 0, signal = 0;
  double weight = 0;  ///< the model's weight (category or signal)
  auc_estimate auc;
  std::vector<roc_point> roc;  ///< health and categories always; signals when asked
  bool wrong_direction = false;  ///< interval entirely below 0.5
  std::optional<message> warning;  ///< set when it points the wrong way
};

struct band_outcome {
  std::string id, label;
  std::size_t accounts = 0;  ///< scored accounts in the band
  double share = 0;  ///< of all scored accounts
  std::size_t known = 0;  ///< of them with a known outcome
  std::size_t positive = 0;  ///< of them with the positive outcome
  double rate = std::numeric_limits<double>::quiet_NaN();  ///< positive / known
  double lift = std::numeric_limits<double>::quiet_NaN();  ///< rate / base rate (of the same accounts set)
  // Weighted by account value (`value_column`; zero and NaN without one). Empty or unreadable
  // values count as 0, as in the score summary.
  double value = 0;  ///< the band's value
  double value_share = std::numeric_limits<double>::quiet_NaN();  ///< of the scored accounts' value
  double value_known = 0;  ///< value of the band's accounts with a known outcome
  double value_positive = 0;  ///< of them, with the positive outcome
  double value_rate = std::numeric_limits<double>::quiet_NaN();  ///< value_positive / value_known
};

/// The figures of one segment (a group, or the other segment), on its own accounts and cut points.
struct segment_validation {
  std::string id;  ///< group id; empty for the other segment
  std::string label;  ///< group label, or `other_label`
  std::size_t rows = 0, scored = 0, known = 0, positives = 0;
  double base_rate = std::numeric_limits<double>::quiet_NaN();  ///< of its scored accounts with a known outcome
  double value_base_rate = std::numeric_limits<double>::quiet_NaN();  ///< value-weighted, with a value column
  auc_estimate auc;  ///< the health score within the segment (DeLong interval)
  std::vector<band_outcome> bands;  ///< lift against the segment's own base rate
};

struct pass_mark {
  std::string id;  ///< "red_rate" or "green_share"
  message text;  ///< what it checks, for the user
  double value = std::numeric_limits<double>::quiet_NaN(), threshold = 0;
  bool applicable = false, pass = false;
};

struct sensitivity_row {
  std::string id, label;
  double weight = 0;
  std::size_t changed_down = 0;  ///< accounts changing band with the weight at 90%
  std::size_t changed_up = 0;  ///< with the weight at 110%
};

/// AUCs and ROC curves already computed, keyed by the bytes of the scores and of the outcome labels:
/// after a category weight change only the health score's figures are new, so a page that keeps one
/// of these between validations recomputes one AUC instead of one per category and signal. Keyed by
/// content (a 64-bit hash of each vector, and their sizes), so it can never serve a stale figure for
/// changed scores; it holds at most `capacity` entries and starts over when full.
class validation_cache {
 public:
  struct entry {
    auc_estimate auc;
    std::vector<roc_point> roc;
    bool has_roc = false;
    std::size_t roc_points = 0;
  };
  static constexpr std::size_t capacity = 256;
  /// The entry for these scores and labels, made empty when new.
  entry& at(const std::vector<double>& score, const outcome_labels& labels, bool& found);
  std::size_t size() const noexcept { return entries_.size(); }
  std::size_t hits = 0, misses = 0;

 private:
  struct key {
    std::uint64_t score_hash, label_hash;
    std::size_t score_size, label_size;
    bool operator==(const key&) const = default;
  };
  std::deque<std::pair<key, entry>> entries_;  // a deque: a returned entry stays put
};

struct validation_options {
  std::size_t roc_points = 200;
  bool roc_for_signals = false;
  bool suggest = true;  ///< the weight search (the slow part: tens of ms per thousand rows)
  bool sensitivity = true;
  validation_cache* cache = nullptr;  ///< figures kept from earlier validations (optional)
  bool components = true;  ///< each category's and signal's AUC too, not only the health score's
};

struct validation {
  std::string outcome_column;
  std::vector<std::string> positive;
  bool positive_is_good = false;
  std::size_t rows = 0, scored = 0, known = 0, positives = 0, negatives = 0, unknown = 0;
  double base_rate = std::numeric_limits<double>::quiet_NaN();  ///< positives / known
  discrimination health;
  std::vector<discrimination> categories, signals;
  std::vector<band_outcome> bands;
  std::vector<pass_mark> checks;
  bool has_value = false;  ///< the model names a value column
  std::string value_column;
  double value_base_rate = std::numeric_limits<double>::quiet_NaN();  ///< positive value / known value, scored accounts
  std::vector<segment_validation> segments;  ///< groups in model order, then other; empty without segments
  bool has_suggestion = false;
  weight_suggestion weights;
  std::vector<sensitivity_row> sensitivity;
  std::vector<message> warnings;  ///< direction flags and data problems, in model order
};

/// Validates the scored table against the model's outcome. Throws input_error when the model has no
/// outcome or its column is not in the table.
validation validate_outcome(const scorer& s, const validation_options& options = {});

/// The same with labels from elsewhere: one per row of the scored table (the trend's lagged
/// validation takes them from a later file). `o` names the outcome for the report (column, positive
/// values, whether positive is good); its column need not be in this table. Throws input_error
/// when the labels are not one per row.
validation validate_labels(const scorer& s, const outcome_labels& labels, const outcome& o,
                           const validation_options& options = {});

/// The weight search `validate_outcome` runs with `suggest`, not yet advanced: the page runs it a
/// slice at a time after a validation without `suggest`, then `add_suggestion`s it, and gets what
/// `validate_outcome` gives. `category_scores` may be the scorer's, already copied (else copied
/// here). Empty without categories.
std::optional<weight_search> start_weight_search(const scorer& s, const outcome_labels& labels,
                                                 std::vector<std::vector<double>> category_scores = {});
/// A finished search's suggestion into `v`, with its warnings, as `validate_outcome` adds it.
void add_suggestion(validation& v, const model& m, const weight_search& search);
/// A suggestion's category ids and labels from `m`, and its warnings (the search stopped at its work
/// limit; segments with their own category weights, which are not searched) added to `warnings`.
void name_suggestion(weight_suggestion& w, const model& m, std::vector<message>& warnings);

/// For each switched-on category, accounts whose band changes when its weight is scaled by 0.9 and
/// 1.1 (a copy of the scorer is rescored with `set_category_weight`).
std::vector<sensitivity_row> band_sensitivity(const scorer& s);

/// `warnings`, `verdict` and a check's `text` are rendered in `lang`; beside each, its message as
/// {code, params} (`warning_messages`, `verdict_message`, `warning_message`, `text_message`).
json validation_to_json(const validation& v, language lang = language::en);
/// The report; its headings are English, its warnings, verdict and pass marks in `lang`.
std::string validation_to_text(const validation& v, language lang = language::en);

// ---- compare two dates ------------------------------------------------------------------------

struct account_change {
  std::string id, name;
  std::size_t old_row = 0, new_row = 0;  ///< 0-based data rows
  double old_score = std::numeric_limits<double>::quiet_NaN(), new_score = std::numeric_limits<double>::quiet_NaN();
  double change = std::numeric_limits<double>::quiet_NaN();  ///< new - old; NaN when either is unscored
  int old_band = -1, new_band = -1;
  int old_segment = other_segment, new_segment = other_segment;  ///< group index or other_segment
};

/// Accounts of one segment of the new file (a group, or the other segment) between the two dates.
struct segment_change {
  std::string id, label;  ///< id empty for the other segment
  std::size_t matched = 0, scored_both = 0;
  std::size_t band_up = 0, band_down = 0, band_same = 0;
  std::size_t newly_red = 0;  ///< in the segment's lowest band now, not before
  std::size_t moved_in = 0;  ///< in another segment in the old file
  double mean_change = std::numeric_limits<double>::quiet_NaN();
};

struct compare_options {
  std::size_t movers = 10;  ///< how many movers up and down to list
  std::size_t examples = 10;  ///< how many unmatched / duplicate ids to name
};

struct comparison {
  std::string id_column;
  std::vector<std::string> band_ids, band_labels;
  std::size_t old_rows = 0, new_rows = 0;
  std::size_t matched = 0, only_old = 0, only_new = 0;
  std::size_t empty_id_old = 0, empty_id_new = 0;  ///< rows without an id, left out
  std::size_t duplicate_old = 0, duplicate_new = 0;  ///< ids on more than one row, left out
  std::vector<std::string> only_old_ids, only_new_ids, duplicate_ids;  ///< first examples
  std::vector<account_change> accounts;  ///< matched accounts in new-file order
  std::size_t scored_both = 0;
  double mean_change = std::numeric_limits<double>::quiet_NaN();
  std::size_t band_up = 0, band_down = 0, band_same = 0;  ///< among accounts scored both times
  std::vector<std::size_t> movers_up, movers_down;  ///< indexes into `accounts`
  /// transitions[old][new], bands in model order then one row/column for "unscored".
  std::vector<std::vector<std::size_t>> transitions;
  std::vector<std::size_t> newly_red;  ///< indexes into `accounts`: lowest band now, not before
  /// By the new file's segment: groups in model order, then other; empty without segments.
  std::vector<segment_change> segments;
  std::size_t changed_segment = 0;  ///< matched accounts whose segment differs between the files
};

/// Matches the two scored tables by the model's `id_column` (trimmed text). Throws input_error when
/// the model names no id column or a table lacks it.
comparison compare_scores(const scorer& older, const scorer& newer, const compare_options& options = {});

json comparison_to_json(const comparison& c);
std::string comparison_to_text(const comparison& c);
/// id, name, old_score, new_score, change, old_band, new_band for every matched account; cells that a
/// spreadsheet would run as formulas are prefixed with `'`.
std::string comparison_to_csv(const comparison& c);

// ---- shared formatting ------------------------------------------------------------------------

/// `x` rounded to `digits` decimals exactly as the reports print it (NaN stays NaN).
double evidence_round(double x, int digits);

}  // namespace healthscore
