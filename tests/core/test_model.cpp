// SPDX-License-Identifier: MIT
// The model document: defaults, every validation message, and round trips of known and unknown fields.
#include <doctest/doctest.h>

#include <functional>
#include <limits>
#include <string>

#include "healthscore/model.hpp"

using namespace healthscore;

namespace {

// The contract's example, extended so that every rule type and every optional field appears.
const char* const full_model = R"json({
  "version": 1,
  "name": "Default health score",
  "id_column": "Account ID",
  "name_column": "Account",
  "as_of": "2026-11-25",
  "missing": "renormalize",
  "categories": [
    { "id": "usage", "label": "Product usage", "weight": 40, "signals": [
      { "column": "Logins (30d)", "weight": 2, "rule": { "type": "linear", "min": 0, "max": 60 } },
      { "column": "Open tickets", "weight": 1,
        "rule": { "type": "steps", "steps": [ { "max": 0, "score": 100 }, { "max": 2, "score": 70 }, { "score": 20 } ] } },
      { "column": "Seats", "weight": 0.5, "rule": { "type": "log", "min": 1, "max": 1000, "direction": "lower_is_better" } } ] },
    { "id": "relationship", "label": "Relationship", "weight": 30, "signals": [
      { "column": "Plan", "weight": 1, "rule": { "type": "map", "map": { "Gold": 100, "Silver": 60 }, "default": 10 } },
      { "column": "Champion", "weight": 1, "rule": { "type": "boolean", "true_score": 100, "false_score": 0 } },
      { "column": "Last contact", "weight": 1, "rule": { "type": "recency", "full_days": 7, "zero_days": 90 } },
      { "column": "NPS", "weight": 1, "rule": { "type": "percentile" } },
      { "column": "Revenue", "weight": 1, "rule": { "type": "target", "target": 50000 } },
      { "column": "Spend", "weight": 1, "rule": { "type": "target", "target_column": "Budget" } } ] }
  ],
  "bands": [
    { "id": "red",    "label": "At risk", "max": 50,  "color": "#c0392b", "action": "Call this week" },
    { "id": "yellow", "label": "Neutral", "max": 70,  "color": "#d4a017", "action": "Monitor, offer help" },
    { "id": "green",  "label": "Healthy", "max": 100, "color": "#2e8b57", "action": "Ask for referral, upsell" }
  ],
  "outcome": { "column": "Churned", "positive": ["yes", "true", "1"] }
})json";

json full() { return json::parse(full_model); }

/// Parses `full_model` changed by `edit`, expecting the exact message.
std::string error_of(const std::function<void(json&)>& edit) {
  json doc = full();
  edit(doc);
  try {
    (void)model_from_json(doc);
  } catch (const model_error& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("the contract's example parses into the fields it states") {
  const model m = parse_model(full_model);
  CHECK(m.version == 1);
  CHECK(m.name == "Default health score");
  CHECK(m.id_column == "Account ID");
  CHECK(m.name_column == "Account");
  REQUIRE(m.as_of.has_value());
  CHECK(*m.as_of == 20782);  // 2026-11-25 is 20782 days after 1970-01-01
  CHECK(m.missing == missing_policy::renormalize);
  REQUIRE(m.categories.size() == 2);
  CHECK(m.categories[0].weight == 40);
  const rule& steps = m.categories[0].signals[1].rule;
  CHECK(steps.type == rule_type::steps);
  REQUIRE(steps.steps.size() == 3);
  CHECK(*steps.steps[1].max == 2);
  CHECK(steps.steps[1].score == 70);
  CHECK_FALSE(steps.steps[2].max.has_value());
  CHECK(m.categories[0].signals[2].rule.lower_is_better);
  const rule& map = m.categories[1].signals[0].rule;
  REQUIRE(map.map.size() == 2);
  CHECK(map.map[0].first == "Gold");
  CHECK(*map.map_default == 10);
  CHECK(m.categories[1].signals[2].rule.zero_days == 90);
  CHECK(m.categories[1].signals[5].rule.target_column == "Budget");
  REQUIRE(m.outcome.has_value());
  CHECK(m.outcome->column == "Churned");
  CHECK(m.bands.size() == 3);
}

TEST_CASE("omitted fields take the contract's defaults") {
  const model m = parse_model(R"({"version": 1, "categories": [
      {"id": "usage", "signals": [{"column": "Logins", "rule": {"type": "linear"}},
                                  {"column": "Champion", "rule": {"type": "boolean"}},
                                  {"column": "Last seen", "rule": {"type": "recency", "zero_days": 30}}]}]})");
  CHECK_FALSE(m.as_of.has_value());
  CHECK(m.missing == missing_policy::renormalize);
  CHECK(m.categories[0].label == "usage");
  CHECK(m.categories[0].weight == 1);
  CHECK(m.categories[0].signals[0].weight == 1);
  CHECK_FALSE(m.categories[0].signals[0].rule.min.has_value());
  CHECK_FALSE(m.categories[0].signals[0].rule.lower_is_better);
  CHECK(m.categories[0].signals[1].rule.true_score == 100);
  CHECK(m.categories[0].signals[1].rule.false_score == 0);
  CHECK(m.categories[0].signals[2].rule.full_days == 0);
  CHECK_FALSE(m.outcome.has_value());
  REQUIRE(m.bands.size() == 3);
  CHECK(m.bands[0].id == "red");
  CHECK(m.bands[0].max == 50);
  CHECK(m.bands[1].max == 70);
  CHECK(m.bands[2].max == 100);
  CHECK(m.bands[2].color == "#2e8b57");
  CHECK(m.bands[0].action == "Call this week");
}

