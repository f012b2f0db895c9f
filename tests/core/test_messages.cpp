// SPDX-License-Identifier: MIT
// The message catalogue (core/messages/*.json): every code the engine uses is in it, every entry is
// in the three languages with the same parameters, and numbers, lists and missing parts render as
// each language writes them.
#include <doctest/doctest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "healthscore/evidence.hpp"
#include "healthscore/message.hpp"
#include "healthscore/model.hpp"

using namespace healthscore;
namespace fs = std::filesystem;

namespace {

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

/// Every entry of every catalogue file, as written (the tests run from the source folder).
std::map<std::string, nlohmann::json> catalogue_entries() {
  std::map<std::string, nlohmann::json> out;
  for (const auto& f : fs::directory_iterator("core/messages")) {
    if (f.path().extension() != ".json") continue;
    const auto doc = nlohmann::json::parse(read_text(f.path()));
    for (const auto& [code, entry] : doc.items()) {
      if (code[0] == '$') continue;
      INFO(f.path().string() << ": " << code);
      CHECK_MESSAGE(out.count(code) == 0, "a code is defined twice");
      out[code] = entry;
    }
  }
  return out;
}

std::set<std::string> params_of(const std::string& tpl) {
  static const std::regex param(R"(\{([a-z0-9_]+)\})");
  std::set<std::string> out;
  for (auto it = std::sregex_iterator(tpl.begin(), tpl.end(), param); it != std::sregex_iterator(); ++it)
    out.insert((*it)[1].str());
  return out;
}

/// The literal parts of a message's English templates, its nested messages' included, that are long
/// enough to be words rather than punctuation ("must be a number", not ", ").
void english_fragments(const message& m, const nlohmann::json& cat, std::vector<std::string>& out) {
  const auto it = cat.find(m.code);
  if (it == cat.end()) return;
  const std::string en = (*it)["en"].get<std::string>();
  static const std::regex param(R"(\{[a-z0-9_]+\})");
  for (auto p = std::sregex_token_iterator(en.begin(), en.end(), param, -1); p != std::sregex_token_iterator(); ++p) {
    std::string part = p->str();
    while (!part.empty() && (part.front() == ' ' || part.front() == ',' || part.front() == '('))
      part.erase(part.begin());
    while (!part.empty() && (part.back() == ' ' || part.back() == ',' || part.back() == ')' || part.back() == '.'))
      part.pop_back();
    if (part.size() >= 5) out.push_back(part);
  }
  for (const auto& prm : m.params)
    if (prm.type == message_param::kind::nested && prm.inner) english_fragments(*prm.inner, cat, out);
}

void check_translated(const message& m) {
  const auto cat = nlohmann::json::parse(catalogue_json());
  std::vector<std::string> fragments;
  english_fragments(m, cat, fragments);
  REQUIRE_FALSE(fragments.empty());
  for (const language l : {language::es, language::pt}) {
    const std::string text = render(m, l);
    INFO(to_string(l) << ": " << text);
    CHECK(text != render(m, language::en));
    for (const auto& f : fragments) {
      INFO("English fragment: " << f);
      CHECK(text.find(f) == std::string::npos);
    }
  }
}

}  // namespace

TEST_CASE("every message code used in core/src, cli/ and web/ is in the catalogue") {
  const auto entries = catalogue_entries();
  std::set<std::string> prefixes;  // "read", "model", "evidence", ...: the first part of every code
  for (const auto& [code, entry] : entries) prefixes.insert(code.substr(0, code.find('.')));
  // Codes are string literals of dotted lower-case words; a literal with one of the catalogue's
  // prefixes is taken for a code wherever it appears (message("..."), fail(path, "..."), ternaries).
  const std::regex literal(R"re("([a-z][a-z0-9_]*)((?:\.[a-z0-9_]+)+)")re");
  std::size_t found = 0;
  // The page's own code too: its zip reader raises the engine's zip.* codes as `fail('zip.x'` and
  // `code: 'size.mb'` (the page's interface keys, t('execute.band'), share the prefixes: not those).
  const std::regex js_literal(R"re((?:fail\(|code: )'([a-z][a-z0-9_]*)((?:\.[a-z0-9_]+)+)')re");
  for (const char* dir : {"core/src", "cli", "web"})
    for (const auto& f : fs::recursive_directory_iterator(dir)) {
      const std::string ext = f.path().extension().string();
      if (ext != ".cpp" && ext != ".hpp" && ext != ".js") continue;
      if (ext == ".js") {
        const std::string text = read_text(f.path());
        for (auto it = std::sregex_iterator(text.begin(), text.end(), js_literal); it != std::sregex_iterator(); ++it) {
          if (!prefixes.count((*it)[1].str())) continue;
          const std::string code = (*it)[1].str() + (*it)[2].str();
          ++found;
          INFO(f.path().string() << ": " << code);
          CHECK(entries.count(code) == 1);
        }
        continue;
      }
      const std::string text = read_text(f.path());
      for (auto it = std::sregex_iterator(text.begin(), text.end(), literal); it != std::sregex_iterator(); ++it) {
        if (!prefixes.count((*it)[1].str())) continue;
        const std::string code = (*it)[1].str() + (*it)[2].str();
        ++found;
        INFO(f.path().string() << ": " << code);
        CHECK(entries.count(code) == 1);
      }
    }
  CHECK(found > 150);  // the scan does see the codes
}

