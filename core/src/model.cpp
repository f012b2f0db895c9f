// SPDX-License-Identifier: MIT
// Loading, validating and saving the health model (`spec/model.md`). Parsing checks JSON types and
// presence; `validate` checks meaning (ranges, uniqueness, bands) on the typed model, so a model
// built in code is held to the same rules as one read from a file. Every message starts with the
// JSON path of the problem.
#include "healthscore/model.hpp"

#include <cmath>
#include <initializer_list>
#include <vector>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "detail/rules.hpp"
#include "healthscore/cells.hpp"

namespace healthscore {

namespace {

// Caps against hostile or runaway documents.
constexpr std::size_t max_categories = model_max_categories;
constexpr std::size_t max_signals = model_max_signals;
constexpr std::size_t max_string = 10000;  // characters (UTF-8 code points)
constexpr std::size_t max_steps = 1000;
constexpr std::size_t max_map_entries = 10000;
constexpr std::size_t max_bands = 100;  // band indexes are stored as int8
constexpr std::size_t max_positive = 1000;
constexpr std::size_t max_segment_values = 10000;  // values of one segment group

/// The model message `code` about the member at `path`: every model.* template starts with {path},
/// the JSON path (`categories[0].weight`), which is never translated.
message at(const std::string& path, const char* code) { return message(code).text("path", path); }
[[noreturn]] void fail(message m) { throw model_error(std::move(m)); }
[[noreturn]] void fail(const std::string& path, const char* code) { fail(at(path, code)); }

std::string join(const std::string& path, std::string_view key) {
  std::string out = path;
  if (!out.empty()) out += '.';
  out += key;
  return out;
}
std::string index(const std::string& path, std::size_t i) { return path + "[" + std::to_string(i) + "]"; }

/// A member of a keyed object: `.usage` for a plain identifier, else `["Logins (30d)"]` as `map_path` does.
std::string map_path(const std::string& path, const std::string& key);
std::string member_path(const std::string& path, const std::string& key) {
  bool plain = !key.empty() && !(key[0] >= '0' && key[0] <= '9');
  for (const char ch : key)
    plain = plain && ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_' ||
                      ch == '-');
  return plain ? join(path, key) : map_path(path, key);
}

/// `rule.map["Gold"]`: the key quoted as JSON (invalid UTF-8 replaced, never thrown on).
std::string map_path(const std::string& path, const std::string& key) {
  return path + "[" + json(key).dump(-1, ' ', false, json::error_handler_t::replace) + "]";
}

/// `"text"`, built by appending (GCC 12 warns falsely on `"\"" + std::string` at -O3).
std::string quote_text(std::string_view text) {
  std::string q;
  q.reserve(text.size() + 2);
  q += '"';
  q.append(text);
  q += '"';
  return q;
}

std::size_t utf8_length(std::string_view s) noexcept {
  std::size_t n = 0;
  for (const char ch : s) n += (static_cast<unsigned char>(ch) & 0xC0) != 0x80;
  return n;
}

void check_length(const std::string& s, const std::string& path) {
  if (s.size() > max_string && utf8_length(s) > max_string) fail(at(path, "model.too_long").count("limit", max_string));
}

void check_count(std::size_t n, std::size_t limit, const std::string& path) {
  if (n > limit) fail(at(path, "model.too_many_entries").count("count", n).count("limit", limit));
}

// ---- reading JSON values -------------------------------------------------------------------

const json* find(const json& obj, std::string_view key) {
  const auto it = obj.find(key);
  return it == obj.end() ? nullptr : &*it;
}

double read_number(const json& v, const std::string& path) {
  if (!v.is_number()) fail(path, "model.not_number");
  const double d = v.get<double>();
  if (!std::isfinite(d)) fail(path, "model.not_finite");
  return d;
}

std::string read_string(const json& v, const std::string& path) {
  if (!v.is_string()) fail(path, "model.not_string");
  std::string s = v.get<std::string>();
  check_length(s, path);
  return s;
}

void require_object(const json& v, const std::string& path) {
  if (!v.is_object()) fail(path, "model.not_object");
}
const json& require_array(const json& v, const std::string& path) {
  if (!v.is_array()) fail(path, "model.not_array");
  return v;
}
const json& required(const json& obj, std::string_view key, const std::string& path) {
  const json* v = find(obj, key);
  if (!v) fail(join(path, key), "model.required");
  return *v;
}

/// The members of `obj` whose keys are not in `known`, in document order.
json extras(const json& obj, std::initializer_list<std::string_view> known) {
  json out = json::object();
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    bool is_known = false;
    for (const auto k : known) is_known = is_known || it.key() == k;
    if (!is_known) out[it.key()] = it.value();
  }
  return out;
}

std::optional<rule_type> rule_type_from(std::string_view s) {
  for (const rule_type t : {rule_type::linear, rule_type::log, rule_type::steps, rule_type::map, rule_type::boolean,
                            rule_type::recency, rule_type::percentile, rule_type::target})
    if (s == to_string(t)) return t;
  return std::nullopt;
}

