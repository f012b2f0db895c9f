// SPDX-License-Identifier: MIT
#include "healthscore/export.hpp"

#include <cmath>
#include <cstdio>
#include <string>

#include <fast_float/fast_float.h>

#include "detail/csv_writer.hpp"
#include "detail/number_format.hpp"

namespace healthscore {
namespace {

/// A plain decimal literal: spreadsheets read it as a number, never as a formula, so `-3` stays.
bool plain_number(std::string_view s) {
  std::size_t i = 0;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
  std::size_t digits = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++digits;
  }
  if (digits == 0) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    std::size_t exp_digits = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++exp_digits;
    if (exp_digits == 0) return false;
  }
  return i == s.size();
}

}  // namespace

/// `x` with `decimals` digits, rounded half away from zero on the exact binary value (printf's
/// exact expansion is rounded by hand, so glibc and the wasm libc agree and ties never go to even).
std::string detail::format_fixed(double x, int decimals) {
  char buf[512];
  std::snprintf(buf, sizeof buf, "%.80f", std::fabs(x));
  std::string s(buf);
  const std::size_t dot = s.find('.');
  std::string whole = s.substr(0, dot);
  std::string frac = s.substr(dot + 1);
  const bool up = frac[static_cast<std::size_t>(decimals)] >= '5';
  std::string digits = whole + frac.substr(0, static_cast<std::size_t>(decimals));
  if (up) {
    std::size_t i = digits.size();
    while (i > 0) {
      --i;
      if (digits[i] == '9') {
        digits[i] = '0';
      } else {
        ++digits[i];
        break;
      }
      if (i == 0) digits.insert(digits.begin(), '1');
    }
  }
  const std::size_t int_len = digits.size() - static_cast<std::size_t>(decimals);
  std::string out = digits.substr(0, int_len);
  if (decimals > 0) out += "." + digits.substr(int_len);
  bool zero = true;
  for (char c : digits) zero = zero && c == '0';
  if (x < 0 && !zero) out.insert(out.begin(), '-');
  return out;
}

namespace {

/// A row's segment as reports name it: the group label, or `other_label`.
const std::string& segment_label(const model& m, std::int8_t k) {
  return k < 0 ? m.segments->other_label : m.segments->groups[static_cast<std::size_t>(k)].label;
}

}  // namespace

std::string format_double(double x) {
  if (std::isnan(x)) return "NaN";
  if (std::isinf(x)) return x > 0 ? "Infinity" : "-Infinity";
  char buf[40];
  for (int precision = 15; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*g", precision, x);
    double back = 0;
    auto r = fast_float::from_chars(buf, buf + std::char_traits<char>::length(buf), back);
    if (r.ec == std::errc() && back == x) break;
  }
  return buf;
}

json totals_to_json(const model& m, const band_totals& t, bool has_value) {
  json counts = json::object();
  for (std::size_t b = 0; b < m.bands.size(); ++b) counts[m.bands[b].id] = t.band_counts[b];
  json out = {{"rows", t.rows}, {"bands", std::move(counts)}, {"unscored", t.unscored}};
  if (has_value) {
    json values = json::object();
    for (std::size_t b = 0; b < m.bands.size(); ++b) values[m.bands[b].id] = t.band_values[b];
    out["value"] = {{"bands", std::move(values)},
                    {"at_risk", t.value_at_risk()},
                    {"unscored", t.unscored_value},
                    {"total", t.value_total},
                    {"missing", t.value_missing}};
  }
  return out;
}

namespace {

bool formula_start(char c) { return c == '=' || c == '+' || c == '-' || c == '@'; }

/// The piece of `text` from `i` to the next tab, `;`, `,` or line end (what a spreadsheet splitting there
/// would make one cell of).
std::string_view piece_from(std::string_view text, std::size_t i) {
  std::size_t j = i;
  while (j < text.size() && text[j] != '\t' && text[j] != ';' && text[j] != ',' && text[j] != '\n') ++j;
  return text.substr(i, j - i);
}

}  // namespace

