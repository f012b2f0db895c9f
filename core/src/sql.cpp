// SPDX-License-Identifier: MIT
// The model as one SQL query. The query mirrors the engine stage by stage, one common table
// expression each: typed inputs (hs_in), per-column statistics (hs_stats) and percentile ranks
// (hs_w), signal scores (hs_sig), category sums and scores (hs_sum, hs_cat), the health score's sums
// and the score (hs_hsum, hs_score), then the band. Every operation is the engine's own, in the
// engine's order (rules.cpp, detail/score.hpp), on doubles, so the results agree to the last few
// bits. With segments, hs_in also holds each row's group (hs_seg), statistics and ranks are taken
// per segment, and an expression a group changes becomes a CASE over hs_seg. Every name and text of
// the model reaches the SQL only as a quoted identifier or literal.
#include "healthscore/sql.hpp"

#include <cmath>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "detail/rules.hpp"
#include "detail/score.hpp"
#include "healthscore/cells.hpp"
#include "healthscore/export.hpp"
#include "healthscore/table.hpp"

namespace healthscore {

const char* to_string(sql_dialect d) noexcept {
  switch (d) {
    case sql_dialect::duckdb: return "duckdb";
    case sql_dialect::postgres: return "postgres";
    case sql_dialect::spark: return "spark";
  }
  return "unknown";
}

std::optional<sql_dialect> sql_dialect_from(std::string_view name) noexcept {
  if (name == "duckdb") return sql_dialect::duckdb;
  if (name == "postgres" || name == "postgresql") return sql_dialect::postgres;
  if (name == "spark") return sql_dialect::spark;
  return std::nullopt;
}

namespace {

/// The letters the engine folds for `map` keys and segment values (detail::fold_case): ASCII A-Z and
/// U+00C0..U+00DE without U+00D7, with their lower-case forms. SQL's lower() folds every script, so
/// the query folds with translate() over exactly these letters instead.
std::pair<std::string, std::string> folded_letters() {
  std::string upper, lower;
  for (char c = 'A'; c <= 'Z'; ++c) {
    upper += c;
    lower += static_cast<char>(c + 32);
  }
  for (unsigned cp = 0xC0; cp <= 0xDE; ++cp) {
    if (cp == 0xD7) continue;
    upper += static_cast<char>(0xC3);
    upper += static_cast<char>(0x80 + (cp - 0xC0));
    lower += static_cast<char>(0xC3);
    lower += static_cast<char>(0xA0 + (cp - 0xC0));
  }
  return {upper, lower};
}

/// What a quoted name or text is, for the NUL message: a code of sql.what.*, or a JSON path
/// (`id_column`) when the text comes from one member of the model.
struct what_text {
  const char* code;
  const char* path = nullptr;
};
constexpr what_text path_of(const char* path) { return {"sql.what.path", path}; }

void refuse_nul(std::string_view text, what_text what) {
  if (text.find('\0') != std::string_view::npos) {
    message w(what.code);
    if (what.path) w.text("path", what.path);
    throw model_error(message("sql.nul").nested("what", std::move(w)));
  }
}

class writer {
 public:
  explicit writer(sql_dialect d) : d_(d) {}

  sql_dialect dialect() const noexcept { return d_; }

  /// A quoted identifier: "name" (DuckDB, PostgreSQL) or `name` (Spark), the quote doubled inside.
  std::string ident(std::string_view name, what_text what = {"sql.what.column_name"}) const {
    refuse_nul(name, what);
    const char q = d_ == sql_dialect::spark ? '`' : '"';
    std::string out(1, q);
    for (const char c : name) {
      if (c == q) out += q;
      out += c;
    }
    out += q;
    return out;
  }

  /// A string literal holding exactly `text`. Spark reads backslash escapes in every literal (and
  /// joins adjacent literals, so '' is no quote there); PostgreSQL does in E'' literals, which are
  /// used when the text has a backslash so the meaning never depends on standard_conforming_strings.
  std::string text(std::string_view s, what_text what = {"sql.what.text"}) const {
    refuse_nul(s, what);
    std::string out;
    const bool backslash = s.find('\\') != std::string_view::npos;
    if (d_ == sql_dialect::postgres && backslash) out += 'E';
    out += '\'';
    for (const char c : s) {
      if (d_ == sql_dialect::spark) {
        if (c == '\\' || c == '\'') out += '\\';
      } else if (c == '\'') {
        out += '\'';
      } else if (c == '\\' && d_ == sql_dialect::postgres) {
        out += '\\';
      }
      out += c;
    }
    out += '\'';
    return out;
  }

