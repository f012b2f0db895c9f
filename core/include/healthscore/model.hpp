// SPDX-License-Identifier: MIT
// The health model (`spec/model.md`, version 1): load, validate, save. Unknown fields at every level
// are kept in `extra` and written back on save, so a model from a newer tool survives a round trip.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "healthscore/message.hpp"

namespace healthscore {

using json = nlohmann::ordered_json;

/// An invalid model. `what()` names the JSON path: `categories[1].signals[0].rule.max must be a number`.
class model_error : public error {
 public:
  using error::error;
};

enum class rule_type : std::uint8_t { linear, log, steps, map, boolean, recency, percentile, target };
const char* to_string(rule_type t) noexcept;

struct step {
  std::optional<double> max;  ///< none: catches the rest
  double score = 0;
  json extra = json::object();  ///< unknown fields, written back on save
};

struct rule {
  rule_type type = rule_type::linear;
  bool lower_is_better = false;  ///< "direction": "lower_is_better"
  std::optional<double> min, max;  ///< linear, log
  std::vector<step> steps;  ///< steps
  std::vector<std::pair<std::string, double>> map;  ///< map, keys as written
  std::optional<double> map_default;  ///< map
  double true_score = 100, false_score = 0;  ///< boolean
  double full_days = 0, zero_days = 0;  ///< recency
  std::optional<double> target;  ///< target
  std::string target_column;  ///< target
  json extra = json::object();
};

struct signal {
  std::string column;
  std::string id;  ///< empty: none (the key is then the column)
  double weight = 1;
  struct rule rule;
  json extra = json::object();

  /// What a segment's override names this signal by: its `id`, else its `column`.
  const std::string& key() const { return id.empty() ? column : id; }
};

struct category {
  std::string id;
  std::string label;
  double weight = 1;
  std::vector<signal> signals;
  json extra = json::object();
};

struct band {
  std::string id;
  std::string label;
  double max = 100;
  std::string color;
  std::string action;
  json extra = json::object();
};

enum class missing_policy : std::uint8_t { renormalize, zero, neutral };
const char* to_string(missing_policy p) noexcept;

struct outcome {
  std::string column;
  std::vector<std::string> positive = {"yes", "true", "1"};
  json extra = json::object();  ///< holds `good` (a boolean, checked on load) among unknown fields
};

// ---- segments (contract, "Extensions to version 1") ------------------------------------------

/// A segment's change to one signal, named by its key (`signal::key()`).
struct signal_override {
  std::string key;
  std::optional<double> weight;
  std::optional<struct rule> rule;  ///< replaces the whole rule
  json extra = json::object();
};

/// A segment's change to one category, named by its id.
struct category_override {
  std::string id;
  std::optional<double> weight;
  std::vector<signal_override> signals;  ///< in document order
  json extra = json::object();
};

/// A segment's cut point for one base band (same id, same position).
struct band_override {
  std::string id;
  double max = 100;
  std::optional<std::string> action;  ///< none: the base band's
  json extra = json::object();
};

struct segment_group {
  std::string id, label;
  std::vector<std::string> values;  ///< matched trimmed and case folded, as `map` keys are
  std::vector<category_override> categories;
  std::vector<band_override> bands;  ///< empty: the base bands; else one per base band, in order
  json extra = json::object();
};

struct segments {
  std::string column;
  std::string other_label = "Other";  ///< the label of accounts in no group
  std::vector<segment_group> groups;
  json extra = json::object();
};

struct model {
  int version = 1;
  std::string name = "Health score";
  std::string id_column, name_column;
  std::string value_column;  ///< empty: none. Each account's revenue; never scored
  std::optional<std::int32_t> as_of;  ///< days since 1970-01-01; none: the day of scoring
  missing_policy missing = missing_policy::renormalize;
  std::vector<category> categories;
  std::vector<band> bands = default_bands();
  std::optional<struct outcome> outcome;
  std::optional<struct segments> segments;
  json extra = json::object();

  static std::vector<band> default_bands();
};

/// Parses and validates. Throws model_error with the JSON path of the first problem.
model parse_model(std::string_view json_text);
model model_from_json(const json& doc);
/// The document, with unknown fields where they were.
json model_to_json(const model& m);
std::string save_model(const model& m, int indent = 2);
/// Checks a built model the same way `parse_model` does (weights, bands, ids, segments).
void validate(const model& m);

/// At most this many segment groups (a row's segment is stored in a byte).
inline constexpr std::size_t max_segment_groups = 100;
/// Categories and signals a model may have: set from what the engine does in seconds, not from
/// what the parser can hold (HACKING.md, "Limits"). On 100,000 accounts `validate` takes about 0.6 s
/// with 4 categories of 10 signals, 1.7 s with 10 × 10, 2.9 s with 20 × 10 and 4.1 s with 50 × 4
/// (BENCHMARKS.md, "Work budgets"; 30 × 10 took 46 s before the search had a budget): the figures
/// per signal and per category are each an AUC with its interval, a sort of every account, and the
/// band sensitivity rescores twice per category.
inline constexpr std::size_t model_max_categories = 50;
inline constexpr std::size_t model_max_signals = 200;  // over all categories

/// The base model with group `g`'s overrides applied: same categories and signals in the same
/// order (indexes line up), bands with the new max/action. No segments field. `g` must be a group
/// of a validated model (std::out_of_range otherwise).
model segment_model(const model& m, std::size_t g);
/// The group index an account's trimmed cell text matches (case folded as map keys are), or none
/// (the "other" segment). An empty cell matches no group.
std::optional<std::size_t> match_segment(const segments& s, std::string_view cell);

}  // namespace healthscore