std::string csv_cell(std::string_view text, char delimiter) {
  std::string body;
  body.reserve(text.size() + 2);
  // Where a cell could start: the start, and after each tab, ';', ',' or line end inside the text. Spaces
  // before the sign do not help ("trim spaces" in the import dialogs), nor does a CR.
  bool at_start = true;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (at_start && formula_start(c) && !plain_number(piece_from(text, i))) body += '\'';
    if (c == '\t' || c == ';' || c == ',' || c == '\n')
      at_start = true;
    else if (c != ' ' && c != '\r')
      at_start = false;
    body += c;
  }
  bool quote = false;
  for (char c : body) {
    if (c == delimiter || c == '"' || c == '\n' || c == '\r') {
      quote = true;
      break;
    }
  }
  if (!quote) return body;
  std::string out = "\"";
  for (char c : body) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::optional<csv_convention> csv_convention_named(std::string_view name) {
  if (name == "standard") return csv_convention{};
  if (name == "excel") return csv_convention{',', '.', true};
  if (name == "excel-es" || name == "excel-pt" || name == "excel-eu") return csv_convention{';', ',', true};
  return std::nullopt;
}

std::string export_csv(const scorer& s, const csv_convention& convention) {
  const table& t = s.data();
  const model& m = s.current_model();
  detail::csv_writer w(convention, t.rows * (t.columns.size() * 8 + 32) + 256);
  for (const column& c : t.columns) w.cell(c.name());
  w.cell("health_score");
  w.cell("health_band");
  const bool segmented = m.segments.has_value();
  if (segmented) w.cell("health_segment");
  for (const category& c : m.categories) w.cell(c.label + " score");
  w.end_row();
  const auto& scores = s.scores();
  const auto& bands = s.bands();
  for (std::size_t r = 0; r < t.rows; ++r) {
    for (const column& c : t.columns) w.cell(c.text(r));
    w.score(scores[r]);
    w.cell(bands[r] < 0 ? std::string_view() : std::string_view(m.bands[static_cast<std::size_t>(bands[r])].label));
    if (segmented) w.cell(segment_label(m, s.segments()[r]));
    for (std::size_t c = 0; c < m.categories.size(); ++c) w.score(s.category_scores(c)[r]);
    w.end_row();
  }
  return w.take();
}

json export_json(const scorer& s) {
  const table& t = s.data();
  const model& m = s.current_model();
  const std::ptrdiff_t id_col = m.id_column.empty() ? -1 : t.find(m.id_column);
  auto number_or_null = [](double x) { return std::isnan(x) ? json(nullptr) : json(x); };
  json rows = json::array();
  const auto& scores = s.scores();
  const auto& bands = s.bands();
  for (std::size_t r = 0; r < t.rows; ++r) {
    json row = json::object();
    row["row"] = r + 1;
    row["id"] =
        id_col < 0 ? json(nullptr) : json(std::string(trim(t.columns[static_cast<std::size_t>(id_col)].text(r))));
    row["score"] = number_or_null(scores[r]);
    row["band"] = bands[r] < 0 ? json(nullptr) : json(m.bands[static_cast<std::size_t>(bands[r])].id);
    if (m.segments) row["segment"] = segment_label(m, s.segments()[r]);
    json cats = json::object();
    for (std::size_t c = 0; c < m.categories.size(); ++c)
      cats[m.categories[c].id] = number_or_null(s.category_scores(c)[r]);
    row["categories"] = std::move(cats);
    rows.push_back(std::move(row));
  }
  const summary& sum = s.totals();
  json band_counts = json::object();
  for (std::size_t b = 0; b < m.bands.size(); ++b) band_counts[m.bands[b].id] = sum.band_counts[b];
  json missing = json::object();
  for (const auto& [col, n] : sum.missing) missing[col] = n;
  json doc = json::object();
  doc["model"] = m.name;
  doc["rows"] = std::move(rows);
  doc["summary"] = {{"bands", std::move(band_counts)}, {"unscored", sum.unscored}, {"missing", std::move(missing)}};
  if (sum.has_value) {
    json t = totals_to_json(m, sum, true);
    doc["summary"]["value_column"] = m.value_column;
    doc["summary"]["value"] = std::move(t["value"]);
  }
  if (m.segments) {
    json segs = json::array();
    for (const segment_totals& st : sum.segments) {
      json j = json::object();
      j["id"] = st.id.empty() ? json(nullptr) : json(st.id);
      j["label"] = st.label;
      const json totals = totals_to_json(m, st, sum.has_value);
      for (auto it = totals.begin(); it != totals.end(); ++it) j[it.key()] = it.value();
      segs.push_back(std::move(j));
    }
    doc["summary"]["segments"] = std::move(segs);
  }
  return doc;
}