TEST_CASE("every catalogue entry has English, Spanish and Portuguese, with the same parameters") {
  const auto entries = catalogue_entries();
  CHECK(entries.size() > 150);
  for (const auto& [code, entry] : entries) {
    INFO(code);
    REQUIRE(entry.is_object());
    CHECK(entry.size() == 3);
    for (const char* l : {"en", "es", "pt"}) {
      INFO(l);
      REQUIRE(entry.contains(l));
      REQUIRE(entry[l].is_string());
      CHECK_FALSE(entry[l].get<std::string>().empty());
    }
    const auto en = params_of(entry["en"].get<std::string>());
    CHECK(params_of(entry["es"].get<std::string>()) == en);
    CHECK(params_of(entry["pt"].get<std::string>()) == en);
  }
}

TEST_CASE("counts are grouped as each language groups them") {
  auto bytes = [](std::uint64_t n, language l) { return render(message("size.bytes").count("n", n), l); };
  CHECK(bytes(12000, language::en) == "12,000 bytes");
  CHECK(bytes(12000, language::es) == "12.000 bytes");
  CHECK(bytes(12000, language::pt) == "12.000 bytes");
  CHECK(bytes(7043, language::en) == "7,043 bytes");
  CHECK(bytes(7043, language::es) == "7043 bytes");  // four digits are not grouped in Spanish
  CHECK(bytes(7043, language::pt) == "7.043 bytes");
  CHECK(bytes(1234567, language::es) == "1.234.567 bytes");
  CHECK(bytes(999, language::en) == "999 bytes");
}

TEST_CASE("fixed figures and percentages take the language's decimal mark") {
  const message x = message("evidence.signed").fixed("x", 0.471, 3);
  CHECK(render(x, language::en) == "0.471");
  CHECK(render(x, language::es) == "0,471");
  CHECK(render(x, language::pt) == "0,471");
  CHECK(render(message("evidence.signed_plus").fixed("x", 0.0125, 3)) == "+0.013");
  const message green = message("evidence.check.green").percent("limit", 0.8, 0).text("band", "Healthy");
  CHECK(render(green) == "no more than 80% of scored accounts in the top band ('Healthy')");
  CHECK(render(green, language::es) ==
        "no más del 80\u00a0% de las cuentas puntuadas en la banda más alta («Healthy»)");
  CHECK(render(green, language::pt) == "no máximo 80% das contas pontuadas na faixa mais alta (“Healthy”)");
}

TEST_CASE("lists are quoted and joined with the language's and") {
  const message m = message("model.ids").list("ids", {"a", "b", "c"});
  CHECK(render(m, language::en) == "\"a\", \"b\" and \"c\"");
  CHECK(render(m, language::es) == "\"a\", \"b\" y \"c\"");
  CHECK(render(m, language::pt) == "\"a\", \"b\" e \"c\"");
  CHECK(render(message("model.ids").list("ids", {"a"})) == "\"a\"");
}

TEST_CASE("a missing parameter renders as nothing and an unknown code as the code") {
  CHECK(render(message("model.not_number")) == " must be a number");
  CHECK(render(message("evidence.check.red")
                   .text("band", "Red")
                   .count("threshold", 3)
                   .nested("rate", message("evidence.check.rate").text("column", "churn"))) ==
        "'churn' rate in the lowest band ('Red') is at least 3x the base rate");
  CHECK(render(message("no.such.code").text("x", "y")) == "no.such.code");
  CHECK(render(message("no.such.code"), language::pt) == "no.such.code");
}

