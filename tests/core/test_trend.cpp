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

TEST_CASE("per segment, band flow and movers count each account in its segment at the later date") {
  // Big has its own cut points (red <= 60, yellow <= 80); Other the base's (red <= 50, yellow <= 70).
  //   id  01-31               02-28
  //   X   80 big yellow       30 big red        (newly at risk in Big)
  //   Y   40 small red        45 small red
  //   Z   60 small yellow     90 big green      (moved into Big: counted there)
  //   W   55 big red          -                 (gone: counted in its earlier segment, Big)
  //   V   -                   75 small green    (appeared in Other)
  json doc = json::parse(test_util::read_file(test_util::source("tests/data/trend/model.json")));
  doc["segments"] = {{"column", "Tier"},
                     {"groups", json::array({{{"id", "big"},
                                              {"label", "Big"},
                                              {"values", {"big"}},
                                              {"bands", json::array({{{"id", "red"}, {"max", 60}},
                                                                     {{"id", "yellow"}, {"max", 80}},
                                                                     {{"id", "green"}, {"max", 100}}})}}})}};
  const model m = parse_model(doc.dump());
  const table a =
      csv_table("Account ID,Health,Tier,MRR\nX,80,big,1\nY,40,small,1\nZ,60,small,1\nW,55,big,1\n", "a-2026-01-31.csv");
  const table b =
      csv_table("Account ID,Health,Tier,MRR\nX,30,big,1\nY,45,small,1\nZ,90,big,1\nV,75,small,1\n", "b-2026-02-28.csv");
  const scorer sa(a, m), sb(b, m);
  const trend_report r = build_trend({{day(2026, 1, 31), &sa}, {day(2026, 2, 28), &sb}});
  REQUIRE(r.segments.size() == 2);
  const trend_segment& big = r.segments[0];
  const trend_segment& other = r.segments[1];
  CHECK(big.id == "big");
  CHECK(big.label == "Big");
  CHECK(other.id.empty());
  CHECK(other.label == "Other");
  REQUIRE(big.flows.size() == 1);
  using row = std::vector<std::size_t>;
  // rows red, yellow, green, unscored, appeared; columns red, yellow, green, unscored, disappeared
  CHECK(big.flows[0].matrix ==
        std::vector<row>{{0, 0, 0, 0, 1}, {1, 0, 1, 0, 0}, {0, 0, 0, 0, 0}, {0, 0, 0, 0, 0}, {0, 0, 0, 0, 0}});
  CHECK(other.flows[0].matrix ==
        std::vector<row>{{1, 0, 0, 0, 0}, {0, 0, 0, 0, 0}, {0, 0, 0, 0, 0}, {0, 0, 0, 0, 0}, {0, 0, 1, 0, 0}});
  CHECK(ids_of(r, big.flows[0].newly_at_risk) == std::vector<std::string>{"X"});
  CHECK(ids_of(r, big.flows[0].disappeared) == std::vector<std::string>{"W"});
  CHECK(big.flows[0].appeared.empty());
  CHECK(ids_of(r, other.flows[0].appeared) == std::vector<std::string>{"V"});
  CHECK(other.flows[0].newly_at_risk.empty());
  // The segments' matrices add up to the overall one, cell by cell.
  for (std::size_t i = 0; i < 5; ++i)
    for (std::size_t j = 0; j < 5; ++j)
      CHECK(big.flows[0].matrix[i][j] + other.flows[0].matrix[i][j] == r.flows[0].matrix[i][j]);
  REQUIRE(big.overall);
  CHECK(ids_of(r, big.overall->drops) == std::vector<std::string>{"X"});
  CHECK(ids_of(r, big.overall->rises) == std::vector<std::string>{"Z"});
  CHECK(big.overall->scored_both == 2);
  CHECK(big.overall->mean_change == doctest::Approx((-50.0 + 30.0) / 2));
  REQUIRE(other.overall);
  CHECK(other.overall->drops.empty());
  CHECK(ids_of(r, other.overall->rises) == std::vector<std::string>{"Y"});
  CHECK(other.overall->mean_change == doctest::Approx(5.0));

  const json j = trend_to_json(r);
  REQUIRE(j["segments"].size() == 2);
  CHECK(j["segments"][0]["id"] == "big");
  CHECK(j["segments"][1]["id"].is_null());
  CHECK(j["segments"][0]["flows"][0]["newly_at_risk"][0]["id"] == "X");
  CHECK(j["segments"][0]["flows"][0]["counts"]["disappeared"] == 1);
  CHECK(j["segments"][0]["movers"]["first_to_last"]["drops"][0]["id"] == "X");
  CHECK(j["segments"][1]["movers"]["first_to_last"]["rises"][0]["id"] == "Y");
  const std::string text = trend_to_text(r);
  CHECK(test_util::contains(text, "Segment Big"));
  CHECK(test_util::contains(text, "Band flow in Big 2026-01-31 -> 2026-02-28"));
  CHECK(test_util::contains(text, "Score changes in Other 2026-01-31 -> 2026-02-28"));
  // Without segments there is no per-segment part.
  three_snapshots s;
  const trend_report plain = build_trend(s.inputs());
  CHECK(plain.segments.empty());
  CHECK_FALSE(trend_to_json(plain).contains("segments"));
}

