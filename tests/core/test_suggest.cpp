// SPDX-License-Identifier: MIT
#include <doctest/doctest.h>

#include <map>

#include "healthscore/healthscore.hpp"
#include "test_util.hpp"

using namespace healthscore;

namespace {

std::map<std::string, std::pair<std::string, const rule*>> signals_of(const model& m) {
  std::map<std::string, std::pair<std::string, const rule*>> out;
  for (const category& c : m.categories)
    for (const signal& s : c.signals) out[s.column] = {c.id, &s.rule};
  return out;
}

}  // namespace

TEST_CASE("the suggested model for the Telco file sorts its columns into categories and validates") {
  const table t = read_csv(test_util::read_file(test_util::corpus("telco-churn/Telco-Customer-Churn.csv")));
  const model m = suggest_model(t);
  CHECK_NOTHROW(validate(m));
  CHECK(m.id_column == "customerID");
  REQUIRE(m.outcome.has_value());
  CHECK(m.outcome->column == "Churn");
  const auto sig = signals_of(m);
  REQUIRE(sig.count("tenure"));
  CHECK(sig.at("tenure").first == "relationship");
  REQUIRE(sig.count("Contract"));
  CHECK(sig.at("Contract").second->type == rule_type::map);
  REQUIRE(sig.count("MonthlyCharges"));
  CHECK(sig.at("MonthlyCharges").first == "financial");
  CHECK(sig.count("Churn") == 0);
  CHECK(sig.count("customerID") == 0);
  CHECK(sig.count("gender") == 0);
  const scorer s(t, m);
  CHECK(s.totals().unscored == 0);
}

TEST_CASE("Spanish and Portuguese headers are recognised, with lower-is-better where it belongs") {
  table t;
  const char* names[] = {"ID cliente",    "Empresa",          "Acessos (30d)",  "Chamados abertos", "NPS",
                         "Último acesso", "Faturas vencidas", "Receita mensal", "Cancelamento"};
  const char* values[][2] = {{"1", "2"}, {"Alfa", "Beta"},       {"10", "20"},
                             {"1", "4"}, {"10", "-30"},          {"01/11/2026", "20/11/2026"},
                             {"0", "2"}, {"1.200,00", "900,50"}, {"Sim", "Não"}};
  for (std::size_t i = 0; i < 9; ++i) {
    column c(names[i]);
    c.push_text(values[i][0]);
    c.push_text(values[i][1]);
    c.infer(true);
    t.columns.push_back(c);
  }
  t.rows = 2;
  const model m = suggest_model(t);
  CHECK(m.id_column == "ID cliente");
  CHECK(m.name_column == "Empresa");
  REQUIRE(m.outcome.has_value());
  CHECK(m.outcome->column == "Cancelamento");
  const auto sig = signals_of(m);
  CHECK(sig.at("Acessos (30d)").first == "usage");
  CHECK(sig.at("Chamados abertos").first == "support");
  CHECK(sig.at("Chamados abertos").second->lower_is_better);
  CHECK(sig.at("NPS").first == "relationship");
  CHECK(sig.at("NPS").second->min == -100.0);
  CHECK(sig.at("Último acesso").second->type == rule_type::recency);
  CHECK(sig.at("Faturas vencidas").second->lower_is_better);
  CHECK(sig.at("Receita mensal").first == "financial");
  CHECK(m.categories.front().label == "Uso do produto");
}

TEST_CASE("short keywords match whole words only") {
  table t;
  for (const char* n : {"Carrier", "Barra", "MRR"}) {
    column c(n);
    c.push_text("5");
    c.infer(false);
    t.columns.push_back(c);
  }
  t.rows = 1;
  const auto sig = signals_of(suggest_model(t));
  CHECK(sig.count("Carrier") == 0);
  CHECK(sig.count("Barra") == 0);
  CHECK(sig.count("MRR") == 1);
}

