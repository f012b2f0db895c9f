// SPDX-License-Identifier: MIT
#include "healthscore/trend.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "detail/accounts.hpp"
#include "detail/csv_writer.hpp"
#include "detail/evidence_format.hpp"
#include "healthscore/cells.hpp"

namespace healthscore {

using namespace detail;

namespace {

constexpr double nan_v = std::numeric_limits<double>::quiet_NaN();

bool is_digit(char c) { return c >= '0' && c <= '9'; }

int to_int(std::string_view digits) {
  int v = 0;
  for (char c : digits) v = v * 10 + (c - '0');
  return v;
}

// Days of y-m-d, or no_date when it is not a real day (or the year is implausible for a snapshot).
std::int32_t real_day(int y, int m, int d) {
  if (y < 1900 || y > 2199 || m < 1 || m > 12 || d < 1 || d > 31) return no_date;
  const std::int32_t z = days_from_civil(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
  int yy = 0;
  unsigned mm = 0, dd = 0;
  civil_from_days(z, yy, mm, dd);
  return yy == y && static_cast<int>(mm) == m && static_cast<int>(dd) == d ? z : no_date;
}

std::int32_t month_end(int y, int m) {
  if (y < 1900 || y > 2199 || m < 1 || m > 12) return no_date;
  return (m == 12 ? days_from_civil(y + 1, 1, 1) : days_from_civil(y, static_cast<unsigned>(m + 1), 1)) - 1;
}

// What one chain of digit runs joined by one separator reads as. `problem` is set for a chain that
// has a date's shape but is not one (ambiguous order, impossible day).
std::int32_t chain_date(const std::vector<std::string_view>& runs, std::string_view text, message& problem) {
  auto len = [&](std::size_t i) { return runs[i].size(); };
  auto small = [&](std::size_t i) { return len(i) == 1 || len(i) == 2; };
  if (runs.size() == 1 && len(0) == 8) {
    const std::int32_t d =
        real_day(to_int(runs[0].substr(0, 4)), to_int(runs[0].substr(4, 2)), to_int(runs[0].substr(6, 2)));
    return d;  // eight digits that are no date (an account count, an order number) are not one
  }
  // A month alone is written with two digits (2026-09, 09-2026): "v2_2026" and "Q3-2026" are no month.
  if (runs.size() == 2 && len(0) == 4 && len(1) == 2) return month_end(to_int(runs[0]), to_int(runs[1]));
  if (runs.size() == 2 && len(0) == 2 && len(1) == 4) return month_end(to_int(runs[1]), to_int(runs[0]));
  if (runs.size() == 3 && len(0) == 4 && small(1) && small(2)) {
    const std::int32_t d = real_day(to_int(runs[0]), to_int(runs[1]), to_int(runs[2]));
    if (d == no_date) problem = message("trend.not_real_date").text("text", text);
    return d;
  }
  if (runs.size() == 3 && small(0) && small(1) && len(2) == 4) {
    const int a = to_int(runs[0]), b = to_int(runs[1]), y = to_int(runs[2]);
    std::int32_t d = no_date;
    if (a == b || (a > 12 && b <= 12))
      d = real_day(y, b, a);  // day-first (or the same either way)
    else if (b > 12 && a <= 12)
      d = real_day(y, a, b);  // month-first
    else if (a <= 12 && b <= 12) {
      problem = message("trend.ambiguous_date").text("text", text);
      return no_date;
    }
    if (d == no_date) problem = message("trend.not_real_date").text("text", text);
    return d;
  }
  return no_date;
}

bool separator(char c, bool slash) { return c == '-' || c == '_' || c == '.' || (slash && c == '/'); }

// Every date-shaped chain of `text`: digit runs joined by one and the same separator.
struct chain {
  std::size_t begin = 0, end = 0;
  std::int32_t date = no_date;
  message problem;
};

std::vector<chain> chains_of(std::string_view text, bool slash) {
  std::vector<chain> out;
  std::size_t i = 0;
  while (i < text.size()) {
    if (!is_digit(text[i])) {
      ++i;
      continue;
    }
    chain c;
    c.begin = i;
    std::vector<std::string_view> runs;
    char sep = 0;
    std::size_t last_run = i;
    bool resume_at_last_run = false;
    for (;;) {
      const std::size_t s = i;
      last_run = s;
      while (i < text.size() && is_digit(text[i])) ++i;
      runs.push_back(text.substr(s, i - s));
      if (i + 1 < text.size() && separator(text[i], slash) && is_digit(text[i + 1])) {
        if (sep == 0 || text[i] == sep) {
          sep = text[i];
          ++i;
          continue;
        }
        // Another separator: "v2_2026-11-30". This chain ends, and the next starts at its last
        // run, so "2026-11-30" is read whole.
        resume_at_last_run = runs.size() > 1;
      }
      break;
    }
    c.end = i;
    if (resume_at_last_run) i = last_run;
    c.date = chain_date(runs, text.substr(c.begin, c.end - c.begin), c.problem);
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace

found_date date_in_name(std::string_view name) {
  found_date f;
  std::vector<std::int32_t> dates;
  message problem;
  for (const chain& c : chains_of(name, false)) {
    if (c.date != no_date) {
      if (std::find(dates.begin(), dates.end(), c.date) == dates.end()) dates.push_back(c.date);
    } else if (problem.code.empty()) {
      problem = c.problem;
    }
  }
  if (dates.size() == 1 && problem.code.empty()) {
    f.date = dates[0];
  } else if (dates.size() > 1) {
    f.problem = message("trend.name_two_dates").text("a", format_date(dates[0])).text("b", format_date(dates[1]));
  } else if (!problem.code.empty()) {
    f.problem = message("trend.name_unclear").nested("problem", problem);
  } else {
    f.problem = message("trend.name_no_date");
  }
  return f;
}

found_date parse_snapshot_date(std::string_view text) {
  found_date f;
  const std::string_view t = trim(text);
  const std::vector<chain> cs = chains_of(t, true);
  if (cs.size() != 1 || cs[0].begin != 0 || cs[0].end != t.size()) {
    f.problem = message("trend.not_a_date").text("text", t);
    return f;
  }
  f.date = cs[0].date;
  if (f.date == no_date)
    f.problem = cs[0].problem.code.empty() ? message("trend.not_a_date").text("text", t) : cs[0].problem;
  return f;
}

// ---- the report -------------------------------------------------------------------------------

namespace {

// No segment filter: every account.
constexpr int all_segments = -2;

// The segment an account counts in over the period from -> to: its segment at `to`, or at `from`
// when it is gone by then.
int period_segment(const trend_account& a, std::size_t from, std::size_t to) {
  if (a.segments.empty()) return other_segment;
  return a.bands[to] != trend_absent ? a.segments[to] : a.segments[from];
}

bool in_segment(const trend_account& a, std::size_t from, std::size_t to, int segment) {
  return segment == all_segments || period_segment(a, from, to) == segment;
}

trend_movers movers_between(const trend_report& r, std::size_t from, std::size_t to, std::size_t n,
                            int segment = all_segments) {
  trend_movers mv;
  mv.from = from;
  mv.to = to;
  std::vector<double> changes(r.accounts.size(), nan_v);
  std::vector<const std::string*> ids(r.accounts.size());
  double sum = 0;
  for (std::size_t a = 0; a < r.accounts.size(); ++a) {
    const trend_account& acc = r.accounts[a];
    ids[a] = &acc.id;
    const double x = acc.scores[from], y = acc.scores[to];
    if (std::isnan(x) || std::isnan(y) || !in_segment(acc, from, to, segment)) continue;
    changes[a] = y - x;
    sum += changes[a];
    ++mv.scored_both;
  }
  if (mv.scored_both) mv.mean_change = sum / static_cast<double>(mv.scored_both);
  mv.drops = top_movers(changes, ids, false, n, score_digits);
  mv.rises = top_movers(changes, ids, true, n, score_digits);
  return mv;
}

trend_flow flow_between(const trend_report& r, std::size_t i, std::size_t nb, int segment = all_segments) {
  trend_flow f;
  f.from = i;
  f.to = i + 1;
  f.matrix.assign(nb + 2, std::vector<std::size_t>(nb + 2, 0));
  for (std::size_t a = 0; a < r.accounts.size(); ++a) {
    const int before = r.accounts[a].bands[i], after = r.accounts[a].bands[i + 1];
    if (before == trend_absent && after == trend_absent) continue;
    if (!in_segment(r.accounts[a], i, i + 1, segment)) continue;
    auto slot = [&](int b) { return b == trend_absent ? nb + 1 : b < 0 ? nb : static_cast<std::size_t>(b); };
    ++f.matrix[slot(before)][slot(after)];
    if (before == trend_absent)
      f.appeared.push_back(a);
    else if (after == trend_absent)
      f.disappeared.push_back(a);
    else if (after == 0 && before != 0)
      f.newly_at_risk.push_back(a);
    else if (before == 0 && after > 0)
      f.recovered.push_back(a);
  }
  return f;
}

// Per pair (t, t+1), one row per account of snapshot t: its category scores there and its outcome
// at t+1; the last pair is the test part. See `trend_suggestion`.
trend_suggestion suggest_over_time(const trend_report& r, const std::vector<trend_input>& snaps,
                                   const std::vector<const table*>& tables, const id_match& ix,
                                   const std::vector<std::size_t>& kept) {
  trend_suggestion ts;
  const std::size_t k = snaps.size();
  if (k < 3) {
    ts.problem = message("trend.suggest_too_few").count("snapshots", k);
    return ts;
  }
  const model& m = snaps.back().scored->current_model();
  for (const trend_input& in : snaps) {
    const auto& cs = in.scored->current_model().categories;
    bool same = cs.size() == m.categories.size();
    for (std::size_t c = 0; same && c < cs.size(); ++c) same = cs[c].id == m.categories[c].id;
    if (!same) {
      ts.problem = message("trend.suggest_categories_differ").text("source", in.scored->data().source);
      return ts;
    }
  }
  const bool by_column = r.outcome_source == "outcome";
  const std::size_t nc = m.categories.size();
  std::vector<std::vector<double>> cat_scores(nc);
  outcome_labels labels;
  std::vector<bool> train;
  for (std::size_t e = 0; e + 1 < k; ++e) {
    const std::size_t later = e + 1;
    outcome_labels at_later;
    if (by_column && tables[later]->find(m.outcome->column) >= 0) at_later = label_outcomes(*tables[later], *m.outcome);
    const scorer& s = *snaps[e].scored;
    for (std::size_t row = 0; row < tables[e]->rows; ++row) {
      const std::size_t a = ix.account_of[e][row];
      if (a == id_match::none || kept[a] == id_match::none) continue;
      std::int8_t label = -1;
      if (by_column) {
        if (!at_later.empty() && ix.present(later, a)) label = at_later[ix.first_row[later][a]];
      } else {
        label = ix.present(later, a) ? 1 : 0;  // still there: good; gone: churned (bad)
      }
      for (std::size_t c = 0; c < nc; ++c) {
        const auto& col = s.category_scores(c);
        cat_scores[c].push_back(row < col.size() ? col[row] : nan_v);
      }
      labels.push_back(label);
      train.push_back(later + 1 < k);
    }
  }
  std::vector<double> weights;
  for (const category& c : m.categories) weights.push_back(c.weight);
  ts.train_pairs = k - 2;
  ts.test_from = k - 2;
  ts.test_to = k - 1;
  ts.weights = suggest_weights(cat_scores, weights, labels, train);
  name_suggestion(ts.weights, m, ts.warnings);
  return ts;
}

}  // namespace

trend_report build_trend(std::vector<trend_input> snapshots, const trend_options& options) {
  if (snapshots.empty()) throw input_error(message("trend.no_snapshots"));
  for (const trend_input& in : snapshots)
    if (!in.scored) throw input_error(message("trend.unscored_snapshot"));
  const model& m = snapshots.front().scored->current_model();
  require_id_column(m, "trend.no_id_column");
  for (const trend_input& in : snapshots) {
    const auto& b = in.scored->current_model().bands;
    bool same = b.size() == m.bands.size();
    for (std::size_t i = 0; same && i < b.size(); ++i) same = b[i].id == m.bands[i].id;
    if (!same) throw model_error(message("trend.different_bands").text("source", in.scored->data().source));
    if (in.date == no_date)
      throw input_error(message("trend.undated_snapshot").text("source", in.scored->data().source));
  }
  std::stable_sort(snapshots.begin(), snapshots.end(),
                   [](const trend_input& a, const trend_input& b) { return a.date < b.date; });
  for (std::size_t i = 1; i < snapshots.size(); ++i)
    if (snapshots[i].date == snapshots[i - 1].date)
      throw input_error(message("trend.same_date")
                            .text("date", format_date(snapshots[i].date))
                            .text("a", snapshots[i - 1].scored->data().source)
                            .text("b", snapshots[i].scored->data().source));

  trend_report r;
  r.id_column = m.id_column;
  r.name_column = m.name_column;
  r.value_column = m.value_column;
  r.segmented = m.segments.has_value();
  for (const band& b : m.bands) {
    r.band_ids.push_back(b.id);
    r.band_labels.push_back(b.label.empty() ? b.id : b.label);
  }
  const std::size_t k = snapshots.size(), nb = m.bands.size();
  std::vector<const table*> tables;
  for (const trend_input& in : snapshots) tables.push_back(&in.scored->data());
  const id_match ix = match_ids(tables, m.id_column);

  // Accounts: every id on at most one row of every snapshot, in order of first appearance.
  std::vector<std::size_t> kept(ix.ids.size(), id_match::none);
  for (std::size_t a = 0; a < ix.ids.size(); ++a) {
    bool once = true;
    for (std::size_t i = 0; i < k && once; ++i) once = ix.row_count[i][a] <= 1;
    if (!once) continue;
    kept[a] = r.accounts.size();
    trend_account acc;
    acc.id = ix.ids[a];
    acc.scores.assign(k, nan_v);
    acc.bands.assign(k, trend_absent);
    for (std::size_t i = 0; i < k; ++i) {
      if (!ix.present(i, a)) continue;
      const std::size_t row = ix.first_row[i][a];
      acc.scores[i] = snapshots[i].scored->scores()[row];
      acc.bands[i] = snapshots[i].scored->bands()[row];
    }
    if (r.segmented) {
      acc.segments.assign(k, other_segment);
      for (std::size_t i = 0; i < k; ++i)
        if (ix.present(i, a)) acc.segments[i] = snapshots[i].scored->segments()[ix.first_row[i][a]];
    }
    for (std::size_t i = k; i-- > 0;) {
      if (!ix.present(i, a) || m.name_column.empty()) continue;
      const std::ptrdiff_t col = tables[i]->find(m.name_column);
      if (col >= 0)
        acc.name = std::string(trim(tables[i]->columns[static_cast<std::size_t>(col)].text(ix.first_row[i][a])));
      break;
    }
    r.accounts.push_back(std::move(acc));
  }
  r.left_out = ix.duplicate_ids.size();
  for (std::size_t i = 0; i < ix.duplicate_ids.size() && i < options.examples; ++i)
    r.left_out_ids.push_back(ix.duplicate_ids[i]);

  for (std::size_t i = 0; i < k; ++i) {
    trend_snapshot s;
    s.source = tables[i]->source;
    s.date = snapshots[i].date;
    s.totals = snapshots[i].scored->totals();
    s.empty_ids = ix.empty[i];
    s.duplicated_ids = ix.duplicated[i];
    for (const trend_account& acc : r.accounts) s.accounts += acc.bands[i] != trend_absent;
    r.snapshots.push_back(std::move(s));
  }

  for (std::size_t i = 0; i + 1 < k; ++i) r.flows.push_back(flow_between(r, i, nb));
  if (k >= 2) {
    r.overall = movers_between(r, 0, k - 1, options.movers);
    r.latest = movers_between(r, k - 2, k - 1, options.movers);
  }
  if (r.segmented) {
    // The segments as the snapshots' summaries list them: groups in model order, then other.
    const auto& groups = m.segments->groups;
    for (std::size_t g = 0; g <= groups.size(); ++g) {
      const bool other = g == groups.size();
      const int seg = other ? other_segment : static_cast<int>(g);
      trend_segment ts;
      ts.id = other ? std::string() : groups[g].id;
      ts.label = other ? m.segments->other_label : groups[g].label;  // as the summary labels them
      for (std::size_t i = 0; i + 1 < k; ++i) ts.flows.push_back(flow_between(r, i, nb, seg));
      if (k >= 2) {
        ts.overall = movers_between(r, 0, k - 1, options.movers, seg);
        ts.latest = movers_between(r, k - 2, k - 1, options.movers, seg);
      }
      r.segments.push_back(std::move(ts));
    }
  }

  // Lagged validation against the last snapshot.
  if (k >= 2) {
    const std::size_t last = k - 1;
    const table& tl = *tables[last];
    const model& ml = snapshots[last].scored->current_model();
    const bool by_column = ml.outcome && !ml.outcome->column.empty() && tl.find(ml.outcome->column) >= 0;
    outcome o;
    outcome_labels later;
    if (by_column) {
      o = *ml.outcome;
      later = label_outcomes(tl, o);
      r.outcome_source = "outcome";
    } else {
      o.column = "disappeared";
      o.positive = {"disappeared"};
      r.outcome_source = "disappeared";
    }
    validation_options vo;
    vo.suggest = vo.sensitivity = vo.components = false;
    for (std::size_t lag = 1; lag <= last; ++lag) {
      const std::size_t e = last - lag;
      outcome_labels labels(tables[e]->rows, -1);
      for (std::size_t row = 0; row < labels.size(); ++row) {
        const std::size_t a = ix.account_of[e][row];
        if (a == id_match::none || kept[a] == id_match::none) continue;
        if (by_column) {
          if (ix.present(last, a)) labels[row] = later[ix.first_row[last][a]];
        } else {
          labels[row] = ix.present(last, a) ? 1 : 0;  // still there: good; gone: churned (bad)
        }
      }
      trend_lag tlg;
      tlg.earlier = e;
      tlg.later = last;
      tlg.lag = lag;
      tlg.v = validate_labels(*snapshots[e].scored, labels, o, vo);
      r.lagged.push_back(std::move(tlg));
    }
  }
  if (options.suggest) r.suggestion = suggest_over_time(r, snapshots, tables, ix, kept);
  r.base = m;
  return r;
}

// ---- JSON -------------------------------------------------------------------------------------

namespace {

json account_point(const trend_report& r, const trend_account& a, std::size_t i) {
  if (a.bands[i] == trend_absent) return nullptr;
  return json{{"score", std::isnan(a.scores[i]) ? json(nullptr) : json(a.scores[i])},
              {"band", a.bands[i] < 0 ? json(nullptr) : json(r.band_ids[static_cast<std::size_t>(a.bands[i])])}};
}

json account_ref(const trend_report& r, std::size_t a, std::size_t from, std::size_t to) {
  const trend_account& acc = r.accounts[a];
  auto band = [&](std::size_t i) {
    const int b = acc.bands[i];
    return b >= 0 ? json(r.band_ids[static_cast<std::size_t>(b)]) : b == trend_absent ? json("absent") : json(nullptr);
  };
  const double change = acc.scores[to] - acc.scores[from];
  // `*_health`: the whole number each band was decided on, for a reader that shows a score beside
  // its band (rounding the two-decimal score again could differ, at 45.495).
  auto health = [&](std::size_t i) {
    return std::isnan(acc.scores[i]) ? json(nullptr) : json(static_cast<long long>(round_half_away(acc.scores[i])));
  };
  return json{{"id", acc.id},
              {"name", acc.name},
              {"from_score", num(acc.scores[from], score_digits)},
              {"to_score", num(acc.scores[to], score_digits)},
              {"from_health", health(from)},
              {"to_health", health(to)},
              {"change", num(change, score_digits)},
              {"from_band", band(from)},
              {"to_band", band(to)}};
}

json movers_json(const trend_report& r, const trend_movers& mv) {
  json drops = json::array(), rises = json::array();
  for (std::size_t a : mv.drops) drops.push_back(account_ref(r, a, mv.from, mv.to));
  for (std::size_t a : mv.rises) rises.push_back(account_ref(r, a, mv.from, mv.to));
  return json{{"from", format_date(r.snapshots[mv.from].date)},
              {"to", format_date(r.snapshots[mv.to].date)},
              {"scored_both", mv.scored_both},
              {"mean_change", num(mv.mean_change, score_digits)},
              {"drops", std::move(drops)},
              {"rises", std::move(rises)}};
}

json suggestion_json(const trend_report& r, const trend_suggestion& ts, language lang) {
  if (!ts.problem.code.empty())
    return json{{"problem", render(ts.problem, lang)}, {"problem_message", to_json(ts.problem)}};
  const weight_suggestion& w = ts.weights;
  json cats = weight_categories_json(w);
  json warnings = json::array(), warning_messages = json::array();
  for (const message& m : ts.warnings) {
    warnings.push_back(render(m, lang));
    warning_messages.push_back(to_json(m));
  }
  auto date = [&](std::size_t i) { return format_date(r.snapshots[i].date); };
  json j{{"outcome", r.outcome_source},
         {"fitted_on", json{{"first", date(0)}, {"last", date(ts.test_from)}, {"pairs", ts.train_pairs}}},
         {"checked_on", json{{"scored", date(ts.test_from)}, {"outcome_at", date(ts.test_to)}}},
         {"categories", std::move(cats)}};
  add_search_figures(j, w);
  j["test_current"] = auc_json(w.test.a);
  j["test_suggested"] = auc_json(w.test.b);
  add_gain_and_verdict(j, w, lang);
  j["warnings"] = std::move(warnings);
  j["warning_messages"] = std::move(warning_messages);
  return j;
}

}  // namespace

json trend_to_json(const trend_report& r, const trend_json_options& options, language lang) {
  json j;
  j["id_column"] = r.id_column;
  j["name_column"] = r.name_column.empty() ? json(nullptr) : json(r.name_column);
  j["value_column"] = r.value_column.empty() ? json(nullptr) : json(r.value_column);
  json bands = json::array();
  for (std::size_t b = 0; b < r.band_ids.size(); ++b)
    bands.push_back(json{{"id", r.band_ids[b]}, {"label", r.band_labels[b]}});
  j["bands"] = std::move(bands);
  const bool has_value = !r.value_column.empty();
  json snaps = json::array();
  for (const trend_snapshot& s : r.snapshots) {
    json o{{"file", s.source},
           {"date", format_date(s.date)},
           {"accounts", s.accounts},
           {"empty_ids", s.empty_ids},
           {"duplicated_ids", s.duplicated_ids}};
    o["summary"] = totals_to_json(r.base, s.totals, has_value);
    if (r.segmented) {
      json segs = json::array();
      for (const segment_totals& st : s.totals.segments) {
        json g = totals_to_json(r.base, st, has_value);
        g["id"] = st.id.empty() ? json(nullptr) : json(st.id);
        g["label"] = st.label;
        segs.push_back(std::move(g));
      }
      o["segments"] = std::move(segs);
    }
    snaps.push_back(std::move(o));
  }
  j["snapshots"] = std::move(snaps);
  j["left_out"] = json{{"duplicated_ids", r.left_out}, {"examples", r.left_out_ids}};

  std::vector<std::string> from_names = r.band_ids, to_names = r.band_ids;
  from_names.insert(from_names.end(), {"unscored", "appeared"});
  to_names.insert(to_names.end(), {"unscored", "disappeared"});
  auto flow_json = [&](const trend_flow& f) {
    const std::size_t most = options.list_limit;
    auto ids = [&](const std::vector<std::size_t>& v) {
      json a = json::array();
      for (std::size_t i = 0; i < v.size() && i < most; ++i) a.push_back(r.accounts[v[i]].id);
      return a;
    };
    auto refs = [&](const std::vector<std::size_t>& v) {
      json a = json::array();
      for (std::size_t i = 0; i < v.size() && i < most; ++i) a.push_back(account_ref(r, v[i], f.from, f.to));
      return a;
    };
    return json{{"from", format_date(r.snapshots[f.from].date)},
                {"to", format_date(r.snapshots[f.to].date)},
                {"rows", from_names},
                {"columns", to_names},
                {"matrix", f.matrix},
                {"appeared", ids(f.appeared)},
                {"disappeared", ids(f.disappeared)},
                {"newly_at_risk", refs(f.newly_at_risk)},
                {"recovered", refs(f.recovered)},
                {"counts", json{{"appeared", f.appeared.size()},
                                {"disappeared", f.disappeared.size()},
                                {"newly_at_risk", f.newly_at_risk.size()},
                                {"recovered", f.recovered.size()}}}};
  };
  json flows = json::array();
  for (const trend_flow& f : r.flows) flows.push_back(flow_json(f));
  j["flows"] = std::move(flows);
  json movers = json::object();
  if (r.overall) movers["first_to_last"] = movers_json(r, *r.overall);
  if (r.latest) movers["last_two"] = movers_json(r, *r.latest);
  j["movers"] = std::move(movers);

  json lagged = json::array();
  for (const trend_lag& l : r.lagged) {
    json o{{"lag", l.lag},
           {"scored", format_date(r.snapshots[l.earlier].date)},
           {"outcome_at", format_date(r.snapshots[l.later].date)}};
    o["validation"] = validation_to_json(l.v, lang);
    lagged.push_back(std::move(o));
  }
  j["lagged"] =
      json{{"outcome", r.outcome_source.empty() ? json(nullptr) : json(r.outcome_source)}, {"lags", std::move(lagged)}};

  if (r.segmented) {
    json segs = json::array();
    for (const trend_segment& ts : r.segments) {
      json sf = json::array();
      for (const trend_flow& f : ts.flows) sf.push_back(flow_json(f));
      json sm = json::object();
      if (ts.overall) sm["first_to_last"] = movers_json(r, *ts.overall);
      if (ts.latest) sm["last_two"] = movers_json(r, *ts.latest);
      segs.push_back(json{{"id", ts.id.empty() ? json(nullptr) : json(ts.id)},
                          {"label", ts.label},
                          {"flows", std::move(sf)},
                          {"movers", std::move(sm)}});
    }
    j["segments"] = std::move(segs);
  }
  if (r.suggestion) j["suggested_weights"] = suggestion_json(r, *r.suggestion, lang);

  if (!options.accounts) return j;
  json accounts = json::array();
  for (const trend_account& a : r.accounts) {
    json series = json::array();
    for (std::size_t i = 0; i < a.bands.size(); ++i) series.push_back(account_point(r, a, i));
    accounts.push_back(json{{"id", a.id}, {"name", a.name}, {"series", std::move(series)}});
  }
  j["accounts"] = std::move(accounts);
  return j;
}

// ---- text -------------------------------------------------------------------------------------

namespace {

std::string band_word(const trend_report& r, int b) {
  return b >= 0 ? r.band_ids[static_cast<std::size_t>(b)] : b == trend_absent ? "absent" : "unscored";
}

std::string id_list(const trend_report& r, const std::vector<std::size_t>& v, std::size_t most = 10) {
  std::string s;
  for (std::size_t i = 0; i < v.size() && i < most; ++i) s += (i ? ", " : "") + r.accounts[v[i]].id;
  if (v.size() > most) s += ", ...";
  return s;
}

void movers_text(std::string& o, const trend_report& r, const trend_movers& mv, const std::string& segment = {}) {
  const std::string period = format_date(r.snapshots[mv.from].date) + " -> " + format_date(r.snapshots[mv.to].date);
  o += "\nScore changes " + (segment.empty() ? std::string() : "in " + segment + " ") + period + ": " +
       std::to_string(mv.scored_both) + " accounts scored both times, mean change " +
       signed_fixed(mv.mean_change, score_digits) + " points\n";
  auto list = [&](const char* title, const std::vector<std::size_t>& idx) {
    o += std::string("  ") + title + " (" + std::to_string(idx.size()) + ")\n";
    if (idx.empty()) return;
    o += "    " + pad("id", 16) + pad("name", 24) + pad("from", 7, true) + pad("to", 7, true) + pad("change", 8, true) +
         "  bands\n";
    for (std::size_t a : idx) {
      const trend_account& acc = r.accounts[a];
      o += "    " + pad(clip(acc.id, 15), 16) + pad(clip(acc.name, 23), 24) +
           pad(fixed(acc.scores[mv.from], score_digits), 7, true) +
           pad(fixed(acc.scores[mv.to], score_digits), 7, true) +
           pad(signed_fixed(acc.scores[mv.to] - acc.scores[mv.from], score_digits), 8, true) + "  " +
           band_word(r, acc.bands[mv.from]) + " -> " + band_word(r, acc.bands[mv.to]) + "\n";
    }
  };
  list("Biggest drops", mv.drops);
  list("Biggest rises", mv.rises);
}

}  // namespace

std::string trend_to_text(const trend_report& r, language lang) {
  std::string o;
  const bool has_value = !r.value_column.empty();
  o += "Trend by '" + r.id_column + "': " + std::to_string(r.snapshots.size()) + " snapshots, " +
       std::to_string(r.accounts.size()) + " accounts\n";
  if (r.left_out) {
    o += "  " + std::to_string(r.left_out) + " ids are on more than one row of a snapshot and are left out, e.g. ";
    for (std::size_t i = 0; i < r.left_out_ids.size(); ++i) o += (i ? ", " : "") + r.left_out_ids[i];
    o += "\n";
  }
  o += "\nBand mix per snapshot\n";
  o += "  " + pad("date", 12) + pad("file", 28) + pad("rows", 8, true);
  for (const std::string& l : r.band_labels) o += pad(clip(l, 11), 12, true);
  o += pad("unscored", 10, true);
  if (has_value) o += pad("value at risk", 16, true) + pad("total value", 16, true);
  o += "\n";
  for (const trend_snapshot& s : r.snapshots) {
    o +=
        "  " + pad(format_date(s.date), 12) + pad(clip(s.source, 27), 28) + pad(std::to_string(s.totals.rows), 8, true);
    for (std::size_t c : s.totals.band_counts) o += pad(std::to_string(c), 12, true);
    o += pad(std::to_string(s.totals.unscored), 10, true);
    if (has_value)
      o += pad(fixed(s.totals.value_at_risk(), value_digits), 16, true) +
           pad(fixed(s.totals.value_total, value_digits), 16, true);
    o += "\n";
    if (s.empty_ids || s.duplicated_ids)
      o += "    (" + std::to_string(s.empty_ids) + " rows without an id, " + std::to_string(s.duplicated_ids) +
           " ids on more than one row)\n";
  }
  if (r.segmented && !r.snapshots.empty()) {
    o += "\nBand mix per segment (each with its own cut points)\n";
    o += "    " + pad("date", 12) + pad("rows", 8, true);
    for (const std::string& l : r.band_labels) o += pad(clip(l, 11), 12, true);
    o += pad("unscored", 10, true);
    if (has_value) o += pad("value at risk", 16, true);
    o += "\n";
    const std::size_t ns = r.snapshots.front().totals.segments.size();
    for (std::size_t g = 0; g < ns; ++g) {
      o += "  " + r.snapshots.front().totals.segments[g].label + "\n";
      for (const trend_snapshot& s : r.snapshots) {
        const segment_totals& st = s.totals.segments[g];
        o += "    " + pad(format_date(s.date), 12) + pad(std::to_string(st.rows), 8, true);
        for (std::size_t c : st.band_counts) o += pad(std::to_string(c), 12, true);
        o += pad(std::to_string(st.unscored), 10, true);
        if (has_value) o += pad(fixed(st.value_at_risk(), value_digits), 16, true);
        o += "\n";
      }
    }
  }

  std::vector<std::string> from_names = r.band_labels, to_names = r.band_labels;
  from_names.insert(from_names.end(), {"unscored", "appeared"});
  to_names.insert(to_names.end(), {"unscored", "disappeared"});
  auto flow_text = [&](const trend_flow& f, const std::string& in) {
    o += "\nBand flow " + in + format_date(r.snapshots[f.from].date) + " -> " + format_date(r.snapshots[f.to].date) +
         " (rows: from, columns: to)\n";
    o += "  " + pad("", 14);
    for (const auto& n : to_names) o += pad(clip(n, 11), 12, true);
    o += "\n";
    for (std::size_t i = 0; i < f.matrix.size(); ++i) {
      o += "  " + pad(clip(from_names[i], 13), 14);
      for (std::size_t x : f.matrix[i]) o += pad(std::to_string(x), 12, true);
      o += "\n";
    }
    auto line = [&](const char* what, const std::vector<std::size_t>& v) {
      o += std::string("  ") + what + ": " + std::to_string(v.size());
      if (!v.empty()) o += " (" + id_list(r, v) + ")";
      o += "\n";
    };
    line("appeared", f.appeared);
    line(r.outcome_source == "outcome" ? "disappeared" : "disappeared (counted as churned)", f.disappeared);
    line("newly at risk", f.newly_at_risk);
    line("recovered", f.recovered);
  };
  for (const trend_flow& f : r.flows) flow_text(f, "");
  if (r.overall) movers_text(o, r, *r.overall);
  if (r.latest && r.snapshots.size() > 2) movers_text(o, r, *r.latest);
  for (const trend_segment& ts : r.segments) {
    o += "\nSegment " + ts.label + " (each account by its segment at the later date; its own cut points)\n";
    for (const trend_flow& f : ts.flows) flow_text(f, "in " + ts.label + " ");
    if (ts.overall) movers_text(o, r, *ts.overall, ts.label);
    if (ts.latest && r.snapshots.size() > 2) movers_text(o, r, *ts.latest, ts.label);
  }

  if (!r.lagged.empty()) {
    const trend_lag& first = r.lagged.front();
    const std::string at = format_date(r.snapshots[first.later].date);
    o += "\nLagged validation: did the earlier score pick the accounts that ";
    if (r.outcome_source == "outcome")
      o += "had '" + first.v.outcome_column + "' " + (first.v.positive_is_good ? "(good)" : "(bad)") + " at " + at +
           "?\n";
    else
      o += "disappeared by " + at + " (counted as churned)?\n";
    o += "  AUC = chance that a random good account scored above a random bad one (0.5 = chance)\n";
    o += "  " + pad("lag", 5) + pad("scored", 12) + pad("AUC", 6, true) + "  " + pad("95% CI", 13) +
         pad("good", 7, true) + pad("bad", 7, true) + pad("base", 8, true);
    for (const std::string& l : r.band_labels) o += pad(clip(l, 9) + " %", 12, true);
    o += "\n";
    for (const trend_lag& l : r.lagged) {
      const validation& v = l.v;
      o += "  " + pad(std::to_string(l.lag), 5) + pad(format_date(r.snapshots[l.earlier].date), 12) +
           pad(fixed(v.health.auc.auc, auc_digits), 6, true) + "  " +
           pad(fixed(v.health.auc.lo, auc_digits) + "-" + fixed(v.health.auc.hi, auc_digits), 13) +
           pad(std::to_string(v.health.auc.good), 7, true) + pad(std::to_string(v.health.auc.bad), 7, true) +
           pad(fixed(100 * v.base_rate, pct_digits) + "%", 8, true);
      for (const band_outcome& b : v.bands) o += pad(fixed(100 * b.rate, pct_digits), 12, true);
      o += (v.health.wrong_direction ? "  WRONG WAY" : "") + std::string("\n");
    }
    o += "  (base and band columns: the " +
         (r.outcome_source == "outcome" ? "'" + first.v.outcome_column + "'" : std::string("disappeared")) +
         " rate among the earlier snapshot's accounts with a known outcome)\n";
  }
  if (r.suggestion) {
    const trend_suggestion& ts = *r.suggestion;
    o += "\nSuggested category weights over time\n";
    if (!ts.problem.code.empty()) {
      o += "  " + render(ts.problem, lang) + "\n";
      return o;
    }
    const weight_suggestion& w = ts.weights;
    auto date = [&](std::size_t i) { return format_date(r.snapshots[i].date); };
    o += "  fitted on snapshots " + date(0) + " .. " + date(ts.test_from) + " (" + std::to_string(ts.train_pairs) +
         (ts.train_pairs == 1 ? " pair" : " pairs") + " of consecutive snapshots, " + std::to_string(w.train_rows) +
         " accounts" +
         (w.search_sampled ? ", searched on an even sample of " + std::to_string(w.search_rows) : std::string()) +
         "), checked on the scores of " + date(ts.test_from) + " against " +
         (r.outcome_source == "outcome" ? "the outcome" : std::string("disappearance")) + " at " + date(ts.test_to) +
         " (" + std::to_string(w.test_rows) + " accounts)\n";
    o += "  " + pad("category", 30) + pad("current", 9, true) + pad("suggested", 11, true) + "\n";
    for (std::size_t i = 0; i < w.current.size(); ++i)
      o += "  " + pad(clip(i < w.labels.size() ? w.labels[i] : "", 29), 30) + pad(fixed(w.current[i], 1), 9, true) +
           pad(i < w.suggested.size() ? fixed(w.suggested[i], 0) : "n/a", 11, true) + "\n";
    auto auc = [&](const auc_estimate& e) {
      return fixed(e.auc, auc_digits) + " (95% CI " + fixed(e.lo, auc_digits) + "-" + fixed(e.hi, auc_digits) + ")";
    };
    o += "  AUC on the earlier pairs: " + fixed(w.train_auc_current, auc_digits) + " -> " +
         fixed(w.train_auc_suggested, auc_digits) + "\n";
    o += "  AUC checked later: current " + auc(w.test.a) + ", suggested " + auc(w.test.b) + ", gain " +
         signed_fixed(w.test.diff, auc_digits) + " (95% CI " + signed_fixed(w.test.lo, auc_digits) + " to " +
         signed_fixed(w.test.hi, auc_digits) + ")\n";
    o += "  " + render(w.verdict, lang) + "\n";
    for (const message& m : ts.warnings) o += "  ! " + render(m, lang) + "\n";
  }
  return o;
}

// ---- CSV --------------------------------------------------------------------------------------

std::string trend_to_csv(const trend_report& r, const csv_convention& convention) {
  csv_writer w(convention, r.accounts.size() * (32 + 16 * r.snapshots.size()) + 256);
  const bool names = !r.name_column.empty();
  w.cell("id");
  if (names) w.cell("name");
  for (const trend_snapshot& s : r.snapshots) {
    w.cell("score_" + format_date(s.date));
    w.cell("band_" + format_date(s.date));
  }
  w.end_row();
  for (const trend_account& a : r.accounts) {
    w.cell(a.id);
    if (names) w.cell(a.name);
    for (std::size_t i = 0; i < a.bands.size(); ++i) {
      w.score(a.scores[i]);
      w.cell(a.bands[i] >= 0 ? std::string_view(r.base.bands[static_cast<std::size_t>(a.bands[i])].label)
                             : std::string_view());
    }
    w.end_row();
  }
  return w.take();
}

std::string trend_movers_to_csv(const trend_report& r, const csv_convention& convention) {
  csv_writer w(convention);
  for (const char* h : {"period", "kind", "rank", "id", "name", "from_date", "to_date", "from_score", "to_score",
                        "change", "from_band", "to_band"})
    w.cell(h);
  w.end_row();
  auto band = [&](int b) {
    return b >= 0 ? std::string_view(r.base.bands[static_cast<std::size_t>(b)].label) : std::string_view();
  };
  auto rows = [&](const char* period, const trend_movers& mv) {
    for (const bool rise : {false, true}) {
      const auto& list = rise ? mv.rises : mv.drops;
      for (std::size_t i = 0; i < list.size(); ++i) {
        const trend_account& a = r.accounts[list[i]];
        w.cell(period);
        w.cell(rise ? "rise" : "drop");
        w.cell(std::to_string(i + 1));
        w.cell(a.id);
        w.cell(a.name);
        w.cell(format_date(r.snapshots[mv.from].date));
        w.cell(format_date(r.snapshots[mv.to].date));
        w.score(a.scores[mv.from]);
        w.score(a.scores[mv.to]);
        w.score(a.scores[mv.to] - a.scores[mv.from]);
        w.cell(band(a.bands[mv.from]));
        w.cell(band(a.bands[mv.to]));
        w.end_row();
      }
    }
  };
  if (r.overall) rows("first_to_last", *r.overall);
  if (r.latest && r.snapshots.size() > 2) rows("last_two", *r.latest);
  return w.take();
}

}  // namespace healthscore
