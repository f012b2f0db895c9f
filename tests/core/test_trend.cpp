// SPDX-License-Identifier: MIT
// Trend: dates in file names, three hand-worked snapshots (tests/data/trend: band mix, value at risk,
// band flow, appeared, disappeared, newly at risk, recovered, movers), the lagged AUC against a
// pairwise count, duplicates and errors, and the Telco file split into two pseudo-snapshots whose
// lagged AUC must be the AUC `validate` gives with Churn as the outcome.
#include <doctest/doctest.h>

#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#include "healthscore/cells.hpp"
#include "healthscore/csv.hpp"
#include "healthscore/evidence.hpp"
#include "healthscore/export.hpp"
#include "healthscore/model.hpp"
#include "healthscore/score.hpp"
#include "healthscore/trend.hpp"
#include "test_util.hpp"

using namespace healthscore;

namespace {

std::int32_t day(int y, unsigned m, unsigned d) { return days_from_civil(y, m, d); }

table csv_table(const std::string& text, const std::string& source) {
  read_options ro;
  ro.source = source;
  return read_csv(text, ro);
}

table data_file(const std::string& name) {
  return csv_table(test_util::read_file(test_util::source("tests/data/trend/" + name)), name);
}

model trend_model() { return parse_model(test_util::read_file(test_util::source("tests/data/trend/model.json"))); }

model at(model m, std::int32_t date) {
  m.as_of = date;
  return m;
}

// The three snapshots of tests/data/trend, each scored with its date as as_of. The model scores
// each account's Health cell as it is (linear 0..100), so the scores below are the cells:
//
//   id  09-30        10-31        11-30
//   A   80 green     45 red       30 red     (name "Acme", then "Acme Corp")
//   B   60 yellow    65 yellow    40 red
//   C   40 red       60 yellow    85 green
//   D   90 green     95 green     -          (disappears)
//   E   60 yellow    -            -          (disappears)
//   F   30 red       20 red       25 red
//   G   75 green     72 green     (empty: unscored)
//   H   -            50 red       71 green   (appears)
//   I   -            -            60 yellow  (appears)
struct three_snapshots {
  table t1 = data_file("accounts-2026-09-30.csv");
  table t2 = data_file("accounts-2026-10-31.csv");
  table t3 = data_file("accounts-2026-11-30.csv");
  model m = trend_model();
  scorer s1{t1, at(m, day(2026, 9, 30))};
  scorer s2{t2, at(m, day(2026, 10, 31))};
  scorer s3{t3, at(m, day(2026, 11, 30))};
  std::vector<trend_input> inputs() const {
    return {{day(2026, 9, 30), &s1}, {day(2026, 10, 31), &s2}, {day(2026, 11, 30), &s3}};
  }
};

const trend_account& account(const trend_report& r, const std::string& id) {
  for (const auto& a : r.accounts)
    if (a.id == id) return a;
  FAIL("no account " << id);
  return r.accounts.front();
}

std::vector<std::string> ids_of(const trend_report& r, const std::vector<std::size_t>& idx) {
  std::vector<std::string> out;
  for (std::size_t i : idx) out.push_back(r.accounts[i].id);
  return out;
}

// Pairs (churned, stayed) in which the churned account has the lower score, ties 1/2, over all
// such pairs: the AUC of "a higher score stays", counted pair by pair.
double pairwise(const std::vector<double>& churned, const std::vector<double>& stayed) {
  double wins = 0;
  for (double c : churned)
    for (double s : stayed) wins += c < s ? 1.0 : c == s ? 0.5 : 0.0;
  return wins / static_cast<double>(churned.size() * stayed.size());
}

}  // namespace