/// Days since 1970-01-01 of a strict `yyyy-mm-dd` that is a real calendar date.
std::int32_t read_iso_date(const json& v, const std::string& path) {
  if (!v.is_string()) fail(path, "model.not_date");
  const std::string s = v.get<std::string>();
  auto digits = [&](std::size_t from, std::size_t n) {
    int x = 0;
    for (std::size_t i = from; i < from + n; ++i) {
      if (s[i] < '0' || s[i] > '9') return -1;
      x = x * 10 + (s[i] - '0');
    }
    return x;
  };
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') fail(path, "model.not_date");
  const int y = digits(0, 4), m = digits(5, 2), d = digits(8, 2);
  if (y < 0 || m < 0 || d < 0) fail(path, "model.not_date");
  static constexpr int month_days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (m < 1 || m > 12 || d < 1 || d > month_days[m - 1] + (m == 2 && leap))
    fail(at(path, "model.not_calendar_date").text("value", s));
  return days_from_civil(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
}

// ---- parsing each level --------------------------------------------------------------------

struct rule read_rule(const json& v, const std::string& path) {
  require_object(v, path);
  struct rule r;
  const json& type = required(v, "type", path);
  if (!type.is_string()) fail(join(path, "type"), "model.not_string");
  const auto t = rule_type_from(type.get<std::string>());
  if (!t) fail(at(join(path, "type"), "model.unknown_rule_type").text("value", type.get<std::string>()));
  r.type = *t;
  if (const json* d = find(v, "direction")) {
    const std::string dir = d->is_string() ? d->get<std::string>() : std::string();
    if (dir != "higher_is_better" && dir != "lower_is_better") fail(join(path, "direction"), "model.bad_direction");
    r.lower_is_better = dir == "lower_is_better";
  }
  switch (r.type) {
    case rule_type::linear:
    case rule_type::log:
      if (const json* x = find(v, "min")) r.min = read_number(*x, join(path, "min"));
      if (const json* x = find(v, "max")) r.max = read_number(*x, join(path, "max"));
      r.extra = extras(v, {"type", "direction", "min", "max"});
      break;
    case rule_type::steps: {
      const std::string sp = join(path, "steps");
      const json& steps = require_array(required(v, "steps", path), sp);
      if (steps.empty()) fail(sp, "model.empty");
      check_count(steps.size(), max_steps, sp);
      for (std::size_t i = 0; i < steps.size(); ++i) {
        const std::string p = index(sp, i);
        require_object(steps[i], p);
        step st;
        if (const json* x = find(steps[i], "max")) st.max = read_number(*x, join(p, "max"));
        st.score = read_number(required(steps[i], "score", p), join(p, "score"));
        st.extra = extras(steps[i], {"max", "score"});
        r.steps.push_back(std::move(st));
      }
      r.extra = extras(v, {"type", "direction", "steps"});
      break;
    }
    case rule_type::map: {
      const std::string mp = join(path, "map");
      const json& m = required(v, "map", path);
      require_object(m, mp);
      check_count(m.size(), max_map_entries, mp);
      for (auto it = m.begin(); it != m.end(); ++it) {
        const std::string p = map_path(mp, it.key());
        check_length(it.key(), p);
        r.map.emplace_back(it.key(), read_number(it.value(), p));
      }
      if (const json* x = find(v, "default")) r.map_default = read_number(*x, join(path, "default"));
      r.extra = extras(v, {"type", "direction", "map", "default"});
      break;
    }
    case rule_type::boolean:
      if (const json* x = find(v, "true_score")) r.true_score = read_number(*x, join(path, "true_score"));
      if (const json* x = find(v, "false_score")) r.false_score = read_number(*x, join(path, "false_score"));
      r.extra = extras(v, {"type", "direction", "true_score", "false_score"});
      break;
    case rule_type::recency:
      if (const json* x = find(v, "full_days")) r.full_days = read_number(*x, join(path, "full_days"));
      r.zero_days = read_number(required(v, "zero_days", path), join(path, "zero_days"));
      r.extra = extras(v, {"type", "direction", "full_days", "zero_days"});
      break;
    case rule_type::percentile: r.extra = extras(v, {"type", "direction"}); break;
    case rule_type::target:
      if (const json* x = find(v, "target")) r.target = read_number(*x, join(path, "target"));
      if (const json* x = find(v, "target_column")) r.target_column = read_string(*x, join(path, "target_column"));
      r.extra = extras(v, {"type", "direction", "target", "target_column"});
      break;
  }
  return r;
}

/// Weights past this are refused: only ratios matter, and sums of weights near the largest double
/// overflow, which would leave every account unscored without a word.
constexpr double max_weight = 1e9;
constexpr std::uint64_t max_weight_limit = 1'000'000'000;

double read_weight(const json& obj, const std::string& path) {
  const json* w = find(obj, "weight");
  if (!w) return 1;
  const double d = read_number(*w, join(path, "weight"));
  if (d < 0) fail(join(path, "weight"), "model.negative");
  if (d > max_weight) fail(at(join(path, "weight"), "model.weight_too_large").count("limit", max_weight_limit));
  return d;
}

signal read_signal(const json& v, const std::string& path) {
  require_object(v, path);
  signal s;
  s.column = read_string(required(v, "column", path), join(path, "column"));
  if (const json* x = find(v, "id")) {
    s.id = read_string(*x, join(path, "id"));
    if (s.id.empty()) fail(join(path, "id"), "model.empty_signal_id");
  }
  s.weight = read_weight(v, path);
  s.rule = read_rule(required(v, "rule", path), join(path, "rule"));
  s.extra = extras(v, {"column", "id", "weight", "rule"});
  return s;
}

category read_category(const json& v, const std::string& path, std::size_t& signal_total) {
  require_object(v, path);
  category c;
  c.id = read_string(required(v, "id", path), join(path, "id"));
  const json* label = find(v, "label");
  c.label = label ? read_string(*label, join(path, "label")) : c.id;
  c.weight = read_weight(v, path);
  const std::string sp = join(path, "signals");
  const json& signals = require_array(required(v, "signals", path), sp);
  signal_total += signals.size();
  if (signal_total > max_signals) fail(at(sp, "model.too_many_signals").count("limit", max_signals));
  c.signals.reserve(signals.size());
  for (std::size_t i = 0; i < signals.size(); ++i) c.signals.push_back(read_signal(signals[i], index(sp, i)));
  c.extra = extras(v, {"id", "label", "weight", "signals"});
  return c;
}

band read_band(const json& v, const std::string& path) {
  require_object(v, path);
  band b;
  b.id = read_string(required(v, "id", path), join(path, "id"));
  const json* label = find(v, "label");
  b.label = label ? read_string(*label, join(path, "label")) : b.id;
  b.max = read_number(required(v, "max", path), join(path, "max"));
  if (const json* x = find(v, "color")) b.color = read_string(*x, join(path, "color"));
  if (const json* x = find(v, "action")) b.action = read_string(*x, join(path, "action"));
  b.extra = extras(v, {"id", "label", "max", "color", "action"});
  return b;
}

struct outcome read_outcome(const json& v, const std::string& path) {
  require_object(v, path);
  struct outcome o;
  o.column = read_string(required(v, "column", path), join(path, "column"));
  if (const json* p = find(v, "positive")) {
    const std::string pp = join(path, "positive");
    require_array(*p, pp);
    check_count(p->size(), max_positive, pp);
    o.positive.clear();
    for (std::size_t i = 0; i < p->size(); ++i) o.positive.push_back(read_string((*p)[i], index(pp, i)));
  }
  if (const json* g = find(v, "good"); g && !g->is_boolean()) fail(join(path, "good"), "model.not_boolean");
  o.extra = extras(v, {"column", "positive"});  // `good` stays among the extras, where evidence reads it
  return o;
}

// ---- segments --------------------------------------------------------------------------------

std::optional<double> read_optional_weight(const json& obj, const std::string& path) {
  if (!find(obj, "weight")) return std::nullopt;
  return read_weight(obj, path);
}

category_override read_category_override(const std::string& id, const json& v, const std::string& path) {
  require_object(v, path);
  category_override c;
  c.id = id;
  c.weight = read_optional_weight(v, path);
  if (const json* sigs = find(v, "signals")) {
    const std::string sp = join(path, "signals");
    require_object(*sigs, sp);
    for (auto it = sigs->begin(); it != sigs->end(); ++it) {
      const std::string p = member_path(sp, it.key());
      require_object(it.value(), p);
      signal_override so;
      so.key = it.key();
      so.weight = read_optional_weight(it.value(), p);
      if (const json* r = find(it.value(), "rule")) so.rule = read_rule(*r, join(p, "rule"));
      so.extra = extras(it.value(), {"weight", "rule"});
      c.signals.push_back(std::move(so));
    }
  }
  c.extra = extras(v, {"weight", "signals"});
  return c;
}

segment_group read_group(const json& v, const std::string& path) {
  require_object(v, path);
  segment_group g;
  g.id = read_string(required(v, "id", path), join(path, "id"));
  const json* label = find(v, "label");
  g.label = label ? read_string(*label, join(path, "label")) : g.id;
  const std::string vp = join(path, "values");
  const json& values = require_array(required(v, "values", path), vp);
  check_count(values.size(), max_segment_values, vp);
  for (std::size_t i = 0; i < values.size(); ++i) g.values.push_back(read_string(values[i], index(vp, i)));
  if (const json* cats = find(v, "categories")) {
    const std::string cp = join(path, "categories");
    require_object(*cats, cp);
    for (auto it = cats->begin(); it != cats->end(); ++it)
      g.categories.push_back(read_category_override(it.key(), it.value(), member_path(cp, it.key())));
  }
  if (const json* bands = find(v, "bands")) {
    const std::string bp = join(path, "bands");
    require_array(*bands, bp);
    check_count(bands->size(), max_bands, bp);
    for (std::size_t i = 0; i < bands->size(); ++i) {
      const json& jb = (*bands)[i];
      const std::string p = index(bp, i);
      require_object(jb, p);
      band_override b;
      b.id = read_string(required(jb, "id", p), join(p, "id"));
      b.max = read_number(required(jb, "max", p), join(p, "max"));
      if (const json* a = find(jb, "action")) b.action = read_string(*a, join(p, "action"));
      b.extra = extras(jb, {"id", "max", "action"});
      g.bands.push_back(std::move(b));
    }
  }
  g.extra = extras(v, {"id", "label", "values", "categories", "bands"});
  return g;
}

struct segments read_segments(const json& v, const std::string& path) {
  require_object(v, path);
  struct segments s;
  s.column = read_string(required(v, "column", path), join(path, "column"));
  if (const json* x = find(v, "other_label")) s.other_label = read_string(*x, join(path, "other_label"));
  const std::string gp = join(path, "groups");
  const json& groups = require_array(required(v, "groups", path), gp);
  check_count(groups.size(), max_segment_groups, gp);
  for (std::size_t i = 0; i < groups.size(); ++i) s.groups.push_back(read_group(groups[i], index(gp, i)));
  s.extra = extras(v, {"column", "other_label", "groups"});
  return s;
}

// ---- writing -------------------------------------------------------------------------------

/// Integral values are written as integers so a 40 in the file stays 40, not 40.0.
json number(double x) {
  if (std::isfinite(x) && std::floor(x) == x && std::fabs(x) < 9.0e15) return static_cast<std::int64_t>(x);
  return x;
}

/// Appends the unknown fields after the known ones; a known key is never overwritten by an extra.
void append_extra(json& out, const json& extra) {
  if (!extra.is_object()) return;
  for (auto it = extra.begin(); it != extra.end(); ++it)
    if (out.find(it.key()) == out.end()) out[it.key()] = it.value();
}

json rule_to_json(const struct rule& r) {
  json out = json::object();
  out["type"] = to_string(r.type);
  switch (r.type) {
    case rule_type::linear:
    case rule_type::log:
      if (r.min) out["min"] = number(*r.min);
      if (r.max) out["max"] = number(*r.max);
      break;
    case rule_type::steps: {
      json steps = json::array();
      for (const step& s : r.steps) {
        json j = json::object();
        if (s.max) j["max"] = number(*s.max);
        j["score"] = number(s.score);
        append_extra(j, s.extra);
        steps.push_back(std::move(j));
      }
      out["steps"] = std::move(steps);
      break;
    }
    case rule_type::map: {
      json m = json::object();
      for (const auto& [k, v] : r.map) m[k] = number(v);
      out["map"] = std::move(m);
      if (r.map_default) out["default"] = number(*r.map_default);
      break;
    }
    case rule_type::boolean:
      out["true_score"] = number(r.true_score);
      out["false_score"] = number(r.false_score);
      break;
    case rule_type::recency:
      out["full_days"] = number(r.full_days);
      out["zero_days"] = number(r.zero_days);
      break;
    case rule_type::percentile: break;
    case rule_type::target:
      if (r.target) out["target"] = number(*r.target);
      if (!r.target_column.empty()) out["target_column"] = r.target_column;
      break;
  }
  if (r.lower_is_better) out["direction"] = "lower_is_better";
  append_extra(out, r.extra);
  return out;
}

json segments_to_json(const struct segments& sg) {
  json out = json::object();
  out["column"] = sg.column;
  out["other_label"] = sg.other_label;
  json groups = json::array();
  for (const segment_group& g : sg.groups) {
    json jg = json::object();
    jg["id"] = g.id;
    jg["label"] = g.label;
    jg["values"] = g.values;
    if (!g.categories.empty()) {
      json cats = json::object();
      for (const category_override& c : g.categories) {
        json jc = json::object();
        if (c.weight) jc["weight"] = number(*c.weight);
        if (!c.signals.empty()) {
          json sigs = json::object();
          for (const signal_override& so : c.signals) {
            json js = json::object();
            if (so.weight) js["weight"] = number(*so.weight);
            if (so.rule) js["rule"] = rule_to_json(*so.rule);
            append_extra(js, so.extra);
            sigs[so.key] = std::move(js);
          }
          jc["signals"] = std::move(sigs);
        }
        append_extra(jc, c.extra);
        cats[c.id] = std::move(jc);
      }
      jg["categories"] = std::move(cats);
    }
    if (!g.bands.empty()) {
      json bands = json::array();
      for (const band_override& b : g.bands) {
        json jb = json::object();
        jb["id"] = b.id;
        jb["max"] = number(b.max);
        if (b.action) jb["action"] = *b.action;
        append_extra(jb, b.extra);
        bands.push_back(std::move(jb));
      }
      jg["bands"] = std::move(bands);
    }
    append_extra(jg, g.extra);
    groups.push_back(std::move(jg));
  }
  out["groups"] = std::move(groups);
  append_extra(out, sg.extra);
  return out;
}

// ---- semantic checks -----------------------------------------------------------------------

void check_finite(double x, const std::string& path) {
  if (!std::isfinite(x)) fail(path, "model.not_finite");
}
void check_score(double x, const std::string& path) {
  if (!(x >= 0 && x <= 100)) fail(path, "model.not_score");
}
void check_weight(double w, const std::string& path) {
  if (!(std::isfinite(w) && w >= 0)) fail(path, "model.negative");
  if (w > max_weight) fail(at(path, "model.weight_too_large").count("limit", max_weight_limit));
}

void validate_rule(const struct rule& r, const std::string& path) {
  switch (r.type) {
    case rule_type::linear:
      if (r.min) check_finite(*r.min, join(path, "min"));
      if (r.max) check_finite(*r.max, join(path, "max"));
      break;
    case rule_type::log:
      // ln(1 + x) is only read for x >= 0, so bounds below 0 would mean nothing.
      if (r.min && !(std::isfinite(*r.min) && *r.min >= 0)) fail(join(path, "min"), "model.negative");
      if (r.max && !(std::isfinite(*r.max) && *r.max >= 0)) fail(join(path, "max"), "model.negative");
      break;
    case rule_type::steps: {
      const std::string sp = join(path, "steps");
      if (r.steps.empty()) fail(sp, "model.empty");
      check_count(r.steps.size(), max_steps, sp);
      for (std::size_t i = 0; i < r.steps.size(); ++i) {
        if (r.steps[i].max) check_finite(*r.steps[i].max, join(index(sp, i), "max"));
        check_score(r.steps[i].score, join(index(sp, i), "score"));
      }
      break;
    }
    case rule_type::map: {
      const std::string mp = join(path, "map");
      check_count(r.map.size(), max_map_entries, mp);
      for (const auto& [k, v] : r.map) {
        const std::string p = map_path(mp, k);
        check_length(k, p);
        check_score(v, p);
      }
      if (r.map_default) check_score(*r.map_default, join(path, "default"));
      break;
    }
    case rule_type::boolean:
      check_score(r.true_score, join(path, "true_score"));
      check_score(r.false_score, join(path, "false_score"));
      break;
    case rule_type::recency:
      check_finite(r.full_days, join(path, "full_days"));
      check_finite(r.zero_days, join(path, "zero_days"));
      if (!(r.zero_days > r.full_days)) fail(join(path, "zero_days"), "model.zero_days_order");
      break;
    case rule_type::percentile: break;
    case rule_type::target:
      if (r.target && !r.target_column.empty()) fail(path, "model.target_both");
      if (!r.target && r.target_column.empty()) fail(path, "model.target_none");
      if (r.target) check_finite(*r.target, join(path, "target"));
      check_length(r.target_column, join(path, "target_column"));
      break;
  }
}

/// Band cut points under the contract's rules: increasing `max`, the last 100. `path_of(b)` is the path of band b.
template <class Max, class Path>
void check_cut_points(std::size_t n, Max max_of, Path path_of) {
  for (std::size_t b = 0; b < n; ++b) {
    check_finite(max_of(b), join(path_of(b), "max"));
    if (b > 0 && !(max_of(b) > max_of(b - 1)))
      fail(at(join(path_of(b), "max"), "model.band_order").text("previous", join(path_of(b - 1), "max")));
  }
  if (n > 0 && max_of(n - 1) != 100) fail(join(path_of(n - 1), "max"), "model.last_band");
}

/// `"a", "b"` (names quoted, never translated), or "(none)" in the message's language.
message list_ids(const std::vector<std::string>& ids) {
  std::string out;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (i) out += ", ";
    out += quote_text(ids[i]);
  }
  return out.empty() ? message("model.none") : message("model.ids").text("ids", out);
}

