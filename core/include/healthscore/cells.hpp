// SPDX-License-Identifier: MIT
// Reading one cell's text as a number, a date or a boolean, as `spec/model.md` ("Reading cells")
// says. Per-column decisions (decimal mark, date order) are made by `column::infer` from the shapes
// these functions report.
#pragma once

#include <cstdint>
#include <string_view>

#include "healthscore/table.hpp"

namespace healthscore {

/// What a text shows about itself as a number.
struct number_shape {
  bool numeric = false;  ///< could be a number under some decimal mark
  char mark = 0;  ///< '.' or ',' when the text shows its decimal mark; 0 when it shows none
};
number_shape shape_of_number(std::string_view text) noexcept;

/// Reads `text` as a number with decimal mark `mark` ('.' or ','); NaN when it is not one.
/// Accepts signs, `(3)`, exponents, thousands groups (`,` `.` space, U+00A0, U+202F, `'`), currency
/// signs and codes before or after, and a trailing `%` (which divides by 100).
double parse_number(std::string_view text, char mark) noexcept;

/// What a text shows about itself as a date.
struct date_shape {
  bool date = false;  ///< ISO or slashed date (optionally with a time)
  bool iso = false;  ///< yyyy-mm-dd
  bool day_first = false;  ///< first field > 12: only day-first reads it
  bool month_first = false;  ///< second field > 12: only month-first reads it
};
date_shape shape_of_date(std::string_view text) noexcept;

/// Reads `text` as whole days since 1970-01-01, or `no_date`. `order` decides slashed dates
/// (`unknown` means day-first). Impossible dates (31/02/2026) are `no_date`.
std::int32_t parse_date(std::string_view text, date_order order) noexcept;

/// 1 for a true word, 0 for a false word, -1 otherwise (see the `boolean` rule in the contract).
int parse_boolean(std::string_view text) noexcept;

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
std::int32_t days_from_civil(int y, unsigned m, unsigned d) noexcept;
/// The inverse: writes year, month, day.
void civil_from_days(std::int32_t z, int& y, unsigned& m, unsigned& d) noexcept;
/// `yyyy-mm-dd`.
std::string format_date(std::int32_t days);

}  // namespace healthscore
