// SPDX-License-Identifier: MIT
// The scored table as CSV (original columns, health_score, health_band, one score per category)
// and as JSON. Cells that a spreadsheet would run as formulas are defused.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "healthscore/score.hpp"

namespace healthscore {

/// A cell for a CSV file, defused so no spreadsheet runs it as a formula, however it splits the
/// line: a `'` goes before every = + - @ that starts the cell, or follows (after spaces) a tab, a
/// `;` or a `,` inside it (a spreadsheet that splits on those sees a new cell there), unless that
/// piece is a plain number like -3. Then the cell is quoted if it holds the delimiter, a quote or a
/// line end.
std::string csv_cell(std::string_view text, char delimiter = ',');
/// Shortest text that reads back as the same double.
std::string format_double(double x);

/// How the scored CSV is written: the field delimiter, the decimal mark of the scores, and a UTF-8
/// byte-order mark (which Excel needs to read UTF-8). The cells read from the file are written as
/// they were.
struct csv_convention {
  char delimiter = ',';
  char decimal = '.';
  bool bom = false;
};

/// A convention by name: `standard` (`,` `.`, no BOM), `excel` (the same with a BOM, for Excel in
/// English), `excel-es` / `excel-pt` / `excel-eu` (`;`, decimal comma, BOM: Excel in Spanish,
/// Portuguese and most of Europe). None for an unknown name.
std::optional<csv_convention> csv_convention_named(std::string_view name);

std::string export_csv(const scorer& s, const csv_convention& convention = {});
/// The command line's `--format json` document.
json export_json(const scorer& s);
/// Counts per band and unscored (and, with `has_value`, value per band, value at risk, total and
/// missing values) of one set of accounts, as the `--format json` summary writes them.
json totals_to_json(const model& m, const band_totals& t, bool has_value);
/// The command line's `--format summary`: accounts and value per band, overall and per segment.
std::string summary_to_text(const scorer& s);

}  // namespace healthscore