void validate_segments(const model& m) {
  const struct segments& sg = *m.segments;
  if (trim(sg.column).empty()) fail("segments.column", "model.empty");
  check_length(sg.column, "segments.column");
  if (trim(sg.other_label).empty()) fail("segments.other_label", "model.empty");
  check_length(sg.other_label, "segments.other_label");
  check_count(sg.groups.size(), max_segment_groups, "segments.groups");

  std::vector<std::string> category_ids;
  for (const category& c : m.categories) category_ids.push_back(c.id);
  std::vector<std::string> band_ids;
  for (const band& b : m.bands) band_ids.push_back(b.id);

  std::unordered_set<std::string_view> group_ids;
  std::unordered_map<std::string, std::size_t> value_group;  // folded value -> first group
  for (std::size_t g = 0; g < sg.groups.size(); ++g) {
    const segment_group& grp = sg.groups[g];
    const std::string gp = index("segments.groups", g);
    if (grp.id.empty()) fail(join(gp, "id"), "model.empty");
    check_length(grp.id, join(gp, "id"));
    if (!group_ids.insert(grp.id).second) fail(at(join(gp, "id"), "model.duplicate_group").text("id", grp.id));
    check_length(grp.label, join(gp, "label"));
    const std::string vp = join(gp, "values");
    check_count(grp.values.size(), max_segment_values, vp);
    for (std::size_t i = 0; i < grp.values.size(); ++i) {
      const std::string p = index(vp, i);
      check_length(grp.values[i], p);
      if (trim(grp.values[i]).empty()) fail(p, "model.empty_segment_value");
      const auto [it, fresh] = value_group.emplace(detail::fold_case(grp.values[i]), g);
      if (!fresh && it->second != g)
        fail(at(p, "model.segment_value_taken")
                 .text("value", grp.values[i])
                 .text("group", index("segments.groups", it->second)));
    }

    std::unordered_set<std::string_view> seen_categories;
    for (const category_override& co : grp.categories) {
      const std::string cp = member_path(join(gp, "categories"), co.id);
      std::size_t c = 0;
      while (c < m.categories.size() && m.categories[c].id != co.id) ++c;
      if (c == m.categories.size()) fail(at(cp, "model.unknown_category").nested("ids", list_ids(category_ids)));
      if (!seen_categories.insert(co.id).second) fail(cp, "model.named_twice");
      if (co.weight) check_weight(*co.weight, join(cp, "weight"));
      const category& cat = m.categories[c];
      std::unordered_set<std::string_view> seen_signals;
      for (const signal_override& so : co.signals) {
        const std::string sp = member_path(join(cp, "signals"), so.key);
        std::size_t matches = 0;
        for (const signal& sig : cat.signals) matches += sig.key() == so.key;
        if (matches == 0) {
          std::vector<std::string> keys;
          for (const signal& sig : cat.signals) keys.push_back(sig.key());
          fail(at(sp, "model.unknown_signal").text("category", cat.id).nested("keys", list_ids(keys)));
        }
        if (matches > 1) fail(at(sp, "model.ambiguous_signal").count("count", matches).text("category", cat.id));
        if (!seen_signals.insert(so.key).second) fail(sp, "model.named_twice");
        if (so.weight) check_weight(*so.weight, join(sp, "weight"));
        if (so.rule) validate_rule(*so.rule, join(sp, "rule"));
      }
    }

    if (!grp.bands.empty()) {
      const std::string bp = join(gp, "bands");
      if (grp.bands.size() != m.bands.size())
        fail(at(bp, "model.segment_band_count")
                 .count("count", grp.bands.size())
                 .count("expected", m.bands.size())
                 .nested("ids", list_ids(band_ids)));
      for (std::size_t b = 0; b < grp.bands.size(); ++b) {
        const band_override& bo = grp.bands[b];
        if (bo.id != m.bands[b].id)
          fail(at(join(index(bp, b), "id"), "model.segment_band_id")
                   .text("id", m.bands[b].id)
                   .nested("ids", list_ids(band_ids)));
        if (bo.action) check_length(*bo.action, join(index(bp, b), "action"));
      }
      check_cut_points(
          grp.bands.size(), [&](std::size_t b) { return grp.bands[b].max; },
          [&](std::size_t b) { return index(bp, b); });
    }
  }
}

}  // namespace

