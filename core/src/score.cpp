// SPDX-License-Identifier: MIT
// The scorer (`spec/model.md`, "Scoring"): signal scores per signal, category scores per category,
// then the health score and band per row. Every stage is a column loop over blocks of rows whose
// partial sums stay in L1, and the same per-row arithmetic (detail/score.hpp) is used whichever path
// led there, so an updated scorer equals a fresh one bit for bit.
#include "healthscore/score.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "detail/rules.hpp"
#include "detail/score.hpp"

#if defined(__wasm_simd128__)
#include <wasm_simd128.h>
#endif

namespace healthscore {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();
constexpr std::size_t block = 512;  // rows per block: 2 x 4 KiB of partial sums

std::string signal_path(std::size_t c, std::size_t s) {
  return "categories[" + std::to_string(c) + "].signals[" + std::to_string(s) + "]";
}

[[noreturn]] void absent_column(const table& t, const std::string& column, const std::string& path) {
  message m("score.column_absent");
  m.text("column", column).text("path", path);
  if (t.source.empty())
    m.nested("source", message("score.the_table"));
  else
    m.text("source", t.source);
  constexpr std::size_t listed = 50;
  std::string names;
  for (std::size_t i = 0; i < t.columns.size() && i < listed; ++i)
    names += (i ? ", \"" : "\"") + t.columns[i].name() + "\"";
  if (t.columns.empty())
    m.nested("columns", message("model.none"));
  else
    m.text("columns", names);
  if (t.columns.size() > listed) m.nested("more", message("score.more_columns").count("count", t.columns.size()));
  throw input_error(std::move(m));
}

/// "{path} must be a non-negative number", as model validation says it.
[[noreturn]] void negative_weight(const std::string& path) {
  throw model_error(message("model.negative").text("path", path));
}

/// Refuses a switched-on signal whose column (or target column) is not in the table; `where` is
/// appended to the path for a segment's model.
void check_signal_columns(const model& m, const table& t, const std::string& where) {
  for (std::size_t c = 0; c < m.categories.size(); ++c) {
    const category& cat = m.categories[c];
    if (!(cat.weight > 0)) continue;
    for (std::size_t s = 0; s < cat.signals.size(); ++s) {
      const signal& sig = cat.signals[s];
      if (!(sig.weight > 0)) continue;
      if (t.find(sig.column) < 0) absent_column(t, sig.column, signal_path(c, s) + where);
      if (sig.rule.type == rule_type::target && !sig.rule.target && t.find(sig.rule.target_column) < 0)
        absent_column(t, sig.rule.target_column, signal_path(c, s) + ".rule.target_column" + where);
    }
  }
}

/// The same for the base model, every segment's model, the segment column and the value column.
void check_columns(const model& m, const table& t) {
  check_signal_columns(m, t, "");
  if (!m.value_column.empty() && t.find(m.value_column) < 0) absent_column(t, m.value_column, "value_column");
  if (!m.segments) return;
  if (t.find(m.segments->column) < 0) absent_column(t, m.segments->column, "segments.column");
  for (std::size_t g = 0; g < m.segments->groups.size(); ++g)
    check_signal_columns(segment_model(m, g), t, " in segments.groups[" + std::to_string(g) + "]");
}

void append_bits(std::string& key, double x) {
  char bytes[sizeof x];
  std::memcpy(bytes, &x, sizeof x);
  key.append(bytes, sizeof x);
}
void append_text(std::string& key, std::string_view text) {
  append_bits(key, static_cast<double>(text.size()));
  key.append(text);
}

/// Everything a signal's scores depend on (the table aside), as bytes: equal keys, equal scores.
std::string signal_key(const signal& s, std::int32_t as_of) {
  const rule& r = s.rule;
  std::string key;
  append_text(key, trim(s.column));
  key += static_cast<char>(r.type);
  key += static_cast<char>(r.lower_is_better);
  for (const auto& o : {r.min, r.max, r.map_default, r.target}) {
    key += static_cast<char>(o.has_value());
    append_bits(key, o.value_or(0));
  }
  append_bits(key, static_cast<double>(r.steps.size()));
  for (const step& st : r.steps) {
    key += static_cast<char>(st.max.has_value());
    append_bits(key, st.max.value_or(0));
    append_bits(key, st.score);
  }
  append_bits(key, static_cast<double>(r.map.size()));
  for (const auto& [k, v] : r.map) {
    append_text(key, k);
    append_bits(key, v);
  }
  for (const double x : {r.true_score, r.false_score, r.full_days, r.zero_days}) append_bits(key, x);
  append_text(key, trim(r.target_column));
  if (r.type == rule_type::recency) append_bits(key, as_of);
  return key;
}

/// Everything a category's scores depend on: the policy, its signals and their weights.
std::string category_key(const category& c, missing_policy p, const std::vector<std::string>& signal_keys) {
  std::string key(1, static_cast<char>(p));
  for (std::size_t s = 0; s < c.signals.size(); ++s) {
    append_text(key, signal_keys[s]);
    append_bits(key, c.signals[s].weight);
  }
  return key;
}

std::size_t count_missing(const std::vector<double>& v) {
  std::size_t n = 0;
  for (const double x : v) n += x != x;
  return n;
}

/// Whether a rule's scores depend on the rows scored with it (omitted bounds, percentile).
bool uses_statistics(const rule& r) {
  if (r.type == rule_type::percentile) return true;
  return (r.type == rule_type::linear || r.type == rule_type::log) && (!r.min || !r.max);
}

/// Whether two segmented models put every row in the same segment: same column, same folded values.
bool same_membership(const segments& a, const segments& b) {
  if (trim(a.column) != trim(b.column) || a.groups.size() != b.groups.size()) return false;
  for (std::size_t g = 0; g < a.groups.size(); ++g) {
    const auto& va = a.groups[g].values;
    const auto& vb = b.groups[g].values;
    if (va.size() != vb.size()) return false;
    for (std::size_t i = 0; i < va.size(); ++i)
      if (detail::fold_case(va[i]) != detail::fold_case(vb[i])) return false;
  }
  return true;
}

/// Whether two models have the same categories and signals by position (so scores line up).
bool same_shape(const model& a, const model& b) {
  if (a.categories.size() != b.categories.size()) return false;
  for (std::size_t c = 0; c < a.categories.size(); ++c)
    if (a.categories[c].signals.size() != b.categories[c].signals.size()) return false;
  return true;
}

}  // namespace

double round_half_away(double x) noexcept { return std::round(x); }

int band_of(double score, const std::vector<band>& bands) noexcept {
  if (std::isnan(score)) return -1;
  const double r = round_half_away(score);
  for (std::size_t b = 0; b < bands.size(); ++b)
    if (bands[b].max >= r) return static_cast<int>(b);
  return -1;
}

// ---- construction and updates ----------------------------------------------------------------

namespace {

// Refuses a model whose scores over this table would not fit `max_score_cells`, before allocating.
void check_work(const model& m, std::size_t rows) {
  std::uint64_t signals = 0;
  for (const auto& c : m.categories) signals += c.signals.size();
  const std::uint64_t per_row = signals + m.categories.size();
  if (per_row * rows <= max_score_cells) return;
  throw input_error(message("engine.too_much_work")
                        .count("signals", signals)
                        .count("categories", m.categories.size())
                        .count("rows", rows)
                        .count("limit", max_score_cells)
                        .count("most", max_score_cells / std::max<std::uint64_t>(1, rows)));
}

}  // namespace