namespace {

// Two categories U and S (linear 0..100, weight 1 each); accounts gone by the next snapshot churned.
//   id  01-31        02-28        03-31
//   A   U90 S10      U85 S40      present
//   B   U80 S20      U30 S60      -        (churned by 03-31)
//   C   U70 S30      U75 S10      present
//   D   U20 S80      -                     (churned by 02-28)
//   E   U10 S90      -                     (churned by 02-28)
//   G   -            U15 S70      -        (appeared, churned by 03-31)
//   H   -            -            present  (in no pair: nothing later to know)
// Pairs: (01-31, 02-28) fits: A B C good, D E bad; (02-28, 03-31) checks: A C good, B G bad.
model two_category_model() {
  return parse_model(R"({"version": 1, "id_column": "Account ID", "categories": [
    {"id": "u", "label": "Usage", "weight": 1, "signals": [{"column": "U", "rule": {"type": "linear", "min": 0, "max": 100}}]},
    {"id": "s", "label": "Support", "weight": 1, "signals": [{"column": "S", "rule": {"type": "linear", "min": 0, "max": 100}}]}]})");
}

}  // namespace

TEST_CASE("weights fitted over time: on the earlier pairs of snapshots, checked on the last pair") {
  const model m = two_category_model();
  const table t1 = csv_table("Account ID,U,S\nA,90,10\nB,80,20\nC,70,30\nD,20,80\nE,10,90\n", "a-2026-01-31.csv");
  const table t2 = csv_table("Account ID,U,S\nA,85,40\nB,30,60\nC,75,10\nG,15,70\n", "a-2026-02-28.csv");
  const table t3 = csv_table("Account ID,U,S\nA,50,50\nC,50,50\nH,50,50\n", "a-2026-03-31.csv");
  const scorer s1(t1, m), s2(t2, m), s3(t3, m);
  trend_options o;
  o.suggest = true;
  const trend_report r = build_trend({{day(2026, 1, 31), &s1}, {day(2026, 2, 28), &s2}, {day(2026, 3, 31), &s3}}, o);
  REQUIRE(r.suggestion);
  const trend_suggestion& ts = *r.suggestion;
  CHECK(ts.problem.code.empty());
  CHECK(ts.train_pairs == 1);
  CHECK(ts.test_from == 1);
  CHECK(ts.test_to == 2);
  const weight_suggestion& w = ts.weights;
  CHECK(w.train_rows == 5);  // A..E of 01-31
  CHECK(w.test_rows == 4);  // A, B, C, G of 02-28; H is in no pair
  CHECK(w.current == std::vector<double>{50, 50});
  CHECK(w.ids == std::vector<std::string>{"u", "s"});
  // Every 01-31 account has U + S = 100, so the current weights score them all 50: AUC 1/2 by ties.
  CHECK(w.train_auc_current == doctest::Approx(pairwise({50, 50}, {50, 50, 50})));
  // Any weight on U above S ranks them by U, which splits stayers (70..90) from leavers (10..20).
  REQUIRE(w.suggested.size() == 2);
  CHECK(w.suggested[0] + w.suggested[1] == 100);
  CHECK(w.suggested[0] > w.suggested[1]);
  CHECK(w.train_auc_suggested == doctest::Approx(1.0));
  // Checked on 02-28 against 03-31: churned B, G; stayed A, C; each AUC a pairwise count.
  auto combined = [&](double u, double s) { return (w.suggested[0] * u + w.suggested[1] * s) / 100; };
  CHECK(w.test.a.auc == doctest::Approx(pairwise({45, 42.5}, {62.5, 42.5})));
  CHECK(w.test.b.auc ==
        doctest::Approx(pairwise({combined(30, 60), combined(15, 70)}, {combined(85, 40), combined(75, 10)})));
  CHECK(w.test.a.good == 2);
  CHECK(w.test.a.bad == 2);
  CHECK_FALSE(w.checked);  // fewer than 10 of each kind

  const json j = trend_to_json(r);
  const json& sj = j["suggested_weights"];
  CHECK(sj["fitted_on"]["first"] == "2026-01-31");
  CHECK(sj["fitted_on"]["last"] == "2026-02-28");
  CHECK(sj["checked_on"]["scored"] == "2026-02-28");
  CHECK(sj["checked_on"]["outcome_at"] == "2026-03-31");
  CHECK(sj["outcome"] == "disappeared");
  CHECK(sj["test_current"]["auc"] == 0.625);
  CHECK(sj["categories"][0]["suggested"] == w.suggested[0]);
  CHECK(sj["verdict_message"]["code"] == "evidence.verdict.not_checked");
  const std::string text = trend_to_text(r);
  CHECK(test_util::contains(text, "Suggested category weights over time"));
  CHECK(test_util::contains(text, "current 0.625"));

  // Not asked: none. Two snapshots: no pair to check on, said so.
  CHECK_FALSE(build_trend({{day(2026, 1, 31), &s1}, {day(2026, 2, 28), &s2}, {day(2026, 3, 31), &s3}}).suggestion);
  CHECK_FALSE(
      trend_to_json(build_trend({{day(2026, 1, 31), &s1}, {day(2026, 2, 28), &s2}})).contains("suggested_weights"));
  const trend_report two = build_trend({{day(2026, 1, 31), &s1}, {day(2026, 2, 28), &s2}}, o);
  REQUIRE(two.suggestion);
  CHECK(two.suggestion->problem.code == "trend.suggest_too_few");
  CHECK(trend_to_json(two)["suggested_weights"]["problem_message"]["code"] == "trend.suggest_too_few");
}