const char* to_string(rule_type t) noexcept {
  switch (t) {
    case rule_type::linear: return "linear";
    case rule_type::log: return "log";
    case rule_type::steps: return "steps";
    case rule_type::map: return "map";
    case rule_type::boolean: return "boolean";
    case rule_type::recency: return "recency";
    case rule_type::percentile: return "percentile";
    case rule_type::target: return "target";
  }
  return "unknown";
}

const char* to_string(missing_policy p) noexcept {
  switch (p) {
    case missing_policy::renormalize: return "renormalize";
    case missing_policy::zero: return "zero";
    case missing_policy::neutral: return "neutral";
  }
  return "unknown";
}

std::vector<band> model::default_bands() {
  return {
      {"red", "At risk", 50, "#c0392b", "Call this week", json::object()},
      {"yellow", "Neutral", 70, "#d4a017", "Monitor, offer help", json::object()},
      {"green", "Healthy", 100, "#2e8b57", "Ask for referral, upsell", json::object()},
  };
}

void validate(const model& m) {
  if (m.version != 1) fail("version", "model.version");
  check_length(m.name, "name");
  check_length(m.id_column, "id_column");
  check_length(m.name_column, "name_column");
  check_length(m.value_column, "value_column");
  check_count(m.categories.size(), max_categories, "categories");

  std::size_t signal_total = 0;
  std::unordered_set<std::string_view> ids;
  for (std::size_t c = 0; c < m.categories.size(); ++c) {
    const category& cat = m.categories[c];
    const std::string cp = index("categories", c);
    if (cat.id.empty()) fail(join(cp, "id"), "model.empty");
    check_length(cat.id, join(cp, "id"));
    if (!ids.insert(cat.id).second) fail(at(join(cp, "id"), "model.duplicate_category").text("id", cat.id));
    check_length(cat.label, join(cp, "label"));
    check_weight(cat.weight, join(cp, "weight"));
    signal_total += cat.signals.size();
    if (signal_total > max_signals) fail(at(join(cp, "signals"), "model.too_many_signals").count("limit", max_signals));
    std::unordered_set<std::string_view> signal_ids;
    for (std::size_t s = 0; s < cat.signals.size(); ++s) {
      const signal& sig = cat.signals[s];
      const std::string sp = index(join(cp, "signals"), s);
      if (trim(sig.column).empty()) fail(join(sp, "column"), "model.empty");
      check_length(sig.column, join(sp, "column"));
      check_length(sig.id, join(sp, "id"));
      if (!sig.id.empty() && !signal_ids.insert(sig.id).second)
        fail(at(join(sp, "id"), "model.duplicate_signal").text("id", sig.id));
      check_weight(sig.weight, join(sp, "weight"));
      validate_rule(sig.rule, join(sp, "rule"));
    }
  }

  if (m.bands.empty()) fail("bands", "model.empty");
  check_count(m.bands.size(), max_bands, "bands");
  std::unordered_set<std::string_view> band_ids;
  for (std::size_t b = 0; b < m.bands.size(); ++b) {
    const band& bd = m.bands[b];
    const std::string bp = index("bands", b);
    if (bd.id.empty()) fail(join(bp, "id"), "model.empty");
    check_length(bd.id, join(bp, "id"));
    if (!band_ids.insert(bd.id).second) fail(at(join(bp, "id"), "model.duplicate_band").text("id", bd.id));
    check_length(bd.label, join(bp, "label"));
    check_length(bd.color, join(bp, "color"));
    check_length(bd.action, join(bp, "action"));
    check_finite(bd.max, join(bp, "max"));
    if (b > 0 && !(bd.max > m.bands[b - 1].max))
      fail(at(join(bp, "max"), "model.band_order").text("previous", join(index("bands", b - 1), "max")));
  }
  if (m.bands.back().max != 100) fail(join(index("bands", m.bands.size() - 1), "max"), "model.last_band");

  if (m.outcome) {
    if (trim(m.outcome->column).empty()) fail("outcome.column", "model.empty");
    check_length(m.outcome->column, "outcome.column");
    check_count(m.outcome->positive.size(), max_positive, "outcome.positive");
    for (std::size_t i = 0; i < m.outcome->positive.size(); ++i)
      check_length(m.outcome->positive[i], index("outcome.positive", i));
    if (const auto g = m.outcome->extra.find("good"); g != m.outcome->extra.end() && !g->is_boolean())
      fail("outcome.good", "model.not_boolean");
  }
  if (m.segments) validate_segments(m);
}

