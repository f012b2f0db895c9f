// SPDX-License-Identifier: MIT
// Number and text formatting shared by the evidence computations (warnings, verdicts) and their
// reports (evidence_report.cpp, built for size in the wasm module).
#pragma once

#include <cmath>
#include <cstdio>
#include <string>

#include "healthscore/evidence.hpp"

namespace healthscore::detail {

inline std::string fixed(double x, int digits) {
  if (std::isnan(x)) return "n/a";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, evidence_round(x, digits));
  return buf;
}

inline std::string signed_fixed(double x, int digits) {
  std::string s = fixed(x, digits);
  if (!std::isnan(x) && evidence_round(x, digits) > 0) s.insert(s.begin(), '+');
  return s;
}

inline json num(double x, int digits) {
  if (!std::isfinite(x)) return nullptr;
  return evidence_round(x, digits);
}

inline std::string pad(std::string s, std::size_t width, bool right = false) {
  // Width in UTF-8 code points, so accented labels line up.
  std::size_t cps = 0;
  for (unsigned char ch : s)
    if ((ch & 0xC0) != 0x80) ++cps;
  if (cps >= width) return s;
  const std::string fill(width - cps, ' ');
  return right ? fill + s : s + fill;
}

inline std::string clip(const std::string& s, std::size_t width) {
  std::size_t cps = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
      if (cps == width - 1 && width > 0) {
        // Is there more than one code point left?
        std::size_t rest = 0;
        for (std::size_t j = i; j < s.size(); ++j)
          if ((static_cast<unsigned char>(s[j]) & 0xC0) != 0x80) ++rest;
        if (rest > 1) return s.substr(0, i) + "~";
        return s;
      }
      ++cps;
    }
  }
  return s;
}

inline constexpr int auc_digits = 3, pct_digits = 1, lift_digits = 2, score_digits = 1, roc_digits = 4,
                     value_digits = 2;

inline json auc_json(const auc_estimate& e) {
  return json{{"auc", num(e.auc, auc_digits)}, {"se", num(e.se, 4)}, {"lo", num(e.lo, auc_digits)},
              {"hi", num(e.hi, auc_digits)},   {"good", e.good},     {"bad", e.bad},
              {"left_out", e.left_out}};
}

/// A weight suggestion's categories: id, label, current (one decimal) and suggested weight.
inline json weight_categories_json(const weight_suggestion& w) {
  json cats = json::array();
  for (std::size_t i = 0; i < w.current.size(); ++i)
    cats.push_back(json{{"id", i < w.ids.size() ? w.ids[i] : ""},
                        {"label", i < w.labels.size() ? w.labels[i] : ""},
                        {"current", num(w.current[i], 1)},
                        {"suggested", i < w.suggested.size() ? num(w.suggested[i], 0) : json(nullptr)}});
  return cats;
}

/// Appends a weight suggestion's search figures (rows, tries, training AUCs) to `j`, in this order.
inline void add_search_figures(json& j, const weight_suggestion& w) {
  j["train_rows"] = w.train_rows;
  j["search_rows"] = w.search_rows;
  j["search_sampled"] = w.search_sampled;
  j["search_tries"] = w.search_tries;
  j["search_stopped"] = w.search_stopped;
  j["test_rows"] = w.test_rows;
  j["train_auc_current"] = num(w.train_auc_current, auc_digits);
  j["train_auc_suggested"] = num(w.train_auc_suggested, auc_digits);
}

/// Appends its held-out gain (with its interval), whether it was checked and reliable, and the
/// verdict in `lang` with its message, in this order.
inline void add_gain_and_verdict(json& j, const weight_suggestion& w, language lang) {
  j["test_gain"] = num(w.test.diff, auc_digits);
  j["test_gain_lo"] = num(w.test.lo, auc_digits);
  j["test_gain_hi"] = num(w.test.hi, auc_digits);
  j["checked"] = w.checked;
  j["reliable"] = w.reliable;
  j["verdict"] = render(w.verdict, lang);
  j["verdict_message"] = to_json(w.verdict);
}

inline std::string format_weight(double w) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", w);
  return buf;
}

}  // namespace healthscore::detail