TEST_CASE("weights fitted over time with an outcome column: each pair's outcome is the later file's column") {
  json doc = json::parse(save_model(two_category_model()));
  doc["outcome"] = {{"column", "Churned"}, {"positive", {"yes"}}};
  const model m = parse_model(doc.dump());
  // 01-31's outcome is 02-28's column: A stays, B churned; D is not in 02-28 (unknown, left out).
  // 02-28's outcome is 03-31's: A churned, C stays, B is not in 03-31 (unknown).
  const table t1 = csv_table("Account ID,U,S,Churned\nA,90,10,no\nB,20,80,no\nD,50,50,no\n", "a-2026-01-31.csv");
  const table t2 = csv_table("Account ID,U,S,Churned\nA,40,40,no\nB,30,60,yes\nC,75,10,no\n", "a-2026-02-28.csv");
  const table t3 = csv_table("Account ID,U,S,Churned\nA,50,50,yes\nC,50,50,no\n", "a-2026-03-31.csv");
  const scorer s1(t1, m), s2(t2, m), s3(t3, m);
  trend_options o;
  o.suggest = true;
  const trend_report r = build_trend({{day(2026, 1, 31), &s1}, {day(2026, 2, 28), &s2}, {day(2026, 3, 31), &s3}}, o);
  CHECK(r.outcome_source == "outcome");
  REQUIRE(r.suggestion);
  const weight_suggestion& w = r.suggestion->weights;
  CHECK(w.train_rows == 2);  // A, B
  CHECK(w.test_rows == 2);  // A, C
  CHECK(w.test.a.auc == doctest::Approx(pairwise({40}, {42.5})));
  CHECK(r.suggestion->warnings.empty());
}