TEST_CASE("a band without a label takes its id and an outcome without positive takes yes, true, 1") {
  const model m = parse_model(R"({"version": 1, "categories": [],
      "bands": [{"id": "low", "max": 40}, {"id": "high", "max": 100}], "outcome": {"column": "Churned"}})");
  CHECK(m.bands[0].label == "low");
  CHECK(m.bands[0].color.empty());
  CHECK(m.outcome->positive == std::vector<std::string>{"yes", "true", "1"});
}

TEST_CASE("the default bands are the contract's three with their colours and actions") {
  const auto b = model::default_bands();
  REQUIRE(b.size() == 3);
  CHECK(b[0].id == "red");
  CHECK(b[0].label == "At risk");
  CHECK(b[0].color == "#c0392b");
  CHECK(b[1].id == "yellow");
  CHECK(b[1].label == "Neutral");
  CHECK(b[1].color == "#d4a017");
  CHECK(b[1].action == "Monitor, offer help");
  CHECK(b[2].id == "green");
  CHECK(b[2].label == "Healthy");
  CHECK(b[2].action == "Ask for referral, upsell");
  CHECK(model{}.bands.size() == 3);
}

TEST_CASE("to_string names rule types and missing policies as the document writes them") {
  CHECK(std::string(to_string(rule_type::linear)) == "linear");
  CHECK(std::string(to_string(rule_type::percentile)) == "percentile");
  CHECK(std::string(to_string(rule_type::target)) == "target");
  CHECK(std::string(to_string(missing_policy::neutral)) == "neutral");
  CHECK(std::string(to_string(missing_policy::zero)) == "zero");
}

TEST_CASE("invalid JSON text is a model error giving the parse position") {
  try {
    (void)parse_model("{\"version\": 1,\n \"categories\": [}");
    FAIL("no error");
  } catch (const model_error& e) {
    const std::string w = e.what();
    CHECK(w.find("not valid JSON") != std::string::npos);
    CHECK(w.find("line 2, column 17") != std::string::npos);
    CHECK(w.find("json.exception") == std::string::npos);
  }
  CHECK_THROWS_AS((void)parse_model(""), model_error);
  CHECK_THROWS_WITH_AS((void)parse_model("[1]"), "the model must be a JSON object", model_error);
}