TEST_CASE("the first number column named like revenue is proposed as the value column, accents ignored") {
  auto value_of = [](std::vector<std::pair<std::string, std::string>> cols) {
    table t;
    for (const auto& [name, cell] : cols) {
      column c(name);
      c.push_text(cell);
      c.infer(true);
      t.columns.push_back(c);
    }
    t.rows = 1;
    return suggest_model(t).value_column;
  };
  CHECK(value_of({{"Account", "Acme"}, {"MRR", "1200"}}) == "MRR");
  CHECK(value_of({{"Plan", "Pro"}, {"ARR (USD)", "$14,400"}, {"MRR", "1200"}}) == "ARR (USD)");
  CHECK(value_of({{"Contract value", "5000"}}) == "Contract value");
  CHECK(value_of({{"Facturación mensual", "1.200,50"}}) == "Facturación mensual");
  CHECK(value_of({{"FACTURACION", "900"}}) == "FACTURACION");
  CHECK(value_of({{"Ingresos", "900"}}) == "Ingresos");
  CHECK(value_of({{"Receita mensal", "900"}}) == "Receita mensal");
  CHECK(value_of({{"Faturamento", "900"}}) == "Faturamento");
  CHECK(value_of({{"Valor do contrato", "900"}}) == "Valor do contrato");
  CHECK(value_of({{"Annual revenue", "900"}}) == "Annual revenue");
  // Not revenue: a rating, a word inside another, a text column, no such column.
  CHECK(value_of({{"Valoración", "4"}}).empty());
  CHECK(value_of({{"Carrier", "3"}}).empty());
  CHECK(value_of({{"MRR", "unknown"}}).empty());
  CHECK(value_of({{"Logins", "3"}}).empty());
}

TEST_CASE("ids and outcomes are found under their Spanish and Portuguese names, and a zip code is no id") {
  auto suggest_for = [](std::vector<std::pair<std::string, std::vector<std::string>>> cols) {
    table t;
    for (const auto& [name, cells] : cols) {
      column c(name);
      for (const auto& cell : cells) c.push_text(cell);
      c.infer(true);
      t.columns.push_back(c);
      t.rows = cells.size();
    }
    return suggest_model(t);
  };
  const std::vector<std::string> ids{"C1", "C2", "C3"}, yes_no{"Sí", "No", "No"}, logins{"10", "20", "5"};
  model m =
      suggest_for({{"Código", ids}, {"Cliente", {"Acme", "Beta", "Gamma"}}, {"Logins", logins}, {"Canceló", yes_no}});
  CHECK(m.id_column == "Código");
  CHECK(m.name_column == "Cliente");
  REQUIRE(m.outcome);
  CHECK(m.outcome->column == "Canceló");
  m = suggest_for({{"Código do cliente", ids}, {"Logins", logins}, {"Baixa", yes_no}});
  CHECK(m.id_column == "Código do cliente");
  REQUIRE(m.outcome);
  CHECK(m.outcome->column == "Baixa");
  m = suggest_for({{"Número de cuenta", ids}, {"Logins", logins}, {"Baja", yes_no}});
  CHECK(m.id_column == "Número de cuenta");
  REQUIRE(m.outcome);
  CHECK(m.outcome->column == "Baja");
  // A zip code is not an account id; a cancellation date is not the outcome.
  m = suggest_for(
      {{"Código postal", {"28001", "28002", "28003"}}, {"Logins", logins}, {"Fecha de baja", {"", "", ""}}});
  CHECK(m.id_column.empty());
  CHECK_FALSE(m.outcome);
}

TEST_CASE("issue 15: the suggestion stops at the model's signal limit and counts the columns left out") {
  // 250 columns named like a usage metric: a signal each, past the limit.
  std::string csv;
  for (int c = 0; c < 250; ++c) csv += (c ? "," : "") + std::string("Logins ") + std::to_string(c + 1);
  csv += "\n";
  for (int r = 0; r < 30; ++r) {
    for (int c = 0; c < 250; ++c) csv += (c ? "," : "") + std::to_string((r * 7 + c * 13) % 97);
    csv += "\n";
  }
  const table t = read_csv(csv);
  std::size_t left_out = 0;
  const model m = suggest_model(t, &left_out);
  std::size_t signals = 0;
  for (const category& c : m.categories) signals += c.signals.size();
  CHECK(signals == model_max_signals);
  CHECK(left_out == 250 - model_max_signals);
  CHECK_NOTHROW(validate(m));
  // The first columns are the ones kept.
  CHECK(signals_of(m).count("Logins 1") == 1);
  CHECK(signals_of(m).count("Logins 250") == 0);
  CHECK_NOTHROW(scorer(t, m));
}