  const char* double_type() const noexcept { return d_ == sql_dialect::postgres ? "DOUBLE PRECISION" : "DOUBLE"; }
  const char* text_type() const noexcept {
    return d_ == sql_dialect::postgres ? "TEXT" : d_ == sql_dialect::spark ? "STRING" : "VARCHAR";
  }

  /// A DOUBLE constant equal to `x`. Decimal literals are DECIMAL or NUMERIC in all three dialects
  /// (and DuckDB converts a 17-digit one to a double inexactly), so a fraction is cast from its
  /// shortest round-trip text, which every engine parses correctly rounded; `::` casts in all three.
  std::string num(double x) const {
    if (std::isnan(x)) return null_double();
    const char* type = d_ == sql_dialect::postgres ? "::float8" : "::DOUBLE";
    // A negative constant is parenthesized: after a minus sign, "- -1" must never become "--1", a comment.
    if (std::floor(x) == x && std::fabs(x) < 9007199254740992.0) {
      const std::string digits = std::to_string(static_cast<long long>(x)) + type;
      return x < 0 ? "(" + digits + ")" : digits;
    }
    return "'" + format_double(x) + "'" + type;
  }
  std::string null_double() const {
    return std::string("NULL") + (d_ == sql_dialect::postgres ? "::float8" : "::DOUBLE");
  }

  std::string as_double(const std::string& e) const { return "CAST(" + e + " AS " + double_type() + ")"; }
  std::string as_text(const std::string& e) const { return "CAST(" + e + " AS " + text_type() + ")"; }

  /// ln(1 + e): Spark has log1p, the engine's function; the others have only ln.
  std::string ln1p(const std::string& e) const {
    return d_ == sql_dialect::spark ? "log1p(" + e + ")" : "ln(1 + " + e + ")";
  }

  /// `e` without the characters the engine trims: trim() for `map` (space, tab, CR, LF, U+00A0),
  /// and for `boolean` words also U+2009 and U+202F (cells.cpp trim_spaces).
  std::string trimmed(const std::string& e, bool boolean_spaces) const {
    if (d_ == sql_dialect::spark) {
      const std::string set = boolean_spaces ? "' \\t\\n\\r\\u00A0\\u2009\\u202F'" : "' \\t\\n\\r\\u00A0'";
      return "trim(BOTH " + set + " FROM " + e + ")";
    }
    std::string set = "(' ' || chr(9) || chr(10) || chr(13) || chr(160)";
    if (boolean_spaces) set += " || chr(8201) || chr(8239)";
    set += ")";
    return (d_ == sql_dialect::postgres ? "btrim(" : "trim(") + e + ", " + set + ")";
  }

  std::string folded(const std::string& e) const {
    static const auto letters = folded_letters();
    return "translate(" + e + ", " + text(letters.first) + ", " + text(letters.second) + ")";
  }

  std::string date_literal(std::int32_t days) const { return "DATE '" + format_date(days) + "'"; }

  /// Whole days from `date_expr` (a DATE) to `as_of` (a DATE expression), as a double.
  std::string days_between(const std::string& date_expr, const std::string& as_of) const {
    if (d_ == sql_dialect::spark) return as_double("datediff(" + as_of + ", " + date_expr + ")");
    return as_double("(" + as_of + " - " + date_expr + ")");
  }

 private:
  sql_dialect d_;
};

/// Lower-case form of an output column name, for the duplicate check (Spark matches names ignoring
/// case; PostgreSQL and DuckDB would accept both and leave a reader unable to tell them apart).
std::string name_key(std::string_view s) { return detail::fold_case(s); }

/// One scorecard the query applies: the base model, or a segment group's model.
struct variant {
  model m;
  int segment = -1;  ///< the group index the query's hs_seg holds for it; -1: the base model
};

class compiler {
 public:
  compiler(const model& m, const sql_options& o) : w_(o.dialect), base_(m), options_(o) {}