TEST_CASE("every validation message names the JSON path of the problem") {
  // Document level.
  CHECK(error_of([](json& d) { d.erase("version"); }) == "version is required");
  CHECK(error_of([](json& d) { d["version"] = 2; }) == "version must be 1");
  CHECK(error_of([](json& d) { d["version"] = "1"; }) == "version must be 1");
  CHECK(error_of([](json& d) { d["name"] = 5; }) == "name must be a string");
  CHECK(error_of([](json& d) { d["id_column"] = nullptr; }) == "id_column must be a string");
  CHECK(error_of([](json& d) { d["as_of"] = "2026-02-29"; }) == "as_of \"2026-02-29\" is not a calendar date");
  CHECK(error_of([](json& d) { d["as_of"] = "2026-13-01"; }) == "as_of \"2026-13-01\" is not a calendar date");
  CHECK(error_of([](json& d) { d["as_of"] = "25/11/2026"; }) == "as_of must be a date written yyyy-mm-dd");
  CHECK(error_of([](json& d) { d["as_of"] = "2026-1-25"; }) == "as_of must be a date written yyyy-mm-dd");
  CHECK(error_of([](json& d) { d["as_of"] = 20782; }) == "as_of must be a date written yyyy-mm-dd");
  CHECK(error_of([](json& d) { d["as_of"] = "2028-02-29"; }) == "(no error)");
  CHECK(error_of([](json& d) { d["missing"] = "ignore"; }) == "missing must be \"renormalize\", \"zero\" or \"neutral\"");
  CHECK(error_of([](json& d) { d.erase("categories"); }) == "categories is required");
  CHECK(error_of([](json& d) { d["categories"] = json::object(); }) == "categories must be an array");

  // Categories.
  CHECK(error_of([](json& d) { d["categories"][1] = 3; }) == "categories[1] must be an object");
  CHECK(error_of([](json& d) { d["categories"][1].erase("id"); }) == "categories[1].id is required");
  CHECK(error_of([](json& d) { d["categories"][1]["id"] = 7; }) == "categories[1].id must be a string");
  CHECK(error_of([](json& d) { d["categories"][1]["id"] = ""; }) == "categories[1].id must not be empty");
  CHECK(error_of([](json& d) { d["categories"][1]["id"] = "usage"; }) ==
        "categories[1].id \"usage\" is used by an earlier category");
  CHECK(error_of([](json& d) { d["categories"][0]["label"] = false; }) == "categories[0].label must be a string");
  CHECK(error_of([](json& d) { d["categories"][0]["weight"] = -1; }) ==
        "categories[0].weight must be a non-negative number");
  CHECK(error_of([](json& d) { d["categories"][0]["weight"] = "40"; }) == "categories[0].weight must be a number");
  CHECK(error_of([](json& d) { d["categories"][0]["weight"] = 0; }) == "(no error)");
  CHECK(error_of([](json& d) { d["categories"][0].erase("signals"); }) == "categories[0].signals is required");
  CHECK(error_of([](json& d) { d["categories"][0]["signals"] = "x"; }) == "categories[0].signals must be an array");

  // Signals.
  CHECK(error_of([](json& d) { d["categories"][0]["signals"][1] = json::array(); }) ==
        "categories[0].signals[1] must be an object");
  CHECK(error_of([](json& d) { d["categories"][0]["signals"][1].erase("column"); }) ==
        "categories[0].signals[1].column is required");
  CHECK(error_of([](json& d) { d["categories"][0]["signals"][1]["column"] = "  "; }) ==
        "categories[0].signals[1].column must not be empty");
  CHECK(error_of([](json& d) { d["categories"][0]["signals"][1]["column"] = 1; }) ==
        "categories[0].signals[1].column must be a string");
  CHECK(error_of([](json& d) { d["categories"][1]["signals"][0]["weight"] = -0.5; }) ==
        "categories[1].signals[0].weight must be a non-negative number");
  CHECK(error_of([](json& d) { d["categories"][1]["signals"][0].erase("rule"); }) ==
        "categories[1].signals[0].rule is required");
  CHECK(error_of([](json& d) { d["categories"][1]["signals"][0]["rule"] = "linear"; }) ==
        "categories[1].signals[0].rule must be an object");

  // Rules.
  const std::string r10 = "categories[1].signals[0].rule";
  CHECK(error_of([](json& d) { d["categories"][1]["signals"][0]["rule"].erase("type"); }) == r10 + ".type is required");
  CHECK(error_of([](json& d) { d["categories"][1]["signals"][0]["rule"]["type"] = "cubic"; }) ==
        r10 + ".type \"cubic\" is not a known rule type (linear, log, steps, map, boolean, recency, percentile, target)");
  CHECK(error_of([](json& d) { d["categories"][1]["signals"][0]["rule"]["type"] = 1; }) == r10 + ".type must be a string");
  CHECK(error_of([](json& d) { d["categories"][1]["signals"][0]["rule"]["direction"] = "down"; }) ==
        r10 + ".direction must be \"higher_is_better\" or \"lower_is_better\"");
  CHECK(error_of([](json& d) { d["categories"][1]["signals"][0]["rule"] = {{"type", "linear"}, {"max", "60"}}; }) ==
        r10 + ".max must be a number");
  CHECK(error_of([](json& d) { d["categories"][1]["signals"][0]["rule"] = {{"type", "linear"}, {"min", nullptr}}; }) ==
        r10 + ".min must be a number");
  CHECK(error_of([](json& d) { d["categories"][0]["signals"][2]["rule"]["min"] = -1; }) ==
        "categories[0].signals[2].rule.min must be a non-negative number");
  CHECK(error_of([](json& d) { d["categories"][0]["signals"][2]["rule"]["max"] = -3; }) ==
        "categories[0].signals[2].rule.max must be a non-negative number");

  const std::string r01 = "categories[0].signals[1].rule";
  CHECK(error_of([](json& d) { d["categories"][0]["signals"][1]["rule"].erase("steps"); }) == r01 + ".steps is required");
  CHECK(error_of([](json& d) { d["categories"][0]["signals"][1]["rule"]["steps"] = json::array(); }) ==
        r01 + ".steps must not be empty");
  CHECK(error_of([](json& d) { d["categories"][0]["signals"][1]["rule"]["steps"] = 5; }) == r01 + ".steps must be an array");
  CHECK(error_of([](json& d) { d["categories"][0]["signals"][1]["rule"]["steps"][1] = 5; }) ==
        r01 + ".steps[1] must be an object");
  CHECK(error_of([](json& d) { d["categories"][0]["signals"][1]["rule"]["steps"][1].erase("score"); }) ==
        r01 + ".steps[1].score is required");
  CHECK(error_of([](json& d) { d["categories"][0]["signals"][1]["rule"]["steps"][1]["score"] = 101; }) ==
        r01 + ".steps[1].score must be a number from 0 to 100");
  CHECK(error_of([](json& d) { d["categories"][0]["signals"][1]["rule"]["steps"][2]["score"] = -1; }) ==
        r01 + ".steps[2].score must be a number from 0 to 100");
  CHECK(error_of([](json& d) { d["categories"][0]["signals"][1]["rule"]["steps"][0]["max"] = "0"; }) ==
        r01 + ".steps[0].max must be a number");

  CHECK(error_of([](json& d) { d["categories"][1]["signals"][0]["rule"].erase("map"); }) == r10 + ".map is required");
  CHECK(error_of([](json& d) { d["categories"][1]["signals"][0]["rule"]["map"] = json::array(); }) ==
        r10 + ".map must be an object");
  CHECK(error_of([](json& d) { d["categories"][1]["signals"][0]["rule"]["map"]["Bronze"] = "low"; }) ==
        r10 + ".map[\"Bronze\"] must be a number");
  CHECK(error_of([](json& d) { d["categories"][1]["signals"][0]["rule"]["map"]["Bronze"] = 150; }) ==
        r10 + ".map[\"Bronze\"] must be a number from 0 to 100");
  CHECK(error_of([](json& d) { d["categories"][1]["signals"][0]["rule"]["default"] = "none"; }) ==
        r10 + ".default must be a number");

  const std::string r11 = "categories[1].signals[1].rule";
  CHECK(error_of([](json& d) { d["categories"][1]["signals"][1]["rule"]["true_score"] = "yes"; }) ==
        r11 + ".true_score must be a number");
  CHECK(error_of([](json& d) { d["categories"][1]["signals"][1]["rule"]["false_score"] = 200; }) ==
        r11 + ".false_score must be a number from 0 to 100");

  const std::string r12 = "categories[1].signals[2].rule";
  CHECK(error_of([](json& d) { d["categories"][1]["signals"][2]["rule"].erase("zero_days"); }) ==
        r12 + ".zero_days is required");
  CHECK(error_of([](json& d) { d["categories"][1]["signals"][2]["rule"]["full_days"] = "7"; }) ==
        r12 + ".full_days must be a number");
  CHECK(error_of([](json& d) { d["categories"][1]["signals"][2]["rule"]["zero_days"] = 7; }) ==
        r12 + ".zero_days must be greater than full_days");

  const std::string r14 = "categories[1].signals[4].rule";
  CHECK(error_of([](json& d) { d["categories"][1]["signals"][4]["rule"].erase("target"); }) ==
        r14 + " needs target (a number) or target_column (a column name)");
  CHECK(error_of([](json& d) { d["categories"][1]["signals"][4]["rule"]["target"] = "big"; }) ==
        r14 + ".target must be a number");
  CHECK(error_of([](json& d) { d["categories"][1]["signals"][4]["rule"]["target_column"] = "Goal"; }) ==
        r14 + " must give either target or target_column, not both");
  CHECK(error_of([](json& d) { d["categories"][1]["signals"][5]["rule"]["target_column"] = 3; }) ==
        "categories[1].signals[5].rule.target_column must be a string");

  // Bands.
  CHECK(error_of([](json& d) { d["bands"] = json::array(); }) == "bands must not be empty");
  CHECK(error_of([](json& d) { d["bands"] = "red"; }) == "bands must be an array");
  CHECK(error_of([](json& d) { d["bands"][1] = 70; }) == "bands[1] must be an object");
  CHECK(error_of([](json& d) { d["bands"][1].erase("id"); }) == "bands[1].id is required");
  CHECK(error_of([](json& d) { d["bands"][1]["id"] = "red"; }) == "bands[1].id \"red\" is used by an earlier band");
  CHECK(error_of([](json& d) { d["bands"][1].erase("max"); }) == "bands[1].max is required");
  CHECK(error_of([](json& d) { d["bands"][1]["max"] = "70"; }) == "bands[1].max must be a number");
  CHECK(error_of([](json& d) { d["bands"][1]["max"] = 50; }) ==
        "bands[1].max must be greater than bands[0].max (bands are listed by increasing max)");
  CHECK(error_of([](json& d) { d["bands"][1]["max"] = 40; }) ==
        "bands[1].max must be greater than bands[0].max (bands are listed by increasing max)");
  CHECK(error_of([](json& d) { d["bands"][2]["max"] = 99; }) == "bands[2].max must be 100 (the last band ends at 100)");
  CHECK(error_of([](json& d) { d["bands"][0]["color"] = 0xc0392b; }) == "bands[0].color must be a string");
  CHECK(error_of([](json& d) { d["bands"][0]["action"] = json::array(); }) == "bands[0].action must be a string");

  // Outcome.
  CHECK(error_of([](json& d) { d["outcome"] = "Churned"; }) == "outcome must be an object");
  CHECK(error_of([](json& d) { d["outcome"].erase("column"); }) == "outcome.column is required");
  CHECK(error_of([](json& d) { d["outcome"]["column"] = ""; }) == "outcome.column must not be empty");
  CHECK(error_of([](json& d) { d["outcome"]["positive"] = "yes"; }) == "outcome.positive must be an array");
  CHECK(error_of([](json& d) { d["outcome"]["positive"][1] = true; }) == "outcome.positive[1] must be a string");
}