TEST_CASE("a snapshot's date is read from its file name when the name shows one date unambiguously") {
  CHECK(date_in_name("accounts-2026-11-30.csv").date == day(2026, 11, 30));
  CHECK(date_in_name("accounts_2026_11_30.xlsx").date == day(2026, 11, 30));
  CHECK(date_in_name("export 2026.11.30 final.csv").date == day(2026, 11, 30));
  CHECK(date_in_name("accounts20261130.csv").date == day(2026, 11, 30));
  CHECK(date_in_name("accounts-2026-11.csv").date == day(2026, 11, 30));  // a month: its last day
  CHECK(date_in_name("accounts-2024-02.csv").date == day(2024, 2, 29));
  CHECK(date_in_name("accounts-2026-12.csv").date == day(2026, 12, 31));
  CHECK(date_in_name("accounts-11-2026.csv").date == day(2026, 11, 30));
  CHECK(date_in_name("accounts-30-11-2026.csv").date == day(2026, 11, 30));  // day-first: 30 > 12
  CHECK(date_in_name("accounts-11-30-2026.csv").date == day(2026, 11, 30));  // month-first: 30 > 12
  CHECK(date_in_name("accounts-05-05-2026.csv").date == day(2026, 5, 5));  // the same either way
  CHECK(date_in_name("accounts-2026-11-30_1200.csv").date == day(2026, 11, 30));  // a time is no date
  CHECK(date_in_name("v2 accounts 2026-11-30.csv").date == day(2026, 11, 30));
  // A version or quarter glued to the date by another separator is no month (review, 2026-12-01):
  // these read 2026-02-28 and 2026-03-31 before.
  CHECK(date_in_name("accounts_v2_2026-11-30.csv").date == day(2026, 11, 30));
  CHECK(date_in_name("backup.2.2026-11-30.csv").date == day(2026, 11, 30));
  CHECK(date_in_name("accounts-Q3-2026.csv").date == no_date);
  CHECK(date_in_name("accounts-2026-09.csv").date == day(2026, 9, 30));
  CHECK(date_in_name("2026-11-30 and again 2026-11-30.csv").date == day(2026, 11, 30));  // one date twice

  const found_date ambiguous = date_in_name("accounts-05-11-2026.csv");
  CHECK(ambiguous.date == no_date);
  CHECK(test_util::contains(render(ambiguous.problem), "05-11-2026 could be day-first or month-first"));
  const found_date two = date_in_name("accounts-2026-10-31-to-2026-11-30.csv");
  CHECK(two.date == no_date);
  const found_date two_sep = date_in_name("from_2026-10-31_to_2026-11-30.csv");
  CHECK(two_sep.date == no_date);
  CHECK(test_util::contains(render(two_sep.problem), "more than one date (2026-10-31 and 2026-11-30)"));
  CHECK(render(date_in_name("accounts.csv").problem) == "the name shows no date");
  CHECK(date_in_name("accounts-2026-02-30.csv").date == no_date);
  CHECK(test_util::contains(render(date_in_name("accounts-2026-02-30.csv").problem), "2026-02-30 is not a real date"));
  CHECK(date_in_name("accounts-12345678.csv").date == no_date);  // eight digits that are no date
  CHECK(date_in_name("v1.2.3.csv").date == no_date);

  CHECK(parse_snapshot_date("2026-11-30").date == day(2026, 11, 30));
  CHECK(parse_snapshot_date(" 30/11/2026 ").date == day(2026, 11, 30));
  CHECK(parse_snapshot_date("2026-11").date == day(2026, 11, 30));
  CHECK(parse_snapshot_date("20261130").date == day(2026, 11, 30));
  CHECK(parse_snapshot_date("05/11/2026").date == no_date);
  CHECK(parse_snapshot_date("2026-11-30x").date == no_date);
  CHECK(parse_snapshot_date("").date == no_date);
}