  std::string run();

 private:
  // Inputs in hs_in: one per column and the way it is read.
  enum class reading { number, map_text, boolean_word, days };
  std::string input(reading k, const std::string& column);
  // Statistics in hs_stats.
  enum class stat { min, max, log_min, log_max, count };
  std::string statistic(stat s, const std::string& number_input);
  // Percentile pieces in hs_w: values below, values equal (doubles).
  std::pair<std::string, std::string> ranks(const std::string& number_input);

  std::string signal_score(const signal& s);
  std::string linear(const std::string& x, const std::string& lo, const std::string& hi, std::optional<double> lo_value,
                     std::optional<double> hi_value);
  std::string category_sums(const model& m, std::size_t c, bool numerator);
  std::string health_sums(const model& m, bool numerator);
  std::string band_of(const model& m, const std::string& score);
  /// One expression per variant, merged: a CASE over hs_seg when they differ.
  std::string per_variant(const std::function<std::string(const variant&)>& f);

  std::string as_of_expr() const;
  std::string table_expr() const;
  std::string partition(const std::string& extra = {}) const;
  std::string segment_expr() const;

  writer w_;
  const model& base_;
  const sql_options& options_;
  std::vector<variant> variants_;
  bool segmented_ = false;

  std::vector<std::pair<std::string, std::string>> inputs_;  // internal name, expression
  std::map<std::pair<int, std::string>, std::string> input_names_;
  std::vector<std::pair<std::string, std::string>> stats_;
  std::map<std::pair<int, std::string>, std::string> stat_names_;
  std::vector<std::pair<std::string, std::string>> windows_;
  std::map<std::string, std::pair<std::string, std::string>> rank_names_;
};

std::string compiler::as_of_expr() const {
  if (options_.as_of) return w_.date_literal(*options_.as_of);
  if (base_.as_of) return w_.date_literal(*base_.as_of);
  return "CURRENT_DATE";
}

std::string compiler::table_expr() const {
  if (!options_.from.empty()) return options_.from;
  if (options_.table.empty()) throw model_error(message("sql.empty_table"));
  std::string out;
  std::size_t start = 0;
  for (;;) {
    const std::size_t dot = options_.table.find('.', start);
    const std::string part = options_.table.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (part.empty()) throw model_error(message("sql.empty_table_part").text("table", options_.table));
    if (!out.empty()) out += '.';
    out += w_.ident(part, {"sql.what.table_name"});
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return out;
}

std::string compiler::partition(const std::string& extra) const {
  std::string keys = segmented_ ? "hs_seg" : "";
  if (!extra.empty()) keys += (keys.empty() ? "" : ", ") + extra;
  return keys.empty() ? std::string() : "PARTITION BY " + keys;
}

// An account's segment: the first group one of whose values equals its trimmed, folded cell text
// (model.cpp match_segment), else -1, the base model's "other" segment. An empty cell is NULL after
// NULLIF, which no WHEN matches.
std::string compiler::segment_expr() const {
  const segments& sg = *base_.segments;
  const std::string cell =
      "NULLIF(" +
      w_.folded(w_.trimmed(w_.as_text(w_.ident(std::string(trim(sg.column)), path_of("segments.column"))), false)) +
      ", '')";
  std::string arms;
  std::unordered_set<std::string> seen;
  for (std::size_t g = 0; g < sg.groups.size(); ++g)
    for (const std::string& v : sg.groups[g].values) {
      std::string k = detail::fold_case(v);
      if (k.empty() || !seen.insert(k).second) continue;
      arms += " WHEN " + w_.text(k, {"sql.what.segment_value"}) + " THEN " + std::to_string(g);
    }
  return arms.empty() ? "-1" : "CASE " + cell + arms + " ELSE -1 END";
}

std::string compiler::input(reading k, const std::string& column) {
  const auto key = std::make_pair(static_cast<int>(k), column);
  if (const auto it = input_names_.find(key); it != input_names_.end()) return it->second;
  const std::string name = "hs_i" + std::to_string(inputs_.size() + 1);
  const std::string col = w_.ident(column);
  std::string e;
  switch (k) {
    case reading::number: e = w_.as_double(col); break;
    case reading::map_text: e = "NULLIF(" + w_.folded(w_.trimmed(w_.as_text(col), false)) + ", '')"; break;
    case reading::boolean_word: e = "NULLIF(" + w_.folded(w_.trimmed(w_.as_text(col), true)) + ", '')"; break;
    case reading::days: e = w_.days_between("CAST(" + col + " AS DATE)", as_of_expr()); break;
  }
  inputs_.emplace_back(name, e);
  input_names_.emplace(key, name);
  return name;
}

std::string compiler::statistic(stat s, const std::string& x) {
  const auto key = std::make_pair(static_cast<int>(s), x);
  if (const auto it = stat_names_.find(key); it != stat_names_.end()) return it->second;
  const std::string name = "hs_s" + std::to_string(stats_.size() + 1);
  std::string e;
  switch (s) {
    case stat::min: e = "MIN(" + x + ")"; break;
    case stat::max: e = "MAX(" + x + ")"; break;
    // The bounds of a `log` rule come from the values it can read, x >= 0 (rules.cpp rule_bounds).
    case stat::log_min: e = w_.ln1p("MIN(CASE WHEN " + x + " >= 0 THEN " + x + " END)"); break;
    case stat::log_max: e = w_.ln1p("MAX(CASE WHEN " + x + " >= 0 THEN " + x + " END)"); break;
    case stat::count: e = w_.as_double("COUNT(" + x + ")"); break;
  }
  stats_.emplace_back(name, e);
  stat_names_.emplace(key, name);
  return name;
}

std::pair<std::string, std::string> compiler::ranks(const std::string& x) {
  if (const auto it = rank_names_.find(x); it != rank_names_.end()) return it->second;
  const std::string n = std::to_string(windows_.size() / 2 + 1);
  const std::pair<std::string, std::string> names{"hs_below" + n, "hs_equal" + n};
  // RANK() - 1 counts the values below x (NULLs sorted after every value); the peers of x in a
  // partition by x are the values equal to it.
  const std::string by_segment = partition();
  windows_.emplace_back(names.first, w_.as_double("RANK() OVER (" + by_segment + (by_segment.empty() ? "" : " ") +
                                                  "ORDER BY " + x + " ASC NULLS LAST) - 1"));
  windows_.emplace_back(names.second, w_.as_double("COUNT(*) OVER (" + partition(x) + ")"));
  rank_names_.emplace(x, names);
  return names;
}

std::string compiler::linear(const std::string& x, const std::string& lo, const std::string& hi,
                             std::optional<double> lo_value, std::optional<double> hi_value) {
  const std::string h = w_.num(100), z = w_.num(0);
  const std::string step = "CASE WHEN " + x + " >= " + hi + " THEN " + h + " ELSE " + z + " END";
  if (lo_value && hi_value && *lo_value == *hi_value)
    return "CASE WHEN " + x + " IS NULL THEN NULL ELSE " + step + " END";
  // The divisor: a constant when both bounds are given (computed here as the engine does), else
  // guarded against the equal bounds the branch before it handles.
  const std::string span = lo_value && hi_value ? w_.num(*hi_value - *lo_value) : "NULLIF(" + hi + " - " + lo + ", 0)";
  const std::string t = "((" + x + " - " + lo + ") / " + span + ")";
  std::string out = "CASE WHEN " + x + " IS NULL THEN NULL ";
  if (!(lo_value && hi_value)) out += "WHEN " + lo + " = " + hi + " THEN " + step + " ";
  out += "WHEN " + t + " < 0 THEN " + z + " WHEN " + t + " > 1 THEN " + h + " ELSE " + h + " * " + t + " END";
  return out;
}

std::string compiler::signal_score(const signal& s) {
  const rule& r = s.rule;
  const std::string column(trim(s.column));
  const std::string h = w_.num(100), z = w_.num(0);
  std::string e;
  switch (r.type) {
    case rule_type::linear: {
      const std::string x = input(reading::number, column);
      e = linear(x, r.min ? w_.num(*r.min) : statistic(stat::min, x), r.max ? w_.num(*r.max) : statistic(stat::max, x),
                 r.min, r.max);
      break;
    }
    case rule_type::log: {
      const std::string x = input(reading::number, column);
      std::optional<double> lo, hi;
      if (r.min) lo = std::log1p(*r.min);
      if (r.max) hi = std::log1p(*r.max);
      const std::string score = linear(w_.ln1p(x), lo ? w_.num(*lo) : statistic(stat::log_min, x),
                                       hi ? w_.num(*hi) : statistic(stat::log_max, x), lo, hi);
      e = "CASE WHEN " + x + " >= 0 THEN " + score + " END";  // x < 0 (and NULL): missing
      break;
    }
    case rule_type::steps: {
      const std::string x = input(reading::number, column);
      e = "CASE WHEN " + x + " IS NULL THEN NULL";
      bool rest = false;
      for (const step& st : r.steps) {
        if (!st.max) {
          e += " ELSE " + w_.num(st.score);  // catches the rest; later steps are never reached
          rest = true;
          break;
        }
        e += " WHEN " + x + " <= " + w_.num(*st.max) + " THEN " + w_.num(st.score);
      }
      e += rest ? " END" : " ELSE NULL END";
      break;
    }
    case rule_type::map: {
      const std::string t = input(reading::map_text, column);
      std::unordered_set<std::string> seen;
      std::string arms;
      for (const auto& [key, score] : r.map) {
        std::string k = detail::fold_case(key);
        if (k.empty() || !seen.insert(k).second) continue;  // an empty cell is missing; the first key wins
        arms += " WHEN " + w_.text(k, {"sql.what.map_key"}) + " THEN " + w_.num(score);
      }
      const std::string fallback = r.map_default ? w_.num(*r.map_default) : w_.null_double();
      e = "CASE WHEN " + t + " IS NULL THEN NULL ELSE " +
          (arms.empty() ? fallback : "CASE " + t + arms + " ELSE " + fallback + " END") + " END";
      break;
    }
    case rule_type::boolean: {
      const std::string b = input(reading::boolean_word, column);
      // The words of the contract, folded as the query folds the cell (cells.cpp parse_boolean).
      static const char* const yes[] = {"true", "yes", "y", "1", "x", "s\xC3\xAD", "si", "sim", "verdadero", "t"};
      static const char* const no[] = {"false", "no", "n", "0", "n\xC3\xA3o", "nao", "falso", "f"};
      auto list = [&](const auto& words) {
        std::string l;
        for (const char* word : words) l += (l.empty() ? "" : ", ") + w_.text(word);
        return l;
      };
      e = "CASE WHEN " + b + " IN (" + list(yes) + ") THEN " + w_.num(r.true_score) + " WHEN " + b + " IN (" +
          list(no) + ") THEN " + w_.num(r.false_score) + " END";
      break;
    }
    case rule_type::recency: {
      const std::string d = input(reading::days, column);
      e = "CASE WHEN " + d + " IS NULL THEN NULL WHEN " + d + " < 0 OR " + d + " <= " + w_.num(r.full_days) + " THEN " +
          h + " WHEN " + d + " >= " + w_.num(r.zero_days) + " THEN " + z + " ELSE (" + h + " * (" +
          w_.num(r.zero_days) + " - " + d + ")) / " + w_.num(r.zero_days - r.full_days) + " END";
      break;
    }
    case rule_type::percentile: {
      const std::string x = input(reading::number, column);
      const auto [below, equal] = ranks(x);
      e = "CASE WHEN " + x + " IS NULL THEN NULL ELSE (" + h + " * (" + below + " + " + w_.num(0.5) + " * " + equal +
          ")) / " + statistic(stat::count, x) + " END";
      break;
    }
    case rule_type::target: {
      const std::string x = input(reading::number, column);
      std::string goal;
      if (r.target) {
        if (!(*r.target > 0)) {  // target <= 0: missing in every row
          e = w_.null_double();
          break;
        }
        goal = w_.num(*r.target);
      } else {
        goal = input(reading::number, std::string(trim(r.target_column)));
      }
      const std::string q = "(" + x + " / " + (r.target ? goal : "NULLIF(" + goal + ", 0)") + ")";
      e = "CASE WHEN " + x + " IS NOT NULL AND " + goal + " > 0 THEN CASE WHEN " + q + " < 0 THEN " + z + " WHEN " + q +
          " > 1 THEN " + h + " ELSE " + h + " * " + q + " END END";
      break;
    }
  }
  if (r.lower_is_better && detail::uses_direction(r.type)) e = "(" + h + " - (" + e + "))";  // NULL stays NULL
  return e;
}

// Sums take their terms in model order, as detail::add_signal does: num += w * v (or w * the policy's
// term when v is missing), den += w (or w * the policy's term).
std::string compiler::category_sums(const model& m, std::size_t c, bool numerator) {
  const category& cat = m.categories[c];
  const detail::missing_terms terms = detail::terms_for(m.missing);
  std::string sum;
  double constant_den = 0;
  bool any = false;
  for (std::size_t s = 0; s < cat.signals.size(); ++s) {
    const double wt = cat.signals[s].weight;
    if (!(wt > 0)) continue;  // switched off: no part at all
    any = true;
    const std::string v = "hs_v" + std::to_string(c + 1) + "_" + std::to_string(s + 1);
    std::string term;
    if (numerator) {
      term = "COALESCE(" + w_.num(wt) + " * " + v + ", " + w_.num(wt * terms.num) + ")";
    } else if (m.missing == missing_policy::renormalize) {
      term = "CASE WHEN " + v + " IS NULL THEN " + w_.num(0) + " ELSE " + w_.num(wt) + " END";
    } else {
      constant_den += wt;  // every signal counts: the same sum in every row, added in the same order
      continue;
    }
    sum += (sum.empty() ? "" : " + ") + term;
  }
  if (!any) return w_.num(0);  // no switched-on signal: missing under every policy (den 0)
  if (!numerator && m.missing != missing_policy::renormalize) return w_.num(constant_den);
  return sum;
}

std::string compiler::health_sums(const model& m, bool numerator) {
  std::string sum;
  for (std::size_t c = 0; c < m.categories.size(); ++c) {
    if (!detail::category_counts(m.categories[c])) continue;
    const double wt = m.categories[c].weight;
    const std::string v = "hs_c" + std::to_string(c + 1);
    const std::string term = numerator
                                 ? "COALESCE(" + w_.num(wt) + " * " + v + ", " + w_.num(0) + ")"
                                 : "CASE WHEN " + v + " IS NULL THEN " + w_.num(0) + " ELSE " + w_.num(wt) + " END";
    sum += (sum.empty() ? "" : " + ") + term;
  }
  return sum.empty() ? w_.num(0) : sum;
}

// The band is the first whose max is at least the score rounded half away from zero. For a score
// x >= 0 (every score is) that rounding exceeds max m exactly when x >= floor(m) + 0.5, so the query
// compares x with those thresholds, as the engine's scorer does (score.cpp band_thresholds). Written
// as floor(x + 0.5) it would differ at 0.49999999999999994, where x + 0.5 rounds up to 1.
std::string compiler::band_of(const model& m, const std::string& score) {
  std::string e = "CASE WHEN " + score + " IS NULL THEN NULL";
  for (std::size_t b = 0; b + 1 < m.bands.size(); ++b)
    e += " WHEN " + score + " < " + w_.num(std::floor(m.bands[b].max) + 0.5) + " THEN " +
         w_.text(m.bands[b].id, {"sql.what.band_id"});
  e += " ELSE " + w_.text(m.bands.back().id, {"sql.what.band_id"}) + " END";
  return e;
}

std::string compiler::per_variant(const std::function<std::string(const variant&)>& f) {
  const std::string base = f(variants_.front());
  std::vector<std::pair<std::string, std::string>> arms;  // expression, segment list
  for (std::size_t v = 1; v < variants_.size(); ++v) {
    std::string e = f(variants_[v]);
    if (e == base) continue;
    bool placed = false;
    for (auto& [expr, list] : arms) {
      if (expr == e) {
        list += ", " + std::to_string(variants_[v].segment);
        placed = true;
        break;
      }
    }
    if (!placed) arms.emplace_back(std::move(e), std::to_string(variants_[v].segment));
  }
  if (arms.empty()) return base;
  std::string out = "CASE";
  for (const auto& [expr, list] : arms) out += " WHEN hs_seg IN (" + list + ") THEN " + expr;
  return out + " ELSE " + base + " END";
}

std::string compiler::run() {
  validate(base_);
  variants_.push_back({base_, -1});
  if (base_.segments) {
    segmented_ = true;
    for (std::size_t g = 0; g < base_.segments->groups.size(); ++g)
      variants_.push_back({segment_model(base_, g), static_cast<int>(g)});
  }

  // Output columns, checked for clashes before anything is written.
  std::vector<std::pair<std::string, std::string>> outputs;  // internal, output name
  const std::string id_column(trim(base_.id_column));
  if (!id_column.empty()) outputs.emplace_back("hs_id", id_column);
  outputs.emplace_back("hs_score", "health_score");
  outputs.emplace_back("hs_band", "health_band");
  if (segmented_) outputs.emplace_back("hs_segment", "health_segment");
  for (std::size_t c = 0; c < base_.categories.size(); ++c)
    outputs.emplace_back("hs_c" + std::to_string(c + 1), base_.categories[c].id + "_score");
  const std::string value_column(trim(base_.value_column));
  if (!value_column.empty()) outputs.emplace_back("hs_value", value_column);
  std::unordered_map<std::string, std::string> taken;
  for (const auto& [internal, name] : outputs) {
    // PostgreSQL cuts identifiers to 63 bytes (NAMEDATALEN - 1), silently but for a notice: the
    // column would come back under another name, and two could become one.
    if (options_.dialect == sql_dialect::postgres && name.size() > 63)
      throw model_error(message("sql.name_too_long").text("name", name).count("limit", 63));
    const auto [it, fresh] = taken.emplace(name_key(name), name);
    if (!fresh) throw model_error(message("sql.name_clash").text("first", it->second).text("second", name));
  }

  // Signal scores, per variant where segments change a rule.
  const std::size_t nc = base_.categories.size();
  std::vector<std::pair<std::string, std::string>> signals;  // name, expression
  for (std::size_t c = 0; c < nc; ++c) {
    for (std::size_t s = 0; s < base_.categories[c].signals.size(); ++s) {
      bool used = false;
      for (const variant& v : variants_) {
        const category& cat = v.m.categories[c];
        used = used || (cat.signals[s].weight > 0);
      }
      if (!used) continue;  // switched off everywhere: its column is never read
      signals.emplace_back("hs_v" + std::to_string(c + 1) + "_" + std::to_string(s + 1),
                           per_variant([&](const variant& v) {
                             const signal& sig = v.m.categories[c].signals[s];
                             return sig.weight > 0 ? signal_score(sig) : w_.null_double();
                           }));
    }
  }

  // Columns every stage carries along.
  std::vector<std::string> carried;
  if (!id_column.empty()) carried.push_back("hs_id");
  if (segmented_) carried.push_back("hs_seg");
  if (!value_column.empty()) carried.push_back("hs_value");

  std::string q = std::string("-- healthscore model as SQL (") + to_string(w_.dialect()) +
                  "): one row per input row, in no particular order\nWITH ";
  bool first_cte = true;
  auto cte = [&](const std::string& name, std::vector<std::string> items, const std::string& from) {
    if (items.empty()) items.emplace_back("1 AS hs_one");
    // PostgreSQL inlines a CTE used once, substituting its expressions into the next stage's: the
    // band's references to the score, the score's to its sums, and so on multiply, and a query with
    // segments evaluated each signal hundreds of times per row (60 s for 615 rows). MATERIALIZED
    // computes each stage once. DuckDB and Spark eliminate the common subexpressions themselves.
    q += (first_cte ? "" : ",\n") + name +
         (w_.dialect() == sql_dialect::postgres ? " AS MATERIALIZED (\n  SELECT" : " AS (\n  SELECT");
    for (std::size_t i = 0; i < items.size(); ++i) q += (i ? ",\n    " : "\n    ") + items[i];
    q += "\n  FROM " + from + "\n)";
    first_cte = false;
  };
  auto with = [&](std::vector<std::string> items) {
    items.insert(items.begin(), carried.begin(), carried.end());
    return items;
  };

  // hs_in: the typed inputs.
  std::vector<std::string> items;
  if (!id_column.empty()) items.push_back(w_.ident(id_column, path_of("id_column")) + " AS hs_id");
  if (segmented_) items.push_back(segment_expr() + " AS hs_seg");
  if (!value_column.empty()) items.push_back(w_.ident(value_column, path_of("value_column")) + " AS hs_value");
  for (const auto& [name, e] : inputs_) items.push_back(e + " AS " + name);
  cte("hs_in", items, table_expr());

  std::string source = "hs_in";
  if (!windows_.empty()) {
    items = {"hs_in.*"};
    for (const auto& [name, e] : windows_) items.push_back(e + " AS " + name);
    cte("hs_w", items, "hs_in");
    source = "hs_w";
  }
  if (!stats_.empty()) {
    items.clear();
    if (segmented_) items.emplace_back("hs_seg AS hs_stats_seg");
    for (const auto& [name, e] : stats_) items.push_back(e + " AS " + name);
    cte("hs_stats", items, segmented_ ? "hs_in\n  GROUP BY hs_seg" : "hs_in");
    source += segmented_ ? " JOIN hs_stats ON hs_seg = hs_stats_seg" : " CROSS JOIN hs_stats";
  }

  // hs_sig: signal scores.
  items.clear();
  for (const auto& [name, e] : signals) items.push_back(e + " AS " + name);
  cte("hs_sig", with(items), source);

  // hs_sum, hs_cat: category sums and scores.
  items.clear();
  for (std::size_t c = 0; c < nc; ++c) {
    const std::string n = std::to_string(c + 1);
    items.push_back(per_variant([&](const variant& v) { return category_sums(v.m, c, true); }) + " AS hs_n" + n);
    items.push_back(per_variant([&](const variant& v) { return category_sums(v.m, c, false); }) + " AS hs_d" + n);
  }
  cte("hs_sum", with(items), "hs_sig");
  items.clear();
  std::vector<std::string> category_columns;
  for (std::size_t c = 0; c < nc; ++c) {
    const std::string n = std::to_string(c + 1);
    items.push_back("CASE WHEN hs_d" + n + " > 0 THEN hs_n" + n + " / hs_d" + n + " END AS hs_c" + n);
    category_columns.push_back("hs_c" + n);
  }
  cte("hs_cat", with(items), "hs_sum");

  // hs_hsum, hs_score: the health score.
  items = {per_variant([&](const variant& v) { return health_sums(v.m, true); }) + " AS hs_hn",
           per_variant([&](const variant& v) { return health_sums(v.m, false); }) + " AS hs_hd"};
  items.insert(items.end(), category_columns.begin(), category_columns.end());
  cte("hs_hsum", with(items), "hs_cat");
  items = {"CASE WHEN hs_hd > 0 THEN hs_hn / hs_hd END AS hs_score"};
  items.insert(items.end(), category_columns.begin(), category_columns.end());
  cte("hs_score", with(items), "hs_hsum");

  // The result.
  q += "\nSELECT";
  bool first = true;
  for (const auto& [internal, name] : outputs) {
    std::string e = internal;
    if (internal == "hs_band") e = per_variant([&](const variant& v) { return band_of(v.m, "hs_score"); });
    if (internal == "hs_segment") {
      e = "CASE hs_seg";
      for (std::size_t g = 0; g < base_.segments->groups.size(); ++g)
        e += " WHEN " + std::to_string(g) + " THEN " +
             w_.text(base_.segments->groups[g].label, {"sql.what.segment_label"});
      e += " ELSE " + w_.text(base_.segments->other_label, path_of("segments.other_label")) + " END";
    }
    q += (first ? "\n  " : ",\n  ") + e + " AS " + w_.ident(name, {"sql.what.output_column"});
    first = false;
  }
  q += "\nFROM hs_score\n";
  return q;
}

}  // namespace

std::string to_sql(const model& m, const sql_options& options) { return compiler(m, options).run(); }

}  // namespace healthscore