model model_from_json(const json& doc) {
  if (!doc.is_object()) throw model_error(message("model.not_json_object"));
  model m;
  const json& version = required(doc, "version", "");
  if (!version.is_number() || version.get<double>() != 1) fail("version", "model.version");
  m.version = 1;
  if (const json* x = find(doc, "name")) m.name = read_string(*x, "name");
  if (const json* x = find(doc, "id_column")) m.id_column = read_string(*x, "id_column");
  if (const json* x = find(doc, "name_column")) m.name_column = read_string(*x, "name_column");
  if (const json* x = find(doc, "value_column")) {
    m.value_column = read_string(*x, "value_column");
    if (trim(m.value_column).empty()) fail("value_column", "model.empty_value_column");
  }
  if (const json* x = find(doc, "as_of")) m.as_of = read_iso_date(*x, "as_of");
  if (const json* x = find(doc, "missing")) {
    const std::string p = x->is_string() ? x->get<std::string>() : std::string();
    if (p == "renormalize")
      m.missing = missing_policy::renormalize;
    else if (p == "zero")
      m.missing = missing_policy::zero;
    else if (p == "neutral")
      m.missing = missing_policy::neutral;
    else
      fail("missing", "model.bad_missing");
  }
  const json& cats = require_array(required(doc, "categories", ""), "categories");
  check_count(cats.size(), max_categories, "categories");
  std::size_t signal_total = 0;
  m.categories.reserve(cats.size());
  for (std::size_t i = 0; i < cats.size(); ++i)
    m.categories.push_back(read_category(cats[i], index("categories", i), signal_total));
  if (const json* x = find(doc, "bands")) {
    require_array(*x, "bands");
    if (x->empty()) fail("bands", "model.empty");
    check_count(x->size(), max_bands, "bands");
    m.bands.clear();
    for (std::size_t i = 0; i < x->size(); ++i) m.bands.push_back(read_band((*x)[i], index("bands", i)));
  }
  if (const json* x = find(doc, "outcome")) m.outcome = read_outcome(*x, "outcome");
  if (const json* x = find(doc, "segments")) m.segments = read_segments(*x, "segments");
  m.extra = extras(doc, {"version", "name", "id_column", "name_column", "value_column", "as_of", "missing",
                         "categories", "bands", "outcome", "segments"});
  validate(m);
  return m;
}

