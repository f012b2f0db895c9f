// SPDX-License-Identifier: MIT
#include "detail/sheet_builder.hpp"
#include "detail/text.hpp"

#include <fast_float/fast_float.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>

namespace healthscore::detail {

namespace {

bool digits(std::string_view s, std::size_t at, std::size_t n, unsigned& out) noexcept {
  if (at + n > s.size()) return false;
  unsigned v = 0;
  for (std::size_t i = at; i < at + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + static_cast<unsigned>(s[i] - '0');
  }
  out = v;
  return true;
}

unsigned days_in_month(std::int64_t y, unsigned m) noexcept {
  static constexpr unsigned days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : days[m - 1];
}

// hh:mm[:ss[.fff]] at the start of `s`; `used` is how many characters it took.
bool parse_clock(std::string_view s, double& fraction, std::size_t& used) noexcept {
  unsigned h = 0, m = 0, sec = 0;
  if (!digits(s, 0, 2, h) || s.size() < 5 || s[2] != ':' || !digits(s, 3, 2, m)) return false;
  std::size_t i = 5;
  double frac_sec = 0;
  if (i < s.size() && s[i] == ':') {
    if (!digits(s, 6, 2, sec)) return false;
    i = 8;
    if (i < s.size() && (s[i] == '.' || s[i] == ',')) {
      std::size_t j = i + 1;
      double scale = 0.1;
      while (j < s.size() && s[j] >= '0' && s[j] <= '9') {
        frac_sec += (s[j] - '0') * scale;
        scale /= 10;
        ++j;
      }
      if (j == i + 1) return false;
      i = j;
    }
  }
  if (h > 24 || m > 59 || sec > 60 || (h == 24 && (m || sec || frac_sec > 0))) return false;
  fraction = (h * 3600.0 + m * 60.0 + sec + frac_sec) / 86400.0;
  used = i;
  return true;
}

char* put2(char* p, unsigned v) noexcept {
  p[0] = static_cast<char>('0' + v / 10);
  p[1] = static_cast<char>('0' + v % 10);
  return p + 2;
}

}  // namespace

// ---- sheet_builder ------------------------------------------------------------------------------

sheet_builder::sheet_builder(const read_options& options, const read_limits& limits, std::string sheet)
    : options_(options), limits_(limits), sheet_(std::move(sheet)) {}

void sheet_builder::too_many_rows() const {
  throw input_error(
      message("sheet.too_many_rows").nested("at", at_file(options_.source, sheet_)).count("limit", limits_.max_rows));
}

void sheet_builder::check_more_rows(std::uint64_t more) const {
  if (probe_) return;
  if (more > limits_.max_rows || rows_ > limits_.max_rows - more) too_many_rows();
}

void sheet_builder::check_column(std::uint64_t col) const {
  if (col >= limits_.max_columns)
    throw input_error(message("sheet.too_many_columns")
                          .nested("at", at_file(options_.source, sheet_))
                          .count("column", col + 1)
                          .count("limit", limits_.max_columns));
}

void sheet_builder::begin_row(std::uint64_t row) {
  if (started_ && row <= row_) row = row_ + 1;
  started_ = true;
  row_ = row;
  row_open_ = false;
  in_header_ = false;
  const std::size_t h = options_.header_row;
  if (!header_done_ && h > 0 && row > h - 1) {  // the chosen header row holds nothing
    header_done_ = true;
    header_sheet_row_ = last_data_row_ = h - 1;
  }
}

void sheet_builder::check_cells(std::size_t columns, std::size_t rows) const {
  if (columns > 0 && rows > limits_.max_cells / columns)
    throw input_error(message("sheet.too_many_cells")
                          .nested("at", at_file(options_.source, sheet_))
                          .count("columns", columns)
                          .count("rows", rows - 1)
                          .count("limit", limits_.max_cells));
}

void sheet_builder::open_data_row() {
  if (rows_ >= limits_.max_rows) too_many_rows();
  check_cells(columns_.size(), rows_ + 1);
  if (row_ > last_data_row_ + 1) skipped_blank_ += static_cast<std::size_t>(row_ - last_data_row_ - 1);
  last_data_row_ = row_;
  ++rows_;
  row_open_ = true;
}

void sheet_builder::add(std::uint64_t col, cell_kind kind, double value, std::string_view text) {
  // A text cell of nothing but spaces is an empty cell (the contract): it must not open a row, or a
  // blank row would be kept as data (as the CSV reader never does).
  if (kind == cell_kind::empty || (kind == cell_kind::text && trim(text).empty())) return;
  if (probe_) {
    found_ = true;
    if (stop_at_found_) throw found_cell{};
    return;
  }
  check_column(col);
  if (text.size() > limits_.max_cell_bytes)
    throw input_error(message("sheet.cell_too_long")
                          .nested("at", at_cell(options_.source, sheet_, row_ + 1, 0, col + 1, {}))
                          .count("bytes", text.size())
                          .count("limit", limits_.max_cell_bytes));
  if (text.size() > limits_.max_sheet_text_bytes - std::min(text_bytes_, limits_.max_sheet_text_bytes))
    throw input_error(message("sheet.too_much_text")
                          .nested("at", at_cell(options_.source, sheet_, row_ + 1, 0, col + 1, {}))
                          .nested("limit", limits_.max_sheet_text_bytes % (1u << 20) == 0
                                               ? message("size.mib").count("n", limits_.max_sheet_text_bytes >> 20)
                                               : message("size.bytes").count("n", limits_.max_sheet_text_bytes)));
  text_bytes_ += text.size();
  const std::size_t c = static_cast<std::size_t>(col);
  if (!header_done_) {
    const std::size_t h = options_.header_row;
    if (h > 0 && row_ < h - 1) return;  // above the chosen header row
    in_header_ = true;
    if (columns_.size() <= c) columns_.resize(c + 1);
    if (columns_[c].name().empty()) columns_[c].set_name(std::string(text));
    return;
  }
  if (!row_open_) open_data_row();
  if (columns_.size() <= c) {
    check_cells(c + 1, rows_);
    columns_.resize(c + 1);
  }
  column& target = columns_[c];
  if (target.size() >= rows_) return;  // a second cell at the same position: the first wins
  target.pad_to(rows_ - 1);
  switch (kind) {
    case cell_kind::text: target.push_text(text); break;
    case cell_kind::number: target.push_number(value, text); break;
    case cell_kind::date: target.push_date(value, text); break;
    case cell_kind::boolean: target.push_boolean(value != 0, text); break;
    case cell_kind::error: target.push_error(text); break;
    case cell_kind::empty: break;
  }
}

void sheet_builder::end_row(std::size_t bytes_done) {
  if (in_header_) {
    header_done_ = true;
    header_sheet_row_ = last_data_row_ = row_;
    in_header_ = false;
  }
  row_open_ = false;
  if ((++ticks_ & 4095) == 0 && options_.progress && !options_.progress(bytes_done, rows_))
    throw input_error(message("read.cancelled").nested("at", at_file(options_.source)));
}

table sheet_builder::finish(const std::function<message()>& with_data) {
  if (!header_done_ || columns_.empty()) {
    if (options_.header_row > 0 && !header_done_)
      throw input_error(message("sheet.header_past_end")
                            .nested("at", at_file(options_.source, sheet_))
                            .count("row", options_.header_row));
    message m("sheet.empty");
    m.nested("at", at_file(options_.source, sheet_));
    if (options_.sheet.empty() && options_.header_row == 0 && with_data) m.nested("hint", with_data());
    throw input_error(std::move(m));
  }
  table t;
  t.source = options_.source;
  t.sheet = sheet_;
  t.rows = rows_;
  t.skipped_blank_rows = skipped_blank_;
  for (auto& c : columns_) {
    c.pad_to(rows_);
    c.infer(false, options_.default_dates);
  }
  t.columns = std::move(columns_);
  t.fix_headers();
  return t;
}

// ---- choosing a sheet ---------------------------------------------------------------------------

std::size_t choose_sheet(const std::vector<sheet_info>& sheets, const read_options& options, std::string_view kind) {
  auto names = [&] {
    std::vector<std::string> out;
    for (const auto& s : sheets) out.push_back(s.name);
    return out;
  };
  const message container("read.container." + std::string(kind));
  std::size_t found = sheets.size();
  if (!options.sheet.empty()) {
    for (std::size_t i = 0; i < sheets.size() && found == sheets.size(); ++i)
      if (sheets[i].name == options.sheet) found = i;
    for (std::size_t i = 0; i < sheets.size() && found == sheets.size(); ++i)
      if (equals_ignoring_case(trim(sheets[i].name), trim(options.sheet))) found = i;
    if (found == sheets.size()) {
      if (sheets.empty())
        throw input_error(message("sheet.not_found_none")
                              .nested("at", at_file(options.source))
                              .text("sheet", options.sheet)
                              .nested("container", container));
      throw input_error(message("sheet.not_found")
                            .nested("at", at_file(options.source))
                            .text("sheet", options.sheet)
                            .list("sheets", names()));
    }
    if (!sheets[found].worksheet)
      throw input_error(
          message("sheet.chart").nested("at", at_file(options.source, sheets[found].name)).list("sheets", names()));
    return found;
  }
  for (std::size_t i = 0; i < sheets.size(); ++i)
    if (sheets[i].worksheet && sheets[i].visible) return i;
  for (std::size_t i = 0; i < sheets.size(); ++i)
    if (sheets[i].worksheet) return i;
  if (sheets.empty())
    throw input_error(
        message("sheet.no_worksheet").nested("at", at_file(options.source)).nested("container", container));
  throw input_error(message("sheet.no_worksheet_list")
                        .nested("at", at_file(options.source))
                        .nested("container", container)
                        .list("sheets", names()));
}

message sheets_with_data_hint(const std::vector<sheet_info>& sheets, const std::vector<bool>& with_data) {
  std::vector<std::string> names;
  for (std::size_t i = 0; i < sheets.size() && i < with_data.size(); ++i)
    if (with_data[i]) names.push_back(sheets[i].name);
  if (names.empty()) return message("sheet.hint_none");
  if (names.size() == 1) return message("sheet.hint_one").list("sheets", std::move(names));
  return message("sheet.hint_many").list("sheets", std::move(names));
}

// ---- numbers and dates --------------------------------------------------------------------------

bool parse_stored_number(std::string_view text, double& out) noexcept {
  const char* first = text.data();
  const char* last = first + text.size();
  if (first != last && *first == '+') ++first;
  if (first == last) return false;
  const auto r = fast_float::from_chars(first, last, out);
  return r.ec == std::errc() && r.ptr == last;
}

std::string_view number_text(double v, char* buf) noexcept {
  if (v == 0) return "0";
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  if (std::fabs(v) < 1e15 && v == std::trunc(v)) {
    const auto r = std::to_chars(buf, buf + 32, static_cast<long long>(v));
    return {buf, static_cast<std::size_t>(r.ptr - buf)};
  }
  for (int precision = 15; precision <= 17; ++precision) {
    const int n = std::snprintf(buf, 32, "%.*g", precision, v);
    double back = 0;
    if (n > 0 && n < 32 && parse_stored_number({buf, static_cast<std::size_t>(n)}, back) && back == v)
      return {buf, static_cast<std::size_t>(n)};
  }
  const int n = std::snprintf(buf, 32, "%.17g", v);
  return {buf, static_cast<std::size_t>(n > 0 && n < 32 ? n : 0)};
}

std::string_view number_text(double v, std::string_view written, char* buf) noexcept {
  // Reuse the written text when it is plain decimal notation (optional minus, no leading zeros, no
  // trailing fractional zeros, no exponent) with at most 15 significant digits: any two such texts
  // of different value are different doubles, so it is the shortest text of `v`.
  std::size_t i = 0;
  const std::size_t n = written.size();
  if (v != 0 && n > 0 && n <= 24) {
    if (written[0] == '-') i = 1;
    bool ok =
        i < n && written[i] >= '0' && written[i] <= '9' && !(written[i] == '0' && i + 1 < n && written[i + 1] != '.');
    int significant = 0;
    bool seen_nonzero = false, dot = false;
    for (std::size_t j = i; ok && j < n; ++j) {
      const char c = written[j];
      if (c == '.') {
        ok = !dot && j + 1 < n;
        dot = true;
      } else if (c >= '0' && c <= '9') {
        if (c != '0') seen_nonzero = true;
        if (seen_nonzero) ++significant;
      } else {
        ok = false;
      }
    }
    if (ok && dot && written[n - 1] == '0') ok = false;
    if (ok && significant <= 15) return written;
  }
  return number_text(v, buf);
}

std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) noexcept {
  // Howard Hinnant's days_from_civil.
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

std::string_view iso_text(double days, char* buf) noexcept {
  if (!(days >= min_date_days && days < max_date_days)) return number_text(days, buf);
  auto whole = static_cast<std::int64_t>(std::floor(days));
  auto secs = static_cast<long>(std::llround((days - static_cast<double>(whole)) * 86400.0));
  if (secs >= 86400) {
    ++whole;
    secs -= 86400;
  }
  // Howard Hinnant's civil_from_days.
  const std::int64_t z = whole + 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  const auto y = static_cast<unsigned>(static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2));
  char* p = buf;
  p = put2(p, y / 100);
  p = put2(p, y % 100);
  *p++ = '-';
  p = put2(p, m);
  *p++ = '-';
  p = put2(p, d);
  if (secs) {
    *p++ = 'T';
    p = put2(p, static_cast<unsigned>(secs / 3600));
    *p++ = ':';
    p = put2(p, static_cast<unsigned>(secs / 60 % 60));
    *p++ = ':';
    p = put2(p, static_cast<unsigned>(secs % 60));
  }
  return {buf, static_cast<std::size_t>(p - buf)};
}

bool parse_iso_datetime(std::string_view s, double& days) noexcept {
  unsigned y = 0, m = 0, d = 0;
  if (s.size() < 10 || !digits(s, 0, 4, y) || s[4] != '-' || !digits(s, 5, 2, m) || s[7] != '-' || !digits(s, 8, 2, d))
    return false;
  if (m < 1 || m > 12 || d < 1 || d > days_in_month(y, m) || y < 1) return false;
  double result = static_cast<double>(days_from_civil(y, m, d));
  std::size_t i = 10;
  if (i < s.size() && (s[i] == 'T' || s[i] == ' ')) {
    double fraction = 0;
    std::size_t used = 0;
    if (!parse_clock(s.substr(i + 1), fraction, used)) return false;
    result += fraction;
    i += 1 + used;
  }
  // A zone designator is ignored: spreadsheet dates are local.
  if (i < s.size() && s[i] != 'Z' && s[i] != '+' && s[i] != '-') return false;
  days = result;
  return true;
}

bool parse_iso_time(std::string_view s, double& day_fraction) noexcept {
  std::size_t used = 0;
  return parse_clock(s, day_fraction, used) && used == s.size();
}

}  // namespace healthscore::detail