namespace {

std::string padded(std::string s, std::size_t width, bool right = false) {
  std::size_t cps = 0;
  for (const unsigned char ch : s) cps += (ch & 0xC0) != 0x80;
  if (cps >= width) return s;
  const std::string fill(width - cps, ' ');
  return right ? fill + s : s + fill;
}

std::string percent(double part, double whole) {
  return whole > 0 ? detail::format_fixed(100 * part / whole, 1) + "%" : std::string("n/a");
}

void band_lines(std::string& o, const model& m, const band_totals& t, bool has_value, const std::string& indent) {
  o += indent + padded("band", 18) + padded("accounts", 10, true) + padded("share", 8, true);
  if (has_value) o += padded("value", 16, true) + padded("share", 8, true);
  o += "\n";
  const double scored = static_cast<double>(t.rows - t.unscored);
  double scored_value = 0;
  for (const double v : t.band_values) scored_value += v;
  for (std::size_t b = 0; b < m.bands.size(); ++b) {
    o += indent + padded(m.bands[b].label + " (<= " + format_double(m.bands[b].max) + ")", 18) +
         padded(std::to_string(t.band_counts[b]), 10, true) +
         padded(percent(static_cast<double>(t.band_counts[b]), scored), 8, true);
    if (has_value)
      o += padded(detail::format_fixed(t.band_values[b], 2), 16, true) +
           padded(percent(t.band_values[b], scored_value), 8, true);
    o += "\n";
  }
  if (t.unscored) {
    o += indent + padded("unscored", 18) + padded(std::to_string(t.unscored), 10, true) + padded("", 8);
    if (has_value) o += padded(detail::format_fixed(t.unscored_value, 2), 16, true);
    o += "\n";
  }
}

}  // namespace

std::string summary_to_text(const scorer& s) {
  const model& m = s.current_model();
  const summary& t = s.totals();
  std::string o = m.name + ": " + std::to_string(t.rows) + " accounts of " +
                  (s.data().source.empty() ? std::string("the table") : s.data().source) + ", " +
                  std::to_string(t.rows - t.unscored) + " scored\n";
  band_lines(o, m, t, t.has_value, "  ");
  if (t.has_value && !m.bands.empty()) {
    o += "Value at risk (" + m.value_column + " in '" + m.bands.front().label +
         "'): " + detail::format_fixed(t.value_at_risk(), 2) + " of " + detail::format_fixed(t.value_total, 2) + " (" +
         percent(t.value_at_risk(), t.value_total) + ")";
    if (t.value_missing)
      o += "; " + std::to_string(t.value_missing) + " accounts have an empty or unreadable value, counted as 0";
    o += "\n";
  }
  if (m.segments) {
    o += "\nBy segment ('" + m.segments->column + "'; each with its own weights and cut points)\n";
    for (std::size_t j = 0; j < t.segments.size(); ++j) {
      const segment_totals& st = t.segments[j];
      const model& sm = s.segment_model_of(j < m.segments->groups.size() ? static_cast<int>(j) : other_segment);
      o += "  " + st.label + ": " + std::to_string(st.rows) + " accounts";
      if (t.has_value)
        o += ", value at risk " + detail::format_fixed(st.value_at_risk(), 2) + " of " +
             detail::format_fixed(st.value_total, 2);
      o += "\n";
      if (st.rows) band_lines(o, sm, st, t.has_value, "    ");
    }
  }
  return o;
}

}  // namespace healthscore
