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

#include "detail/cells.hpp"

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

constexpr bool is_ascii_letter(char c) noexcept { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
constexpr char lower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }
constexpr char upper(char c) noexcept { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c; }

bool iequal_ascii(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

// Currency signs and codes accepted before or after a number. Signs match exactly; three-letter
// ISO codes match case-insensitively and must not run into further letters ("USDT" is not "USD").
// Every text cell of a file is tried against these, so both lookups are cheap: signs are only
// compared when their first (or last) byte matches, codes as one packed integer.
constexpr std::array<std::string_view, 29> currency_signs = {"R$",
                                                             "US$",
                                                             "U$S",
                                                             "C$",
                                                             "A$",
                                                             "NZ$",
                                                             "HK$",
                                                             "S$",
                                                             "MX$",
                                                             "COL$",
                                                             "$",
                                                             "\xE2\x82\xAC" /*€*/,
                                                             "\xC2\xA3" /*£*/,
                                                             "\xC2\xA5" /*¥*/,
                                                             "\xE2\x82\xB9" /*₹*/,
                                                             "\xE2\x82\xA9" /*₩*/,
                                                             "\xE2\x82\xBD" /*₽*/,
                                                             "\xE2\x82\xBA" /*₺*/,
                                                             "\xE2\x82\xB1" /*₱*/,
                                                             "\xE2\x82\xAA" /*₪*/,
                                                             "\xE2\x82\xAB" /*₫*/,
                                                             "\xE2\x82\xA6" /*₦*/,
                                                             "S/",
                                                             "Bs",
                                                             "kr",
                                                             "z\xC5\x82" /*zł*/,
                                                             "K\xC4\x8D" /*Kč*/,
                                                             "Fr.",
                                                             "Fr"};
constexpr std::string_view currency_codes[] = {
    "USD", "EUR", "BRL", "GBP", "MXN", "ARS", "COP", "CLP", "PEN", "UYU", "PYG", "BOB", "VES", "CRC",
    "GTQ", "DOP", "JPY", "CNY", "RMB", "INR", "CAD", "AUD", "NZD", "CHF", "SEK", "NOK", "DKK", "PLN",
    "CZK", "HUF", "RON", "BGN", "ZAR", "SGD", "HKD", "KRW", "RUB", "TRY", "ILS", "AED", "SAR"};

constexpr std::uint32_t pack3(const char* p) noexcept {
  return (static_cast<std::uint32_t>(static_cast<unsigned char>(upper(p[0]))) << 16) |
         (static_cast<std::uint32_t>(static_cast<unsigned char>(upper(p[1]))) << 8) |
         static_cast<std::uint32_t>(static_cast<unsigned char>(upper(p[2])));
}
constexpr auto currency_keys = [] {
  std::array<std::uint32_t, std::size(currency_codes)> keys{};
  for (std::size_t i = 0; i < keys.size(); ++i) keys[i] = pack3(currency_codes[i].data());
  return keys;
}();
// Bytes that can start (or end) a currency sign.
constexpr auto sign_first = [] {
  std::array<bool, 256> t{};
  for (auto s : currency_signs) t[static_cast<unsigned char>(s.front())] = true;
  return t;
}();
// Second bytes of the signs that start with a letter (all of them have one).
constexpr auto sign_second_after_letter = [] {
  std::array<bool, 256> t{};
  for (auto s : currency_signs)
    if (is_ascii_letter(s.front())) t[static_cast<unsigned char>(s[1])] = true;
  return t;
}();
constexpr auto sign_last = [] {
  std::array<bool, 256> t{};
  for (auto s : currency_signs) t[static_cast<unsigned char>(s.back())] = true;
  return t;
}();

// Upper-case first letters of the codes: most three-letter words (Yes, Pro) stop here.
constexpr auto code_first = [] {
  std::array<bool, 256> t{};
  for (auto c : currency_codes) t[static_cast<unsigned char>(c[0])] = true;
  return t;
}();

bool is_currency_code(const char* p) noexcept {
  if (!is_ascii_letter(p[0]) || !is_ascii_letter(p[1]) || !is_ascii_letter(p[2])) return false;
  if (!code_first[static_cast<unsigned char>(upper(p[0]))]) return false;
  const std::uint32_t key = pack3(p);
  bool found = false;
  for (const std::uint32_t k : currency_keys) found |= k == key;
  return found;
}

// Length of a currency sign or code at the start of `s`, or 0.
std::size_t currency_prefix(std::string_view s) noexcept {
  if (s.empty()) return 0;
  if (s.size() >= 3 && (s.size() == 3 || !is_ascii_letter(s[3])) && is_currency_code(s.data())) return 3;
  if (!sign_first[static_cast<unsigned char>(s[0])]) return 0;
  // Words and ids (Annual, A-0000001) mostly fail on their second byte, before the search.
  if (is_ascii_letter(s[0]) && (s.size() < 2 || !sign_second_after_letter[static_cast<unsigned char>(s[1])])) return 0;
  for (auto sym : currency_signs)
    if (sym.front() == s.front() && starts_with(s, sym)) return sym.size();
  return 0;
}
// Length of a currency sign or code at the end of `s`, or 0.
std::size_t currency_suffix(std::string_view s) noexcept {
  const std::size_t n = s.size();
  if (n == 0) return 0;
  if (n >= 3 && (n == 3 || !is_ascii_letter(s[n - 4])) && is_currency_code(s.data() + n - 3)) return 3;
  if (!sign_last[static_cast<unsigned char>(s[n - 1])]) return 0;
  for (auto sym : currency_signs)
    if (sym.back() == s.back() && ends_with(s, sym)) return sym.size();
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
  // What is left must start like a number: a digit, or a decimal mark as in ".5".
  if (!is_digit(s[0]) && s[0] != '.' && s[0] != ',') return false;
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
// A run of digits. Trivial on purpose: the token arrays below are left uninitialized (only the
// first `groups` entries are ever written and read), which keeps the per-cell cost down.
struct digit_run {
  const char* p;
  std::size_t n;
  std::size_t size() const noexcept { return n; }
  bool empty() const noexcept { return n == 0; }
  const char* data() const noexcept { return p; }
  char operator[](std::size_t i) const noexcept { return p[i]; }
};
struct number_tokens {
  static constexpr int max_groups = 40;
  int groups = 0;
  digit_run digits[max_groups];
  std::uint8_t sep[max_groups];  // sep[i]: the separator before group i (i >= 1)
  std::string_view exponent;  // after e/E: optional sign and digits
  std::size_t digit_count = 0;
};

bool tokenize(std::string_view b, number_tokens& t) noexcept {
  std::size_t i = 0, start = 0;
  const std::size_t n = b.size();
  auto close_group = [&](std::size_t end) {
    if (t.groups == number_tokens::max_groups) return false;
    t.digits[t.groups++] = digit_run{b.data() + start, end - start};
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

// Most cells in real exports are plain: -?digits, optionally one '.' or ',' and more digits, and
// nothing else. Both readers handle those here without tokenizing; anything else (spaces, signs
// of currency, grouping, exponents) takes the full path below.
struct plain_number {
  std::size_t start = 0;  // index of the first digit
  std::size_t lead = 0;  // digits before the separator
  std::size_t tail = 0;  // digits after it
  char sep = 0;  // '.', ',' or 0
};
bool scan_plain(std::string_view s, plain_number& p) noexcept {
  const std::size_t n = s.size();
  if (n == 0 || n > 40) return false;  // 40 digits always convert to a finite double
  std::size_t i = s[0] == '-' ? 1 : 0;
  p.start = i;
  std::size_t sep_at = std::string_view::npos;
  // One loop with one unpredictable exit: digit runs have every length.
  for (; i < n; ++i) {
    const char c = s[i];
    if (is_digit(c)) continue;
    if ((c == '.' || c == ',') && sep_at == std::string_view::npos) {
      sep_at = i;
      continue;
    }
    return false;
  }
  if (sep_at == std::string_view::npos) {
    p.lead = n - p.start;
    return p.lead != 0;
  }
  p.sep = s[sep_at];
  p.lead = sep_at - p.start;
  p.tail = n - sep_at - 1;
  return p.lead != 0 && p.tail != 0;
}

// A cheap first look: a number holds a digit, and at most four ASCII letters (a currency code and
// an exponent's e). Words and names stop here, before the currency tables are searched.
bool could_be_number(std::string_view s) noexcept {
  bool digit = false;
  int letters = 0;
  for (const char c : s) {
    if (is_digit(c)) {
      digit = true;
    } else if (is_ascii_letter(c) && ++letters > 4) {
      return false;
    }
  }
  return digit;
}

number_shape shape_of_number_full(std::string_view text) noexcept {
  number_shape shape;
  if (!could_be_number(text)) return shape;
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
      const bool thousands_form =
          !t.digits[0].empty() && t.digits[0].size() <= 3 && t.digits[0][0] != '0' && t.digits[1].size() == 3;
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

double parse_number_full(std::string_view text, char mark) noexcept {
  if (!could_be_number(text)) return nan_value;
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

}  // namespace

number_shape shape_of_number(std::string_view text) noexcept {
  number_shape shape;
  if (plain_number p; scan_plain(text, p)) {
    shape.numeric = true;
    if (p.sep != 0) {
      const bool thousands_form = p.lead <= 3 && text[p.start] != '0' && p.tail == 3;
      if (!thousands_form) shape.mark = p.sep;
    }
    return shape;
  }
  // Dates, times and ids such as 2026-11-25, 12:30 or 555-1234: a '-', '/' or ':' right after a
  // digit never occurs in a number (an exponent's sign follows an 'e').
  for (std::size_t i = 1; i < text.size() && i < 12; ++i) {
    const char c = text[i];
    if (is_digit(c)) continue;
    if ((c == '-' || c == '/' || c == ':') && is_digit(text[i - 1])) return shape;
    break;
  }
  return shape_of_number_full(text);
}

namespace {

// parse_number for a text scan_plain accepted.
double parse_plain(std::string_view text, const plain_number& p, char mark) noexcept {
  double v = 0;
  if (p.sep == 0 || p.sep == mark) {
    if (p.lead + p.tail <= 15) {
      // Up to 15 digits fit a double exactly, as do powers of ten up to 1e22, so one division
      // is correctly rounded (Clinger's fast path, which fast_float also takes, minus its setup).
      static constexpr double pow10[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                         1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
      std::uint64_t m = 0;
      for (std::size_t i = p.start; i < text.size(); ++i)
        if (is_digit(text[i])) m = m * 10 + static_cast<std::uint64_t>(text[i] - '0');
      v = static_cast<double>(m) / pow10[p.tail];
      return text[0] == '-' ? -v : v;
    }
    const fast_float::parse_options options(fast_float::chars_format::general, mark);
    fast_float::from_chars_advanced(text.data(), text.data() + text.size(), v, options);
    return v;
  }
  // The other separator groups thousands: 1–3 digits, then exactly three.
  if (p.lead > 3 || p.tail != 3) return nan_value;
  int whole = 0;
  for (std::size_t i = p.start; i < text.size(); ++i)
    if (is_digit(text[i])) whole = whole * 10 + (text[i] - '0');
  return text[0] == '-' ? -static_cast<double>(whole) : static_cast<double>(whole);
}

// The mark a plain number shows, as shape_of_number reports it: none for "1,234" forms.
char plain_mark(std::string_view text, const plain_number& p) noexcept {
  if (p.sep == 0) return 0;
  const bool thousands_form = p.lead <= 3 && text[p.start] != '0' && p.tail == 3;
  return thousands_form ? 0 : p.sep;
}

}  // namespace

double parse_number(std::string_view text, char mark) noexcept {
  if (plain_number p; scan_plain(text, p)) return parse_plain(text, p, mark);
  return parse_number_full(text, mark);
}

namespace {

bool is_leap(int y) noexcept { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
unsigned days_in_month(int y, unsigned m) noexcept {
  static constexpr unsigned days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : days[m - 1];
}
bool valid_ymd(int y, int m, int d) noexcept {
  return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 &&
         d <= static_cast<int>(days_in_month(y, static_cast<unsigned>(m)));
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
  // The words below are 1–5 or 9 bytes long.
  if (text.empty() || text.size() > 9 || (text.size() > 5 && text.size() < 9)) return -1;
  switch (lower(text[0])) {  // the first letters of the words below
    case 't':
    case 'y':
    case '1':
    case 'x':
    case 's':
    case 'v':
    case 'f':
    case 'n':
    case '0': break;
    default: return -1;
  }
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

namespace detail {

void read_text_cell(std::string_view t, char mark, bool want_value, text_reading& r) noexcept {
  r.numeric_boolean = r.boolean_word = r.mark_sensitive = false;
  r.value = nan_value;
  if (read_short_plain(t, mark, want_value, r)) return;
  const std::size_t n = t.size();
  // Longer plain decimals (most cells of a numeric export): no spaces, so trim() and
  // parse_boolean() see the text as it is, and only "0" and "1" are also boolean words.
  if (plain_number p; n > 16 && scan_plain(t, p)) {
    r.cls = class_of_mark(plain_mark(t, p));
    r.mark_sensitive = p.sep != 0;
    r.numeric_boolean = r.boolean_word = t.size() == 1 && (t[0] == '0' || t[0] == '1');
    if (want_value) r.value = parse_plain(t, p, mark);
    return;
  }
  // A cell starting with a letter is no number unless after a currency prefix (strip_affixes stops
  // at anything else), and no date (split_date starts with a digit); parse_number is NaN. Only
  // trailing spaces could change what currency_prefix sees.
  if (is_ascii_letter(t[0])) {
    const bool spaced_end = space_before_end(t) != 0;
    if (currency_prefix(spaced_end ? trim_spaces(t) : t) == 0) {
      // parse_boolean's own first checks, without its trimming when there is nothing to trim.
      const char c = lower(t[0]);
      const bool maybe_word =
          spaced_end ||
          ((n <= 5 || n == 9) && (c == 't' || c == 'y' || c == 'x' || c == 's' || c == 'v' || c == 'f' || c == 'n'));
      r.cls = maybe_word && parse_boolean(t) >= 0 ? text_boolean : text_other;
      return;
    }
  }
  // Nor is a cell without a digit (scan_plain and could_be_number need one, split_date too).
  bool digit = false;
  for (const char c : t) digit |= is_digit(c);
  if (!digit) {
    r.cls = parse_boolean(t) >= 0 ? text_boolean : text_other;
    return;
  }
  // ISO dates: shape_of_number rejects them by the '-' after a digit, parse_number by tokenize.
  if (t.size() == 10 && t[4] == '-' && t[7] == '-' && is_digit(t[0]) && is_digit(t[1]) && is_digit(t[2]) &&
      is_digit(t[3]) && is_digit(t[5]) && is_digit(t[6]) && is_digit(t[8]) && is_digit(t[9])) {
    const int y = (t[0] - '0') * 1000 + (t[1] - '0') * 100 + (t[2] - '0') * 10 + (t[3] - '0');
    const int m = (t[5] - '0') * 10 + (t[6] - '0'), d = (t[8] - '0') * 10 + (t[9] - '0');
    r.cls = valid_ymd(y, m, d) ? text_date : text_other;
    return;
  }
  // Percentages of a plain number ("46.4%"): strip_affixes takes the '%' off and leaves the plain
  // body, whose shape is the plain shape. Its value is the plain value over 100, as convert() does.
  if (t.size() >= 2 && t.back() == '%') {
    const std::string_view body = t.substr(0, t.size() - 1);
    if (plain_number p; scan_plain(body, p)) {
      r.cls = class_of_mark(plain_mark(body, p));
      r.mark_sensitive = p.sep != 0;
      if (want_value) {
        if ((p.sep == 0 || p.sep == mark) && p.lead + p.tail <= 15) {
          r.value = parse_plain(body, p, mark) / 100.0;
        } else {
          r.value = parse_number(t, mark);
        }
      }
      return;
    }
  }
  // Everything else, as column inference has always read it.
  r.mark_sensitive = true;
  if (want_value) r.value = parse_number(t, mark);
  const number_shape ns = shape_of_number(t);
  if (ns.numeric) {
    r.cls = class_of_mark(ns.mark);
    if (t.size() <= 8) {
      const std::string_view tt = trim(t);
      r.numeric_boolean = tt.size() == 1 && (tt[0] == '0' || tt[0] == '1');
    }
    r.boolean_word = parse_boolean(t) >= 0;
    return;
  }
  const date_shape ds = shape_of_date(t);
  if (ds.date) {
    r.cls = ds.day_first ? text_date_day : ds.month_first ? text_date_month : text_date;
    return;
  }
  r.cls = parse_boolean(t) >= 0 ? text_boolean : text_other;
}

}  // namespace detail

}  // namespace healthscore
