// SPDX-License-Identifier: MIT
// A starting model from the headers and the values. Deliberately conservative: only columns whose
// header says what they are become signals; the user adds the rest in the studio.
#include "healthscore/suggest.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <string>
#include <unordered_set>
#include <vector>

namespace healthscore {
namespace {

/// Lower-case ASCII and fold the accented Latin letters Spanish and Portuguese headers use.
std::string fold(std::string_view s) {
  static constexpr std::array<std::pair<std::string_view, char>, 24> accents{
      {{"á", 'a'}, {"à", 'a'}, {"â", 'a'}, {"ã", 'a'}, {"é", 'e'}, {"ê", 'e'}, {"í", 'i'}, {"ó", 'o'},
       {"ô", 'o'}, {"õ", 'o'}, {"ú", 'u'}, {"ü", 'u'}, {"ç", 'c'}, {"ñ", 'n'}, {"Á", 'a'}, {"É", 'e'},
       {"Í", 'i'}, {"Ó", 'o'}, {"Ú", 'u'}, {"Ñ", 'n'}, {"Ç", 'c'}, {"Ã", 'a'}, {"Â", 'a'}, {"Ê", 'e'}}};
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    bool matched = false;
    for (const auto& [from, to] : accents) {
      if (s.substr(i, from.size()) == from) {
        out += to;
        i += from.size();
        matched = true;
        break;
      }
    }
    if (matched) continue;
    const char c = s[i++];
    out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return out;
}

bool is_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

/// True when `folded` holds one of `words`; words of three letters or fewer ("mrr", "nps") must
/// stand alone, so "arr" does not match "carrier".
bool has_any(const std::string& folded, std::initializer_list<std::string_view> words) {
  for (std::string_view w : words) {
    for (std::size_t at = folded.find(w); at != std::string::npos; at = folded.find(w, at + 1)) {
      if (w.size() > 3) return true;
      const bool left = at == 0 || !is_alnum(folded[at - 1]);
      const bool right = at + w.size() == folded.size() || !is_alnum(folded[at + w.size()]);
      if (left && right) return true;
    }
  }
  return false;
}

/// True when `folded` holds one of `words` as whole words (so "valor" is not "valoracion", a rating).
bool has_word(const std::string& folded, std::initializer_list<std::string_view> words) {
  for (std::string_view w : words)
    for (std::size_t at = folded.find(w); at != std::string::npos; at = folded.find(w, at + 1)) {
      const bool left = at == 0 || !is_alnum(folded[at - 1]);
      const bool right = at + w.size() == folded.size() || !is_alnum(folded[at + w.size()]);
      if (left && right) return true;
    }
  return false;
}

/// Whether a number column's header names each account's revenue: the model's `value_column`.
bool names_value(const std::string& folded) {
  return has_word(folded, {"mrr", "arr", "acv", "tcv", "revenue", "value", "contract value", "facturacion", "ingreso",
                           "ingresos", "receita", "faturamento", "valor", "importe", "monto"});
}

enum class role { none, id, name, outcome, usage, support, relationship, financial };

struct guess {
  role r = role::none;
  bool lower_is_better = false;
  bool recency = false;  ///< a "last activity" date
};

/// What a header names, from common English, Spanish and Portuguese wording.
guess classify(const std::string& h) {
  guess g;
  auto is = [&](role r, bool lower = false) {
    g.r = r;
    g.lower_is_better = lower;
    return g;
  };
  // Ids in English, Spanish and Portuguese: "Código" alone, or with what it codes ("código postal"
  // is not one, so only these forms).
  if (h == "id" || h == "codigo" || h == "cod" || h == "code" ||
      has_any(h, {"customerid",      "customer id",       "account id",      "accountid",           "id cuenta",
                  "id cliente",      "id da conta",       "id conta",        "cuenta id",           "client id",
                  "codigo cliente",  "codigo de cliente", "codigo da conta", "codigo de la cuenta", "codigo do cliente",
                  "cod cliente",     "account number",    "customer number", "numero de cliente",   "numero de cuenta",
                  "numero da conta", "numero do cliente", "nro cliente"}))
    return is(role::id);
  if (has_any(h, {"churn", "abandono", "cancelad", "cancelamento", "cancelou", "cancelo", "se dio de baja",
                  "dado de baja", "dada de baja", "renewed", "renovo"}) ||
      h == "baja" || h == "baixa" || h == "perdido" || h == "perdida" || h == "lost" || h == "cancelled" ||
      h == "canceled")
    return is(role::outcome);
  // Last-activity dates: recency rules in the category they measure.
  if (has_any(h, {"last login", "ultimo acceso", "ultimo acesso", "last seen", "last activity", "ultima actividad",
                  "ultima atividade", "ultimo login"})) {
    g.recency = true;
    return is(role::usage);
  }
  if (has_any(h, {"last qbr", "ultima qbr", "last meeting", "ultima reunion", "ultima reuniao", "last contact",
                  "ultimo contacto", "ultimo contato"})) {
    g.recency = true;
    return is(role::relationship);
  }
  if (has_any(h, {"ticket", "incident", "incidencia", "chamado", "escalat", "escalad", "bug", "complaint", "queja",
                  "reclama"}))
    return is(role::support, true);
  if (has_any(h, {"csat", "satisfac", "satisfa", "sla"})) return is(role::support);
  if (has_any(h, {"overdue", "vencid", "atrasad", "late payment", "impag", "inadimpl", "unpaid", "days late",
                  "dias de atraso"}))
    return is(role::financial, true);
  if (has_any(h, {"login",   "acceso",         "acesso",           "session",          "sesion",
                  "sessao",  "active user",    "usuarios activos", "usuarios ativos",  "usage",
                  "uso",     "adoption",       "adopcion",         "adocao",           "feature",
                  "funcion", "funcionalidade", "seats used",       "licencias usadas", "dau",
                  "mau",     "events",         "eventos"}))
    return is(role::usage);
  if (has_any(h, {"nps", "sponsor", "patrocinador", "champion", "qbr", "meeting", "reunion", "reuniao", "engagement",
                  "compromiso", "engajamento", "tenure", "antiguedad", "antiguidade", "relationship", "relacion",
                  "relacionamento"}))
    return is(role::relationship);
  if (has_any(h, {"mrr",     "arr",     "revenue", "ingreso",     "receita",     "renewal",   "renovacion", "renovacao",
                  "invoice", "factura", "fatura",  "payment",     "pago",        "pagamento", "contract",   "contrato",
                  "charges", "cargos",  "billing", "facturacion", "faturamento", "discount",  "descuento",  "desconto",
                  "spend",   "gasto",   "seats",   "licencias",   "licencas"}))
    return is(role::financial);
  if (has_any(h, {"account", "cuenta", "conta", "company", "empresa", "customer name", "cliente", "nombre", "nome",
                  "name"}))
    return is(role::name);
  return g;
}

/// Scores for the ordinal words that payment-status and contract columns use.
std::optional<double> known_word_score(const std::string& v) {
  static const std::array<std::pair<std::string_view, double>, 22> words{
      {{"current", 100}, {"paid", 100},    {"al dia", 100}, {"em dia", 100}, {"pagado", 100}, {"pago", 100},
       {"late", 40},     {"atrasado", 40}, {"overdue", 40}, {"vencido", 40}, {"pending", 60}, {"pendiente", 60},
       {"failed", 0},    {"fallido", 0},   {"falhou", 0},   {"unpaid", 0},   {"impago", 0},   {"month-to-month", 30},
       {"monthly", 30},  {"mensual", 30},  {"mensal", 30},  {"annual", 70}}};
  static const std::array<std::pair<std::string_view, double>, 8> contracts{{{"one year", 70},
                                                                             {"anual", 70},
                                                                             {"yearly", 70},
                                                                             {"two year", 100},
                                                                             {"dos anos", 100},
                                                                             {"dois anos", 100},
                                                                             {"multi", 100},
                                                                             {"three year", 100}}};
  for (const auto& [w, s] : words)
    if (v == w) return s;
  for (const auto& [w, s] : contracts)
    if (v.find(w) != std::string::npos) return s;
  return std::nullopt;
}

double nice_floor(double x) {
  if (x == 0 || !std::isfinite(x)) return x;
  const double p = std::pow(10.0, std::floor(std::log10(std::fabs(x))));
  return std::floor(x / p) * p;
}
double nice_ceil(double x) {
  if (x == 0 || !std::isfinite(x)) return x;
  const double p = std::pow(10.0, std::floor(std::log10(std::fabs(x))));
  return std::ceil(x / p) * p;
}

/// The 5th and 95th percentiles, so one outlier does not flatten everyone else's score.
std::pair<double, double> robust_range(const column& c) {
  // The q-quantile's place among n sorted values.
  const auto rank = [](double q, std::size_t n) { return static_cast<std::size_t>(q * static_cast<double>(n - 1)); };
  const auto xs = c.numbers();
  if (xs.codes()) {
    // A dictionary column: the same order statistics from each entry's value and row count.
    std::vector<std::size_t> rows_of(xs.entries());
    for (std::size_t row = 0; row < xs.size(); ++row) ++rows_of[xs.codes()[row]];
    std::vector<std::pair<double, std::size_t>> runs;
    std::size_t n = 0;
    for (std::size_t e = 0; e < rows_of.size(); ++e) {
      if (rows_of[e] == 0 || std::isnan(xs.values()[e])) continue;
      runs.emplace_back(xs.values()[e], rows_of[e]);
      n += rows_of[e];
    }
    if (n == 0) return {0, 0};
    std::sort(runs.begin(), runs.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    const auto kth = [&](double q) {
      const std::size_t k = rank(q, n);
      std::size_t below = 0;
      for (const auto& [x, count] : runs) {
        below += count;
        if (k < below) return x;
      }
      return runs.back().first;
    };
    return {kth(0.05), kth(0.95)};
  }
  std::vector<double> v;
  for (double x : xs)
    if (!std::isnan(x)) v.push_back(x);
  if (v.empty()) return {0, 0};
  // The two order statistics a sort would give, in linear time (the sort was a tenth of a
  // suggestion at 1M rows).
  const std::size_t i95 = rank(0.95, v.size()), i5 = rank(0.05, v.size());
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(i95), v.end());
  const double p95 = v[i95];
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(i5),
                   v.begin() + static_cast<std::ptrdiff_t>(i95));
  return {v[i5], p95};
}

struct category_spec {
  role r;
  std::string_view id;
  std::array<std::string_view, 3> labels;  // en, es, pt
  double weight;
};
constexpr std::array<category_spec, 4> kCategories{{
    {role::usage, "usage", {"Product usage", "Uso del producto", "Uso do produto"}, 40},
    {role::support, "support", {"Support", "Soporte", "Suporte"}, 20},
    {role::relationship, "relationship", {"Relationship", "Relación", "Relacionamento"}, 20},
    {role::financial, "financial", {"Financial", "Finanzas", "Financeiro"}, 20},
}};

/// 0 English, 1 Spanish, 2 Portuguese: from words only those languages use in headers.
int header_language(const table& t) {
  int es = 0, pt = 0;
  for (const column& c : t.columns) {
    const std::string h = fold(c.name());
    es += has_any(h, {"cuenta", "acceso", "usuarios", "funciones", "renovacion", "facturas", "abandono", "licencias",
                      "dias", "estado", "contrato", "patrocinador", "ultimo", "ultima"});
    pt += has_any(h, {"conta", "acesso", "usuarios ativos", "funcionalidade", "renovacao", "faturas", "cancelamento",
                      "licencas", "chamado", "atraso", "ultimo acesso"});
  }
  if (pt > es && pt > 0) return 2;
  if (es > 0) return 1;
  return 0;
}

}  // namespace

