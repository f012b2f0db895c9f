// SPDX-License-Identifier: MIT
// Reading one cell's text as a number, a date or a boolean (spec/model.md, "Reading cells").
// These run once or twice per cell of every file, so they avoid allocation and scan each text once.
#include "healthscore/cells.hpp"

#include <fast_float/fast_float.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>

namespace healthscore {

namespace {

constexpr double nan_value = std::numeric_limits<double>::quiet_NaN();

constexpr bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }
constexpr unsigned char byte(char c) noexcept { return static_cast<unsigned char>(c); }

bool starts_with(std::string_view s, std::string_view p) noexcept {
  return s.size() >= p.size() && std::memcmp(s.data(), p.data(), p.size()) == 0;
}
bool ends_with(std::string_view s, std::string_view p) noexcept {
  return s.size() >= p.size() && std::memcmp(s.data() + s.size() - p.size(), p.data(), p.size()) == 0;
}

// Byte length of a space-like character at the start of `s` (ASCII space or tab, U+00A0, U+2009
// thin space, U+202F narrow no-break space), else 0. Spreadsheets in several locales group
// thousands with the last three.
std::size_t space_at(std::string_view s) noexcept {
  if (s.empty()) return 0;
  const unsigned char c = byte(s[0]);
  if (c == ' ' || c == '\t') return 1;
  if (c == 0xC2 && s.size() >= 2 && byte(s[1]) == 0xA0) return 2;
  if (c == 0xE2 && s.size() >= 3 && byte(s[1]) == 0x80 && (byte(s[2]) == 0xAF || byte(s[2]) == 0x89)) return 3;
  return 0;
}
std::size_t space_before_end(std::string_view s) noexcept {
  const std::size_t n = s.size();
  if (n == 0) return 0;
  const unsigned char c = byte(s[n - 1]);
  if (c == ' ' || c == '\t' || c == '\r' || c == '\n') return 1;
  if (c == 0xA0 && n >= 2 && byte(s[n - 2]) == 0xC2) return 2;
  if ((c == 0xAF || c == 0x89) && n >= 3 && byte(s[n - 2]) == 0x80 && byte(s[n - 3]) == 0xE2) return 3;
  return 0;
}
std::string_view trim_spaces(std::string_view s) noexcept {
  for (;;) {
    std::size_t k = space_at(s);
    if (k == 0 && !s.empty() && (s[0] == '\r' || s[0] == '\n')) k = 1;
    if (k == 0) break;
    s.remove_prefix(k);
  }
  for (std::size_t k; (k = space_before_end(s)) != 0;) s.remove_suffix(k);
  return s;
}

// Currency signs and codes accepted before or after a number. Symbols match exactly; letter codes
// match case-insensitively and must not run into further letters ("USDT" is not "USD").
constexpr std::array<std::string_view, 24> currency_symbols = {
    "R$", "US$", "U$S", "C$", "A$", "NZ$", "HK$", "S$", "MX$", "COL$", "$", "\xE2\x82\xAC" /*€*/,
    "\xC2\xA3" /*£*/, "\xC2\xA5" /*¥*/, "\xE2\x82\xB9" /*₹*/, "\xE2\x82\xA9" /*₩*/, "\xE2\x82\xBD" /*₽*/,
    "\xE2\x82\xBA" /*₺*/, "\xE2\x82\xB1" /*₱*/, "\xE2\x82\xAA" /*₪*/, "\xE2\x82\xAB" /*₫*/,
    "\xE2\x82\xA6" /*₦*/, "S/", "Bs"};
constexpr std::array<std::string_view, 46> currency_codes = {
    "USD", "EUR", "BRL", "GBP", "MXN", "ARS", "COP", "CLP", "PEN", "UYU", "PYG", "BOB", "VES", "CRC", "GTQ", "DOP",
    "JPY", "CNY", "RMB", "INR", "CAD", "AUD", "NZD", "CHF", "SEK", "NOK", "DKK", "PLN", "CZK", "HUF", "RON", "BGN",
    "ZAR", "SGD", "HKD", "KRW", "RUB", "TRY", "ILS", "AED", "SAR", "kr", "z\xC5\x82" /*zł*/, "K\xC4\x8D" /*Kč*/,
    "Fr.", "Fr"};

constexpr bool is_ascii_letter(char c) noexcept { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
constexpr char lower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

bool iequal_ascii(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

// Length of a currency sign or code at the start of `s`, or 0.
std::size_t currency_prefix(std::string_view s) noexcept {
  if (s.empty() || is_digit(s[0])) return 0;
  const char c0 = s[0];
  for (auto sym : currency_symbols)
    if (sym[0] == c0 && starts_with(s, sym)) return sym.size();
  for (auto code : currency_codes)
    if (lower(code[0]) == lower(c0) && s.size() >= code.size() && iequal_ascii(s.substr(0, code.size()), code) &&
        (s.size() == code.size() || !is_ascii_letter(s[code.size()])))
      return code.size();
  return 0;
}
// Length of a currency sign or code at the end of `s`, or 0.
std::size_t currency_suffix(std::string_view s) noexcept {
  if (s.empty() || is_digit(s.back())) return 0;
  const char cl = s.back();
  for (auto sym : currency_symbols)
    if (sym.back() == cl && ends_with(s, sym)) return sym.size();
  for (auto code : currency_codes)
    if (lower(code.back()) == lower(cl) && s.size() >= code.size() && iequal_ascii(s.substr(s.size() - code.size()), code) &&
        (s.size() == code.size() || !is_ascii_letter(s[s.size() - code.size() - 1])))
      return code.size();
  return 0;
}

// Strips spaces, a sign or accounting parentheses, currency and a trailing percent sign, leaving
// the digits-and-separators body.
struct affixes {
  bool negative = false;
  bool percent = false;
  std::string_view body;
};
bool strip_affixes(std::string_view s, affixes& out) noexcept {
  bool paren = false, sign = false, cur_front = false;
  for (;;) {
    s = trim_spaces(s);
    if (s.empty()) return false;
    if (is_digit(s[0])) break;
    if (s[0] == '(' && !paren && !sign) {
      paren = true;
      s.remove_prefix(1);
    } else if ((s[0] == '-' || s[0] == '+') && !sign) {
      sign = true;
      out.negative = s[0] == '-';
      s.remove_prefix(1);
    } else if (starts_with(s, "\xE2\x88\x92") && !sign) {  // U+2212 minus sign
      sign = true;
      out.negative = true;
      s.remove_prefix(3);
    } else if (std::size_t k = cur_front ? 0 : currency_prefix(s); k != 0) {
      cur_front = true;
      s.remove_prefix(k);
    } else {
      break;
    }
  }
  bool paren_closed = false, cur_back = false;
  for (;;) {
    s = trim_spaces(s);
    if (s.empty()) return false;
    if (is_digit(s.back())) break;
    if (paren && !paren_closed && s.back() == ')') {
      paren_closed = true;
      s.remove_suffix(1);
    } else if (!out.percent && s.back() == '%') {
      out.percent = true;
      s.remove_suffix(1);
    } else if (std::size_t k = (cur_back || cur_front) ? 0 : currency_suffix(s); k != 0) {
      cur_back = true;
      s.remove_suffix(k);
    } else {
      break;
    }
  }
  if (paren != paren_closed) return false;
  if (paren) out.negative = true;
  out.body = s;
  return !s.empty();
}

// The body split into digit groups and the separators between them.
enum sep_kind : std::uint8_t { sep_dot, sep_comma, sep_space, sep_apos };
struct number_tokens {
  static constexpr int max_groups = 40;
  int groups = 0;
  std::array<std::string_view, max_groups> digits;
  std::array<std::uint8_t, max_groups> sep{};  // sep[i]: the separator before group i (i >= 1)
  std::string_view exponent;                   // after e/E: optional sign and digits
  std::size_t digit_count = 0;
};

bool tokenize(std::string_view b, number_tokens& t) noexcept {
  std::size_t i = 0, start = 0;
  const std::size_t n = b.size();
  auto close_group = [&](std::size_t end) {
    if (t.groups == number_tokens::max_groups) return false;
    t.digits[t.groups++] = b.substr(start, end - start);
    t.digit_count += end - start;
    return true;
  };
  while (i < n) {
    const char c = b[i];
    if (is_digit(c)) {
      ++i;
      continue;
    }
    std::uint8_t kind;
    std::size_t len = 1;
    if (c == '.') {
      kind = sep_dot;
    } else if (c == ',') {
      kind = sep_comma;
    } else if (c == '\'') {
      kind = sep_apos;
    } else if (c == 'e' || c == 'E') {
      if (!close_group(i)) return false;
      std::string_view e = b.substr(i + 1);
      std::size_t k = (!e.empty() && (e[0] == '+' || e[0] == '-')) ? 1 : 0;
      if (k == e.size()) return false;
      for (std::size_t j = k; j < e.size(); ++j)
        if (!is_digit(e[j])) return false;
      t.exponent = e;
      return t.digit_count > 0;
    } else if (starts_with(b.substr(i), "\xE2\x80\x99")) {  // ’ as in 1’234
      kind = sep_apos;
      len = 3;
    } else if ((len = space_at(b.substr(i))) != 0 && c != '\t') {
      kind = sep_space;
    } else {
      return false;
    }
    if (!close_group(i)) return false;
    // Two separators in a row never make a number.
    if (t.groups >= 2 && t.digits[t.groups - 1].empty()) return false;
    i += len;
    start = i;
    t.sep[t.groups] = kind;
  }
  if (!close_group(n)) return false;
  return t.digit_count > 0;
}

// Groups [0, end) form valid thousands groups: the first of 1–3 digits, the rest exactly 3.
bool valid_thousands(const number_tokens& t, int end) noexcept {
  if (t.digits[0].empty() || t.digits[0].size() > 3) return false;
  for (int g = 1; g < end; ++g)
    if (t.digits[g].size() != 3) return false;
  return true;
}

// Builds the plain ASCII number for fast_float from the tokens, with `decimal_group` the index of
// the first group after the decimal mark (or `groups` for none). Returns NaN when not finite.
double convert(const number_tokens& t, int decimal_group, const affixes& a) noexcept {
  char buf[512];
  std::size_t len = 0;
  if (t.digit_count + t.exponent.size() + 4 > sizeof buf) return nan_value;
  if (a.negative) buf[len++] = '-';
  for (int g = 0; g < t.groups; ++g) {
    if (g == decimal_group) buf[len++] = '.';
    std::memcpy(buf + len, t.digits[g].data(), t.digits[g].size());
    len += t.digits[g].size();
  }
  if (len == 0 || (len == 1 && a.negative)) buf[len++] = '0';
  if (!t.exponent.empty()) {
    buf[len++] = 'e';
    std::memcpy(buf + len, t.exponent.data(), t.exponent.size());
    len += t.exponent.size();
  }
  double v = 0;
  const auto r = fast_float::from_chars(buf, buf + len, v);
  if (r.ec != std::errc() || r.ptr != buf + len || !std::isfinite(v)) return nan_value;
  if (a.percent) v /= 100.0;
  return v;
}

constexpr std::uint8_t sep_of_mark(char mark) noexcept { return mark == ',' ? sep_comma : sep_dot; }

}  // namespace

number_shape shape_of_number(std::string_view text) noexcept {
  number_shape shape;
  affixes a;
  if (!strip_affixes(text, a)) return shape;
  number_tokens t;
  if (!tokenize(a.body, t)) return shape;
  const int seps = t.groups - 1;
  if (!t.exponent.empty()) {
    // 1e3, 1.5e-3, 1,5e3: at most one separator, which is then the decimal mark.
    if (seps > 1) return shape;
    if (seps == 1 && t.sep[1] != sep_dot && t.sep[1] != sep_comma) return shape;
    if (std::isnan(convert(t, seps == 1 ? 1 : t.groups, a))) return shape;  // 1e400
    shape.numeric = true;
    if (seps == 1) shape.mark = t.sep[1] == sep_dot ? '.' : ',';
    return shape;
  }
  if (t.digit_count > 308 && std::isnan(convert(t, t.groups, a))) return shape;
  if (seps == 0) {
    shape.numeric = true;
    return shape;
  }
  const std::uint8_t last = t.sep[t.groups - 1];
  bool same = true;
  for (int g = 2; g < t.groups; ++g)
    if (t.sep[g] != t.sep[1]) same = false;
  if (same) {
    const std::uint8_t k = t.sep[1];
    if (k == sep_space || k == sep_apos) {
      shape.numeric = valid_thousands(t, t.groups);
    } else if (seps >= 2) {
      if (valid_thousands(t, t.groups)) {
        shape.numeric = true;
        shape.mark = k == sep_dot ? ',' : '.';
      }
    } else {
      // One '.' or ','. It reads either way only as in "1,234": 1–3 leading digits (not a lone
      // leading zero, nobody writes 0,123 for 123) and exactly three after.
      shape.numeric = true;
      const bool thousands_form = !t.digits[0].empty() && t.digits[0].size() <= 3 && t.digits[0][0] != '0' &&
                                  t.digits[1].size() == 3;
      if (!thousands_form) shape.mark = k == sep_dot ? '.' : ',';
    }
    return shape;
  }
  // Mixed separators: the last must be a single '.' or ',' after valid thousands groups of
  // another kind.
  if (last != sep_dot && last != sep_comma) return shape;
  const std::uint8_t thousands = t.sep[1];
  if (thousands == last) return shape;
  for (int g = 2; g < t.groups - 1; ++g)
    if (t.sep[g] != thousands) return shape;
  if (!valid_thousands(t, t.groups - 1)) return shape;
  shape.numeric = true;
  shape.mark = last == sep_dot ? '.' : ',';
  return shape;
}

double parse_number(std::string_view text, char mark) noexcept {
  affixes a;
  if (!strip_affixes(text, a)) return nan_value;
  number_tokens t;
  if (!tokenize(a.body, t)) return nan_value;
  const std::uint8_t decimal = sep_of_mark(mark);
  int decimal_group = t.groups;
  std::uint8_t thousands = 255;
  for (int g = 1; g < t.groups; ++g) {
    if (t.sep[g] == decimal) {
      if (decimal_group != t.groups) return nan_value;  // two decimal marks
      decimal_group = g;
    } else {
      if (decimal_group != t.groups) return nan_value;  // grouping after the decimal mark
      if (thousands != 255 && thousands != t.sep[g]) return nan_value;
      thousands = t.sep[g];
    }
  }
  if (thousands != 255) {
    if (!t.exponent.empty() || !valid_thousands(t, decimal_group)) return nan_value;
  }
  return convert(t, decimal_group, a);
}

namespace {

bool is_leap(int y) noexcept { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
unsigned days_in_month(int y, unsigned m) noexcept {
  static constexpr unsigned days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : days[m - 1];
}
bool valid_ymd(int y, int m, int d) noexcept {
  return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= static_cast<int>(days_in_month(y, static_cast<unsigned>(m)));
}

// Reads 1..max_len digits at s[i]; advances i.
bool read_int(std::string_view s, std::size_t& i, std::size_t max_len, int& value, std::size_t& len) noexcept {
  value = 0;
  len = 0;
  while (i < s.size() && is_digit(s[i]) && len < max_len) {
    value = value * 10 + (s[i] - '0');
    ++i;
    ++len;
  }
  return len > 0 && (i == s.size() || !is_digit(s[i]));
}

// A time of day after a date: hh:mm[:ss[.fff]] [AM|PM] [Z | UTC | GMT | ±hh[:mm]]. Only checked, the
// date keeps whole days.
bool valid_time(std::string_view s) noexcept {
  std::size_t i = 0, len = 0;
  int h = 0, m = 0, sec = 0;
  if (!read_int(s, i, 2, h, len)) return false;
  if (i >= s.size() || s[i] != ':') return false;
  ++i;
  if (!read_int(s, i, 2, m, len) || len != 2 || m > 59) return false;
  if (i < s.size() && s[i] == ':') {
    ++i;
    if (!read_int(s, i, 2, sec, len) || len != 2 || sec > 60) return false;
    if (i < s.size() && (s[i] == '.' || s[i] == ',')) {
      ++i;
      const std::size_t f = i;
      while (i < s.size() && is_digit(s[i])) ++i;
      if (i == f) return false;
    }
  }
  std::string_view rest = trim_spaces(s.substr(i));
  bool twelve_hour = false;
  if (rest.size() >= 2) {
    const char a = lower(rest[0]), b = lower(rest[1]);
    if ((a == 'a' || a == 'p') && b == 'm') {
      twelve_hour = true;
      rest = trim_spaces(rest.substr(2));
    } else if ((a == 'a' || a == 'p') && b == '.' && rest.size() >= 4 && lower(rest[2]) == 'm' && rest[3] == '.') {
      twelve_hour = true;
      rest = trim_spaces(rest.substr(4));
    }
  }
  if (twelve_hour ? (h < 1 || h > 12) : h > 24) return false;
  if (rest.empty()) return true;
  if (rest == "Z" || rest == "z" || iequal_ascii(rest, "UTC") || iequal_ascii(rest, "GMT")) return true;
  if (rest[0] == '+' || rest[0] == '-') {
    std::size_t j = 1, l1 = 0, l2 = 0;
    int oh = 0, om = 0;
    if (!read_int(rest, j, 2, oh, l1) || l1 != 2) {
      // ±hhmm
      j = 1;
      if (!read_int(rest, j, 4, oh, l1) || l1 != 4 || j != rest.size()) return false;
      return oh / 100 <= 14 && oh % 100 <= 59;
    }
    if (j == rest.size()) return oh <= 14;
    if (rest[j] == ':') ++j;
    return read_int(rest, j, 2, om, l2) && l2 == 2 && j == rest.size() && oh <= 14 && om <= 59;
  }
  return false;
}

// The three numeric fields of a date and what follows them.
struct date_parts {
  int a = 0, b = 0, c = 0;
  bool year_first = false;
};
bool split_date(std::string_view s, date_parts& p) noexcept {
  if (s.size() < 8 || !is_digit(s[0])) return false;
  std::size_t i = 0, la = 0, lb = 0, lc = 0;
  if (!read_int(s, i, 4, p.a, la) || i >= s.size()) return false;
  const char sep = s[i];
  if (sep != '-' && sep != '/' && sep != '.') return false;
  ++i;
  if (!read_int(s, i, 2, p.b, lb) || i >= s.size() || s[i] != sep) return false;
  ++i;
  if (!read_int(s, i, 4, p.c, lc)) return false;
  if (la == 4 && lc <= 2) {
    p.year_first = true;
  } else if (la <= 2 && lc == 4) {
    p.year_first = false;
  } else {
    return false;
  }
  if (i == s.size()) return true;
  // A time after 'T' (ISO) or a space.
  if (s[i] == 'T' && p.year_first) return valid_time(s.substr(i + 1));
  if (s[i] != ' ') return false;
  const std::string_view rest = trim_spaces(s.substr(i));
  return rest.empty() || valid_time(rest);
}

}  // namespace

date_shape shape_of_date(std::string_view text) noexcept {
  date_shape shape;
  date_parts p;
  if (!split_date(trim_spaces(text), p)) return shape;
  if (p.year_first) {
    shape.date = shape.iso = valid_ymd(p.a, p.b, p.c);
    return shape;
  }
  const bool as_day_first = valid_ymd(p.c, p.b, p.a);
  const bool as_month_first = valid_ymd(p.c, p.a, p.b);
  shape.date = as_day_first || as_month_first;
  shape.day_first = as_day_first && !as_month_first;
  shape.month_first = as_month_first && !as_day_first;
  return shape;
}

std::int32_t parse_date(std::string_view text, date_order order) noexcept {
  date_parts p;
  if (!split_date(trim_spaces(text), p)) return no_date;
  int y = 0, m = 0, d = 0;
  if (p.year_first) {
    y = p.a, m = p.b, d = p.c;
  } else if (order == date_order::month_first) {
    y = p.c, m = p.a, d = p.b;
  } else if (order == date_order::ambiguous) {
    // The column mixes both orders: only a value that reads one way alone is trusted.
    const bool df = valid_ymd(p.c, p.b, p.a), mf = valid_ymd(p.c, p.a, p.b);
    if (df == mf) return no_date;
    y = p.c;
    m = df ? p.b : p.a;
    d = df ? p.a : p.b;
  } else {
    y = p.c, m = p.b, d = p.a;
  }
  if (!valid_ymd(y, m, d)) return no_date;
  return days_from_civil(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
}

int parse_boolean(std::string_view text) noexcept {
  text = trim_spaces(text);
  if (text.empty() || text.size() > 9) return -1;
  // Lower-case ASCII and the two accented capitals the words use (Í, Ã).
  char buf[9];
  const std::size_t n = text.size();
  for (std::size_t i = 0; i < n; ++i) {
    buf[i] = lower(text[i]);
    if (i > 0 && byte(text[i - 1]) == 0xC3 && (byte(text[i]) == 0x8D || byte(text[i]) == 0x83))
      buf[i] = static_cast<char>(byte(text[i]) + 0x20);
  }
  const std::string_view w(buf, n);
  static constexpr std::string_view yes[] = {"true", "yes", "y", "1", "x", "s\xC3\xAD", "si", "sim", "verdadero", "t"};
  static constexpr std::string_view no[] = {"false", "no", "n", "0", "n\xC3\xA3o", "nao", "falso", "f"};
  for (auto s : yes)
    if (w == s) return 1;
  for (auto s : no)
    if (w == s) return 0;
  return -1;
}

std::int32_t days_from_civil(int y, unsigned m, unsigned d) noexcept {
  y -= m <= 2 ? 1 : 0;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int32_t>(doe) - 719468;
}

void civil_from_days(std::int32_t z, int& y, unsigned& m, unsigned& d) noexcept {
  const std::int64_t zz = static_cast<std::int64_t>(z) + 719468;
  const std::int64_t era = (zz >= 0 ? zz : zz - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(zz - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t yy = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = static_cast<int>(yy + (m <= 2 ? 1 : 0));
}

std::string format_date(std::int32_t days) {
  if (days == no_date) return {};
  int y = 0;
  unsigned m = 0, d = 0;
  civil_from_days(days, y, m, d);
  char buf[32];
  const int n = std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", y, m, d);
  return std::string(buf, n > 0 ? static_cast<std::size_t>(n) : 0);
}

}  // namespace healthscore
