// SPDX-License-Identifier: MIT
// A model compiled to one SQL query (`spec/model.md`, "Running a model in SQL"), so the scores can be
// computed where the data lives (DuckDB, PostgreSQL, Spark SQL). The query is plain text: common
// table expressions over one table, no temporary tables and no functions to install. On a table that
// holds the model's columns with native types it returns, per row, the id column under its own name,
// `health_score`, `health_band` (the band id), `health_segment` (with segments), one
// `<category id>_score` per category and, with a value column, the value under its own name: the
// engine's scores within 1e-9 and the same bands. No I/O here; the command line prints the text.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "healthscore/model.hpp"

namespace healthscore {

enum class sql_dialect : std::uint8_t { duckdb, postgres, spark };
const char* to_string(sql_dialect d) noexcept;
/// "duckdb", "postgres" (or "postgresql"), "spark"; none for anything else.
std::optional<sql_dialect> sql_dialect_from(std::string_view name) noexcept;

struct sql_options {
  sql_dialect dialect = sql_dialect::duckdb;
  /// The table to read: a name, or dot-separated parts (`analytics.accounts`), each part quoted as
  /// an identifier.
  std::string table = "accounts";
  /// Used verbatim instead of `table` when not empty: a relation the caller writes in SQL, such as
  /// dbt's `{{ ref('accounts') }}`. It is the caller's own text and is not quoted.
  std::string from;
  /// The day `recency` rules count to, as days since 1970-01-01. Takes precedence over the model's
  /// `as_of` (as the command line's --as-of does); with neither, the query uses CURRENT_DATE, which
  /// is the database session's date.
  std::optional<std::int32_t> as_of;
};

/// The query, ending with a newline and no semicolon (so it can be wrapped, as dbt does). Throws
/// model_error for an invalid model, or one the query cannot express: two output columns with the
/// same name (compared ignoring case, as Spark does), or a NUL character in a name or text that
/// reaches the SQL.
std::string to_sql(const model& m, const sql_options& options);

}  // namespace healthscore