/// Objects and arrays nested deeper than this are refused while parsing (a model needs about 8).
constexpr int max_json_depth = 64;

model parse_model(std::string_view json_text) {
  // ordered_json finds each new key by a linear search, so an object of n keys costs n^2/2 string
  // comparisons to build (200,000 map entries: minutes). Refuse an object past the largest a valid
  // model holds while parsing; one key over still reaches the usual check and its JSON path.
  std::vector<std::size_t> keys;  // per open object
  const json::parser_callback_t count_keys = [&keys](int depth, json::parse_event_t event, json&) {
    // A valid model nests a few levels; deep nesting in an unknown field would make copying or
    // destroying the kept JSON recurse until the stack runs out.
    if ((event == json::parse_event_t::object_start || event == json::parse_event_t::array_start) &&
        depth >= max_json_depth)
      throw model_error(message("model.too_deep").count("limit", max_json_depth));
    if (event == json::parse_event_t::object_start)
      keys.push_back(0);
    else if (event == json::parse_event_t::object_end && !keys.empty())
      keys.pop_back();
    else if (event == json::parse_event_t::key && !keys.empty() && ++keys.back() > max_map_entries + 1)
      throw model_error(message("model.too_many_keys").count("limit", max_map_entries));
    return true;
  };
  json doc;
  try {
    doc = json::parse(json_text.begin(), json_text.end(), count_keys);
  } catch (const json::parse_error& e) {
    // nlohmann's text is English ("parse error at line L, column C: syntax error ..."): the message
    // keeps its position, which reads the same in every language.
    const std::string what = e.what();
    std::size_t line = 0, column = 0;
    if (const auto at = what.find("at line "); at != std::string::npos)
      std::sscanf(what.c_str() + at, "at line %zu, column %zu", &line, &column);
    if (line > 0)
      throw model_error(message("model.bad_json_at").count("line", line).count("column", column).count("byte", e.byte));
    throw model_error(message("model.bad_json").count("byte", e.byte));
  } catch (const json::out_of_range& e) {
    // A number too large for a double (1e400) is out_of_range, not parse_error, in nlohmann; its
    // text ("number overflow parsing '1e400'") names the number, kept as written.
    const std::string what = e.what();
    const auto q1 = what.find('\''), q2 = q1 == std::string::npos ? q1 : what.find('\'', q1 + 1);
    throw model_error(message("model.number_too_large")
                          .text("number", q2 == std::string::npos ? std::string() : what.substr(q1 + 1, q2 - q1 - 1)));
  }
  return model_from_json(doc);
}

