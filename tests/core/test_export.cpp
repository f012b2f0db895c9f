// SPDX-License-Identifier: MIT
#include <doctest/doctest.h>

#include <cmath>
#include <cstdlib>
#include <limits>

#include "healthscore/healthscore.hpp"

using namespace healthscore;

TEST_CASE("cells that start like a formula are defused, plain numbers are not") {
  CHECK(csv_cell("=SUM(A1:A9)") == "'=SUM(A1:A9)");
  CHECK(csv_cell("+1+1") == "'+1+1");
  CHECK(csv_cell("-2+3") == "'-2+3");
  CHECK(csv_cell("@cmd") == "'@cmd");
  CHECK(csv_cell("=1,2") == "\"'=1,2\"");
  CHECK(csv_cell("-3") == "-3");
  CHECK(csv_cell("+4.5") == "+4.5");
  CHECK(csv_cell("-1e3") == "-1e3");
  CHECK(csv_cell("-") == "'-");
  CHECK(csv_cell("a \"b\"") == "\"a \"\"b\"\"\"");
  CHECK(csv_cell("a;b", ';') == "\"a;b\"");
  CHECK(csv_cell("a;b", ',') == "a;b");
  CHECK(csv_cell("line\nbreak") == "\"line\nbreak\"");
  CHECK(csv_cell("") == "");
  CHECK(csv_cell("\tx") == "\tx");
  CHECK(csv_cell("\rx") == "\"\rx\"");
}

TEST_CASE("regression: a formula behind spaces, a tab, a semicolon or a comma is defused where it starts") {
  // Import dialogs that trim spaces, or split on tab or ';', see a new cell at each of these.
  CHECK(csv_cell("  =1+1") == "  '=1+1");
  CHECK(csv_cell("\t=1+1") == "\t'=1+1");  // the ' stays in the formula's own cell after a tab split
  CHECK(csv_cell("a;=1+1") == "a;'=1+1");
  CHECK(csv_cell("a; =HYPERLINK(\"x\")", ';') == "\"a; '=HYPERLINK(\"\"x\"\")\"");
  CHECK(csv_cell("x,@SUM(1)", ',') == "\"x,'@SUM(1)\"");
  CHECK(csv_cell("one\n=2") == "\"one\n'=2\"");
  // Plain numbers stay numbers in every piece.
  CHECK(csv_cell("1;-2;+3.5") == "1;-2;+3.5");
  CHECK(csv_cell("Smith; -Jr") == "Smith; '-Jr");
}

TEST_CASE("format_double gives the shortest text that reads back as the same double") {
  CHECK(format_double(0.1) == "0.1");
  CHECK(format_double(74.5) == "74.5");
  CHECK(format_double(100) == "100");
  CHECK(format_double(1.0 / 3) == "0.3333333333333333");
  CHECK(format_double(-0.0) == "-0");
  const double tricky[] = {5e-324, 1.7976931348623157e308, 0.30000000000000004, 123456789.123456789};
  for (double x : tricky) CHECK(std::strtod(format_double(x).c_str(), nullptr) == x);
}

namespace {

table two_row_table() {
  table t;
  t.source = "t.csv";
  column id("id"), name("name"), x("x");
  id.push_text("a1");
  id.push_text("a2");
  name.push_text("=HYPERLINK(\"http://evil\")");
  name.push_text("Plain, Inc");
  x.push_text("26.125");
  x.push_text("");
  for (column* c : {&id, &name, &x}) c->infer(false);
  t.columns = {id, name, x};
  t.rows = 2;
  return t;
}

model one_signal_model() {
  return parse_model(R"({"version": 1, "id_column": "id", "categories": [
    {"id": "c", "label": "Cat", "signals": [{"column": "x", "rule": {"type": "linear", "min": 0, "max": 100}}]}]})");
}

}  // namespace

TEST_CASE("the CSV export appends score, band and category columns rounded half away from zero") {
  const table t = two_row_table();
  const scorer s(t, one_signal_model());
  const std::string csv = export_csv(s);
  CHECK(csv ==
        "id,name,x,health_score,health_band,Cat score\r\n"
        "a1,\"'=HYPERLINK(\"\"http://evil\"\")\",26.125,26.13,At risk,26.13\r\n"
        "a2,\"Plain, Inc\",,,,\r\n");
}

TEST_CASE(
    "the Excel conventions: semicolons and decimal commas with a BOM for Spanish and Portuguese, a BOM for English") {
  const table t = two_row_table();
  const scorer s(t, one_signal_model());
  const auto es = csv_convention_named("excel-es");
  REQUIRE(es);
  CHECK(export_csv(s, *es) ==
        "\xEF\xBB\xBF"
        "id;name;x;health_score;health_band;Cat score\r\n"
        "a1;\"'=HYPERLINK(\"\"http://evil\"\")\";26.125;26,13;At risk;26,13\r\n"
        "a2;Plain, Inc;;;;\r\n");
  CHECK(export_csv(s, *csv_convention_named("excel-pt")) == export_csv(s, *es));
  const auto en = csv_convention_named("excel");
  REQUIRE(en);
  CHECK(export_csv(s, *en) == "\xEF\xBB\xBF" + export_csv(s));
  CHECK(export_csv(s, *csv_convention_named("standard")) == export_csv(s));
  CHECK_FALSE(csv_convention_named("excel-fr"));
}

