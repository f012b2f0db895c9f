// SPDX-License-Identifier: MIT
// The call list of a band, worked by hand: who is in it, in which order, and what cost them points.
#include <doctest/doctest.h>

#include <string>

#include "core/score_fixtures.hpp"
#include "healthscore/execute.hpp"
#include "healthscore/model.hpp"

using namespace healthscore;
using fixtures::make_table;

namespace {

// Two signals of equal weight in one category, each scoring its cell: a signal's points lost are
// half of (100 - its cell).
const table& accounts() {
  static const table t = make_table({
      {"Id", {"A1", "A2", "A3", "A4", "A5"}},
      {"Name", {"Ana", "Bo", "=Cy", "Di", "Ed"}},
      {"MRR", {"100", "900", "", "50", "700"}},
      {"Logins", {"10", "40", "20", "90", "30"}},
      {"NPS", {"50", "20", "10", "90", "60"}},
  });
  return t;
}

model two_signals(bool with_value) {
  std::string doc = R"({"version": 1, "id_column": "Id", "name_column": "Name",)";
  if (with_value) doc += R"("value_column": "MRR",)";
  doc += R"("categories": [{"id": "u", "label": "Usage", "signals": [
      {"column": "Logins", "rule": {"type": "linear", "min": 0, "max": 100}},
      {"column": "NPS", "rule": {"type": "linear", "min": 0, "max": 100}}]}]})";
  return parse_model(doc);
}

}  // namespace

TEST_CASE("the call list of the red band is ordered by value at risk, with each account's three largest losses") {
  // Scores: A1 30, A2 30, A3 15, A4 90, A5 45: red (<= 50) are A1, A2, A3, A5.
  const scorer s(accounts(), two_signals(true));
  const call_list list = make_call_list(s, {});
  CHECK(list.total == 4);
  CHECK(list.value == doctest::Approx(100 + 900 + 0 + 700));
  REQUIRE(list.entries.size() == 4);
  CHECK(list.entries[0].row == 1);  // A2, 900
  CHECK(list.entries[1].row == 4);  // A5, 700
  CHECK(list.entries[2].row == 0);  // A1, 100
  CHECK(list.entries[3].row == 2);  // A3, no value: 0
  // A2: NPS 20 loses 40 points, Logins 40 loses 30.
  REQUIRE(list.entries[0].costs.size() == 2);
  CHECK(list.entries[0].costs[0].column == "NPS");
  CHECK(list.entries[0].costs[0].points_lost == doctest::Approx(40));
  CHECK(list.entries[0].costs[1].column == "Logins");
  CHECK(list.entries[0].costs[1].points_lost == doctest::Approx(30));
  CHECK(call_list_csv(s, list) ==
        "id,name,score,band,action,MRR,signal 1,points lost 1,signal 2,points lost 2,signal 3,points lost 3\r\n"
        "A2,Bo,30.00,At risk,Call this week,900.00,NPS,40.0,Logins,30.0,,\r\n"
        "A5,Ed,45.00,At risk,Call this week,700.00,Logins,35.0,NPS,20.0,,\r\n"
        "A1,Ana,30.00,At risk,Call this week,100.00,Logins,45.0,NPS,25.0,,\r\n"
        "A3,'=Cy,15.00,At risk,Call this week,0.00,NPS,45.0,Logins,40.0,,\r\n");
}

TEST_CASE("without a value column the call list starts from the lowest score, and a limit cuts it") {
  const scorer s(accounts(), two_signals(false));
  call_options o;
  o.limit = 2;
  const call_list list = make_call_list(s, o);
  CHECK(list.total == 4);
  REQUIRE(list.entries.size() == 2);
  CHECK(list.entries[0].row == 2);  // A3, 15
  CHECK(list.entries[1].row == 0);  // A1, 30 (before A2, 30: row order)
  CHECK(call_list_csv(s, list).rfind("id,name,score,band,action,signal 1,", 0) == 0);
  o.band = 2;
  o.limit = 100;
  const call_list green = make_call_list(s, o);
  REQUIRE(green.entries.size() == 1);
  CHECK(green.entries[0].row == 3);
  o.band = 3;
  CHECK_THROWS_AS(make_call_list(s, o), input_error);
}