TEST_CASE("weights fitted over time warn, as validate does, when a segment has its own category weights") {
  json doc = json::parse(save_model(two_category_model()));
  doc["segments"] = {
      {"column", "Tier"},
      {"groups",
       json::array(
           {{{"id", "big"}, {"label", "Big"}, {"values", {"big"}}, {"categories", {{"u", {{"weight", 3}}}}}}})}};
  const model m = parse_model(doc.dump());
  const table t1 = csv_table("Account ID,U,S,Tier\nA,90,10,big\nB,20,80,small\n", "a-2026-01-31.csv");
  const table t2 = csv_table("Account ID,U,S,Tier\nA,40,40,big\nC,75,10,small\n", "a-2026-02-28.csv");
  const table t3 = csv_table("Account ID,U,S,Tier\nA,50,50,big\n", "a-2026-03-31.csv");
  const scorer s1(t1, m), s2(t2, m), s3(t3, m);
  trend_options o;
  o.suggest = true;
  const trend_report r = build_trend({{day(2026, 1, 31), &s1}, {day(2026, 2, 28), &s2}, {day(2026, 3, 31), &s3}}, o);
  REQUIRE(r.suggestion);
  REQUIRE(r.suggestion->warnings.size() == 1);
  CHECK(r.suggestion->warnings[0].code == "evidence.warn.segment_weights");
  const json j = trend_to_json(r);
  CHECK(j["suggested_weights"]["warning_messages"][0]["code"] == "evidence.warn.segment_weights");
  CHECK(test_util::contains(trend_to_text(r), "! The suggested weights are the base model's"));
}

TEST_CASE("weights fitted over time need the same categories in every snapshot's model") {
  const model m = two_category_model();
  json doc = json::parse(save_model(m));
  doc["categories"][1]["id"] = "support";
  const model other = parse_model(doc.dump());
  const table t1 = csv_table("Account ID,U,S\nA,90,10\nB,20,80\n", "a-2026-01-31.csv");
  const table t2 = csv_table("Account ID,U,S\nA,40,40\n", "b-2026-02-28.csv");
  const table t3 = csv_table("Account ID,U,S\nA,50,50\n", "c-2026-03-31.csv");
  const scorer s1(t1, m), s2(t2, other), s3(t3, m);
  trend_options o;
  o.suggest = true;
  const trend_report r = build_trend({{day(2026, 1, 31), &s1}, {day(2026, 2, 28), &s2}, {day(2026, 3, 31), &s3}}, o);
  REQUIRE(r.suggestion);
  CHECK(r.suggestion->problem.code == "trend.suggest_categories_differ");
  CHECK(render(r.suggestion->problem) ==
        "the weights cannot be fitted over time: b-2026-02-28.csv is scored with other categories than the last "
        "snapshot");
  CHECK(test_util::contains(trend_to_text(r), "b-2026-02-28.csv is scored with other categories"));
}
