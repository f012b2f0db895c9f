// SPDX-License-Identifier: MIT
// The scored table as CSV (original columns, health_score, health_band, one score per category)
// and as JSON. Cells that a spreadsheet would run as formulas are defused.
#pragma once

#include <string>
#include <string_view>

#include "healthscore/score.hpp"

namespace healthscore {

/// Prefixes `'` to a cell that starts with = + - @ tab or CR, then quotes it if needed.
std::string csv_cell(std::string_view text, char delimiter = ',');
/// Shortest text that reads back as the same double.
std::string format_double(double x);

std::string export_csv(const scorer& s);
/// The command line's `--format json` document.
json export_json(const scorer& s);
/// The command line's `--format summary`: accounts and value per band, overall and per segment.
std::string summary_to_text(const scorer& s);

}  // namespace healthscore