TEST_CASE("a model error keeps its English text and JSON path, and reads in Spanish and Portuguese") {
  const char* const doc = R"({"version": 1, "categories": [{"id": "u", "weight": "x", "signals": []}]})";
  try {
    (void)parse_model(doc);
    FAIL("no error");
  } catch (const model_error& e) {
    CHECK(std::string(e.what()) == "categories[0].weight must be a number");
    CHECK(e.msg().code == "model.not_number");
    CHECK(render(e.msg(), language::es) == "categories[0].weight debe ser un número");
    CHECK(render(e.msg(), language::pt) == "categories[0].weight deve ser um número");
    check_translated(e.msg());
  }
  // A message with nested parts: the band ids of a segment.
  const char* const seg = R"({"version": 1, "categories": [{"id": "u", "signals": []}],
    "segments": {"column": "Plan", "groups": [{"id": "g", "values": ["Gold"], "bands": [{"id": "red", "max": 100}]}]}})";
  try {
    (void)parse_model(seg);
    FAIL("no error");
  } catch (const model_error& e) {
    CHECK(
        std::string(e.what()) ==
        "segments.groups[0].bands has 1 bands; it must list the model's 3 band ids in order (\"red\", \"yellow\", \"green\")");
    check_translated(e.msg());
  }
}

TEST_CASE("an evidence verdict and warning read in Spanish and Portuguese, figures with a decimal comma") {
  // Category 0 tells the outcomes apart, 1 and 2 are noise: the search moves weight to 0.
  const std::size_t n = 800;
  std::vector<std::vector<double>> cats(3, std::vector<double>(n));
  outcome_labels labels(n);
  std::vector<bool> train(n);
  std::uint64_t x = 42;
  auto next = [&x] {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(x >> 33) / static_cast<double>(1ULL << 31);
  };
  for (std::size_t i = 0; i < n; ++i) {
    labels[i] = static_cast<std::int8_t>(i % 2);
    cats[0][i] = 100 * next() * 0.5 + (labels[i] ? 40 : 0);
    cats[1][i] = 100 * next();
    cats[2][i] = 100 * next();
    train[i] = i % 10 < 7;
  }
  const weight_suggestion w = suggest_weights(cats, {1, 1, 1}, labels, train);
  INFO(render(w.verdict));
  REQUIRE(w.verdict.find("figures") != nullptr);  // a verdict that quotes the held-out figures
  check_translated(w.verdict);
  CHECK(render(w.verdict, language::es).find("IC 95 %") != std::string::npos);
  CHECK(render(w.verdict, language::es).find("0,") != std::string::npos);
  CHECK(render(w.verdict).find("held-out AUC 0.") != std::string::npos);

  const message warning =
      message("evidence.warn.signal_wrong_way")
          .text("label", "Plan")
          .nested("more", message("evidence.more").text("column", "Canceló"))
          .nested("ci", message("evidence.auc_ci").fixed("auc", 0.471, 3).fixed("lo", 0.43, 3).fixed("hi", 0.49, 3));
  CHECK(
      render(warning) ==
      "Higher 'Plan' scores go with more 'Canceló' here (AUC 0.471, 95% CI 0.430 to 0.490): check the rule's direction.");
  check_translated(warning);
  CHECK(render(warning, language::es).find("AUC 0,471, IC 95 % de 0,430 a 0,490") != std::string::npos);
  CHECK(render(warning, language::pt).find("AUC 0,471, IC 95% de 0,430 a 0,490") != std::string::npos);

  // The JSON report carries the rendered text and the message beside it.
  validation v;
  v.has_suggestion = true;
  v.weights = w;
  v.warnings.push_back(warning);
  const json en = validation_to_json(v);
  CHECK(en["warnings"][0] == render(warning));
  CHECK(en["warning_messages"][0]["code"] == "evidence.warn.signal_wrong_way");
  CHECK(en["warning_messages"][0]["params"]["ci"]["params"]["auc"]["fixed"] == 0.471);
  CHECK(en["suggested_weights"]["verdict"] == render(w.verdict));
  CHECK(en["suggested_weights"]["verdict_message"]["code"] == w.verdict.code);
  const json es = validation_to_json(v, language::es);
  CHECK(es["warnings"][0] == render(warning, language::es));
  CHECK(es["suggested_weights"]["verdict"] == render(w.verdict, language::es));
  CHECK(validation_to_text(v, language::pt).find(render(w.verdict, language::pt)) != std::string::npos);
}
