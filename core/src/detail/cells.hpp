// SPDX-License-Identifier: MIT
// One call that tells column inference everything it needs about a text cell, with fast paths for
// the shapes real exports are made of (plain decimals, ISO dates, words). The answer is exactly what
// shape_of_number, shape_of_date, parse_boolean and parse_number give (tests/core/test_cells.cpp
// checks this against them), only cheaper.
#pragma once

#include <cstdint>
#include <limits>
#include <string_view>

#include "healthscore/cells.hpp"

namespace healthscore::detail {

/// What a non-blank text cell is, as column inference sees it.
enum text_class : std::uint8_t {
  text_number_any,  ///< a number under either decimal mark (1,234)
  text_number_dot,  ///< a number showing '.' as its decimal mark
  text_number_comma,  ///< a number showing ','
  text_date,  ///< ISO date, or a slashed date that reads both ways
  text_date_day,  ///< slashed date that only reads day-first
  text_date_month,  ///< slashed date that only reads month-first
  text_boolean,  ///< a boolean word that is not a number
  text_other,  ///< anything else
  text_class_count
};

constexpr bool is_number_class(text_class c) noexcept { return c <= text_number_comma; }

struct text_reading {
  text_class cls = text_other;
  bool numeric_boolean = false;  ///< a number whose text trimmed is "0" or "1" (8 bytes at most)
  bool boolean_word = false;  ///< parse_boolean(text) >= 0; only set for number classes
  bool mark_sensitive = false;  ///< parse_number may give another value under the other mark
  double value = 0;  ///< parse_number(text, mark), when asked for
};

/// Reads a non-blank text cell. `value` is filled only when `want_value`.
void read_text_cell(std::string_view text, char mark, bool want_value, text_reading& out) noexcept;

constexpr text_class class_of_mark(char mark) noexcept {
  return mark == '.' ? text_number_dot : mark == ',' ? text_number_comma : text_number_any;
}

/// read_text_cell for short plain decimals (-?digits, one optional '.' or ',' between digits, 16
/// bytes at most), the bulk of a numeric export, inline so those cells cost no call: one pass that
/// does what scan_plain, plain_mark and parse_plain in cells.cpp do. False for any other text.
inline bool read_short_plain(std::string_view t, char mark, bool want_value, text_reading& r) noexcept {
  const std::size_t n = t.size();
  if (n > 16) return false;
  const char* const s = t.data();
  const std::size_t start = s[0] == '-' ? 1 : 0;
  std::size_t sep_at = 0;  // 0: none (a separator is never the first byte of the digits)
  std::uint64_t m = 0;
  for (std::size_t i = start; i < n; ++i) {
    const unsigned d = static_cast<unsigned>(static_cast<unsigned char>(s[i])) - '0';
    if (d < 10) {
      m = m * 10 + d;
    } else if ((s[i] == '.' || s[i] == ',') && sep_at == 0 && i > start) {
      sep_at = i;
    } else {
      return false;
    }
  }
  if (n == start || (sep_at != 0 && sep_at == n - 1)) return false;
  const std::size_t lead = (sep_at ? sep_at : n) - start, tail = sep_at ? n - sep_at - 1 : 0;
  const char sep = sep_at ? s[sep_at] : 0;
  // "1,234" shows no mark: 1–3 leading digits (no lone leading zero) and exactly three after.
  r.cls = class_of_mark(sep != 0 && !(lead <= 3 && s[start] != '0' && tail == 3) ? sep : 0);
  r.mark_sensitive = sep != 0;
  // No spaces: trim() and parse_boolean() see the text as it is, and only "0" and "1" are words.
  r.numeric_boolean = r.boolean_word = n == 1 && (s[0] == '0' || s[0] == '1');
  if (!want_value) return true;
  static constexpr double pow10[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                     1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
  double v;
  if (sep == 0 || sep == mark) {
    // At most 15 digits are exact in a double, so one division rounds correctly (Clinger).
    if (lead + tail > 15) {
      r.value = parse_number(t, mark);
      return true;
    }
    v = static_cast<double>(m) / pow10[tail];
  } else if (lead <= 3 && tail == 3) {
    v = static_cast<double>(m);  // the other separator groups thousands
  } else {
    v = std::numeric_limits<double>::quiet_NaN();
  }
  r.value = start ? -v : v;
  return true;
}

}  // namespace healthscore::detail
