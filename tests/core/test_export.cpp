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
  CHECK(csv_cell("\tx") == "'\tx");
  CHECK(csv_cell("\rx") == "\"'\rx\"");
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