scorer::scorer(const table& t, model m, const score_options& options)
    : table_(&t), model_(std::move(m)), options_(options), as_of_(model_.as_of.value_or(options.today)) {
  validate(model_);
  check_work(model_, t.rows);
  if (!options_.allow_missing_columns) check_columns(model_, t);
  compute_all_();
}

void scorer::bind_columns_() {
  values_.reset();
  if (!model_.value_column.empty())
    if (const auto vc = table_->find(model_.value_column); vc >= 0)
      values_ = table_->columns[static_cast<std::size_t>(vc)].numbers();
  group_models_.clear();
  slot_rows_.clear();
  segment_of_.clear();
  if (!segmented()) return;
  const struct segments& sg = *model_.segments;
  for (std::size_t g = 0; g < sg.groups.size(); ++g) group_models_.push_back(segment_model(model_, g));
  slot_rows_.resize(sg.groups.size() + 1);
  std::unordered_map<std::string, std::int8_t> group_of;
  for (std::size_t g = 0; g < sg.groups.size(); ++g)
    for (const std::string& v : sg.groups[g].values)
      group_of.emplace(detail::fold_case(v), static_cast<std::int8_t>(g));
  const std::size_t n = rows();
  segment_of_.assign(n, other_segment);
  if (const auto sc = table_->find(sg.column); sc >= 0) {
    const column& col = table_->columns[static_cast<std::size_t>(sc)];
    std::string folded;
    for (std::size_t r = 0; r < n && r < col.size(); ++r) {
      if (col.is_empty(r) || trim(col.text(r)).empty()) continue;
      if (const auto it = group_of.find(detail::fold_case(col.text(r))); it != group_of.end())
        segment_of_[r] = it->second;
    }
  }
  for (std::size_t r = 0; r < n; ++r) {
    const std::int8_t k = segment_of_[r];
    slot_rows_[k < 0 ? sg.groups.size() : static_cast<std::size_t>(k)].push_back(static_cast<std::uint32_t>(r));
  }
}

void scorer::compute_all_() {
  bind_columns_();
  const std::size_t nc = model_.categories.size();
  signal_scores_.assign(nc, {});
  signal_missing_.assign(nc, {});
  category_scores_.assign(nc, {});
  for (std::size_t c = 0; c < nc; ++c) {
    const std::size_t ns = model_.categories[c].signals.size();
    signal_scores_[c].resize(ns);
    signal_missing_[c].resize(ns);
    for (std::size_t s = 0; s < ns; ++s) compute_signal_(c, s);
    compute_category_(c);
  }
  compute_overall_();
  compute_summary_();
}

namespace {

std::size_t scorer_slot_of(int k, std::size_t groups) {
  if (k == other_segment) return groups;
  if (k < 0 || static_cast<std::size_t>(k) >= groups) throw std::out_of_range("no segment " + std::to_string(k));
  return static_cast<std::size_t>(k);
}

}  // namespace

const model& scorer::segment_model_of(int k) const {
  if (!segmented()) {
    if (k != other_segment) throw std::out_of_range("no segment " + std::to_string(k) + ": the model has no segments");
    return model_;
  }
  return slot_model(scorer_slot_of(k, group_models_.size()));
}

const model& scorer::row_model(std::size_t row) const {
  if (row >= rows()) throw std::out_of_range("no row " + std::to_string(row));
  return segmented() ? segment_model_of(segment_of_[row]) : model_;
}

const std::vector<std::uint32_t>& scorer::segment_rows(int k) const {
  static const std::vector<std::uint32_t> none;
  if (!segmented()) return none;
  return slot_rows_[scorer_slot_of(k, group_models_.size())];
}

void scorer::update(model m) {
  // Everything that can refuse the model runs before anything changes.
  validate(m);
  check_work(m, table_->rows);
  if (!options_.allow_missing_columns) check_columns(m, *table_);
  const std::int32_t new_as_of = m.as_of.value_or(options_.today);
  if (segmented() || m.segments) {
    update_segmented_(std::move(m), new_as_of);
    return;
  }
  const bool value_changed = m.value_column != model_.value_column;

  // Old signals and categories by what their scores depend on.
  const std::size_t old_nc = model_.categories.size();
  std::unordered_map<std::string, std::pair<std::size_t, std::size_t>> old_signal;
  std::unordered_map<std::string, std::size_t> old_category;
  std::vector<std::string> old_category_keys(old_nc);
  for (std::size_t c = 0; c < old_nc; ++c) {
    const category& cat = model_.categories[c];
    std::vector<std::string> keys;
    for (std::size_t s = 0; s < cat.signals.size(); ++s) {
      keys.push_back(signal_key(cat.signals[s], as_of_));
      old_signal.emplace(keys.back(), std::make_pair(c, s));
    }
    old_category_keys[c] = category_key(cat, model_.missing, keys);
    old_category.emplace(old_category_keys[c], c);
  }

  // New signals: taken from the old ones where the key matches (moved once, copied after), else scored.
  const std::size_t nc = m.categories.size();
  std::vector<std::vector<packed_scores>> sig(nc);
  std::vector<std::vector<std::size_t>> missing(nc);
  std::vector<std::vector<std::string>> keys(nc);
  std::unordered_map<std::string, std::pair<std::size_t, std::size_t>> placed;
  for (std::size_t c = 0; c < nc; ++c) {
    const category& cat = m.categories[c];
    sig[c].resize(cat.signals.size());
    missing[c].resize(cat.signals.size());
    for (std::size_t s = 0; s < cat.signals.size(); ++s) {
      keys[c].push_back(signal_key(cat.signals[s], new_as_of));
      const std::string& k = keys[c][s];
      if (const auto p = placed.find(k); p != placed.end()) {
        sig[c][s] = sig[p->second.first][p->second.second];
        missing[c][s] = missing[p->second.first][p->second.second];
      } else if (const auto o = old_signal.find(k); o != old_signal.end()) {
        sig[c][s] = std::move(signal_scores_[o->second.first][o->second.second]);
        missing[c][s] = signal_missing_[o->second.first][o->second.second];
      } else {
        std::vector<double> v = score_signal(cat.signals[s], *table_, new_as_of);
        missing[c][s] = count_missing(v);
        sig[c][s] = packed_scores(std::move(v));
      }
      placed.emplace(k, std::make_pair(c, s));
    }
  }

  // New categories: taken from the old ones where the key matches, else recomputed below.
  std::vector<std::vector<double>> cats(nc);
  std::vector<bool> fresh(nc, false);
  std::unordered_map<std::string, std::size_t> placed_category;
  bool same_categories = nc == old_nc;
  for (std::size_t c = 0; c < nc; ++c) {
    const std::string k = category_key(m.categories[c], m.missing, keys[c]);
    same_categories =
        same_categories && k == old_category_keys[c] && m.categories[c].weight == model_.categories[c].weight;
    if (const auto p = placed_category.find(k); p != placed_category.end()) {
      cats[c] = cats[p->second];
    } else if (const auto o = old_category.find(k); o != old_category.end()) {
      cats[c] = std::move(category_scores_[o->second]);
    } else {
      fresh[c] = true;
    }
    if (!fresh[c]) placed_category.emplace(k, c);
  }

  model_ = std::move(m);
  as_of_ = new_as_of;
  signal_scores_ = std::move(sig);
  signal_missing_ = std::move(missing);
  category_scores_ = std::move(cats);
  if (value_changed) bind_columns_();
  for (std::size_t c = 0; c < nc; ++c)
    if (fresh[c]) compute_category_(c);
  if (same_categories)
    compute_bands_();  // only bands (or nothing that scores) changed
  else
    compute_overall_();
  compute_summary_();
}