json model_to_json(const model& m) {
  json out = json::object();
  out["version"] = m.version;
  out["name"] = m.name;
  if (!m.id_column.empty()) out["id_column"] = m.id_column;
  if (!m.name_column.empty()) out["name_column"] = m.name_column;
  if (!m.value_column.empty()) out["value_column"] = m.value_column;
  if (m.as_of) out["as_of"] = format_date(*m.as_of);
  out["missing"] = to_string(m.missing);
  json cats = json::array();
  for (const category& c : m.categories) {
    json jc = json::object();
    jc["id"] = c.id;
    jc["label"] = c.label;
    jc["weight"] = number(c.weight);
    json sigs = json::array();
    for (const signal& s : c.signals) {
      json js = json::object();
      js["column"] = s.column;
      if (!s.id.empty()) js["id"] = s.id;
      js["weight"] = number(s.weight);
      js["rule"] = rule_to_json(s.rule);
      append_extra(js, s.extra);
      sigs.push_back(std::move(js));
    }
    jc["signals"] = std::move(sigs);
    append_extra(jc, c.extra);
    cats.push_back(std::move(jc));
  }
  out["categories"] = std::move(cats);
  json bands = json::array();
  for (const band& b : m.bands) {
    json jb = json::object();
    jb["id"] = b.id;
    jb["label"] = b.label;
    jb["max"] = number(b.max);
    if (!b.color.empty()) jb["color"] = b.color;
    if (!b.action.empty()) jb["action"] = b.action;
    append_extra(jb, b.extra);
    bands.push_back(std::move(jb));
  }
  out["bands"] = std::move(bands);
  if (m.outcome) {
    json jo = json::object();
    jo["column"] = m.outcome->column;
    jo["positive"] = m.outcome->positive;
    append_extra(jo, m.outcome->extra);
    out["outcome"] = std::move(jo);
  }
  if (m.segments) out["segments"] = segments_to_json(*m.segments);
  append_extra(out, m.extra);
  return out;
}