TEST_CASE(
    "three hand-worked snapshots: band mix, value at risk, band flow, appeared, disappeared, newly at risk, recovered") {
  const three_snapshots f;
  std::vector<trend_input> in = f.inputs();
  std::swap(in[0], in[2]);  // given out of order: ordered by date
  const trend_report r = build_trend(in);
  REQUIRE(r.snapshots.size() == 3);
  CHECK(r.snapshots[0].source == "accounts-2026-09-30.csv");
  CHECK(r.snapshots[2].source == "accounts-2026-11-30.csv");
  CHECK(r.accounts.size() == 9);
  CHECK(r.accounts.front().id == "A");
  CHECK(r.accounts.back().id == "I");  // in order of first appearance
  CHECK(account(r, "A").name == "Acme Corp");  // the latest name

  // Band mix (red, yellow, green) and value in red (MRR: A 100, B 200, ..., I 900).
  // 09-30: red C F, yellow B E, green A D G; value at risk 300 + 600.
  CHECK(r.snapshots[0].totals.band_counts == std::vector<std::size_t>{2, 2, 3});
  CHECK(r.snapshots[0].totals.value_at_risk() == 900);
  CHECK(r.snapshots[0].totals.value_total == 2800);
  // 10-31: red A F H, yellow B C, green D G; at risk 100 + 600 + 800.
  CHECK(r.snapshots[1].totals.band_counts == std::vector<std::size_t>{3, 2, 2});
  CHECK(r.snapshots[1].totals.value_at_risk() == 1500);
  // 11-30: red A B F, yellow I, green C H, G unscored; at risk 100 + 200 + 600.
  CHECK(r.snapshots[2].totals.band_counts == std::vector<std::size_t>{3, 1, 2});
  CHECK(r.snapshots[2].totals.unscored == 1);
  CHECK(r.snapshots[2].totals.value_at_risk() == 900);
  CHECK(r.snapshots[2].totals.unscored_value == 700);
  CHECK(r.snapshots[0].accounts == 7);

  // Flow rows: red, yellow, green, unscored, appeared; columns: red, yellow, green, unscored, disappeared.
  REQUIRE(r.flows.size() == 2);
  // 09-30 -> 10-31: A green->red, B yellow->yellow, C red->yellow, D green->green, E yellow->gone,
  // F red->red, G green->green, H new->red.
  using matrix = std::vector<std::vector<std::size_t>>;
  CHECK(r.flows[0].matrix ==
        matrix{{1, 1, 0, 0, 0}, {0, 1, 0, 0, 1}, {1, 0, 2, 0, 0}, {0, 0, 0, 0, 0}, {1, 0, 0, 0, 0}});
  CHECK(ids_of(r, r.flows[0].appeared) == std::vector<std::string>{"H"});
  CHECK(ids_of(r, r.flows[0].disappeared) == std::vector<std::string>{"E"});
  CHECK(ids_of(r, r.flows[0].newly_at_risk) == std::vector<std::string>{"A"});
  CHECK(ids_of(r, r.flows[0].recovered) == std::vector<std::string>{"C"});
  // 10-31 -> 11-30: A red->red, B yellow->red, C yellow->green, D green->gone, F red->red,
  // G green->unscored, H red->green, I new->yellow.
  CHECK(r.flows[1].matrix ==
        matrix{{2, 0, 1, 0, 0}, {1, 0, 1, 0, 0}, {0, 0, 0, 1, 1}, {0, 0, 0, 0, 0}, {0, 1, 0, 0, 0}});
  CHECK(ids_of(r, r.flows[1].appeared) == std::vector<std::string>{"I"});
  CHECK(ids_of(r, r.flows[1].disappeared) == std::vector<std::string>{"D"});
  CHECK(ids_of(r, r.flows[1].newly_at_risk) == std::vector<std::string>{"B"});
  CHECK(ids_of(r, r.flows[1].recovered) == std::vector<std::string>{"H"});

  // Series.
  const trend_account& g = account(r, "G");
  CHECK(g.scores[0] == 75);
  CHECK(g.bands[1] == 2);
  CHECK(std::isnan(g.scores[2]));
  CHECK(g.bands[2] == -1);  // present, unscored
  CHECK(account(r, "E").bands[1] == trend_absent);
  CHECK(account(r, "H").bands[0] == trend_absent);

  // The same report whatever order the snapshots are given in.
  CHECK(trend_to_json(r).dump() == trend_to_json(build_trend(f.inputs())).dump());
}

TEST_CASE("the report as JSON without the per-account series and with short lists keeps every count") {
  const three_snapshots f;
  const trend_report r = build_trend(f.inputs());
  const json full = trend_to_json(r);
  trend_json_options o;
  o.accounts = false;
  o.list_limit = 0;
  const json short_one = trend_to_json(r, o);
  CHECK(full.contains("accounts"));
  CHECK_FALSE(short_one.contains("accounts"));
  const json& f0 = short_one["flows"][0];
  CHECK(f0["appeared"].empty());
  CHECK(f0["newly_at_risk"].empty());
  CHECK(f0["counts"] == json{{"appeared", 1}, {"disappeared", 1}, {"newly_at_risk", 1}, {"recovered", 1}});
  CHECK(full["flows"][0]["counts"] == f0["counts"]);
  CHECK(short_one["snapshots"] == full["snapshots"]);
  CHECK(short_one["lagged"] == full["lagged"]);
  CHECK(short_one["movers"] == full["movers"]);
}