void scorer::update_segmented_(model m, std::int32_t new_as_of) {
  if (!segmented() || !m.segments || !same_membership(*model_.segments, *m.segments) || !same_shape(model_, m)) {
    model_ = std::move(m);
    as_of_ = new_as_of;
    compute_all_();  // rows change segment, or scores no longer line up: rescore everything
    return;
  }
  // The same rows in each segment: diff each slot's old model against its new one.
  const std::size_t groups = m.segments->groups.size(), nslots = groups + 1, nc = m.categories.size();
  std::vector<model> new_groups;
  for (std::size_t g = 0; g < groups; ++g) new_groups.push_back(segment_model(m, g));
  auto new_model = [&](std::size_t j) -> const model& { return j < groups ? new_groups[j] : m; };
  std::vector<std::vector<std::vector<bool>>> signal_dirty(nslots);  // [slot][c][s]
  std::vector<std::vector<bool>> category_dirty(nslots, std::vector<bool>(nc, false));
  std::vector<bool> overall_dirty(nslots, false), bands_dirty(nslots, false);
  const bool policy_changed = m.missing != model_.missing;
  for (std::size_t j = 0; j < nslots; ++j) {
    const model& o = slot_model(j);
    const model& n = new_model(j);
    signal_dirty[j].resize(nc);
    for (std::size_t c = 0; c < nc; ++c) {
      const category& oc = o.categories[c];
      const category& ncat = n.categories[c];
      signal_dirty[j][c].assign(ncat.signals.size(), false);
      bool dirty = policy_changed;
      for (std::size_t s = 0; s < ncat.signals.size(); ++s) {
        signal_dirty[j][c][s] = signal_key(oc.signals[s], as_of_) != signal_key(ncat.signals[s], new_as_of);
        dirty = dirty || signal_dirty[j][c][s] || oc.signals[s].weight != ncat.signals[s].weight;
      }
      category_dirty[j][c] = dirty;
      overall_dirty[j] = overall_dirty[j] || dirty || oc.weight != ncat.weight;
    }
    for (std::size_t b = 0; b < n.bands.size(); ++b)
      bands_dirty[j] = bands_dirty[j] || b >= o.bands.size() || n.bands[b].max != o.bands[b].max;
    bands_dirty[j] = bands_dirty[j] || n.bands.size() != o.bands.size() || m.value_column != model_.value_column;
  }
  const bool value_changed = m.value_column != model_.value_column;
  model_ = std::move(m);
  group_models_ = std::move(new_groups);
  as_of_ = new_as_of;
  if (value_changed) {
    values_.reset();
    if (!model_.value_column.empty())
      if (const auto vc = table_->find(model_.value_column); vc >= 0)
        values_ = table_->columns[static_cast<std::size_t>(vc)].numbers();
  }
  for (std::size_t c = 0; c < nc; ++c) {
    bool any = false;
    for (std::size_t s = 0; s < model_.categories[c].signals.size(); ++s) {
      bool changed = false;
      std::vector<double> v;
      for (std::size_t j = 0; j < nslots; ++j)
        if (signal_dirty[j][c][s]) {
          if (!changed) v = signal_scores_[c][s].unpack();
          compute_signal_in_(j, c, s, v);
          changed = true;
        }
      if (changed) {
        signal_missing_[c][s] = count_missing(v);
        signal_scores_[c][s] = packed_scores(std::move(v));
      }
      any = any || changed;
    }
    (void)any;
  }
  for (std::size_t j = 0; j < nslots; ++j) {
    for (std::size_t c = 0; c < nc; ++c)
      if (category_dirty[j][c]) compute_category_in_(j, c);
    if (overall_dirty[j])
      compute_overall_in_(j);
    else if (bands_dirty[j])
      compute_bands_in_(j);
  }
  gather_totals_();
  compute_summary_();
}

void scorer::set_category_weight(std::size_t c, double w) {
  if (c >= model_.categories.size()) throw std::out_of_range("no category " + std::to_string(c));
  if (!(std::isfinite(w) && w >= 0)) negative_weight("categories[" + std::to_string(c) + "].weight");
  model_.categories[c].weight = w;
  if (!segmented()) {
    compute_overall_();
    return;
  }
  // Groups that set their own weight for this category keep it, and their scores.
  const auto& groups = model_.segments->groups;
  for (std::size_t g = 0; g < groups.size(); ++g) {
    bool overridden = false;
    for (const category_override& co : groups[g].categories)
      overridden = overridden || (co.id == model_.categories[c].id && co.weight);
    if (overridden) continue;
    group_models_[g].categories[c].weight = w;
    compute_overall_in_(g);
  }
  compute_overall_in_(groups.size());
  gather_totals_();
}

void scorer::set_signal_weight(std::size_t c, std::size_t s, double w) {
  if (c >= model_.categories.size() || s >= model_.categories[c].signals.size())
    throw std::out_of_range("no signal " + std::to_string(s) + " in category " + std::to_string(c));
  if (!(std::isfinite(w) && w >= 0)) negative_weight(signal_path(c, s) + ".weight");
  model_.categories[c].signals[s].weight = w;
  if (!segmented()) {
    compute_category_(c);
    compute_overall_();
    return;
  }
  const auto& groups = model_.segments->groups;
  const category& cat = model_.categories[c];
  for (std::size_t g = 0; g < groups.size(); ++g) {
    bool overridden = false;
    for (const category_override& co : groups[g].categories)
      if (co.id == cat.id)
        for (const signal_override& so : co.signals)
          overridden = overridden || (so.key == cat.signals[s].key() && so.weight);
    if (overridden) continue;
    group_models_[g].categories[c].signals[s].weight = w;
    compute_category_in_(g, c);
    compute_overall_in_(g);
  }
  compute_category_in_(groups.size(), c);
  compute_overall_in_(groups.size());
  gather_totals_();
}

namespace {

std::string group_path(std::size_t g) { return "segments.groups[" + std::to_string(g) + "]"; }

/// `.key` for a plain identifier, else `["key"]`, as model messages name keyed members.
std::string member(const std::string& key) {
  bool plain = !key.empty() && !(key[0] >= '0' && key[0] <= '9');
  for (const char ch : key)
    plain = plain && ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_' ||
                      ch == '-');
  return plain ? "." + key : "[" + json(key).dump(-1, ' ', false, json::error_handler_t::replace) + "]";
}