model segment_model(const model& m, std::size_t g) {
  if (!m.segments || g >= m.segments->groups.size()) throw std::out_of_range("no segment group " + std::to_string(g));
  const segment_group& grp = m.segments->groups[g];
  model out = m;
  out.segments.reset();
  for (const category_override& co : grp.categories) {
    for (category& cat : out.categories) {
      if (cat.id != co.id) continue;
      if (co.weight) cat.weight = *co.weight;
      for (const signal_override& so : co.signals)
        for (signal& sig : cat.signals)
          if (sig.key() == so.key) {
            if (so.weight) sig.weight = *so.weight;
            if (so.rule) sig.rule = *so.rule;
          }
    }
  }
  for (std::size_t b = 0; b < grp.bands.size() && b < out.bands.size(); ++b) {
    out.bands[b].max = grp.bands[b].max;
    if (grp.bands[b].action) out.bands[b].action = *grp.bands[b].action;
  }
  return out;
}

std::optional<std::size_t> match_segment(const segments& s, std::string_view cell) {
  if (trim(cell).empty()) return std::nullopt;
  const std::string folded = detail::fold_case(cell);
  for (std::size_t g = 0; g < s.groups.size(); ++g)
    for (const std::string& v : s.groups[g].values)
      if (detail::fold_case(v) == folded) return g;
  return std::nullopt;
}

std::string save_model(const model& m, int indent) {
  return model_to_json(m).dump(indent, ' ', false, json::error_handler_t::replace);
}

}  // namespace healthscore
