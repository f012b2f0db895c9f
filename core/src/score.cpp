// SPDX-License-Identifier: MIT
// The scorer (`spec/model.md`, "Scoring"): signal scores per signal, category scores per category,
// then the health score and band per row. Every stage is a column loop over blocks of rows whose
// partial sums stay in L1, and the same per-row arithmetic (detail/score.hpp) is used whichever path
// led there, so an updated scorer equals a fresh one bit for bit.
#include "healthscore/score.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "detail/score.hpp"

namespace healthscore {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();
constexpr std::size_t block = 512;  // rows per block: 2 x 4 KiB of partial sums

std::string signal_path(std::size_t c, std::size_t s) {
  return "categories[" + std::to_string(c) + "].signals[" + std::to_string(s) + "]";
}

[[noreturn]] void absent_column(const table& t, const std::string& column, const std::string& path) {
  std::string msg = "column \"" + column + "\" named by " + path + " is not in " +
                    (t.source.empty() ? std::string("the table") : t.source) + "; the columns are: ";
  constexpr std::size_t listed = 50;
  for (std::size_t i = 0; i < t.columns.size() && i < listed; ++i)
    msg += (i ? ", \"" : "\"") + t.columns[i].name() + "\"";
  if (t.columns.size() > listed) msg += ", ... (" + std::to_string(t.columns.size()) + " in all)";
  if (t.columns.empty()) msg += "(none)";
  throw input_error(msg);
}

/// Refuses a switched-on signal whose column (or target column) is not in the table.
void check_columns(const model& m, const table& t) {
  for (std::size_t c = 0; c < m.categories.size(); ++c) {
    const category& cat = m.categories[c];
    if (!(cat.weight > 0)) continue;
    for (std::size_t s = 0; s < cat.signals.size(); ++s) {
      const signal& sig = cat.signals[s];
      if (!(sig.weight > 0)) continue;
      if (t.find(sig.column) < 0) absent_column(t, sig.column, signal_path(c, s));
      if (sig.rule.type == rule_type::target && !sig.rule.target && t.find(sig.rule.target_column) < 0)
        absent_column(t, sig.rule.target_column, signal_path(c, s) + ".rule.target_column");
    }
  }
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

scorer::scorer(const table& t, model m, const score_options& options)
    : table_(&t), model_(std::move(m)), options_(options), as_of_(model_.as_of.value_or(options.today)) {
  validate(model_);
  if (!options_.allow_missing_columns) check_columns(model_, t);
  const std::size_t nc = model_.categories.size();
  signal_scores_.resize(nc);
  signal_missing_.resize(nc);
  category_scores_.resize(nc);
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

void scorer::update(model m) {
  // Everything that can refuse the model runs before anything changes.
  validate(m);
  if (!options_.allow_missing_columns) check_columns(m, *table_);
  const std::int32_t new_as_of = m.as_of.value_or(options_.today);

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
  std::vector<std::vector<std::vector<double>>> sig(nc);
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
        sig[c][s] = score_signal(cat.signals[s], *table_, new_as_of);
        missing[c][s] = count_missing(sig[c][s]);
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
    same_categories = same_categories && k == old_category_keys[c] &&
                      m.categories[c].weight == model_.categories[c].weight;
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
  for (std::size_t c = 0; c < nc; ++c)
    if (fresh[c]) compute_category_(c);
  if (same_categories) compute_bands_();  // only bands (or nothing that scores) changed
  else compute_overall_();
  compute_summary_();
}

void scorer::set_category_weight(std::size_t c, double w) {
  if (c >= model_.categories.size()) throw std::out_of_range("no category " + std::to_string(c));
  if (!(std::isfinite(w) && w >= 0))
    throw model_error("categories[" + std::to_string(c) + "].weight must be a non-negative number");
  model_.categories[c].weight = w;
  compute_overall_();
}

void scorer::set_signal_weight(std::size_t c, std::size_t s, double w) {
  if (c >= model_.categories.size() || s >= model_.categories[c].signals.size())
    throw std::out_of_range("no signal " + std::to_string(s) + " in category " + std::to_string(c));
  if (!(std::isfinite(w) && w >= 0)) throw model_error(signal_path(c, s) + ".weight must be a non-negative number");
  model_.categories[c].signals[s].weight = w;
  compute_category_(c);
  compute_overall_();
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

HEALTHSCORE_VECTOR_MATH void add_signals(double* __restrict num, double* __restrict den, const double* __restrict v, double w,
                 detail::missing_terms terms) {
  for (std::size_t i = 0; i < block; ++i) detail::add_signal(num[i], den[i], v[i], w, terms);
}

/// Up to four categories in one pass: the sums stay in registers between them, and each row still
/// takes its terms in model order (the fold runs left to right).
template <std::size_t... K>
HEALTHSCORE_VECTOR_MATH void add_category_group(double* __restrict num, double* __restrict den,
                                                const double* const* v, const double* w,
                                                std::index_sequence<K...>) {
  const double* __restrict col[] = {v[K]...};
  const double weight[] = {w[K]...};
  for (std::size_t i = 0; i < block; ++i) {
    double n = num[i], d = den[i];
    (detail::add_category(n, d, col[K][i], weight[K]), ...);
    num[i] = n;
    den[i] = d;
  }
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

/// Bands of a block of health scores (which lie in [0, 100]); -1 for unscored (NaN) rows, which
/// reach no threshold.
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
void set_counts(std::size_t rows, const std::vector<band>& bands, summary& out) {
  out.band_counts.assign(bands.size(), 0);
  std::size_t scored = 0;
  for (std::size_t r = 0; r < histogram_bins; ++r) {
    const int b = band_of(static_cast<double>(r), bands);
    if (b >= 0) out.band_counts[static_cast<std::size_t>(b)] += out.histogram[r];
    scored += out.histogram[r];
  }
  out.unscored = rows - scored;
}

}  // namespace


void scorer::compute_signal_(std::size_t c, std::size_t s) {
  signal_scores_[c][s] = score_signal(model_.categories[c].signals[s], *table_, as_of_);
  signal_missing_[c][s] = count_missing(signal_scores_[c][s]);
}

void scorer::compute_category_(std::size_t c) {
  const category& cat = model_.categories[c];
  const std::size_t n = rows();
  std::vector<double>& out = category_scores_[c];
  out.assign(n, nan);
  std::vector<std::pair<const double*, double>> on;  // switched-on signals
  for (std::size_t s = 0; s < cat.signals.size(); ++s)
    if (cat.signals[s].weight > 0) on.emplace_back(signal_scores_[c][s].data(), cat.signals[s].weight);
  if (on.empty()) return;  // missing under every policy
  const detail::missing_terms terms = detail::terms_for(model_.missing);
  alignas(64) double num[block], den[block], pad[block], mean[block];
  for (std::size_t base = 0; base < n; base += block) {
    const std::size_t len = std::min(block, n - base);
    std::fill(num, num + block, 0.0);
    std::fill(den, den + block, 0.0);
    for (const auto& [scores, w] : on) add_signals(num, den, block_rows(scores, base, len, pad), w, terms);
    means(num, den, mean);
    std::copy(mean, mean + len, out.data() + base);
  }
}

void scorer::compute_overall_() {
  const std::size_t n = rows();
  scores_.resize(n);
  bands_.resize(n);
  std::vector<std::pair<const double*, double>> on;  // categories that take part
  for (std::size_t c = 0; c < model_.categories.size(); ++c)
    if (detail::category_counts(model_.categories[c]))
      on.emplace_back(category_scores_[c].data(), model_.categories[c].weight);
  const auto thresholds = band_thresholds(model_.bands);
  alignas(64) double num[block], den[block], pad[4][block], mean[block];
  alignas(64) std::int8_t band[block];
  alignas(64) std::int32_t bins[block];
  std::uint32_t sub[4][histogram_bins + 1] = {};  // each takes a quarter of the rows: < 2^32
  for (std::size_t base = 0; base < n; base += block) {
    const std::size_t len = std::min(block, n - base);
    std::fill(num, num + block, 0.0);
    std::fill(den, den + block, 0.0);
    for (std::size_t first = 0; first < on.size(); first += 4) {
      const std::size_t k = std::min<std::size_t>(4, on.size() - first);
      const double* v[4];
      double w[4];
      for (std::size_t j = 0; j < k; ++j) {
        v[j] = block_rows(on[first + j].first, base, len, pad[j]);
        w[j] = on[first + j].second;
      }
      switch (k) {
        case 1: add_category_group(num, den, v, w, std::make_index_sequence<1>{}); break;
        case 2: add_category_group(num, den, v, w, std::make_index_sequence<2>{}); break;
        case 3: add_category_group(num, den, v, w, std::make_index_sequence<3>{}); break;
        default: add_category_group(num, den, v, w, std::make_index_sequence<4>{}); break;
      }
    }
    // A full block is written in place; a short last one through the local buffers.
    const bool full = len == block;
    double* out = full ? scores_.data() + base : mean;
    std::int8_t* out_band = full ? bands_.data() + base : band;
    means(num, den, out);
    bands_of_block(out, out_band, thresholds);
    bins_of_block(out, bins);  // padding rows are NaN: bin `histogram_bins`, never read
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
}

void scorer::compute_bands_() {
  const std::size_t n = rows();
  bands_.resize(n);
  const auto thresholds = band_thresholds(model_.bands);
  alignas(64) double pad[block];
  alignas(64) std::int8_t band[block];
  for (std::size_t base = 0; base < n; base += block) {
    const std::size_t len = std::min(block, n - base);
    bands_of_block(block_rows(scores_.data(), base, len, pad), band, thresholds);
    std::copy(band, band + len, bands_.data() + base);
  }
  set_counts(n, model_.bands, summary_);  // the scores, so the histogram, are unchanged
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
}

}  // namespace healthscore