TEST_CASE("hostile sizes are refused with messages naming the limit") {
  CHECK(error_of([](json& d) {
          json cats = json::array();
          for (int i = 0; i < 1001; ++i) cats.push_back({{"id", "c" + std::to_string(i)}, {"signals", json::array()}});
          d["categories"] = cats;
        }) == "categories has 1001 entries; the limit is 1000");
  CHECK(error_of([](json& d) {
          json sigs = json::array();
          for (int i = 0; i < 6000; ++i) sigs.push_back({{"column", "x"}, {"rule", {{"type", "percentile"}}}});
          d["categories"][0]["signals"] = sigs;
          d["categories"][1]["signals"] = sigs;
        }) == "categories[1].signals brings the model over 10000 signals, the limit");
  CHECK(error_of([](json& d) { d["name"] = std::string(10001, 'a'); }) == "name is longer than 10000 characters");
  // 10,000 two-byte characters are 20,000 bytes but within the limit of 10,000 characters.
  std::string e_acute;
  for (int i = 0; i < 10000; ++i) e_acute += "\xC3\xA9";
  CHECK(error_of([&](json& d) { d["categories"][0]["label"] = e_acute; }) == "(no error)");
  CHECK(error_of([&](json& d) { d["categories"][0]["label"] = e_acute + "e"; }) ==
        "categories[0].label is longer than 10000 characters");
  CHECK(error_of([](json& d) { d["categories"][0]["signals"][0]["column"] = std::string(10001, 'c'); }) ==
        "categories[0].signals[0].column is longer than 10000 characters");
}

