// SPDX-License-Identifier: MIT
// The SQL compiler's text: quoting, constants, options. Whether the query computes the engine's
// scores is checked on the engines themselves by tests/sql/test_sql.py.
#include <doctest/doctest.h>

#include <string>

#include "healthscore/healthscore.hpp"

using namespace healthscore;

namespace {

model one_signal(const std::string& column, const std::string& rule_json, const std::string& extra = "") {
  return parse_model(R"({"version": 1, "id_column": "Account ID", )" + extra +
                     R"("categories": [{"id": "usage", "signals": [{"column": )" + json(column).dump() +
                     R"(, "rule": )" + rule_json + "}]}]}");
}

std::string sql(const model& m, sql_dialect d, const std::string& table = "accounts") {
  sql_options o;
  o.dialect = d;
  o.table = table;
  return to_sql(m, o);
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

}  // namespace

TEST_CASE("dialect names are read and written back") {
  CHECK(sql_dialect_from("duckdb") == sql_dialect::duckdb);
  CHECK(sql_dialect_from("postgres") == sql_dialect::postgres);
  CHECK(sql_dialect_from("postgresql") == sql_dialect::postgres);
  CHECK(sql_dialect_from("spark") == sql_dialect::spark);
  CHECK_FALSE(sql_dialect_from("Spark"));
  CHECK_FALSE(sql_dialect_from("mysql"));
  CHECK(std::string(to_string(sql_dialect::postgres)) == "postgres");
}

TEST_CASE("column names are quoted identifiers in each dialect, the quote doubled") {
  const model m = one_signal(R"(a "b" `c`)", R"({"type": "linear", "min": 0, "max": 1})");
  CHECK(contains(sql(m, sql_dialect::duckdb), R"(CAST("a ""b"" `c`" AS DOUBLE))"));
  CHECK(contains(sql(m, sql_dialect::postgres), R"(CAST("a ""b"" `c`" AS DOUBLE PRECISION))"));
  CHECK(contains(sql(m, sql_dialect::spark), R"(CAST(`a "b" ``c``` AS DOUBLE))"));
}

TEST_CASE("map keys are literals: quotes doubled, and backslashes escaped where the dialect reads them") {
  const model m = one_signal("Plan", R"({"type": "map", "map": {"O'Brien \\ x": 10}})");
  CHECK(contains(sql(m, sql_dialect::duckdb), R"(WHEN 'o''brien \ x' THEN)"));
  CHECK(contains(sql(m, sql_dialect::postgres), R"(WHEN E'o''brien \\ x' THEN)"));
  CHECK(contains(sql(m, sql_dialect::spark), R"(WHEN 'o\'brien \\ x' THEN)"));
}

TEST_CASE("map keys are folded as the engine folds them: ASCII and Latin-1 capitals only") {
  const model m = one_signal("Plan", R"({"type": "map", "map": {"  ÉLITE Ω ": 10, "élite ω": 20}})");
  const std::string q = sql(m, sql_dialect::duckdb);
  CHECK(contains(q, "WHEN 'élite Ω' THEN 10::DOUBLE"));
  CHECK(contains(q, "WHEN 'élite ω' THEN 20::DOUBLE"));
}

TEST_CASE("fractions are cast from their shortest text, integers from integer literals") {
  const model m = one_signal("x", R"({"type": "linear", "min": -3, "max": 0.1})");
  const std::string q = sql(m, sql_dialect::postgres);
  CHECK(contains(q, "'3.1'::float8"));  // max - min, computed as the engine computes it
  CHECK(contains(q, "(hs_i1 - (-3::float8))"));  // negative constants in parentheses: "- -3" never becomes "--3"
  CHECK_FALSE(contains(q, "- -"));
}

TEST_CASE("recency counts to --as-of, else the model's as_of, else CURRENT_DATE") {
  const std::string rule = R"({"type": "recency", "full_days": 7, "zero_days": 60})";
  sql_options o;
  o.dialect = sql_dialect::duckdb;
  CHECK(contains(to_sql(one_signal("Last login", rule), o), "(CURRENT_DATE - CAST(\"Last login\" AS DATE))"));
  const model dated = one_signal("Last login", rule, R"("as_of": "2026-11-25", )");
  CHECK(contains(to_sql(dated, o), "DATE '2026-11-25'"));
  o.as_of = days_from_civil(2026, 12, 31);
  CHECK(contains(to_sql(dated, o), "DATE '2026-12-31'"));
  CHECK_FALSE(contains(to_sql(dated, o), "2026-11-25"));
  o.dialect = sql_dialect::spark;
  CHECK(contains(to_sql(dated, o), "datediff(DATE '2026-12-31', CAST(`Last login` AS DATE))"));
}

TEST_CASE("the table is quoted part by part, and --from is used as written") {
  const model m = one_signal("x", R"({"type": "percentile"})");
  CHECK(contains(sql(m, sql_dialect::duckdb, "analytics.acc\"ounts"), "FROM \"analytics\".\"acc\"\"ounts\"\n"));
  CHECK_THROWS_AS(sql(m, sql_dialect::duckdb, "analytics..accounts"), model_error);
  CHECK_THROWS_AS(sql(m, sql_dialect::duckdb, ""), model_error);
  sql_options o;
  o.from = "{{ ref('accounts') }}";
  const std::string q = to_sql(m, o);
  CHECK(contains(q, "FROM {{ ref('accounts') }}\n"));
  CHECK(q.back() == '\n');
  CHECK(q.find(';') == std::string::npos);  // dbt wraps the query: no statement terminator
}

TEST_CASE("output columns whose names clash, ignoring case, are refused") {
  model m = one_signal("x", R"({"type": "percentile"})");
  m.categories[0].id = "Health";
  CHECK_THROWS_WITH_AS(sql(m, sql_dialect::duckdb),
                       doctest::Contains("two columns named \"health_score\" and \"Health_score\""), model_error);
  m.categories[0].id = "usage";
  m.id_column = "HEALTH_BAND";
  CHECK_THROWS_AS(sql(m, sql_dialect::spark), model_error);
}

TEST_CASE("PostgreSQL refuses an output name it would cut to 63 bytes; the others keep it") {
  model m = one_signal("x", R"({"type": "percentile"})");
  m.categories[0].id = std::string(58, 'c');  // + "_score": 64 bytes
  CHECK_THROWS_WITH_AS(sql(m, sql_dialect::postgres), doctest::Contains("63 bytes"), model_error);
  CHECK(contains(sql(m, sql_dialect::duckdb), std::string(58, 'c') + "_score"));
  m.categories[0].id = std::string(57, 'c');
  CHECK_NOTHROW(sql(m, sql_dialect::postgres));
}

TEST_CASE("a NUL character cannot reach the SQL") {
  model m = one_signal("x", R"({"type": "map", "map": {"a": 1}})");
  m.categories[0].signals[0].rule.map[0].first = std::string("a\0b", 3);
  CHECK_THROWS_WITH_AS(sql(m, sql_dialect::postgres), doctest::Contains("NUL"), model_error);
}

TEST_CASE("a switched-off signal's column is never read, and a target of 0 is missing without a division") {
  model m = parse_model(R"({"version": 1, "categories": [{"id": "c", "signals": [
    {"column": "gone", "weight": 0, "rule": {"type": "linear"}},
    {"column": "x", "rule": {"type": "target", "target": 0}}]}]})");
  const std::string q = sql(m, sql_dialect::spark);
  CHECK_FALSE(contains(q, "gone"));
  CHECK(contains(q, "NULL::DOUBLE AS hs_v1_2"));
}

