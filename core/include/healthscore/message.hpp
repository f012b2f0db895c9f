// SPDX-License-Identifier: MIT
// Messages as codes: every message the engine gives the user (read errors and limits, model errors,
// evidence warnings and verdicts) is a stable code with named parameters, rendered in English,
// Spanish or Portuguese from one catalogue (core/messages/*.json) that the page renders too.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace healthscore {

enum class language : std::uint8_t { en, es, pt };

const char* to_string(language l) noexcept;

/// "en", "es", "pt" and locale names such as "pt-BR", "es_ES.UTF-8"; none for anything else
/// (including "C" and "POSIX").
std::optional<language> language_named(std::string_view tag) noexcept;

/// The language of the environment's locale: LC_ALL, else LC_MESSAGES, else LANG (POSIX order);
/// English when none names one of ours.
language environment_language() noexcept;

struct message;

/// One named parameter. Numbers keep their value and are formatted in the rendering language:
/// a count with the language's digit grouping, a fixed-decimal figure with its decimal mark.
struct message_param {
  enum class kind : std::uint8_t { text, count, fixed, percent, nested, list };
  std::string name;
  kind type = kind::text;
  std::string text;
  double number = 0;
  int digits = 0;
  std::shared_ptr<const message> inner;
  std::vector<std::string> items;  ///< list: names shown quoted, joined with the language's "and"
};

struct message {
  std::string code;
  std::vector<message_param> params;

  message() = default;
  explicit message(std::string c) : code(std::move(c)) {}

  message& text(std::string_view name, std::string_view value);
  message& count(std::string_view name, std::uint64_t n);
  message& fixed(std::string_view name, double x, int digits);
  /// `fraction` 0..1 shown as a percentage with `digits` decimals.
  message& percent(std::string_view name, double fraction, int digits);
  message& nested(std::string_view name, message m);
  /// Names such as sheets or ids: `"a", "b" and "c"` (y / e in Spanish and Portuguese).
  message& list(std::string_view name, std::vector<std::string> items);

  const message_param* find(std::string_view name) const noexcept;
};

/// The message in `l`. A parameter the template names but the message lacks renders as nothing
/// (optional parts, such as a column name after its number, are nested messages); an unknown code
/// renders as the code itself.
std::string render(const message& m, language l = language::en);

/// `{"code": ..., "params": {...}}`: texts as strings, counts as integers, fixed figures as
/// `{"fixed": x, "digits": d}`, percentages as `{"percent": x, "digits": d}`, nested messages as
/// objects of this same shape, lists as `{"list": [...]}`. The page renders this with web/lib/messages.js.
std::string to_json_text(const message& m);
/// The same as a JSON value, for reports that carry messages beside their rendered text.
nlohmann::ordered_json to_json(const message& m);

/// The inverse of `to_json_text` (the page's zip reader hands its refusals to the engine this way).
/// Anything that is not such an object becomes an "plain" message holding the text.
message message_from_json_text(std::string_view text);

/// Every code with its English, Spanish and Portuguese templates, as JSON (for the page's build
/// and the catalogue's tests).
std::string catalogue_json();

/// Base of the engine's user-facing errors: carries the message; `what()` is its English text.
class error : public std::runtime_error {
 public:
  explicit error(message m);
  const message& msg() const noexcept { return *msg_; }

 private:
  std::shared_ptr<const message> msg_;
};

/// Location prefixes shared by the readers, so every reader words "file, row, column" the same.
/// `at.file`: just the file (and sheet) name.
message at_file(std::string_view source, std::string_view sheet = {});
/// `at.cell`: file (and sheet), 1-based row, the line when it differs, the 1-based column and its
/// header when known. Zero row or column leaves that part out.
message at_cell(std::string_view source, std::string_view sheet, std::uint64_t row, std::uint64_t line,
                std::uint64_t column, std::string_view column_name);

}  // namespace healthscore