TEST_CASE("movers: first to last among accounts in both, and between the last two snapshots") {
  const three_snapshots f;
  const trend_report r = build_trend(f.inputs());
  REQUIRE(r.overall);
  REQUIRE(r.latest);
  // First to last: A 80->30 -50, B 60->40 -20, C 40->85 +45, F 30->25 -5; G unscored at the end,
  // D E gone, H I new: 4 scored both times, mean (-50 - 20 + 45 - 5) / 4 = -7.5.
  CHECK(r.overall->scored_both == 4);
  CHECK(r.overall->mean_change == doctest::Approx(-7.5));
  CHECK(ids_of(r, r.overall->drops) == std::vector<std::string>{"A", "B", "F"});
  CHECK(ids_of(r, r.overall->rises) == std::vector<std::string>{"C"});
  // Last two: A 45->30 -15, B 65->40 -25, C 60->85 +25, F 20->25 +5, H 50->71 +21: mean 11 / 5.
  CHECK(r.latest->scored_both == 5);
  CHECK(r.latest->mean_change == doctest::Approx(2.2));
  CHECK(ids_of(r, r.latest->drops) == std::vector<std::string>{"B", "A"});
  CHECK(ids_of(r, r.latest->rises) == std::vector<std::string>{"C", "H", "F"});

  trend_options two;
  two.movers = 2;
  CHECK(ids_of(r, build_trend(f.inputs(), two).latest->rises) == std::vector<std::string>{"C", "H"});

  const std::string movers = trend_movers_to_csv(r);
  CHECK(test_util::contains(
      movers, "period,kind,rank,id,name,from_date,to_date,from_score,to_score,change,from_band,to_band\r\n"));
  CHECK(test_util::contains(
      movers, "first_to_last,drop,1,A,Acme Corp,2026-09-30,2026-11-30,80.00,30.00,-50.00,Healthy,At risk\r\n"));
  CHECK(test_util::contains(movers,
                            "last_two,rise,2,H,Hotel,2026-10-31,2026-11-30,50.00,71.00,21.00,At risk,Healthy\r\n"));
}

TEST_CASE("lagged validation by disappearance: the AUC is the pairwise count of churned below stayed") {
  const three_snapshots f;
  const trend_report r = build_trend(f.inputs());
  CHECK(r.outcome_source == "disappeared");
  REQUIRE(r.lagged.size() == 2);

  // Lag 2: scores of 09-30 against who is still there on 11-30. Churned D 90, E 60; stayed A 80,
  // B 60, C 40, F 30, G 75 (G is there, unscored: it stayed). Pairs with the churned one lower:
  // D none; E below A and G, tied with B: 2.5 of 10 = 0.25.
  const trend_lag& l2 = r.lagged[1];
  CHECK(l2.lag == 2);
  CHECK(l2.earlier == 0);
  CHECK(l2.later == 2);
  CHECK(l2.v.health.auc.auc == doctest::Approx(0.25).epsilon(1e-12));
  CHECK(pairwise({90, 60}, {80, 60, 40, 30, 75}) == doctest::Approx(l2.v.health.auc.auc).epsilon(1e-12));
  CHECK(l2.v.health.auc.good == 5);
  CHECK(l2.v.health.auc.bad == 2);
  // Counted from the report's own series, not from the comment.
  std::vector<double> churned, stayed;
  for (const trend_account& a : r.accounts) {
    if (a.bands[0] == trend_absent || std::isnan(a.scores[0])) continue;
    (a.bands[2] == trend_absent ? churned : stayed).push_back(a.scores[0]);
  }
  CHECK(pairwise(churned, stayed) == doctest::Approx(l2.v.health.auc.auc).epsilon(1e-12));
  CHECK(std::isfinite(l2.v.health.auc.se));
  // Band rates of the 09-30 score: red C F 0 of 2, yellow B E 1 of 2, green A D G 1 of 3.
  REQUIRE(l2.v.bands.size() == 3);
  CHECK(l2.v.bands[0].rate == 0);
  CHECK(l2.v.bands[1].rate == doctest::Approx(0.5));
  CHECK(l2.v.bands[2].rate == doctest::Approx(1.0 / 3));
  CHECK(l2.v.base_rate == doctest::Approx(2.0 / 7));

  // Lag 1: scores of 10-31; D 95 churned, A 45 B 65 C 60 F 20 G 72 H 50 stayed: no stayed account
  // scores above D, so 0 of 6; one churned account gives no interval.
  const trend_lag& l1 = r.lagged[0];
  CHECK(l1.lag == 1);
  CHECK(l1.v.health.auc.auc == 0);
  CHECK(pairwise({95}, {45, 65, 60, 20, 72, 50}) == 0);
  CHECK(std::isnan(l1.v.health.auc.se));
  CHECK(l1.v.bands[2].rate == doctest::Approx(0.5));  // green D G: D gone
}