model suggest_model(const table& t, std::size_t* left_out) {
  model m;
  std::size_t signals = 0, skipped = 0;
  const int lang = header_language(t);
  m.name = lang == 1 ? "Salud del cliente" : lang == 2 ? "Saúde do cliente" : "Customer health";
  for (const auto& spec : kCategories) {
    category c;
    c.id = std::string(spec.id);
    c.label = std::string(spec.labels[static_cast<std::size_t>(lang)]);
    c.weight = spec.weight;
    m.categories.push_back(std::move(c));
  }
  for (const column& col : t.columns) {
    const std::string h = fold(col.name());
    // The first number column named like revenue is each account's value (it may be a signal too).
    if (m.value_column.empty() && col.type() == column_type::number && names_value(h)) m.value_column = col.name();
    const guess g = classify(h);
    if (g.r == role::none) continue;
    if (g.r == role::id) {
      if (m.id_column.empty()) m.id_column = col.name();
      continue;
    }
    if (g.r == role::name) {
      if (m.name_column.empty() && col.type() == column_type::text) m.name_column = col.name();
      continue;
    }
    if (g.r == role::outcome) {
      if (!m.outcome) {
        struct outcome o;
        o.column = col.name();
        o.positive = {"yes", "true", "1", "sí", "si", "sim", "churned"};
        m.outcome = o;
      }
      continue;
    }
    signal s;
    s.column = col.name();
    rule& r = s.rule;
    if (col.type() == column_type::date) {
      if (!g.recency) continue;  // other dates (renewal, signup) need the user's judgement
      r.type = rule_type::recency;
      r.full_days = g.r == role::usage ? 7 : 90;
      r.zero_days = g.r == role::usage ? 90 : 365;
    } else if (col.type() == column_type::boolean) {
      r.type = rule_type::boolean;
      if (g.lower_is_better) std::swap(r.true_score, r.false_score);
    } else if (col.type() == column_type::number) {
      r.type = rule_type::linear;
      r.lower_is_better = g.lower_is_better;
      const double lo = col.min_number(), hi = col.max_number();
      if (has_any(h, {"nps"}) && lo >= -100 && hi <= 100) {
        r.min = -100, r.max = 100;
      } else if (lo >= 0 && hi <= 1) {
        r.min = 0, r.max = 1;  // fractions and percentages
      } else if (has_any(h, {"csat"}) && lo >= 1 && hi <= 5) {
        r.min = 1, r.max = 5;
      } else {
        auto [p5, p95] = robust_range(col);
        r.min = nice_floor(p5);
        r.max = nice_ceil(p95);
        if (!(*r.max > *r.min)) r.min = lo, r.max = hi;
        if (hi > 0 && lo >= 0 && hi / std::max(1.0, p95) > 20) r.type = rule_type::log;  // long tail
      }
    } else if (col.type() == column_type::text) {
      // An ordinal text column: score the words we know, the rest neutral.
      std::vector<std::string> distinct;
      std::unordered_set<std::string> seen;
      // Texts already folded: most rows repeat one of a few, and folding each row was half the
      // suggestion's time at 1M rows.
      std::vector<std::string> raw_seen;
      for (std::size_t row = 0; row < col.size() && distinct.size() <= 12; ++row) {
        if (col.is_empty(row)) continue;
        const std::string_view v = trim(col.text(row));
        if (std::find(raw_seen.begin(), raw_seen.end(), v) != raw_seen.end()) continue;
        if (raw_seen.size() < 64) raw_seen.emplace_back(v);
        if (seen.insert(fold(v)).second) distinct.emplace_back(v);
      }
      if (distinct.empty() || distinct.size() > 12) continue;
      r.type = rule_type::map;
      bool any_known = false;
      for (const std::string& v : distinct) {
        const auto known = known_word_score(fold(v));
        any_known = any_known || known.has_value();
        r.map.emplace_back(v, known.value_or(50));
      }
      if (!any_known) continue;
      r.map_default = 50;
    } else {
      continue;
    }
    // A model holds at most model_max_signals (what the engine validates in seconds).
    if (signals == model_max_signals) {
      ++skipped;
      continue;
    }
    for (std::size_t i = 0; i < kCategories.size(); ++i)
      if (kCategories[i].r == g.r) m.categories[i].signals.push_back(std::move(s)), ++signals;
  }
  if (left_out) *left_out = skipped;
  // Keep only categories that found a signal.
  m.categories.erase(
      std::remove_if(m.categories.begin(), m.categories.end(), [](const category& c) { return c.signals.empty(); }),
      m.categories.end());
  return m;
}

}  // namespace healthscore