category_override& override_for(segment_group& grp, const std::string& id) {
  for (category_override& co : grp.categories)
    if (co.id == id) return co;
  grp.categories.push_back({id, std::nullopt, {}, json::object()});
  return grp.categories.back();
}

}  // namespace

void scorer::set_category_weight(std::size_t g, std::size_t c, double w) {
  if (!segmented() || g >= model_.segments->groups.size())
    throw std::out_of_range("no segment group " + std::to_string(g));
  if (c >= model_.categories.size()) throw std::out_of_range("no category " + std::to_string(c));
  const std::string& id = model_.categories[c].id;
  if (!(std::isfinite(w) && w >= 0)) negative_weight(group_path(g) + ".categories" + member(id) + ".weight");
  override_for(model_.segments->groups[g], id).weight = w;
  group_models_[g].categories[c].weight = w;
  compute_overall_in_(g);
  gather_totals_();
}

void scorer::set_signal_weight(std::size_t g, std::size_t c, std::size_t s, double w) {
  if (!segmented() || g >= model_.segments->groups.size())
    throw std::out_of_range("no segment group " + std::to_string(g));
  if (c >= model_.categories.size() || s >= model_.categories[c].signals.size())
    throw std::out_of_range("no signal " + std::to_string(s) + " in category " + std::to_string(c));
  const category& cat = model_.categories[c];
  const std::string& key = cat.signals[s].key();
  const std::string path = group_path(g) + ".categories" + member(cat.id) + ".signals" + member(key);
  if (!(std::isfinite(w) && w >= 0)) negative_weight(path + ".weight");
  std::size_t same = 0;
  for (const signal& sig : cat.signals) same += sig.key() == key;
  if (same > 1)
    throw model_error(
        message("model.ambiguous_signal").text("path", path).count("count", same).text("category", cat.id));
  category_override& co = override_for(model_.segments->groups[g], cat.id);
  signal_override* so = nullptr;
  for (signal_override& o : co.signals)
    if (o.key == key) so = &o;
  if (!so) {
    co.signals.push_back({key, std::nullopt, std::nullopt, json::object()});
    so = &co.signals.back();
  }
  so->weight = w;
  group_models_[g].categories[c].signals[s].weight = w;
  compute_category_in_(g, c);
  compute_overall_in_(g);
  gather_totals_();
}

// ---- packed signal scores ----------------------------------------------------------------------

packed_scores::packed_scores(std::vector<double> scores) : size_(scores.size()) {
  // Codes by the scores' bits in an open-addressing table at most half full; a run of equal scores
  // (common in a sorted or grouped export) skips the lookup.
  constexpr std::size_t most = std::size_t{1} << 16;
  std::size_t slots = 64;
  while (slots < 2 * std::min(size_, most)) slots *= 2;
  std::vector<std::uint64_t> keys(slots);
  std::vector<std::uint32_t> codes(slots, ~std::uint32_t{0});
  std::vector<std::uint16_t> c16(size_);
  std::uint64_t last = 0;
  std::uint16_t last_code = 0;
  const int shift = 64 - std::countr_zero(slots);
  for (std::size_t i = 0; i < size_; ++i) {
    std::uint64_t bits;  // (no std::bit_cast in Emscripten 3.1.6's libc++)
    std::memcpy(&bits, &scores[i], sizeof bits);
    if (i > 0 && bits == last) {
      c16[i] = last_code;
      continue;
    }
    std::size_t h = static_cast<std::size_t>((bits * 0x9E3779B97F4A7C15ull) >> shift);
    while (codes[h] != ~std::uint32_t{0} && keys[h] != bits) h = (h + 1) & (slots - 1);
    if (codes[h] == ~std::uint32_t{0}) {
      if (table_.size() == most) {  // too many distinct scores: keep the doubles
        table_.clear();
        raw_ = std::move(scores);
        width_ = 8;
        return;
      }
      keys[h] = bits;
      codes[h] = static_cast<std::uint32_t>(table_.size());
      table_.push_back(scores[i]);
    }
    last = bits;
    last_code = c16[i] = static_cast<std::uint16_t>(codes[h]);
  }
  if (table_.size() <= 256) {
    c8_.resize(size_);
    for (std::size_t i = 0; i < size_; ++i) c8_[i] = static_cast<std::uint8_t>(c16[i]);
    width_ = 1;
  } else {
    c16_ = std::move(c16);
    width_ = 2;
  }
}

void packed_scores::decode(std::size_t base, std::size_t len, double* out) const noexcept {
  const double* t = table_.data();
  if (width_ == 1)
    for (std::size_t i = 0; i < len; ++i) out[i] = t[c8_[base + i]];
  else if (width_ == 2)
    for (std::size_t i = 0; i < len; ++i) out[i] = t[c16_[base + i]];
  else
    std::copy(raw_.begin() + static_cast<std::ptrdiff_t>(base), raw_.begin() + static_cast<std::ptrdiff_t>(base + len),
              out);
}

void packed_scores::gather(const std::uint32_t* rows, std::size_t len, double* out) const noexcept {
  for (std::size_t i = 0; i < len; ++i) out[i] = (*this)[rows[i]];
}

std::vector<double> packed_scores::unpack() const {
  if (width_ == 8) return raw_;
  std::vector<double> out(size_);
  decode(0, size_, out.data());
  return out;
}

// ---- the stages ------------------------------------------------------------------------------
// Kernels run a fixed `block` of rows (a short last block is padded with NaN), so even -O2's
// cheapest vectorizer takes them: no remainder loop, no aliasing checks. They are built like the
// helpers they call (HEALTHSCORE_VECTOR_MATH, see detail/score.hpp).