TEST_CASE("lagged validation against the last file's outcome column: accounts gone by then are unknown") {
  const three_snapshots f;
  model m = trend_model();
  m.outcome = outcome{};
  m.outcome->column = "Churned";
  m.outcome->positive = {"yes"};
  // The last file with an outcome: A and F churned (bad), the others not.
  const table t3 = csv_table(
      "Account ID,Account,Health,MRR,Churned\nA,Acme,30,100,yes\nB,Beta,40,200,no\nC,Ceta,85,300,no\n"
      "F,Foxtrot,25,600,yes\nG,Golf,,700,no\nH,Hotel,71,800,no\nI,India,60,900,no\n",
      "accounts-2026-11-30.csv");
  const scorer s1(f.t1, at(m, day(2026, 9, 30))), s2(f.t2, at(m, day(2026, 10, 31))), s3(t3, at(m, day(2026, 11, 30)));
  const trend_report r = build_trend({{day(2026, 9, 30), &s1}, {day(2026, 10, 31), &s2}, {day(2026, 11, 30), &s3}});
  CHECK(r.outcome_source == "outcome");
  REQUIRE(r.lagged.size() == 2);
  // Lag 1 (10-31): bad A 45, F 20; good B 65, C 60, G 72, H 50; D (gone) unknown: 8 of 8 pairs.
  CHECK(r.lagged[0].v.health.auc.auc == doctest::Approx(pairwise({45, 20}, {65, 60, 72, 50})).epsilon(1e-12));
  CHECK(r.lagged[0].v.health.auc.auc == 1);
  CHECK(r.lagged[0].v.unknown == 1);
  // Lag 2 (09-30): bad A 80, F 30; good B 60, C 40, G 75; D E unknown: B C G above F only, 3 of 6.
  CHECK(r.lagged[1].v.health.auc.auc == doctest::Approx(pairwise({80, 30}, {60, 40, 75})).epsilon(1e-12));
  CHECK(r.lagged[1].v.health.auc.auc == doctest::Approx(0.5));
  CHECK(r.lagged[1].v.unknown == 2);
  CHECK(r.lagged[1].v.outcome_column == "Churned");
}

TEST_CASE("an id on two rows of one snapshot is left out of every snapshot, as compare leaves it out of both files") {
  const model m = trend_model();
  const table a = csv_table("Account ID,Health\nX,80\nY,40\nZ,60\n", "a-2026-01-31.csv");
  const table b = csv_table("Account ID,Health\nX,30\nY,45\nY,90\nZ,65\n,10\n", "b-2026-02-28.csv");
  const scorer sa(a, m), sb(b, m);
  const trend_report r = build_trend({{day(2026, 1, 31), &sa}, {day(2026, 2, 28), &sb}});
  CHECK(ids_of(r, {0, 1}) == std::vector<std::string>{"X", "Z"});
  CHECK(r.accounts.size() == 2);
  CHECK(r.left_out == 1);
  CHECK(r.left_out_ids == std::vector<std::string>{"Y"});
  CHECK(r.snapshots[1].duplicated_ids == 1);
  CHECK(r.snapshots[1].empty_ids == 1);
  CHECK(r.flows[0].disappeared.empty());  // Y is not "gone": it is left out
  // compare counts the same way.
  const comparison c = compare_scores(sa, sb);
  CHECK(c.matched == r.accounts.size());
  CHECK(c.duplicate_new == r.snapshots[1].duplicated_ids);
  CHECK(c.duplicate_ids == r.left_out_ids);
  // Band counts are the files' own, duplicates and rows without an id included (as score counts).
  CHECK(r.snapshots[1].totals.rows == 5);
}

