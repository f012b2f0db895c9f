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
  CHECK(error_of([](json& d) { d["missing"] = "ignore"; }) ==
        "missing must be \"renormalize\", \"zero\" or \"neutral\"");
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
        r10 +
            ".type \"cubic\" is not a known rule type (linear, log, steps, map, boolean, recency, percentile, target)");
  CHECK(error_of([](json& d) { d["categories"][1]["signals"][0]["rule"]["type"] = 1; }) ==
        r10 + ".type must be a string");
  CHECK(error_of([](json& d) { d["categories"][1]["signals"][0]["rule"]["direction"] = "down"; }) ==
        r10 + ".direction must be \"higher_is_better\" or \"lower_is_better\"");
  CHECK(error_of([](json& d) {
          d["categories"][1]["signals"][0]["rule"] = {{"type", "linear"}, {"max", "60"}};
        }) == r10 + ".max must be a number");
  CHECK(error_of([](json& d) {
          d["categories"][1]["signals"][0]["rule"] = {{"type", "linear"}, {"min", nullptr}};
        }) == r10 + ".min must be a number");
  CHECK(error_of([](json& d) { d["categories"][0]["signals"][2]["rule"]["min"] = -1; }) ==
        "categories[0].signals[2].rule.min must be a non-negative number");
  CHECK(error_of([](json& d) { d["categories"][0]["signals"][2]["rule"]["max"] = -3; }) ==
        "categories[0].signals[2].rule.max must be a non-negative number");

  const std::string r01 = "categories[0].signals[1].rule";
  CHECK(error_of([](json& d) { d["categories"][0]["signals"][1]["rule"].erase("steps"); }) ==
        r01 + ".steps is required");
  CHECK(error_of([](json& d) { d["categories"][0]["signals"][1]["rule"]["steps"] = json::array(); }) ==
        r01 + ".steps must not be empty");
  CHECK(error_of([](json& d) { d["categories"][0]["signals"][1]["rule"]["steps"] = 5; }) ==
        r01 + ".steps must be an array");
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
          for (int i = 0; i < 51; ++i) cats.push_back({{"id", "c" + std::to_string(i)}, {"signals", json::array()}});
          d["categories"] = cats;
        }) == "categories has 51 entries; the limit is 50");
  CHECK(error_of([](json& d) {
          json sigs = json::array();
          for (int i = 0; i < 120; ++i) sigs.push_back({{"column", "x"}, {"rule", {{"type", "percentile"}}}});
          d["categories"][0]["signals"] = sigs;
          d["categories"][1]["signals"] = sigs;
        }) == "categories[1].signals brings the model over 200 signals, the limit");
  CHECK(error_of([](json& d) { d["name"] = std::string(10001, 'a'); }) == "name is longer than 10,000 characters");
  // 10,000 two-byte characters are 20,000 bytes but within the limit of 10,000 characters.
  std::string e_acute;
  for (int i = 0; i < 10000; ++i) e_acute += "\xC3\xA9";
  CHECK(error_of([&](json& d) { d["categories"][0]["label"] = e_acute; }) == "(no error)");
  CHECK(error_of([&](json& d) { d["categories"][0]["label"] = e_acute + "e"; }) ==
        "categories[0].label is longer than 10,000 characters");
  CHECK(error_of([](json& d) { d["categories"][0]["signals"][0]["column"] = std::string(10001, 'c'); }) ==
        "categories[0].signals[0].column is longer than 10,000 characters");
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
    CHECK_THROWS_WITH_AS(validate(m),
                         "bands[1].max must be greater than bands[0].max (bands are listed by increasing max)",
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
    CHECK_THROWS_WITH_AS(validate(m), "categories[0].signals[0].rule.zero_days must be greater than full_days",
                         model_error);
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
  CHECK(keys == std::vector<std::string>{"version", "name", "id_column", "name_column", "as_of", "missing",
                                         "categories", "bands", "outcome", "x_owner", "x_meta"});
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

// ---- extensions: signal ids, value_column, segments -------------------------------------------

namespace {

/// `full_model` with a value column, a signal id and two segment groups that use every override kind.
json segmented() {
  json d = full();
  d["value_column"] = "MRR";
  d["categories"][1]["signals"][3]["id"] = "nps";
  d["segments"] = json::parse(R"json({
    "column": "Tier",
    "groups": [
      { "id": "enterprise", "label": "Enterprise", "values": ["Enterprise", "Enterprise Plus"],
        "categories": {
          "usage": { "weight": 30,
                     "signals": { "Logins (30d)": { "rule": { "type": "linear", "min": 0, "max": 600 } },
                                  "Seats": { "weight": 2 } } },
          "relationship": { "signals": { "nps": { "weight": 0 } } } },
        "bands": [ { "id": "red", "max": 60 }, { "id": "yellow", "max": 80, "action": "Call the sponsor" },
                   { "id": "green", "max": 100 } ] },
      { "id": "smb", "values": ["SMB", "self-serve"] }
    ]
  })json");
  return d;
}

std::string segment_error_of(const std::function<void(json&)>& edit) {
  json doc = segmented();
  edit(doc);
  try {
    (void)model_from_json(doc);
  } catch (const model_error& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("segments, a value column and signal ids parse into the fields the contract states") {
  const model m = model_from_json(segmented());
  CHECK(m.value_column == "MRR");
  CHECK(m.categories[1].signals[3].id == "nps");
  CHECK(m.categories[1].signals[3].key() == "nps");
  CHECK(m.categories[1].signals[2].key() == "Last contact");
  REQUIRE(m.segments.has_value());
  const segments& s = *m.segments;
  CHECK(s.column == "Tier");
  CHECK(s.other_label == "Other");
  REQUIRE(s.groups.size() == 2);
  CHECK(s.groups[1].label == "smb");  // a group without a label takes its id
  CHECK(s.groups[1].categories.empty());
  CHECK(s.groups[1].bands.empty());
  const segment_group& e = s.groups[0];
  CHECK(e.values == std::vector<std::string>{"Enterprise", "Enterprise Plus"});
  REQUIRE(e.categories.size() == 2);
  CHECK(e.categories[0].id == "usage");
  CHECK(e.categories[0].weight == 30);
  REQUIRE(e.categories[0].signals.size() == 2);
  CHECK(e.categories[0].signals[0].key == "Logins (30d)");
  CHECK_FALSE(e.categories[0].signals[0].weight.has_value());
  CHECK(e.categories[0].signals[0].rule->max == 600);
  CHECK(e.categories[0].signals[1].weight == 2);
  CHECK_FALSE(e.categories[0].signals[1].rule.has_value());
  CHECK_FALSE(e.categories[1].weight.has_value());
  REQUIRE(e.bands.size() == 3);
  CHECK(e.bands[0].max == 60);
  CHECK_FALSE(e.bands[0].action.has_value());
  CHECK(e.bands[1].action == "Call the sponsor");
}

TEST_CASE("a segment model applies its group's overrides and keeps every index of the base model") {
  const model base = model_from_json(segmented());
  const model e = segment_model(base, 0);
  CHECK_FALSE(e.segments.has_value());
  REQUIRE(e.categories.size() == base.categories.size());
  for (std::size_t c = 0; c < e.categories.size(); ++c) {
    REQUIRE(e.categories[c].signals.size() == base.categories[c].signals.size());
    for (std::size_t s = 0; s < e.categories[c].signals.size(); ++s)
      CHECK(e.categories[c].signals[s].column == base.categories[c].signals[s].column);
  }
  CHECK(e.categories[0].weight == 30);  // overridden
  CHECK(e.categories[1].weight == 30);  // the base's
  CHECK(e.categories[0].signals[0].rule.max == 600);  // the rule replaced whole
  CHECK(e.categories[0].signals[0].rule.min == 0);
  CHECK(e.categories[0].signals[0].weight == 2);  // the base's weight kept with a new rule
  CHECK(e.categories[0].signals[2].weight == 2);  // Seats: 0.5 -> 2
  CHECK(e.categories[0].signals[2].rule.type == rule_type::log);  // its rule untouched
  CHECK(e.categories[1].signals[3].weight == 0);  // by id
  CHECK(e.bands[0].max == 60);
  CHECK(e.bands[0].action == "Call this week");  // no action given: the base's
  CHECK(e.bands[1].max == 80);
  CHECK(e.bands[1].action == "Call the sponsor");
  CHECK(e.bands[1].label == "Neutral");
  CHECK(e.bands[1].color == "#d4a017");

  // A group that overrides nothing gives the base model itself.
  model plain = segment_model(base, 1);
  model expected = base;
  expected.segments.reset();
  CHECK(save_model(plain) == save_model(expected));
  CHECK_THROWS_AS(segment_model(base, 2), std::out_of_range);
}

TEST_CASE("an account's segment is the first group with its trimmed value, case folded; else none") {
  const model m = model_from_json(segmented());
  const segments& s = *m.segments;
  CHECK(match_segment(s, "Enterprise") == std::optional<std::size_t>(0));
  CHECK(match_segment(s, "  enterprise plus ") == std::optional<std::size_t>(0));
  CHECK(match_segment(s, "SELF-SERVE") == std::optional<std::size_t>(1));
  CHECK(match_segment(s, "smb") == std::optional<std::size_t>(1));
  CHECK_FALSE(match_segment(s, "Enterprise+").has_value());
  CHECK_FALSE(match_segment(s, "").has_value());
  CHECK_FALSE(match_segment(s, "   ").has_value());
  // Latin-1 letters fold as map keys do.
  segments latin;
  latin.column = "Região";
  latin.groups.push_back({"sul", "Sul", {"SÃO PAULO"}, {}, {}, json::object()});
  CHECK(match_segment(latin, "são paulo") == std::optional<std::size_t>(0));
}

TEST_CASE("every invalid segment, value column or signal id names its JSON path") {
  CHECK(segment_error_of([](json&) {}) == "(no error)");
  // value_column and signal ids.
  CHECK(segment_error_of([](json& d) { d["value_column"] = 3; }) == "value_column must be a string");
  CHECK(segment_error_of([](json& d) { d["value_column"] = " "; }) ==
        "value_column must not be empty (leave it out for no value column)");
  CHECK(segment_error_of([](json& d) { d["categories"][1]["signals"][3]["id"] = ""; }) ==
        "categories[1].signals[3].id must not be empty (leave it out and the column is the key)");
  CHECK(segment_error_of([](json& d) { d["categories"][1]["signals"][3]["id"] = 1; }) ==
        "categories[1].signals[3].id must be a string");
  CHECK(segment_error_of([](json& d) {
          d["categories"][1]["signals"][2]["id"] = "x";
          d["categories"][1]["signals"][4]["id"] = "x";
        }) == "categories[1].signals[4].id \"x\" is used by an earlier signal of this category");
  CHECK(segment_error_of([](json& d) { d["outcome"]["good"] = "yes"; }) == "outcome.good must be true or false");
  CHECK(segment_error_of([](json& d) { d["outcome"]["good"] = true; }) == "(no error)");

  // The segments object.
  CHECK(segment_error_of([](json& d) { d["segments"] = json::array(); }) == "segments must be an object");
  CHECK(segment_error_of([](json& d) { d["segments"].erase("column"); }) == "segments.column is required");
  CHECK(segment_error_of([](json& d) { d["segments"]["column"] = ""; }) == "segments.column must not be empty");
  CHECK(segment_error_of([](json& d) { d["segments"]["other_label"] = 0; }) == "segments.other_label must be a string");
  CHECK(segment_error_of([](json& d) { d["segments"]["other_label"] = " "; }) ==
        "segments.other_label must not be empty");
  CHECK(segment_error_of([](json& d) { d["segments"].erase("groups"); }) == "segments.groups is required");
  CHECK(segment_error_of([](json& d) { d["segments"]["groups"] = json::object(); }) ==
        "segments.groups must be an array");
  CHECK(segment_error_of([](json& d) { d["segments"]["groups"] = json::array(); }) == "(no error)");
  CHECK(segment_error_of([](json& d) {
          json& g = d["segments"]["groups"];
          for (int i = 2; i < 101; ++i) g.push_back({{"id", "g" + std::to_string(i)}, {"values", json::array()}});
        }) == "segments.groups has 101 entries; the limit is 100");
  CHECK(segment_error_of([](json& d) {
          json& g = d["segments"]["groups"];
          for (int i = 2; i < 100; ++i) g.push_back({{"id", "g" + std::to_string(i)}, {"values", json::array()}});
        }) == "(no error)");

  // Groups.
  CHECK(segment_error_of([](json& d) { d["segments"]["groups"][1] = "smb"; }) ==
        "segments.groups[1] must be an object");
  CHECK(segment_error_of([](json& d) { d["segments"]["groups"][1].erase("id"); }) ==
        "segments.groups[1].id is required");
  CHECK(segment_error_of([](json& d) { d["segments"]["groups"][1]["id"] = ""; }) ==
        "segments.groups[1].id must not be empty");
  CHECK(segment_error_of([](json& d) { d["segments"]["groups"][1]["id"] = "enterprise"; }) ==
        "segments.groups[1].id \"enterprise\" is used by an earlier group");
  CHECK(segment_error_of([](json& d) { d["segments"]["groups"][1]["label"] = 2; }) ==
        "segments.groups[1].label must be a string");
  CHECK(segment_error_of([](json& d) { d["segments"]["groups"][1].erase("values"); }) ==
        "segments.groups[1].values is required");
  CHECK(segment_error_of([](json& d) { d["segments"]["groups"][1]["values"] = "SMB"; }) ==
        "segments.groups[1].values must be an array");
  CHECK(segment_error_of([](json& d) { d["segments"]["groups"][1]["values"][1] = 5; }) ==
        "segments.groups[1].values[1] must be a string");
  CHECK(segment_error_of([](json& d) { d["segments"]["groups"][1]["values"][1] = "  "; }) ==
        "segments.groups[1].values[1] must not be empty (an account with an empty cell is in the other segment)");
  CHECK(segment_error_of([](json& d) { d["segments"]["groups"][1]["values"][1] = " enterprise PLUS"; }) ==
        "segments.groups[1].values[1] \" enterprise PLUS\" is already a value of segments.groups[0] (a value belongs "
        "to one group only; case and surrounding spaces are ignored)");
  CHECK(segment_error_of([](json& d) { d["segments"]["groups"][1]["values"][1] = "smb"; }) == "(no error)");

  // Category and signal overrides.
  CHECK(segment_error_of([](json& d) { d["segments"]["groups"][0]["categories"] = json::array(); }) ==
        "segments.groups[0].categories must be an object");
  CHECK(segment_error_of([](json& d) { d["segments"]["groups"][0]["categories"]["usage"] = 30; }) ==
        "segments.groups[0].categories.usage must be an object");
  CHECK(segment_error_of([](json& d) { d["segments"]["groups"][0]["categories"]["usage"]["weight"] = -2; }) ==
        "segments.groups[0].categories.usage.weight must be a non-negative number");
  CHECK(segment_error_of([](json& d) { d["segments"]["groups"][0]["categories"]["usage"]["weight"] = "2"; }) ==
        "segments.groups[0].categories.usage.weight must be a number");
  CHECK(segment_error_of([](json& d) { d["segments"]["groups"][1]["categories"]["billing"] = json::object(); }) ==
        "segments.groups[1].categories.billing names no category of the model (the category ids are: \"usage\", "
        "\"relationship\")");
  CHECK(segment_error_of([](json& d) { d["segments"]["groups"][1]["categories"]["Usage"] = json::object(); }) ==
        "segments.groups[1].categories.Usage names no category of the model (the category ids are: \"usage\", "
        "\"relationship\")");
  CHECK(segment_error_of([](json& d) {
          d["segments"]["groups"][0]["categories"]["usage"]["signals"] = json::array();
        }) == "segments.groups[0].categories.usage.signals must be an object");
  CHECK(segment_error_of([](json& d) {
          d["segments"]["groups"][0]["categories"]["usage"]["signals"]["Logins"] = {{"weight", 1}};
        }) ==
        "segments.groups[0].categories.usage.signals.Logins names no signal of category \"usage\" (the signal "
        "keys are: \"Logins (30d)\", \"Open tickets\", \"Seats\")");
  CHECK(
      segment_error_of([](json& d) {
        d["segments"]["groups"][0]["categories"]["relationship"]["signals"]["NPS"] = {{"weight", 1}};
      }).find("segments.groups[0].categories.relationship.signals.NPS names no signal of category \"relationship\"") ==
      0);  // an id replaces the column as the key
  CHECK(segment_error_of([](json& d) {
          d["segments"]["groups"][0]["categories"]["usage"]["signals"]["Seats"] = {{"weight", -1}};
        }) == "segments.groups[0].categories.usage.signals.Seats.weight must be a non-negative number");
  CHECK(segment_error_of([](json& d) { d["segments"]["groups"][0]["categories"]["usage"]["signals"]["Seats"] = 2; }) ==
        "segments.groups[0].categories.usage.signals.Seats must be an object");
  CHECK(segment_error_of([](json& d) {
          d["segments"]["groups"][0]["categories"]["usage"]["signals"]["Logins (30d)"]["rule"]["type"] = "cubic";
        }) ==
        "segments.groups[0].categories.usage.signals[\"Logins (30d)\"].rule.type \"cubic\" is not a known rule "
        "type (linear, log, steps, map, boolean, recency, percentile, target)");
  CHECK(segment_error_of([](json& d) {
          d["segments"]["groups"][0]["categories"]["usage"]["signals"]["Seats"] = {
              {"rule", {{"type", "recency"}, {"full_days", 9}, {"zero_days", 3}}}};
        }) == "segments.groups[0].categories.usage.signals.Seats.rule.zero_days must be greater than full_days");

  // Two signals with one key: fine until a segment overrides that key.
  auto same_key = [](json& d) { d["categories"][1]["signals"][4]["column"] = "Spend"; };
  CHECK(segment_error_of(same_key) == "(no error)");
  CHECK(segment_error_of([&](json& d) {
          same_key(d);
          d["segments"]["groups"][1]["categories"]["relationship"]["signals"]["Spend"] = {{"weight", 3}};
        }) ==
        "segments.groups[1].categories.relationship.signals.Spend is the key of 2 signals of category "
        "\"relationship\", so the override is ambiguous; give those signals distinct ids");
  CHECK(segment_error_of([&](json& d) {
          same_key(d);
          d["categories"][1]["signals"][4]["id"] = "spend 2";
          d["segments"]["groups"][1]["categories"]["relationship"]["signals"]["Spend"] = {{"weight", 3}};
        }) == "(no error)");

  // Band overrides.
  auto bands = [](json& d) -> json& { return d["segments"]["groups"][0]["bands"]; };
  CHECK(segment_error_of([&](json& d) { bands(d) = json::object(); }) == "segments.groups[0].bands must be an array");
  CHECK(segment_error_of([&](json& d) { bands(d).erase(1); }) ==
        "segments.groups[0].bands has 2 bands; it must list the model's 3 band ids in order (\"red\", \"yellow\", "
        "\"green\")");
  CHECK(segment_error_of([&](json& d) { std::swap(bands(d)[0]["id"], bands(d)[1]["id"]); }) ==
        "segments.groups[0].bands[0].id must be \"red\" (a segment lists the model's band ids in the same order: "
        "\"red\", \"yellow\", \"green\")");
  CHECK(segment_error_of([&](json& d) { bands(d)[1].erase("max"); }) == "segments.groups[0].bands[1].max is required");
  CHECK(segment_error_of([&](json& d) { bands(d)[1]["max"] = 60; }) ==
        "segments.groups[0].bands[1].max must be greater than segments.groups[0].bands[0].max (bands are listed by "
        "increasing max)");
  CHECK(segment_error_of([&](json& d) { bands(d)[2]["max"] = 99; }) ==
        "segments.groups[0].bands[2].max must be 100 (the last band ends at 100)");
  CHECK(segment_error_of([&](json& d) { bands(d)[0]["action"] = false; }) ==
        "segments.groups[0].bands[0].action must be a string");
  CHECK(segment_error_of([&](json& d) { bands(d) = json::array(); }) == "(no error)");  // the base bands
}

TEST_CASE("validate holds segments built in code to the same rules") {
  model m = model_from_json(segmented());
  m.segments->groups[1].values.push_back("ENTERPRISE");
  CHECK_THROWS_WITH_AS(validate(m), doctest::Contains("segments.groups[1].values[2] \"ENTERPRISE\" is already a value"),
                       model_error);
  m = model_from_json(segmented());
  m.segments->groups[0].categories[0].signals[1].key = "nope";
  CHECK_THROWS_WITH_AS(
      validate(m), doctest::Contains("segments.groups[0].categories.usage.signals.nope names no signal"), model_error);
  m = model_from_json(segmented());
  m.segments->groups[0].bands[2].max = 150;
  CHECK_THROWS_WITH_AS(validate(m), "segments.groups[0].bands[2].max must be 100 (the last band ends at 100)",
                       model_error);
  m = model_from_json(segmented());
  m.segments->groups[0].categories[1].signals[0].weight = std::numeric_limits<double>::infinity();
  CHECK_THROWS_WITH_AS(validate(m),
                       "segments.groups[0].categories.relationship.signals.nps.weight must be a "
                       "non-negative number",
                       model_error);
}

TEST_CASE("a segmented model saves every field in a stable order and keeps unknown fields at each level") {
  json doc = segmented();
  doc["segments"]["x_seg"] = 1;
  doc["segments"]["groups"][0]["x_group"] = "g";
  doc["segments"]["groups"][0]["categories"]["usage"]["x_cat"] = true;
  doc["segments"]["groups"][0]["categories"]["usage"]["signals"]["Seats"]["x_sig"] = "s";
  doc["segments"]["groups"][0]["bands"][0]["label"] = "kept as an unknown field";
  doc["x_after"] = 2;
  const model m = model_from_json(doc);
  const json saved = model_to_json(m);
  std::vector<std::string> keys;
  for (auto it = saved.begin(); it != saved.end(); ++it) keys.push_back(it.key());
  CHECK(keys == std::vector<std::string>{"version", "name", "id_column", "name_column", "value_column", "as_of",
                                         "missing", "categories", "bands", "outcome", "segments", "x_after"});
  std::vector<std::string> signal_keys;
  for (auto it = saved["categories"][1]["signals"][3].begin(); it != saved["categories"][1]["signals"][3].end(); ++it)
    signal_keys.push_back(it.key());
  CHECK(signal_keys == std::vector<std::string>{"column", "id", "weight", "rule"});
  const json& g = saved["segments"]["groups"][0];
  CHECK(g["x_group"] == "g");
  CHECK(g["categories"]["usage"]["x_cat"] == true);
  CHECK(g["categories"]["usage"]["signals"]["Seats"]["x_sig"] == "s");
  CHECK(g["bands"][0]["label"] == "kept as an unknown field");
  CHECK(saved["segments"]["x_seg"] == 1);
  CHECK(saved["segments"]["other_label"] == "Other");  // the default is written
  CHECK(saved["segments"]["groups"][1]["label"] == "smb");
  CHECK(saved["segments"]["groups"][1].find("categories") == saved["segments"]["groups"][1].end());
  // Saved, parsed and saved again: the same text.
  CHECK(save_model(parse_model(save_model(m))) == save_model(m));
  CHECK(model_to_json(parse_model(save_model(m)))["segments"] == saved["segments"]);
}

TEST_CASE("a model without the extensions saves exactly as before they existed") {
  // The text version 1 models were saved as: no value_column, id or segments keys appear.
  const std::string text = save_model(parse_model(full_model), -1);
  CHECK(text.find("value_column") == std::string::npos);
  CHECK(text.find("segments") == std::string::npos);
  CHECK(text.find("\"id\":\"nps\"") == std::string::npos);
  CHECK(model_to_json(parse_model(full_model)) == full());
}