TEST_CASE("validate holds a model built in code to the same rules") {
  model m;
  m.categories.push_back({"usage", "Usage", 1, {}, json::object()});
  CHECK_NOTHROW(validate(m));

  SUBCASE("negative category weight") {
    m.categories[0].weight = -2;
    CHECK_THROWS_WITH_AS(validate(m), "categories[0].weight must be a non-negative number", model_error);
  }
  SUBCASE("infinite signal weight") {
    signal s;
    s.column = "Logins";
    s.weight = std::numeric_limits<double>::infinity();
    m.categories[0].signals.push_back(s);
    CHECK_THROWS_WITH_AS(validate(m), "categories[0].signals[0].weight must be a non-negative number", model_error);
  }
  SUBCASE("bands out of order") {
    m.bands[0].max = 80;
    CHECK_THROWS_WITH_AS(validate(m), "bands[1].max must be greater than bands[0].max (bands are listed by increasing max)",
                         model_error);
  }
  SUBCASE("empty steps") {
    signal s;
    s.column = "Tickets";
    s.rule.type = rule_type::steps;
    m.categories[0].signals.push_back(s);
    CHECK_THROWS_WITH_AS(validate(m), "categories[0].signals[0].rule.steps must not be empty", model_error);
  }
  SUBCASE("recency without a span") {
    signal s;
    s.column = "Last login";
    s.rule.type = rule_type::recency;
    m.categories[0].signals.push_back(s);
    CHECK_THROWS_WITH_AS(validate(m), "categories[0].signals[0].rule.zero_days must be greater than full_days", model_error);
  }
  SUBCASE("wrong version") {
    m.version = 3;
    CHECK_THROWS_WITH_AS(validate(m), "version must be 1", model_error);
  }
}