TEST_CASE("trend errors: no id column, an id column missing from a file, two snapshots of one date") {
  model no_id = trend_model();
  no_id.id_column.clear();
  const three_snapshots f;
  const scorer s1(f.t1, no_id), s2(f.t2, no_id);
  CHECK(test_util::message_of([&] {
          build_trend({{day(2026, 9, 30), &s1}, {day(2026, 10, 31), &s2}});
        }) == "the model names no id_column: a trend over snapshots needs it to match accounts");
  const table other = csv_table("Customer,Health\nA,10\n", "other-2026-12-31.csv");
  const scorer so(other, trend_model());
  CHECK(test_util::message_of([&] {
          build_trend({{day(2026, 9, 30), &f.s1}, {day(2026, 12, 31), &so}});
        }) == "the id column 'Account ID' is not in other-2026-12-31.csv");
  CHECK(test_util::message_of([&] {
          build_trend({{day(2026, 9, 30), &f.s1}, {day(2026, 9, 30), &f.s2}});
        }) == "two snapshots have the same date 2026-09-30: accounts-2026-09-30.csv and accounts-2026-10-31.csv");
  // One snapshot: the band mix only.
  const trend_report one = build_trend({{day(2026, 9, 30), &f.s1}});
  CHECK(one.flows.empty());
  CHECK_FALSE(one.overall);
  CHECK(one.lagged.empty());
  CHECK(one.outcome_source.empty());
}

TEST_CASE("the per-account series CSV: one score and band per date, defused, in the export's conventions") {
  const three_snapshots f;
  const trend_report r = build_trend(f.inputs());
  const std::string text = trend_to_csv(r);
  std::istringstream in(text);
  std::string header, first;
  std::getline(in, header);
  std::getline(in, first);
  CHECK(header ==
        "id,name,score_2026-09-30,band_2026-09-30,score_2026-10-31,band_2026-10-31,score_2026-11-30,band_2026-11-30\r");
  CHECK(first == "A,Acme Corp,80.00,Healthy,45.00,At risk,30.00,At risk\r");
  CHECK(test_util::contains(text, "\r\nG,Golf,75.00,Healthy,72.00,Healthy,,\r\n"));  // unscored at the end
  CHECK(test_util::contains(text, "\r\nH,Hotel,,,50.00,At risk,71.00,Healthy\r\n"));  // absent at first
  CHECK(test_util::contains(text, "\r\nI,\"'=HYPERLINK(\"\"http://x\"\")\",,,,,60.00,Neutral\r\n"));  // defused
  const std::string es = trend_to_csv(r, *csv_convention_named("excel-es"));
  CHECK(es.rfind("\xEF\xBB\xBFid;name;score_2026-09-30;", 0) == 0);
  CHECK(test_util::contains(es, "\r\nA;Acme Corp;80,00;Healthy;45,00;At risk;30,00;At risk\r\n"));
  // JSON: absent is null, unscored a point without score or band.
  const json j = trend_to_json(r);
  CHECK(j["accounts"][7]["id"] == "H");
  CHECK(j["accounts"][7]["series"][0].is_null());
  CHECK(j["accounts"][6]["series"][2]["score"].is_null());
  CHECK(j["accounts"][6]["series"][2].is_object());
  CHECK(j["snapshots"][1]["summary"]["value"]["at_risk"] == 1500);
  CHECK(j["flows"][0]["rows"].back() == "appeared");
  CHECK(j["flows"][0]["columns"].back() == "disappeared");
  CHECK(j["lagged"]["outcome"] == "disappeared");
  CHECK(j["lagged"]["lags"][1]["validation"]["health"]["auc"] == 0.25);
}