TEST_CASE("the JSON export keeps full precision and nulls for unscored accounts") {
  const table t = two_row_table();
  const scorer s(t, one_signal_model());
  const json doc = export_json(s);
  CHECK(doc["rows"][0]["row"] == 1);
  CHECK(doc["rows"][0]["id"] == "a1");
  CHECK(doc["rows"][0]["score"].get<double>() == 26.125);
  CHECK(doc["rows"][0]["band"] == "red");
  CHECK(doc["rows"][1]["score"].is_null());
  CHECK(doc["rows"][1]["band"].is_null());
  CHECK(doc["rows"][1]["categories"]["c"].is_null());
  CHECK(doc["summary"]["bands"]["red"] == 1);
  CHECK(doc["summary"]["unscored"] == 1);
  CHECK(doc["summary"]["missing"]["x"] == 1);
}

namespace {

// Segments on "name"'s neighbour: a third row so both segments are scored; x is also the value.
table tier_table() {
  table t;
  t.source = "t.csv";
  column id("id"), tier("tier"), x("x");
  for (const char* v : {"a1", "a2", "a3"}) id.push_text(v);
  for (const char* v : {"Pro", "", "=cmd"}) tier.push_text(v);
  for (const char* v : {"60", "", "40"}) x.push_text(v);
  for (column* c : {&id, &tier, &x}) c->infer(false);
  t.columns = {id, tier, x};
  t.rows = 3;
  return t;
}

model tier_model() {
  return parse_model(R"({"version": 1, "id_column": "id", "value_column": "x", "categories": [
    {"id": "c", "label": "Cat", "signals": [{"column": "x", "rule": {"type": "linear", "min": 0, "max": 100}}]}],
    "segments": {"column": "tier", "other_label": "=Rest", "groups": [
      {"id": "pro", "label": "Pro plan", "values": ["pro"],
       "bands": [{"id": "red", "max": 60}, {"id": "yellow", "max": 80}, {"id": "green", "max": 100}]}]}})");
}

}  // namespace

TEST_CASE("a segmented model's CSV export adds health_segment after health_band, labels defused") {
  const table t = tier_table();
  const scorer s(t, tier_model());
  CHECK(export_csv(s) ==
        "id,tier,x,health_score,health_band,health_segment,Cat score\r\n"
        "a1,Pro,60,60.00,At risk,Pro plan,60.00\r\n"
        "a2,,,,,'=Rest,\r\n"
        "a3,'=cmd,40,40.00,At risk,'=Rest,40.00\r\n");
  // Without segments the column is not there.
  model plain = tier_model();
  plain.segments.reset();
  CHECK(export_csv(scorer(t, plain)).rfind("id,tier,x,health_score,health_band,Cat score\r\n", 0) == 0);
}

TEST_CASE("a segmented model's JSON export names each row's segment and gives counts and values per segment") {
  const table t = tier_table();
  const json doc = export_json(scorer(t, tier_model()));
  CHECK(doc["rows"][0]["segment"] == "Pro plan");
  CHECK(doc["rows"][1]["segment"] == "=Rest");
  const json& sum = doc["summary"];
  CHECK(sum["bands"]["red"] == 2);
  CHECK(sum["value_column"] == "x");
  CHECK(sum["value"]["bands"]["red"] == 100.0);
  CHECK(sum["value"]["at_risk"] == 100.0);
  CHECK(sum["value"]["total"] == 100.0);
  CHECK(sum["value"]["missing"] == 1);
  REQUIRE(sum["segments"].size() == 2);
  CHECK(sum["segments"][0]["id"] == "pro");
  CHECK(sum["segments"][0]["label"] == "Pro plan");
  CHECK(sum["segments"][0]["rows"] == 1);
  CHECK(sum["segments"][0]["bands"]["red"] == 1);
  CHECK(sum["segments"][0]["value"]["bands"]["red"] == 60.0);
  CHECK(sum["segments"][1]["id"].is_null());
  CHECK(sum["segments"][1]["label"] == "=Rest");
  CHECK(sum["segments"][1]["unscored"] == 1);
  CHECK(sum["segments"][1]["value"]["missing"] == 1);
  // Without the extensions the document is as before: no segment, value or segments keys.
  const json plain = export_json(scorer(t, parse_model(R"({"version": 1, "categories": [
    {"id": "c", "signals": [{"column": "x", "rule": {"type": "linear", "min": 0, "max": 100}}]}]})")));
  CHECK(plain["rows"][0].find("segment") == plain["rows"][0].end());
  CHECK(plain["summary"].size() == 3);
}