namespace {

/// The block of `column` starting at `base`: the column itself, or a NaN-padded copy of a short block.
const double* block_rows(const double* column, std::size_t base, std::size_t len, double* pad) {
  if (len == block) return column + base;
  std::copy(column + base, column + base + len, pad);
  std::fill(pad + len, pad + block, nan);
  return pad;
}

/// The same block of a signal's packed scores: its doubles where it keeps them, else decoded.
const double* block_rows(const packed_scores& column, std::size_t base, std::size_t len, double* pad) {
  if (const double* raw = column.raw()) return block_rows(raw, base, len, pad);
  column.decode(base, len, pad);
  std::fill(pad + len, pad + block, nan);
  return pad;
}

HEALTHSCORE_VECTOR_MATH void add_signals(double* __restrict num, double* __restrict den, const double* __restrict v,
                                         double w, detail::missing_terms terms) {
  for (std::size_t i = 0; i < block; ++i) detail::add_signal(num[i], den[i], v[i], w, terms);
}

/// Up to four categories in one pass: the sums stay in registers between them, and each row still
/// takes its terms in model order (the fold runs left to right).
#if defined(__wasm_simd128__)
// The page's build, two rows at a time. A missing score's terms are masked to +0.0 (an `and` with
// the comparison's lanes, cheaper than a select) where add_category selects the literal 0.0: the
// same product w * v where present, the same +0.0 added where missing, so the same bits.
template <std::size_t... K>
void add_category_group(double* __restrict num, double* __restrict den, const double* const* v, const double* w,
                        std::index_sequence<K...>) {
  const double* __restrict col[] = {v[K]...};
  const v128_t weight[] = {wasm_f64x2_splat(w[K])...};
  for (std::size_t i = 0; i < block; i += 2) {
    v128_t n = wasm_v128_load(num + i), d = wasm_v128_load(den + i);
    auto add = [&](const double* c, v128_t wk) {
      const v128_t x = wasm_v128_load(c + i);
      const v128_t present = wasm_f64x2_eq(x, x);
      n = wasm_f64x2_add(n, wasm_v128_and(wasm_f64x2_mul(wk, x), present));
      d = wasm_f64x2_add(d, wasm_v128_and(wk, present));
    };
    (add(col[K], weight[K]), ...);
    wasm_v128_store(num + i, n);
    wasm_v128_store(den + i, d);
  }
}
#else
template <std::size_t... K>
HEALTHSCORE_VECTOR_MATH void add_category_group(double* __restrict num, double* __restrict den, const double* const* v,
                                                const double* w, std::index_sequence<K...>) {
  const double* __restrict col[] = {v[K]...};
  const double weight[] = {w[K]...};
  for (std::size_t i = 0; i < block; ++i) {
    double n = num[i], d = den[i];
    (detail::add_category(n, d, col[K][i], weight[K]), ...);
    num[i] = n;
    den[i] = d;
  }
}
#endif

/// The same sums for rows that have every category's score: without the missing masks, which
/// change nothing there (w * v is added, as add_category adds it when v is present). A missing
/// score makes its row's sum NaN.
#if defined(__wasm_simd128__)
template <std::size_t... K>
void add_dense_group(double* __restrict num, const double* const* v, const double* w, std::index_sequence<K...>) {
  const double* __restrict col[] = {v[K]...};
  const v128_t weight[] = {wasm_f64x2_splat(w[K])...};
  for (std::size_t i = 0; i < block; i += 2) {
    v128_t n = wasm_v128_load(num + i);
    ((n = wasm_f64x2_add(n, wasm_f64x2_mul(weight[K], wasm_v128_load(col[K] + i)))), ...);
    wasm_v128_store(num + i, n);
  }
}

bool any_nan(const double* __restrict x) {
  v128_t bad = wasm_i64x2_splat(0);
  for (std::size_t i = 0; i < block; i += 2) {
    const v128_t y = wasm_v128_load(x + i);
    bad = wasm_v128_or(bad, wasm_f64x2_ne(y, y));
  }
  return wasm_v128_any_true(bad);
}
#else
template <std::size_t... K>
HEALTHSCORE_VECTOR_MATH void add_dense_group(double* __restrict num, const double* const* v, const double* w,
                                             std::index_sequence<K...>) {
  const double* __restrict col[] = {v[K]...};
  const double weight[] = {w[K]...};
  for (std::size_t i = 0; i < block; ++i) {
    double n = num[i];
    ((n += weight[K] * col[K][i]), ...);
    num[i] = n;
  }
}

HEALTHSCORE_VECTOR_MATH bool any_nan(const double* __restrict x) {
  bool bad = false;
  for (std::size_t i = 0; i < block; ++i) bad |= x[i] != x[i];
  return bad;
}
#endif

/// A block's weighted sums of `n` category columns, four at a time so the sums stay in registers,
/// each row taking its terms in model order. Most blocks have every row's category scores: they are
/// summed without the missing masks, and their denominators are `all`, the weights summed in the
/// same order (so the same bits as the masked sums). A missing score makes its row's sum NaN (every
/// term is >= 0 and finite or +inf, so nothing else can), and then the block is summed again with
/// the masks. After such a block the next `masked_blocks` are summed with the masks straight away
/// (`masked_left` counts them down), so data with missing scores in most blocks does not pay for
/// both sums in each. Returns the denominators: `all`, or `den` filled.
constexpr std::size_t masked_blocks = 7;
const double* category_sums(const double* const* col, const double* w, std::size_t n, double* num, double* den,
                            const double* all, std::size_t& masked_left) {
  const bool try_dense = masked_left == 0;
  if (!try_dense) --masked_left;
  for (const bool dense : {true, false}) {
    if (dense && !try_dense) continue;
    std::fill(num, num + block, 0.0);
    if (!dense) std::fill(den, den + block, 0.0);
    for (std::size_t first = 0; first < n; first += 4) {
      const double* const* v = col + first;
      const double* wk = w + first;
      const auto group = [&](auto k) {
        dense ? add_dense_group(num, v, wk, k) : add_category_group(num, den, v, wk, k);
      };
      switch (std::min<std::size_t>(4, n - first)) {
        case 1: group(std::make_index_sequence<1>{}); break;
        case 2: group(std::make_index_sequence<2>{}); break;
        case 3: group(std::make_index_sequence<3>{}); break;
        default: group(std::make_index_sequence<4>{}); break;
      }
    }
    if (dense) {
      if (!any_nan(num)) return all;
      masked_left = masked_blocks;
    }
  }
  return den;
}

/// The denominators of `category_sums`'s dense blocks: the weights added as add_category adds them.
void fill_all_weights(const double* w, std::size_t n, double* all) {
  double sum = 0.0;
  for (std::size_t k = 0; k < n; ++k) sum += w[k];
  std::fill(all, all + block, sum);
}

HEALTHSCORE_VECTOR_MATH void means(const double* __restrict num, const double* __restrict den, double* __restrict out) {
  for (std::size_t i = 0; i < block; ++i) out[i] = detail::mean_of(num[i], den[i]);
}

/// The band thresholds on unrounded scores. For x >= 0, rounding half away from zero gives more
/// than a band's max m exactly when x >= floor(m) + 0.5; as the maxima increase, the band of x is the
/// number of thresholds it reaches (the last band, max 100, has none).
std::vector<double> band_thresholds(const std::vector<band>& bands) {
  std::vector<double> t;
  for (std::size_t b = 0; b + 1 < bands.size(); ++b) t.push_back(std::floor(bands[b].max) + 0.5);
  return t;
}

#if defined(__wasm_simd128__)
// The page's build does the steps below two rows at a time in explicit simd128: Clang's vectorizer
// left their double-to-integer conversions scalar (a lane extracted and range-checked per row: half
// the rescore's time). The same IEEE operations, lane for lane.

/// The bands of 16 scores (8 pairs) as bytes: a comparison's lane is all ones, -1 as an integer, so
/// subtracting it counts; the counts (-1..100) narrow to bytes.
v128_t bands_of_16(const v128_t (&x)[8], const std::vector<double>& thresholds) {
  v128_t count[8];
  for (int k = 0; k < 8; ++k) count[k] = wasm_i64x2_sub(wasm_i64x2_splat(-1), wasm_f64x2_eq(x[k], x[k]));
  for (const double t : thresholds) {
    const v128_t tt = wasm_f64x2_splat(t);
    for (int k = 0; k < 8; ++k) count[k] = wasm_i64x2_sub(count[k], wasm_f64x2_ge(x[k], tt));
  }
  v128_t words[4];
  for (int k = 0; k < 4; ++k) words[k] = wasm_i32x4_shuffle(count[2 * k], count[2 * k + 1], 0, 2, 4, 6);
  return wasm_i8x16_narrow_i16x8(wasm_i16x8_narrow_i32x4(words[0], words[1]),
                                 wasm_i16x8_narrow_i32x4(words[2], words[3]));
}

/// The bins of two pairs of scores as four integers (pmin(x, 100) is x unless 100 < x; NaN fails
/// x >= 0 and is replaced; the saturating conversion is exact on whole numbers).
v128_t bins_of_4(v128_t a, v128_t b) {
  auto bins = [](v128_t x) {
    const v128_t y = wasm_v128_bitselect(wasm_f64x2_pmin(x, wasm_f64x2_splat(100.0)), wasm_f64x2_splat(histogram_bins),
                                         wasm_f64x2_ge(x, wasm_f64x2_splat(0.0)));
    const v128_t whole = wasm_f64x2_trunc(y);
    const v128_t up =
        wasm_v128_and(wasm_f64x2_ge(wasm_f64x2_sub(y, whole), wasm_f64x2_splat(0.5)), wasm_f64x2_splat(1.0));
    return wasm_i32x4_trunc_sat_f64x2_zero(wasm_f64x2_add(whole, up));
  };
  return wasm_i32x4_shuffle(bins(a), bins(b), 0, 1, 4, 5);
}
#endif

/// Bands of a block of health scores (which lie in [0, 100]); -1 for unscored (NaN) rows, which
/// reach no threshold.
#if defined(__wasm_simd128__)
void bands_of_block(const double* __restrict scores, std::int8_t* __restrict out,
                    const std::vector<double>& thresholds) {
  for (std::size_t i = 0; i < block; i += 16) {
    v128_t x[8];
    for (int k = 0; k < 8; ++k) x[k] = wasm_v128_load(scores + i + 2 * k);
    wasm_v128_store(out + i, bands_of_16(x, thresholds));
  }
}
#else
HEALTHSCORE_VECTOR_MATH void bands_of_block(const double* __restrict scores, std::int8_t* __restrict out,
                                            const std::vector<double>& thresholds) {
  alignas(64) double count[block];
  for (std::size_t i = 0; i < block; ++i) count[i] = scores[i] == scores[i] ? 0.0 : -1.0;
  for (const double t : thresholds)
    for (std::size_t i = 0; i < block; ++i) count[i] += scores[i] >= t ? 1.0 : 0.0;
  for (std::size_t i = 0; i < block; ++i) out[i] = static_cast<std::int8_t>(count[i]);
}

/// The histogram bin of each score in a block: its rounding half away from zero, or
/// `histogram_bins` for NaN (padding and unscored rows, counted as the rows left over). A score
/// lies in [0, 100] (a weighted mean may pass 100 by an ulp), so truncating it and adding one when the
/// exact remainder is at least one half is the rounding; NaN is replaced before the conversion, which
/// would be undefined for it.
HEALTHSCORE_VECTOR_MATH void bins_of_block(const double* __restrict scores, std::int32_t* __restrict out) {
  constexpr double none = histogram_bins;
  for (std::size_t i = 0; i < block; ++i) {
    const double x = scores[i];
    const double y = x >= 0.0 ? (x <= 100.0 ? x : 100.0) : none;
    const std::int32_t whole = static_cast<std::int32_t>(y);
    out[i] = whole + (y - static_cast<double>(whole) >= 0.5 ? 1 : 0);
  }
}
#endif

/// A block's health scores from its sums (`means`), with their bands and histogram bins
/// (`bins_of_block`), in one pass.
#if defined(__wasm_simd128__)
// The scores of 16 rows stay in registers from the division to the bands and bins.
void finish_block(const double* __restrict num, const double* __restrict den, double* __restrict out,
                  std::int8_t* __restrict band, std::int32_t* __restrict bins, const std::vector<double>& thresholds) {
  const v128_t zero = wasm_f64x2_splat(0.0), nan2 = wasm_f64x2_splat(std::numeric_limits<double>::quiet_NaN());
  for (std::size_t i = 0; i < block; i += 16) {
    v128_t x[8];
    for (int k = 0; k < 8; ++k) {
      const v128_t d = wasm_v128_load(den + i + 2 * k);
      x[k] = wasm_v128_bitselect(wasm_f64x2_div(wasm_v128_load(num + i + 2 * k), d), nan2, wasm_f64x2_gt(d, zero));
      wasm_v128_store(out + i + 2 * k, x[k]);
    }
    for (int k = 0; k < 8; k += 2) wasm_v128_store(bins + i + 2 * k, bins_of_4(x[k], x[k + 1]));
    wasm_v128_store(band + i, bands_of_16(x, thresholds));
  }
}
#else
void finish_block(const double* __restrict num, const double* __restrict den, double* __restrict out,
                  std::int8_t* __restrict band, std::int32_t* __restrict bins, const std::vector<double>& thresholds) {
  means(num, den, out);
  bands_of_block(out, band, thresholds);
  bins_of_block(out, bins);
}
#endif

/// Adds a block's bins to four interleaved sub-histograms, so runs of equal scores do not wait on
/// one counter.
void add_bins(const std::int32_t* bins, std::uint32_t (&sub)[4][histogram_bins + 1]) {
  for (std::size_t i = 0; i < block; i += 4) {
    ++sub[0][bins[i]];
    ++sub[1][bins[i + 1]];
    ++sub[2][bins[i + 2]];
    ++sub[3][bins[i + 3]];
  }
}

/// Band counts from the histogram: bands go by the rounded score, so every bin lies in one band.
/// The rows in no bin are the unscored ones.
void set_counts(std::size_t rows, const std::vector<band>& bands, band_totals& out) {
  out.band_counts.assign(bands.size(), 0);
  std::size_t scored = 0;
  for (std::size_t r = 0; r < histogram_bins; ++r) {
    const int b = band_of(static_cast<double>(r), bands);
    if (b >= 0) out.band_counts[static_cast<std::size_t>(b)] += out.histogram[r];
    scored += out.histogram[r];
  }
  out.unscored = rows - scored;
  out.rows = rows;
}

/// Copies the block of `rows` starting at `base` out of `column`, NaN-padded to a full block.
void gather(const double* column, const std::uint32_t* rows, std::size_t len, double* out) {
  for (std::size_t i = 0; i < len; ++i) out[i] = column[rows[i]];
  std::fill(out + len, out + block, nan);
}

/// The same out of a signal's packed scores.
void gather(const packed_scores& column, const std::uint32_t* rows, std::size_t len, double* out) {
  column.gather(rows, len, out);
  std::fill(out + len, out + block, nan);
}

/// Adds a slot's histogram into another.
void add_totals(band_totals& into, const band_totals& t) {
  into.rows += t.rows;
  into.unscored += t.unscored;
  for (std::size_t b = 0; b < histogram_bins; ++b) into.histogram[b] += t.histogram[b];
  for (std::size_t b = 0; b < t.band_counts.size(); ++b) into.band_counts[b] += t.band_counts[b];
  for (std::size_t b = 0; b < t.band_values.size(); ++b) into.band_values[b] += t.band_values[b];
  into.unscored_value += t.unscored_value;
  into.value_total += t.value_total;
  into.value_missing += t.value_missing;
  if (into.histogram_value.size() < t.histogram_value.size())
    into.histogram_value.resize(t.histogram_value.size(), 0.0);
  for (std::size_t b = 0; b < t.histogram_value.size(); ++b) into.histogram_value[b] += t.histogram_value[b];
}

}  // namespace