TEST_CASE(
    "Telco split into two pseudo-snapshots: the lagged AUC of the churned disappearing is validate's AUC on Churn") {
  const std::string bytes = test_util::read_file(test_util::corpus("telco-churn/Telco-Customer-Churn.csv"));
  // Snapshot 2: the accounts with Churn = No, without the Churn column (so the churned are simply gone).
  std::istringstream lines(bytes);
  std::string line, later;
  bool header = true;
  std::size_t kept = 0;
  while (std::getline(lines, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    const std::size_t comma = line.rfind(',');
    const std::string churn = line.substr(comma + 1);
    if (header || churn == "No") {
      later += line.substr(0, comma) + "\n";
      kept += !header;
    }
    header = false;
  }
  REQUIRE(kept == 5174);
  const table t1 = csv_table(bytes, "telco-2026-10-31.csv");
  const table t2 = csv_table(later, "telco-2026-11-30.csv");
  REQUIRE(t2.find("Churn") < 0);
  const model m = parse_model(test_util::read_file(test_util::source("tests/data/telco_model.json")));
  const scorer s1(t1, at(m, day(2026, 10, 31))), s2(t2, at(m, day(2026, 11, 30)));
  const trend_report r = build_trend({{day(2026, 10, 31), &s1}, {day(2026, 11, 30), &s2}});
  CHECK(r.outcome_source == "disappeared");
  REQUIRE(r.lagged.size() == 1);
  const validation& lag = r.lagged[0].v;
  const validation direct = validate_outcome(scorer(t1, m));
  CHECK(std::fabs(lag.health.auc.auc - direct.health.auc.auc) < 1e-12);
  CHECK(std::fabs(lag.health.auc.se - direct.health.auc.se) < 1e-12);
  CHECK(lag.health.auc.good == direct.health.auc.good);
  CHECK(lag.health.auc.bad == 1869);
  REQUIRE(lag.bands.size() == direct.bands.size());
  for (std::size_t b = 0; b < lag.bands.size(); ++b) {
    CHECK(lag.bands[b].accounts == direct.bands[b].accounts);
    CHECK(lag.bands[b].positive == direct.bands[b].positive);
  }
  CHECK(r.flows[0].disappeared.size() == 1869);
  CHECK(r.flows[0].appeared.empty());
  CHECK(lag.health.auc.auc > 0.7);
}

TEST_CASE("with segments, each snapshot's band mix is also given per segment") {
  json doc = json::parse(test_util::read_file(test_util::source("tests/data/trend/model.json")));
  doc["segments"] = {{"column", "Tier"},
                     {"groups", json::array({{{"id", "big"}, {"label", "Big"}, {"values", {"big"}}}})}};
  const model m = parse_model(doc.dump());
  const table a =
      csv_table("Account ID,Health,Tier,MRR\nX,80,big,10\nY,40,small,20\nZ,60,small,30\n", "a-2026-01-31.csv");
  const table b =
      csv_table("Account ID,Health,Tier,MRR\nX,30,big,10\nY,45,small,20\nZ,90,big,30\n", "b-2026-02-28.csv");
  const scorer sa(a, m), sb(b, m);
  const trend_report r = build_trend({{day(2026, 1, 31), &sa}, {day(2026, 2, 28), &sb}});
  CHECK(r.segmented);
  REQUIRE(r.snapshots[0].totals.segments.size() == 2);
  CHECK(r.snapshots[0].totals.segments[0].band_counts == std::vector<std::size_t>{0, 0, 1});  // Big: X green
  CHECK(r.snapshots[0].totals.segments[1].band_counts == std::vector<std::size_t>{1, 1, 0});  // Other: Y red, Z yellow
  CHECK(r.snapshots[1].totals.segments[0].band_counts == std::vector<std::size_t>{1, 0, 1});  // Big: X red, Z green
  CHECK(r.snapshots[1].totals.segments[0].value_at_risk() == 10);
  const json j = trend_to_json(r);
  CHECK(j["snapshots"][1]["segments"][0]["label"] == "Big");
  CHECK(j["snapshots"][1]["segments"][1]["bands"]["red"] == 1);
  CHECK(test_util::contains(trend_to_text(r), "Band mix per segment"));
}