TEST_CASE("issue 17: a dictionary column's suggested bounds are the percentiles of every row's value") {
  // The same cells read as text (the column keeps a dictionary) and as native numbers (every row's
  // value kept): ties, negatives, both zeros, unreadable and blank cells, a long tail.
  std::vector<std::string> cells;
  for (int i = 0; i < 5000; ++i) {
    const int k = (i * 7919) % 1000;
    if (k % 97 == 0)
      cells.emplace_back(k % 2 ? "" : "n/a");
    else if (k < 40)
      cells.emplace_back(k % 2 ? "-0" : "0");
    else
      cells.push_back(std::to_string(k % 300 - 30) + (k % 3 ? "" : ".5"));
  }
  table a, b;
  a.rows = b.rows = cells.size();
  a.columns.emplace_back("Logins (30d)");
  b.columns.emplace_back("Logins (30d)");
  std::vector<std::string_view> views(cells.begin(), cells.end());
  a.columns[0].push_texts(views.data(), views.size(), '.');
  for (const auto& c : cells) {
    const double x = parse_number(c, '.');
    if (c.empty())
      b.columns[0].push_empty();
    else if (std::isnan(x))
      b.columns[0].push_text(c);
    else
      b.columns[0].push_number(x, c);
  }
  a.columns[0].infer(false);
  b.columns[0].infer(false);
  REQUIRE(a.columns[0].dictionary());
  REQUIRE_FALSE(b.columns[0].dictionary());
  const model ma = suggest_model(a), mb = suggest_model(b);
  const auto sa = signals_of(ma), sb = signals_of(mb);
  REQUIRE(sa.count("Logins (30d)"));
  REQUIRE(sb.count("Logins (30d)"));
  const rule& ra = *sa.at("Logins (30d)").second;
  const rule& rb = *sb.at("Logins (30d)").second;
  CHECK(ra.type == rb.type);
  REQUIRE(ra.min);
  REQUIRE(rb.min);
  CHECK(*ra.min == *rb.min);
  CHECK(*ra.max == *rb.max);
  CHECK(*ra.min < 0);  // the 5th percentile, not the minimum or 0
}

TEST_CASE("issue 17: a dictionary column's 5th and 95th percentiles are the exact order statistics") {
  // 2,000 rows in shuffled order: 99 of 5, 1,801 from 10 to 300, 100 of 1,000. The 5th percentile
  // is row 99 of the sorted values (10, where one row less gives 5) and the 95th row 1,899 (300,
  // where one more gives 1,000), so counting a row too few or too many changes the bounds.
  std::vector<std::string> cells(2000);
  for (std::size_t i = 0; i < cells.size(); ++i) {
    const std::size_t k = (i * 7919) % 2000;
    cells[i] = k < 99 ? "5" : k < 1900 ? std::to_string(10 + (k - 99) % 291) : "1000";
  }
  table t;
  t.rows = cells.size();
  t.columns.emplace_back("Logins (30d)");
  std::vector<std::string_view> views(cells.begin(), cells.end());
  t.columns[0].push_texts(views.data(), views.size(), '.');
  t.columns[0].infer(false);
  REQUIRE(t.columns[0].dictionary());
  const model m = suggest_model(t);
  const auto sig = signals_of(m);
  REQUIRE(sig.count("Logins (30d)"));
  const rule& r = *sig.at("Logins (30d)").second;
  REQUIRE(r.min);
  REQUIRE(r.max);
  CHECK(*r.min == 10);
  CHECK(*r.max == 300);
}