TEST_CASE("a full document saved from its parsed model equals the original, numbers as written") {
  json doc = full();
  const json saved = model_to_json(model_from_json(doc));
  CHECK(saved == doc);
  // Integral numbers are written as integers: 40 stays 40, 0.5 stays 0.5.
  const std::string text = save_model(model_from_json(doc), -1);
  CHECK(text.find("\"weight\":40,") != std::string::npos);
  CHECK(text.find("\"weight\":0.5,") != std::string::npos);
  CHECK(text.find("40.0") == std::string::npos);
}

TEST_CASE("unknown fields at every level survive a round trip, after the known ones and in their order") {
  json doc = full();
  doc["x_owner"] = "ops";
  doc["x_meta"] = {{"b", 1}, {"a", {1, 2, 3}}};
  doc["categories"][0]["x_color"] = "blue";
  doc["categories"][0]["signals"][0]["x_note"] = "daily active";
  doc["categories"][0]["signals"][0]["rule"]["x_curve"] = 2.5;
  doc["categories"][0]["signals"][1]["rule"]["steps"][0]["x_label"] = "none open";
  doc["bands"][1]["x_icon"] = "eye";
  doc["outcome"]["x_window"] = "90d";
  // Parameters of another rule type are unknown to this rule, and kept too.
  doc["categories"][1]["signals"][6 - 1]["rule"]["min"] = 3;

  const model m = model_from_json(doc);
  CHECK(m.extra.size() == 2);
  CHECK(m.categories[0].signals[0].rule.extra["x_curve"] == 2.5);
  CHECK(m.categories[0].signals[1].rule.steps[0].extra["x_label"] == "none open");
  const json saved = model_to_json(m);
  CHECK(saved == doc);

  // Known fields first in the contract's order, then the unknown ones in document order.
  std::vector<std::string> keys;
  for (auto it = saved.begin(); it != saved.end(); ++it) keys.push_back(it.key());
  CHECK(keys == std::vector<std::string>{"version", "name", "id_column", "name_column", "as_of", "missing", "categories",
                                         "bands", "outcome", "x_owner", "x_meta"});
  std::vector<std::string> band_keys;
  for (auto it = saved["bands"][1].begin(); it != saved["bands"][1].end(); ++it) band_keys.push_back(it.key());
  CHECK(band_keys == std::vector<std::string>{"id", "label", "max", "color", "action", "x_icon"});

  // Unknown fields written first in the file still come after the known ones.
  json reordered = json::parse(R"({"x_first": true, "categories": [], "version": 1})");
  const json out = model_to_json(model_from_json(reordered));
  CHECK(out.begin().key() == "version");
  CHECK(out.back() == true);
}

TEST_CASE("parse, save and parse again gives the same model") {
  const char* sparse = R"({"version": 1, "categories": [
      {"id": "u", "signals": [{"column": "A", "rule": {"type": "linear", "direction": "lower_is_better"}},
                              {"column": "B", "rule": {"type": "recency", "zero_days": 30}}]}],
      "x": {"y": [null, 1.25]}})";
  const model a = parse_model(sparse);
  const std::string once = save_model(a);
  const model b = parse_model(once);
  CHECK(save_model(b) == once);
  CHECK(b.categories[0].signals[0].rule.lower_is_better);
  CHECK(b.categories[0].label == "u");
  CHECK(b.extra["x"]["y"][1] == 1.25);

  const model c = parse_model(full_model);
  CHECK(save_model(parse_model(save_model(c))) == save_model(c));
}