void scorer::compute_signal_(std::size_t c, std::size_t s) {
  const signal& base = model_.categories[c].signals[s];
  bool one_pass = !segmented() || !uses_statistics(base.rule);
  if (segmented() && one_pass) {
    // Rows score alike in every segment whose rule is the base's (no statistics): one column pass.
    const std::string key = signal_key(base, as_of_);
    for (const model& gm : group_models_) one_pass = one_pass && signal_key(gm.categories[c].signals[s], as_of_) == key;
  }
  std::vector<double> v;
  if (one_pass) {
    v = score_signal(base, *table_, as_of_);
  } else {
    for (std::size_t j = 0; j < slots(); ++j) compute_signal_in_(j, c, s, v);
  }
  signal_missing_[c][s] = count_missing(v);
  signal_scores_[c][s] = packed_scores(std::move(v));
}

void scorer::compute_signal_in_(std::size_t j, std::size_t c, std::size_t s, std::vector<double>& scores) const {
  detail::score_signal_rows(slot_model(j).categories[c].signals[s], *table_, as_of_, slot_rows_[j], scores);
}

void scorer::compute_category_(std::size_t c) {
  if (segmented()) {
    category_scores_[c].resize(rows(), nan);
    for (std::size_t j = 0; j < slots(); ++j) compute_category_in_(j, c);
    return;
  }
  const category& cat = model_.categories[c];
  const std::size_t n = rows();
  std::vector<double>& out = category_scores_[c];
  out.assign(n, nan);
  std::vector<std::pair<const packed_scores*, double>> on;  // switched-on signals
  for (std::size_t s = 0; s < cat.signals.size(); ++s)
    if (cat.signals[s].weight > 0) on.emplace_back(&signal_scores_[c][s], cat.signals[s].weight);
  if (on.empty()) return;  // missing under every policy
  const detail::missing_terms terms = detail::terms_for(model_.missing);
  alignas(64) double num[block], den[block], pad[block], mean[block];
  for (std::size_t base = 0; base < n; base += block) {
    const std::size_t len = std::min(block, n - base);
    std::fill(num, num + block, 0.0);
    std::fill(den, den + block, 0.0);
    for (const auto& [scores, w] : on) add_signals(num, den, block_rows(*scores, base, len, pad), w, terms);
    means(num, den, mean);
    std::copy(mean, mean + len, out.data() + base);
  }
}