TEST_CASE("bands are the scorer's thresholds floor(max) + 0.5 on the unrounded score") {
  model m = one_signal("x", R"({"type": "percentile"})");
  m.bands = {{"low", "Low", 0, "", "", json::object()},
             {"mid", "Mid", 70.7, "", "", json::object()},
             {"top", "Top", 100, "", "", json::object()}};
  const std::string q = sql(m, sql_dialect::duckdb);
  CHECK(
      contains(q, "WHEN hs_score < '0.5'::DOUBLE THEN 'low' WHEN hs_score < '70.5'::DOUBLE THEN 'mid' ELSE 'top' END"));
}

TEST_CASE("segments: the group by folded cell text, its label, statistics per segment, overrides per group") {
  const model m = parse_model(R"({"version": 1, "id_column": "id", "value_column": "MRR",
    "categories": [{"id": "usage", "signals": [{"column": "Logins", "rule": {"type": "linear"}}]}],
    "segments": {"column": "Plan", "other_label": "O'ther", "groups": [
      {"id": "ent", "label": "Enterprise", "values": [" ENTERPRISE ", "Élite"],
       "categories": {"usage": {"weight": 3}},
       "bands": [{"id": "red", "max": 60}, {"id": "yellow", "max": 80}, {"id": "green", "max": 100}]},
      {"id": "smb", "label": "SMB", "values": ["smb"]}]}})");
  const std::string q = sql(m, sql_dialect::duckdb);
  CHECK(contains(q, "WHEN 'enterprise' THEN 0 WHEN 'élite' THEN 0 WHEN 'smb' THEN 1 ELSE -1 END AS hs_seg"));
  CHECK(contains(q, "GROUP BY hs_seg"));
  CHECK(contains(q, "JOIN hs_stats ON hs_seg = hs_stats_seg"));
  CHECK(contains(q, "CASE WHEN hs_seg IN (0) THEN COALESCE(3::DOUBLE * hs_c1"));
  CHECK(
      contains(q, "CASE WHEN hs_seg IN (0) THEN CASE WHEN hs_score IS NULL THEN NULL WHEN hs_score < '60.5'::DOUBLE"));
  CHECK(contains(q, "CASE hs_seg WHEN 0 THEN 'Enterprise' WHEN 1 THEN 'SMB' ELSE 'O''ther' END AS \"health_segment\""));
  CHECK(contains(q, "hs_value AS \"MRR\"\nFROM hs_score"));
}

TEST_CASE("PostgreSQL computes each stage once (MATERIALIZED); the others inline and share subexpressions") {
  const model m = one_signal("x", R"({"type": "percentile"})");
  CHECK(contains(sql(m, sql_dialect::postgres), "hs_score AS MATERIALIZED (\n"));
  CHECK(contains(sql(m, sql_dialect::postgres), "WITH hs_in AS MATERIALIZED (\n"));
  CHECK_FALSE(contains(sql(m, sql_dialect::duckdb), "MATERIALIZED"));
  CHECK_FALSE(contains(sql(m, sql_dialect::spark), "MATERIALIZED"));
}
