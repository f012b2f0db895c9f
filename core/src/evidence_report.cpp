// SPDX-License-Identifier: MIT
// The evidence reports: validation and comparison as JSON, text and CSV. Run once per request, so
// the wasm build compiles this file for size (CMakeLists.txt); the statistics are in evidence.cpp.
#include <cmath>
#include <string>

#include "detail/evidence_format.hpp"
#include "healthscore/evidence.hpp"
#include "healthscore/export.hpp"

namespace healthscore {

using namespace detail;  // the shared number and text formatting (detail/evidence_format.hpp)

json validation_to_json(const validation& v, language lang) {
  json j;
  j["outcome"] = json{{"column", v.outcome_column}, {"positive", v.positive}, {"positive_is_good", v.positive_is_good}};
  j["accounts"] = json{{"rows", v.rows},          {"scored", v.scored},      {"known", v.known},
                       {"positive", v.positives}, {"negative", v.negatives}, {"unknown", v.unknown}};
  j["base_rate_pct"] = num(100 * v.base_rate, pct_digits);
  auto disc = [lang](const discrimination& d) {
    json o{{"kind", d.kind}, {"id", d.id}, {"label", d.label}};
    if (d.kind != "health") o["weight"] = d.weight;
    o.update(auc_json(d.auc));
    o["wrong_direction"] = d.wrong_direction;
    if (d.warning) {
      o["warning"] = render(*d.warning, lang);
      o["warning_message"] = to_json(*d.warning);
    }
    if (!d.roc.empty()) {
      json pts = json::array();
      for (const auto& p : d.roc) pts.push_back(json::array({num(p.bad, roc_digits), num(p.good, roc_digits)}));
      o["roc"] = std::move(pts);
    }
    return o;
  };
  j["health"] = disc(v.health);
  j["categories"] = json::array();
  for (const auto& d : v.categories) j["categories"].push_back(disc(d));
  j["signals"] = json::array();
  for (const auto& d : v.signals) j["signals"].push_back(disc(d));
  auto bands_json = [&](const std::vector<band_outcome>& bands) {
    json out = json::array();
    for (const auto& b : bands) {
      json o{{"id", b.id},
             {"label", b.label},
             {"accounts", b.accounts},
             {"share_pct", num(100 * b.share, pct_digits)},
             {"known", b.known},
             {"positive", b.positive},
             {"rate_pct", num(100 * b.rate, pct_digits)},
             {"lift", num(b.lift, lift_digits)}};
      if (v.has_value) {
        o["value"] = num(b.value, value_digits);
        o["value_share_pct"] = num(100 * b.value_share, pct_digits);
        o["value_known"] = num(b.value_known, value_digits);
        o["value_positive"] = num(b.value_positive, value_digits);
        o["value_rate_pct"] = num(100 * b.value_rate, pct_digits);
      }
      out.push_back(std::move(o));
    }
    return out;
  };
  j["bands"] = bands_json(v.bands);
  if (v.has_value) {
    j["value"] = json{{"column", v.value_column},
                      {"base_rate_pct", num(100 * v.value_base_rate, pct_digits)},
                      {"at_risk", v.bands.empty() ? json(nullptr) : num(v.bands.front().value, value_digits)}};
  }
  if (!v.segments.empty()) {
    json segs = json::array();
    for (const auto& sv : v.segments) {
      json o{
          {"id", sv.id.empty() ? json(nullptr) : json(sv.id)},
          {"label", sv.label},
          {"accounts", json{{"rows", sv.rows}, {"scored", sv.scored}, {"known", sv.known}, {"positive", sv.positives}}},
          {"base_rate_pct", num(100 * sv.base_rate, pct_digits)},
          {"health", auc_json(sv.auc)},
          {"bands", bands_json(sv.bands)}};
      if (v.has_value) o["value_base_rate_pct"] = num(100 * sv.value_base_rate, pct_digits);
      segs.push_back(std::move(o));
    }
    j["segments"] = std::move(segs);
  }
  j["checks"] = json::array();
  for (const auto& c : v.checks)
    j["checks"].push_back(json{{"id", c.id},
                               {"text", render(c.text, lang)},
                               {"text_message", to_json(c.text)},
                               {"value", num(c.value, c.id == "green_share" ? pct_digits : lift_digits)},
                               {"threshold", c.threshold},
                               {"applicable", c.applicable},
                               {"pass", c.pass}});
  if (v.has_suggestion) {
    const weight_suggestion& w = v.weights;
    json cats = weight_categories_json(w);
    json sw{{"categories", cats}};
    add_search_figures(sw, w);
    sw["test_auc_current"] = num(w.test.a.auc, auc_digits);
    sw["test_auc_suggested"] = num(w.test.b.auc, auc_digits);
    add_gain_and_verdict(sw, w, lang);
    j["suggested_weights"] = std::move(sw);
  }
  j["sensitivity"] = json::array();
  for (const auto& r : v.sensitivity)
    j["sensitivity"].push_back(json{{"id", r.id},
                                    {"label", r.label},
                                    {"weight", r.weight},
                                    {"changed_minus_10pct", r.changed_down},
                                    {"changed_plus_10pct", r.changed_up}});
  json warnings = json::array(), warning_messages = json::array();
  for (const message& w : v.warnings) {
    warnings.push_back(render(w, lang));
    warning_messages.push_back(to_json(w));
  }
  j["warnings"] = std::move(warnings);
  j["warning_messages"] = std::move(warning_messages);
  return j;
}

namespace {

/// The band table of the text report: counts and rates, and value columns with a value column.
void band_table(std::string& o, const validation& v, const std::vector<band_outcome>& bands,
                const std::string& indent = "  ") {
  o += indent + pad("band", 18) + pad("accounts", 9, true) + pad("share", 8, true) + pad("known", 8, true) +
       pad("positive", 9, true) + pad("rate", 8, true) + pad("lift", 7, true);
  if (v.has_value) o += pad("value", 14, true) + pad("share", 8, true) + pad("value rate", 11, true);
  o += "\n";
  for (const auto& b : bands) {
    o += indent + pad(clip(b.label, 17), 18) + pad(std::to_string(b.accounts), 9, true) +
         pad(fixed(100 * b.share, pct_digits) + "%", 8, true) + pad(std::to_string(b.known), 8, true) +
         pad(std::to_string(b.positive), 9, true) + pad(fixed(100 * b.rate, pct_digits) + "%", 8, true) +
         pad(fixed(b.lift, lift_digits) + "x", 7, true);
    if (v.has_value)
      o += pad(fixed(b.value, value_digits), 14, true) + pad(fixed(100 * b.value_share, pct_digits) + "%", 8, true) +
           pad(fixed(100 * b.value_rate, pct_digits) + "%", 11, true);
    o += "\n";
  }
}

}  // namespace

std::string validation_to_text(const validation& v, language lang) {
  std::string o;
  std::string pos;
  for (const auto& p : v.positive) pos += (pos.empty() ? "" : ", ") + p;
  o += "Validation against '" + v.outcome_column + "' (positive: " + pos + "; a positive outcome is " +
       (v.positive_is_good ? "good" : "bad") + ")\n";
  o += "Accounts: " + std::to_string(v.rows) + " rows, " + std::to_string(v.scored) + " scored, " +
       std::to_string(v.known) + " with a known outcome (" + std::to_string(v.positives) + " positive, " +
       std::to_string(v.negatives) + " negative), " + std::to_string(v.unknown) + " unknown\n";
  o += "Base rate (scored accounts with a known outcome): " + fixed(100 * v.base_rate, pct_digits) + "%\n\n";

  o += "Discrimination: AUC = chance that a random good account scores above a random bad one (0.5 = chance)\n";
  o += "  " + pad("", 34) + pad("AUC", 6, true) + "  " + pad("95% CI", 13) + pad("good", 7, true) +
       pad("bad", 7, true) + pad("left out", 9, true) + "\n";
  auto line = [&](const discrimination& d, const std::string& name) {
    o += "  " + pad(clip(name, 33), 34) + pad(fixed(d.auc.auc, auc_digits), 6, true) + "  " +
         pad(fixed(d.auc.lo, auc_digits) + "-" + fixed(d.auc.hi, auc_digits), 13) +
         pad(std::to_string(d.auc.good), 7, true) + pad(std::to_string(d.auc.bad), 7, true) +
         pad(std::to_string(d.auc.left_out), 9, true) + (d.wrong_direction ? "  WRONG WAY" : "") + "\n";
  };
  line(v.health, "Health score");
  for (const auto& c : v.categories) {
    line(c, c.label + " (weight " + format_weight(c.weight) + ")");
    for (const auto& sg : v.signals)
      if (sg.category == c.category) line(sg, "  " + sg.label + " (" + format_weight(sg.weight) + ")");
  }

  o += "\nOutcome rate by band ('" + v.outcome_column + "' rate; lift = rate / base rate)\n";
  band_table(o, v, v.bands);
  if (v.has_value && !v.bands.empty()) {
    double total = 0;
    for (const auto& b : v.bands) total += b.value;
    o += "  Value at risk (" + v.value_column + " in '" + v.bands.front().label +
         "'): " + fixed(v.bands.front().value, value_digits) + " of " + fixed(total, value_digits) + " (" +
         fixed(100 * v.bands.front().value_share, pct_digits) + "%); value-weighted base rate " +
         fixed(100 * v.value_base_rate, pct_digits) + "%\n";
  }
  if (!v.segments.empty()) {
    o += "\nBy segment (each on its own accounts and cut points; lift against the segment's base rate)\n";
    for (const auto& sv : v.segments) {
      o += "  " + sv.label + ": " + std::to_string(sv.rows) + " rows, " + std::to_string(sv.scored) + " scored, " +
           std::to_string(sv.known) + " known, base rate " + fixed(100 * sv.base_rate, pct_digits) + "%; AUC " +
           fixed(sv.auc.auc, auc_digits) + " (95% CI " + fixed(sv.auc.lo, auc_digits) + "-" +
           fixed(sv.auc.hi, auc_digits) + ", " + std::to_string(sv.auc.good) + " good, " + std::to_string(sv.auc.bad) +
           " bad)\n";
      band_table(o, v, sv.bands, "    ");
    }
  }
  o += "\nPass marks\n";
  for (const auto& c : v.checks) {
    const std::string value =
        c.id == "green_share" ? fixed(c.value, pct_digits) + "%" : fixed(c.value, lift_digits) + "x";
    o += std::string("  ") +
         (!c.applicable ? "[n/a ] "
          : c.pass      ? "[pass] "
                        : "[FAIL] ") +
         render(c.text, lang) + ": " + value + "\n";
  }

  if (v.has_suggestion) {
    const weight_suggestion& w = v.weights;
    o += "\nSuggested category weights (fitted on " + std::to_string(w.train_rows) + " training accounts" +
         (w.search_sampled ? ", searched on an even sample of " + std::to_string(w.search_rows) : std::string()) +
         ", checked on " + std::to_string(w.test_rows) + " held-out accounts)\n";
    o += "  " + pad("category", 30) + pad("current", 9, true) + pad("suggested", 11, true) + "\n";
    for (std::size_t i = 0; i < w.current.size(); ++i)
      o += "  " + pad(clip(i < w.labels.size() ? w.labels[i] : "", 29), 30) + pad(fixed(w.current[i], 1), 9, true) +
           pad(i < w.suggested.size() ? fixed(w.suggested[i], 0) : "n/a", 11, true) + "\n";
    o += "  AUC on training accounts: " + fixed(w.train_auc_current, auc_digits) + " -> " +
         fixed(w.train_auc_suggested, auc_digits) + "\n";
    o += "  AUC on held-out accounts: " + fixed(w.test.a.auc, auc_digits) + " -> " + fixed(w.test.b.auc, auc_digits) +
         " (gain " + signed_fixed(w.test.diff, auc_digits) + ", 95% CI " + signed_fixed(w.test.lo, auc_digits) +
         " to " + signed_fixed(w.test.hi, auc_digits) + ")\n";
    o += "  " + render(w.verdict, lang) + "\n";
  }
  if (!v.sensitivity.empty()) {
    o += "\nSensitivity: accounts changing band when one category weight moves 10%\n";
    o += "  " + pad("category", 30) + pad("weight", 8, true) + pad("-10%", 8, true) + pad("+10%", 8, true) + "\n";
    for (const auto& r : v.sensitivity)
      o += "  " + pad(clip(r.label.empty() ? r.id : r.label, 29), 30) + pad(format_weight(r.weight), 8, true) +
           pad(std::to_string(r.changed_down), 8, true) + pad(std::to_string(r.changed_up), 8, true) + "\n";
  }
  if (!v.warnings.empty()) {
    o += "\nWarnings\n";
    for (const auto& w : v.warnings) o += "  ! " + render(w, lang) + "\n";
  }
  return o;
}

namespace {

std::string band_name(const comparison& c, int b) {
  return b < 0 || static_cast<std::size_t>(b) >= c.band_ids.size() ? std::string()
                                                                   : c.band_ids[static_cast<std::size_t>(b)];
}

json account_json(const comparison& c, const account_change& a) {
  return json{{"id", a.id},
              {"name", a.name},
              {"old_score", num(a.old_score, score_digits)},
              {"new_score", num(a.new_score, score_digits)},
              {"change", num(a.change, score_digits)},
              {"old_band", a.old_band < 0 ? json(nullptr) : json(band_name(c, a.old_band))},
              {"new_band", a.new_band < 0 ? json(nullptr) : json(band_name(c, a.new_band))}};
}

}  // namespace

json comparison_to_json(const comparison& c) {
  json j;
  j["id_column"] = c.id_column;
  j["accounts"] =
      json{{"old_rows", c.old_rows},         {"new_rows", c.new_rows},           {"matched", c.matched},
           {"only_old", c.only_old},         {"only_new", c.only_new},           {"empty_id_old", c.empty_id_old},
           {"empty_id_new", c.empty_id_new}, {"duplicate_old", c.duplicate_old}, {"duplicate_new", c.duplicate_new},
           {"scored_both", c.scored_both}};
  j["only_old_ids"] = c.only_old_ids;
  j["only_new_ids"] = c.only_new_ids;
  j["duplicate_ids"] = c.duplicate_ids;
  j["mean_change"] = num(c.mean_change, score_digits);
  j["band_moves"] = json{{"up", c.band_up}, {"down", c.band_down}, {"same", c.band_same}};
  json bands = json::array();
  for (std::size_t b = 0; b < c.band_ids.size(); ++b)
    bands.push_back(json{{"id", c.band_ids[b]}, {"label", c.band_labels[b]}});
  j["bands"] = bands;
  j["transitions"] = c.transitions;  // [old][new], last row and column: unscored
  auto list = [&](const std::vector<std::size_t>& idx) {
    json a = json::array();
    for (std::size_t i : idx) a.push_back(account_json(c, c.accounts[i]));
    return a;
  };
  if (!c.segments.empty()) {
    json segs = json::array();
    for (const auto& sc : c.segments)
      segs.push_back(json{{"id", sc.id.empty() ? json(nullptr) : json(sc.id)},
                          {"label", sc.label},
                          {"matched", sc.matched},
                          {"scored_both", sc.scored_both},
                          {"mean_change", num(sc.mean_change, score_digits)},
                          {"band_moves", json{{"up", sc.band_up}, {"down", sc.band_down}, {"same", sc.band_same}}},
                          {"newly_red", sc.newly_red},
                          {"moved_in", sc.moved_in}});
    j["segments"] = std::move(segs);
    j["changed_segment"] = c.changed_segment;
  }
  j["movers_up"] = list(c.movers_up);
  j["movers_down"] = list(c.movers_down);
  j["newly_red"] = list(c.newly_red);
  return j;
}

std::string comparison_to_text(const comparison& c) {
  std::string o;
  o += "Comparison by '" + c.id_column + "': " + std::to_string(c.matched) + " accounts matched (old file " +
       std::to_string(c.old_rows) + " rows, new file " + std::to_string(c.new_rows) + " rows)\n";
  o += "  only in old: " + std::to_string(c.only_old) + ", only in new: " + std::to_string(c.only_new) +
       ", duplicated ids left out: " + std::to_string(c.duplicate_old) + " old / " + std::to_string(c.duplicate_new) +
       " new, empty ids: " + std::to_string(c.empty_id_old) + " old / " + std::to_string(c.empty_id_new) + " new\n";
  auto names = [&](const char* what, const std::vector<std::string>& ids) {
    if (ids.empty()) return;
    std::string s;
    for (const auto& id : ids) s += (s.empty() ? "" : ", ") + id;
    o += std::string("  ") + what + ": " + s + "\n";
  };
  names("only in old, e.g.", c.only_old_ids);
  names("only in new, e.g.", c.only_new_ids);
  names("duplicated, e.g.", c.duplicate_ids);
  o += "Scored both times: " + std::to_string(c.scored_both) + "; mean change " +
       signed_fixed(c.mean_change, score_digits) + " points; band up " + std::to_string(c.band_up) + ", down " +
       std::to_string(c.band_down) + ", same " + std::to_string(c.band_same) + "\n";

  if (!c.segments.empty()) {
    o += "\nBy segment (in the new file; " + std::to_string(c.changed_segment) + " accounts changed segment)\n";
    o += "  " + pad("segment", 24) + pad("matched", 8, true) + pad("mean", 8, true) + pad("up", 7, true) +
         pad("down", 7, true) + pad("same", 7, true) + pad("new low", 8, true) + pad("moved in", 9, true) + "\n";
    for (const auto& sc : c.segments)
      o += "  " + pad(clip(sc.label, 23), 24) + pad(std::to_string(sc.matched), 8, true) +
           pad(signed_fixed(sc.mean_change, score_digits), 8, true) + pad(std::to_string(sc.band_up), 7, true) +
           pad(std::to_string(sc.band_down), 7, true) + pad(std::to_string(sc.band_same), 7, true) +
           pad(std::to_string(sc.newly_red), 8, true) + pad(std::to_string(sc.moved_in), 9, true) + "\n";
  }

  o += "\nBand transitions (rows: old band, columns: new band)\n";
  std::vector<std::string> names_b = c.band_labels;
  names_b.push_back("unscored");
  o += "  " + pad("", 16);
  for (const auto& n : names_b) o += pad(clip(n, 11), 12, true);
  o += "\n";
  for (std::size_t i = 0; i < c.transitions.size(); ++i) {
    o += "  " + pad(clip(names_b[i], 15), 16);
    for (std::size_t x : c.transitions[i]) o += pad(std::to_string(x), 12, true);
    o += "\n";
  }
  auto table_of = [&](const std::string& title, const std::vector<std::size_t>& idx) {
    o += "\n" + title + " (" + std::to_string(idx.size()) + ")\n";
    if (idx.empty()) return;
    o += "  " + pad("id", 16) + pad("name", 24) + pad("old", 7, true) + pad("new", 7, true) + pad("change", 8, true) +
         "  bands\n";
    for (std::size_t i : idx) {
      const account_change& a = c.accounts[i];
      o += "  " + pad(clip(a.id, 15), 16) + pad(clip(a.name, 23), 24) + pad(fixed(a.old_score, score_digits), 7, true) +
           pad(fixed(a.new_score, score_digits), 7, true) + pad(signed_fixed(a.change, score_digits), 8, true) + "  " +
           (a.old_band < 0 ? "unscored" : band_name(c, a.old_band)) + " -> " +
           (a.new_band < 0 ? "unscored" : band_name(c, a.new_band)) + "\n";
    }
  };
  table_of("Top movers up", c.movers_up);
  table_of("Top movers down", c.movers_down);
  table_of("Newly in the lowest band", c.newly_red);
  return o;
}

std::string comparison_to_csv(const comparison& c) {
  std::string o = "id,name,old_score,new_score,change,old_band,new_band\n";
  for (const auto& a : c.accounts) {
    auto n = [](double x) { return std::isnan(x) ? std::string() : fixed(x, score_digits); };
    o += csv_cell(a.id) + "," + csv_cell(a.name) + "," + n(a.old_score) + "," + n(a.new_score) + "," + n(a.change) +
         "," + csv_cell(band_name(c, a.old_band)) + "," + csv_cell(band_name(c, a.new_band)) + "\n";
  }
  return o;
}

}  // namespace healthscore