void scorer::compute_category_in_(std::size_t j, std::size_t c) {
  const category& cat = slot_model(j).categories[c];
  const std::vector<std::uint32_t>& rs = slot_rows_[j];
  std::vector<double>& out = category_scores_[c];
  std::vector<std::pair<const packed_scores*, double>> on;  // switched-on signals in this segment
  for (std::size_t s = 0; s < cat.signals.size(); ++s)
    if (cat.signals[s].weight > 0) on.emplace_back(&signal_scores_[c][s], cat.signals[s].weight);
  if (on.empty()) {
    for (const std::uint32_t r : rs) out[r] = nan;  // missing under every policy
    return;
  }
  const detail::missing_terms terms = detail::terms_for(model_.missing);
  alignas(64) double num[block], den[block], v[block], mean[block];
  for (std::size_t base = 0; base < rs.size(); base += block) {
    const std::size_t len = std::min(block, rs.size() - base);
    std::fill(num, num + block, 0.0);
    std::fill(den, den + block, 0.0);
    for (const auto& [scores, w] : on) {
      gather(*scores, rs.data() + base, len, v);
      add_signals(num, den, v, w, terms);
    }
    means(num, den, mean);
    for (std::size_t i = 0; i < len; ++i) out[rs[base + i]] = mean[i];
  }
}

void scorer::compute_overall_in_(std::size_t j) {
  const model& m = slot_model(j);
  const std::vector<std::uint32_t>& rs = slot_rows_[j];
  std::vector<std::pair<const double*, double>> on;  // categories that take part in this segment
  for (std::size_t c = 0; c < m.categories.size(); ++c)
    if (detail::category_counts(m.categories[c])) on.emplace_back(category_scores_[c].data(), m.categories[c].weight);
  const auto thresholds = band_thresholds(m.bands);
  alignas(64) double num[block], den[block], all[block], mean[block];
  alignas(64) std::int8_t band[block];
  alignas(64) std::int32_t bins[block];
  std::uint32_t sub[4][histogram_bins + 1] = {};
  std::vector<double> w(on.size()), v(on.size() * block);
  std::vector<const double*> col(on.size());
  for (std::size_t q = 0; q < on.size(); ++q) {
    w[q] = on[q].second;
    col[q] = v.data() + q * block;
  }
  fill_all_weights(w.data(), w.size(), all);
  std::size_t masked_left = 0;
  for (std::size_t base = 0; base < rs.size(); base += block) {
    const std::size_t len = std::min(block, rs.size() - base);
    for (std::size_t q = 0; q < on.size(); ++q) gather(on[q].first, rs.data() + base, len, v.data() + q * block);
    const double* d = category_sums(col.data(), w.data(), on.size(), num, den, all, masked_left);
    finish_block(num, d, mean, band, bins, thresholds);  // padding rows: 0 / 0, NaN
    add_bins(bins, sub);
    for (std::size_t i = 0; i < len; ++i) {
      scores_[rs[base + i]] = mean[i];
      bands_[rs[base + i]] = band[i];
    }
  }
  band_totals& t = slot_totals_[j];
  for (std::size_t b = 0; b < histogram_bins; ++b)
    t.histogram[b] = std::size_t{sub[0][b]} + sub[1][b] + sub[2][b] + sub[3][b];
  set_counts(rs.size(), m.bands, t);
  add_values_(t, &rs);
}

void scorer::compute_bands_in_(std::size_t j) {
  const model& m = slot_model(j);
  const std::vector<std::uint32_t>& rs = slot_rows_[j];
  const auto thresholds = band_thresholds(m.bands);
  alignas(64) double v[block];
  alignas(64) std::int8_t band[block];
  for (std::size_t base = 0; base < rs.size(); base += block) {
    const std::size_t len = std::min(block, rs.size() - base);
    gather(scores_.data(), rs.data() + base, len, v);
    bands_of_block(v, band, thresholds);
    for (std::size_t i = 0; i < len; ++i) bands_[rs[base + i]] = band[i];
  }
  set_counts(rs.size(), m.bands, slot_totals_[j]);  // the scores, so the histogram, are unchanged
  add_values_(slot_totals_[j], &rs);
}

void scorer::add_values_(band_totals& out, const std::vector<std::uint32_t>* rs) const {
  out.band_values.assign(out.band_counts.size(), 0.0);
  out.unscored_value = out.value_total = 0;
  out.value_missing = 0;
  out.histogram_value.clear();
  if (!model_.value_column.empty()) out.histogram_value.assign(histogram_bins, 0.0);
  if (!values_) {
    if (!model_.value_column.empty()) out.value_missing = out.rows;  // the column is absent
    return;
  }
  // Without branches on the band or on missing values (both unpredictable): each row adds its value
  // (0 when missing) to its band's sum, slot 0 holding the unscored. Row order, so the sums are the
  // same whichever path the rows came through.
  const cell_values<double> values = *values_;
  const std::int8_t* band = bands_.data();
  const double* score = scores_.data();
  std::array<double, 128> acc{};  // at most 100 bands, plus unscored
  std::array<double, histogram_bins + 1> by_score{};  // bin `histogram_bins`: the unscored
  double total = 0;
  std::size_t missing = 0;
  auto add = [&](std::size_t r) {
    const double x = values[r];
    const bool ok = x == x;
    const double y = ok ? x : 0.0;
    missing += !ok;
    acc[static_cast<std::size_t>(band[r] + 1)] += y;
    total += y;
    // The rounded score's bin as bins_of_block makes it (NaN to the spare bin).
    const double s = score[r];
    const double c = s >= 0.0 ? (s <= 100.0 ? s : 100.0) : static_cast<double>(histogram_bins);
    const std::int32_t whole = static_cast<std::int32_t>(c);
    by_score[static_cast<std::size_t>(whole + (c - static_cast<double>(whole) >= 0.5 ? 1 : 0))] += y;
  };
  if (rs) {
    for (const std::uint32_t r : *rs) {
      if (r < values.size())
        add(r);
      else
        ++missing;
    }
  } else {
    const std::size_t inside = std::min(rows(), values.size());
    for (std::size_t r = 0; r < inside; ++r) add(r);
    missing += rows() - inside;
  }
  out.unscored_value = acc[0];
  for (std::size_t b = 0; b < out.band_values.size(); ++b) out.band_values[b] = acc[b + 1];
  out.value_total = total;
  out.value_missing = missing;
  std::copy(by_score.begin(), by_score.begin() + histogram_bins, out.histogram_value.begin());
}

void scorer::gather_totals_() {
  const std::size_t nb = model_.bands.size();
  static_cast<band_totals&>(summary_) = band_totals{};
  summary_.band_counts.assign(nb, 0);
  summary_.band_values.assign(nb, 0.0);
  summary_.segments.clear();
  const auto& groups = model_.segments->groups;
  for (std::size_t j = 0; j < slots(); ++j) {
    add_totals(summary_, slot_totals_[j]);
    segment_totals st;
    static_cast<band_totals&>(st) = slot_totals_[j];
    st.id = j < groups.size() ? groups[j].id : std::string();
    st.label = j < groups.size() ? groups[j].label : model_.segments->other_label;
    summary_.segments.push_back(std::move(st));
  }
  summary_.has_value = !model_.value_column.empty();
}

void scorer::compute_overall_() {
  const std::size_t n = rows();
  scores_.resize(n);
  bands_.resize(n);
  if (segmented()) {
    slot_totals_.assign(slots(), band_totals{});
    for (std::size_t j = 0; j < slots(); ++j) compute_overall_in_(j);
    gather_totals_();
    return;
  }
  std::vector<std::pair<const double*, double>> on;  // categories that take part
  for (std::size_t c = 0; c < model_.categories.size(); ++c)
    if (detail::category_counts(model_.categories[c]))
      on.emplace_back(category_scores_[c].data(), model_.categories[c].weight);
  const auto thresholds = band_thresholds(model_.bands);
  alignas(64) double num[block], den[block], all[block], mean[block];
  alignas(64) std::int8_t band[block];
  alignas(64) std::int32_t bins[block];
  std::uint32_t sub[4][histogram_bins + 1] = {};  // each takes a quarter of the rows: < 2^32
  std::vector<double> w(on.size()), pad(on.size() * block);
  std::vector<const double*> col(on.size());
  for (std::size_t q = 0; q < on.size(); ++q) w[q] = on[q].second;
  fill_all_weights(w.data(), w.size(), all);
  std::size_t masked_left = 0;
  for (std::size_t base = 0; base < n; base += block) {
    const std::size_t len = std::min(block, n - base);
    for (std::size_t q = 0; q < on.size(); ++q) col[q] = block_rows(on[q].first, base, len, pad.data() + q * block);
    const double* d = category_sums(col.data(), w.data(), on.size(), num, den, all, masked_left);
    // A full block is written in place; a short last one through the local buffers.
    const bool full = len == block;
    double* out = full ? scores_.data() + base : mean;
    std::int8_t* out_band = full ? bands_.data() + base : band;
    finish_block(num, d, out, out_band, bins, thresholds);  // padding rows are NaN: bin `histogram_bins`, never read
    add_bins(bins, sub);
    if (!full) {
      std::copy(mean, mean + len, scores_.data() + base);
      std::copy(band, band + len, bands_.data() + base);
    }
  }
  summary_.histogram.assign(histogram_bins, 0);
  for (std::size_t b = 0; b < histogram_bins; ++b)
    summary_.histogram[b] = std::size_t{sub[0][b]} + sub[1][b] + sub[2][b] + sub[3][b];
  set_counts(n, model_.bands, summary_);
  plain_totals_();
}

void scorer::compute_bands_() {
  const std::size_t n = rows();
  bands_.resize(n);
  if (segmented()) {
    for (std::size_t j = 0; j < slots(); ++j) compute_bands_in_(j);
    gather_totals_();
    return;
  }
  const auto thresholds = band_thresholds(model_.bands);
  alignas(64) double pad[block];
  alignas(64) std::int8_t band[block];
  for (std::size_t base = 0; base < n; base += block) {
    const std::size_t len = std::min(block, n - base);
    bands_of_block(block_rows(scores_.data(), base, len, pad), band, thresholds);
    std::copy(band, band + len, bands_.data() + base);
  }
  set_counts(n, model_.bands, summary_);  // the scores, so the histogram, are unchanged
  plain_totals_();
}

void scorer::plain_totals_() {
  summary_.segments.clear();
  summary_.has_value = !model_.value_column.empty();
  add_values_(summary_, nullptr);
}

void scorer::compute_summary_() {
  summary_.missing.clear();
  summary_.absent_columns.clear();
  std::unordered_set<std::string_view> seen, absent;
  auto note_absent = [&](const std::string& column) {
    if (table_->find(column) < 0 && absent.insert(trim(column)).second) summary_.absent_columns.push_back(column);
  };
  for (std::size_t c = 0; c < model_.categories.size(); ++c) {
    const category& cat = model_.categories[c];
    for (std::size_t s = 0; s < cat.signals.size(); ++s) {
      const signal& sig = cat.signals[s];
      if (seen.insert(trim(sig.column)).second) summary_.missing.emplace_back(sig.column, signal_missing_[c][s]);
      note_absent(sig.column);
      if (sig.rule.type == rule_type::target && !sig.rule.target) note_absent(sig.rule.target_column);
    }
  }
  for (const model& gm : group_models_)
    for (const category& cat : gm.categories)
      for (const signal& sig : cat.signals)
        if (sig.rule.type == rule_type::target && !sig.rule.target) note_absent(sig.rule.target_column);
  if (!model_.value_column.empty()) note_absent(model_.value_column);
  if (segmented()) note_absent(model_.segments->column);
}

}  // namespace healthscore
