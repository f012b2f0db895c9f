// SPDX-License-Identifier: MIT
// ODS (OpenDocument spreadsheets): every sheet is a `table:table` in content.xml. Rows and cells
// may carry repeat counts, and writers pad every sheet out to the full grid with them (a billion
// empty cells is normal), so empty repeats only move the position; content is expanded, and then
// against the row and column limits before any work is done.
//
// Value types: float, percentage (the fraction, 85% is 0.85) and currency are numbers; date is a
// date (with its time when it has one); time is a duration (PT10H10M10S), read as a number of days
// like an XLSX time cell, with the text `10:10:10`; boolean is a boolean; string, and cells with no
// type, are their text (paragraphs joined with newlines). LibreOffice marks error results with
// `calcext:value-type="error"`; those are errors.
#include <algorithm>
#include <charconv>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "detail/sheet_builder.hpp"
#include "detail/text.hpp"
#include "detail/xml.hpp"
#include "healthscore/workbook.hpp"

namespace healthscore {

using detail::quoted;

namespace {

using detail::xml_event;
using detail::xml_reader;

constexpr std::string_view ods_mimetype = "application/vnd.oasis.opendocument.spreadsheet";

// A password-protected ODS keeps its manifest in the clear and lists, for each encrypted part, how
// it was encrypted (`manifest:encryption-data`); the parts themselves are ciphertext.
bool is_encrypted(archive& zip, const std::string& source) {
  const std::string manifest = find_entry(zip, "META-INF/manifest.xml");
  if (manifest.empty()) return false;
  const std::string xml = zip.read(manifest);
  xml_reader r(xml, source + ": " + manifest);
  for (xml_event e; (e = r.next()) != xml_event::eof;)
    if (e == xml_event::start && r.local_name() == "encryption-data") return true;
  return false;
}

std::string read_content(archive& zip, const std::string& source) {
  check_entry_names(zip, source);
  if (const std::string mimetype = find_entry(zip, "mimetype"); !mimetype.empty()) {
    const std::string mime(trim(zip.read(mimetype)));
    if (mime != ods_mimetype && mime != "application/vnd.oasis.opendocument.spreadsheet-template")
      throw input_error(message("ods.not_spreadsheet").nested("at", at_file(source)).text("type", mime));
  }
  if (is_encrypted(zip, source)) throw input_error(message("ods.encrypted").nested("at", at_file(source)));
  const std::string content = find_entry(zip, "content.xml");
  if (content.empty()) throw input_error(message("ods.no_content").nested("at", at_file(source)));
  return zip.read(content);
}

// A repeat count; absent or unreadable is 1, and absurd ones are capped where they cannot overflow.
std::uint64_t repeat_count(std::string_view raw) noexcept {
  std::uint64_t n = 0;
  const auto r = std::from_chars(raw.data(), raw.data() + raw.size(), n);
  if (raw.empty() || r.ec == std::errc::invalid_argument || n == 0) return 1;
  if (r.ec == std::errc::result_out_of_range || n > (std::uint64_t{1} << 40)) return std::uint64_t{1} << 40;
  return n;
}

// "PT10H10M10.123456S" (also with a day part, "P1DT2H") as days. False for anything else.
bool parse_duration(std::string_view s, double& days) noexcept {
  bool negative = false;
  if (!s.empty() && s[0] == '-') {
    negative = true;
    s.remove_prefix(1);
  }
  if (s.empty() || s[0] != 'P') return false;
  double seconds = 0;
  bool in_time = false, any = false;
  for (std::size_t i = 1; i < s.size();) {
    if (s[i] == 'T') {
      in_time = true;
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < s.size() && ((s[j] >= '0' && s[j] <= '9') || s[j] == '.')) ++j;
    if (j == i || j >= s.size()) return false;
    double v = 0;
    if (!detail::parse_stored_number(s.substr(i, j - i), v)) return false;
    const char unit = s[j];
    if (!in_time && unit == 'D')
      seconds += v * 86400;
    else if (!in_time && unit == 'W')
      seconds += v * 7 * 86400;
    else if (in_time && unit == 'H')
      seconds += v * 3600;
    else if (in_time && unit == 'M')
      seconds += v * 60;
    else if (in_time && unit == 'S')
      seconds += v;
    else
      return false;  // years and months have no fixed length
    any = true;
    i = j + 1;
  }
  if (!any) return false;
  days = (negative ? -seconds : seconds) / 86400.0;
  return true;
}

// `hh:mm:ss` (hours past 24 kept, as a duration shows them), with the fraction of a second the
// duration was written with.
std::string_view duration_text(std::string_view written, double days, char* buf) {
  const bool negative = days < 0;
  const double total = (negative ? -days : days) * 86400.0;
  auto whole = static_cast<unsigned long long>(total);
  std::string_view fraction;
  const auto dot = written.find('.');
  if (dot != std::string_view::npos) {
    std::size_t end = dot + 1;
    while (end < written.size() && written[end] >= '0' && written[end] <= '9') ++end;
    fraction = written.substr(dot, end - dot);
  } else if (total - static_cast<double>(whole) >= 0.5) {
    ++whole;
  }
  if (whole > 1000000000000ull || fraction.size() > 12) return detail::number_text(days, buf);
  const int n = std::snprintf(buf, 32, "%s%02llu:%02llu:%02llu%.*s", negative ? "-" : "", whole / 3600, whole / 60 % 60,
                              whole % 60, static_cast<int>(fraction.size()), fraction.data());
  return {buf, static_cast<std::size_t>(n > 0 && n < 32 ? n : 0)};
}

bool is_error_text(std::string_view t) noexcept {
  return t == "#DIV/0!" || t == "#N/A" || t == "#NAME?" || t == "#NULL!" || t == "#NUM!" || t == "#REF!" ||
         t == "#VALUE!" || t.substr(0, 4) == "Err:";
}

// Reads the paragraphs of a cell (`r` just after its start) into `out`, joined with newlines.
// Spans, links and fields give their text; `text:s` spaces, `text:tab` and `text:line-break` give
// what they stand for; annotations (comments) and notes are left out.
void read_cell_text(xml_reader& r, std::string& out, std::size_t max_bytes) {
  const std::size_t start = out.size();
  std::size_t depth = 1, paragraph_depth = 0;
  bool first_paragraph = true;
  while (depth) {
    switch (r.next()) {
      case xml_event::start: {
        const std::string_view n = r.local_name();
        if (n == "annotation" || n == "note" || n == "table") {
          r.skip_element();
          break;
        }
        ++depth;
        if (!paragraph_depth && (n == "p" || n == "h")) {
          if (!first_paragraph) out.push_back('\n');
          first_paragraph = false;
          paragraph_depth = depth;
        } else if (paragraph_depth && n == "s") {
          const std::uint64_t c = repeat_count(r.raw_attr("c"));
          out.append(static_cast<std::size_t>(std::min<std::uint64_t>(c, max_bytes + 1)), ' ');
        } else if (paragraph_depth && n == "tab") {
          out.push_back('\t');
        } else if (paragraph_depth && n == "line-break") {
          out.push_back('\n');
        }
        break;
      }
      case xml_event::end:
        if (depth == paragraph_depth) paragraph_depth = 0;
        --depth;
        break;
      case xml_event::text:
        if (paragraph_depth) out += r.text();
        break;
      case xml_event::eof: return;
    }
    // Past the cell limit the builder refuses the cell with its message; stop growing it.
    if (out.size() - start > max_bytes + 1) out.resize(start + max_bytes + 1);
  }
}

struct ods_cell {
  std::uint64_t col;
  cell_kind kind;
  double value;
  std::size_t text_begin, text_end;
};

class ods_reader {
 public:
  ods_reader(std::string_view xml, const std::string& source) : r_(xml, source + ": content.xml"), source_(source) {}

  /// Lists the sheets. Tables whose style says `table:display="false"` are hidden.
  std::vector<sheet_info> sheets() {
    std::vector<sheet_info> out;
    while (advance_to_table()) {
      out.push_back(current_);
      r_.skip_element();
    }
    return out;
  }

  /// One pass over every sheet: whether each holds a non-empty cell.
  std::vector<bool> probe_all(const std::string& source, const read_limits& limits) {
    std::vector<bool> out;
    while (advance_to_table()) {
      read_options quiet;
      quiet.source = source;
      detail::sheet_builder probe(quiet, limits, current_.name);
      probe.probe(false);
      try {
        read_table(probe, limits);
      } catch (const input_error&) {  // a sheet past a limit or damaged: it cannot be offered
        out.push_back(false);
        return out;  // the reader stopped inside it; the sheets after it stay unknown (false)
      }
      out.push_back(probe.found());
    }
    return out;
  }

  /// Reads the `index`-th sheet into `builder`.
  void read(std::size_t index, detail::sheet_builder& builder, const read_limits& limits) {
    for (std::size_t i = 0;; ++i) {
      if (!advance_to_table()) return;
      if (i == index) break;
      r_.skip_element();
    }
    read_table(builder, limits);
  }

 private:
  // Moves to the start of the next sheet (skipping its contents is up to the caller).
  bool advance_to_table() {
    for (xml_event e; (e = r_.next()) != xml_event::eof;) {
      if (e != xml_event::start) continue;
      const std::string_view n = r_.local_name();
      if (n == "style") {
        const std::string name(r_.attr("name"));
        if (r_.raw_attr("family") == "table") {
          std::size_t depth = 1;
          while (depth) {
            const xml_event f = r_.next();
            if (f == xml_event::eof) return false;
            if (f == xml_event::end) --depth;
            if (f != xml_event::start) continue;
            ++depth;
            if (r_.local_name() == "table-properties" && r_.raw_attr("display") == "false")
              hidden_styles_.push_back(name);
          }
        } else {
          r_.skip_element();
        }
      } else if (n == "table") {
        current_.name = std::string(r_.attr("name"));
        const std::string_view style = r_.raw_attr("style-name");
        current_.visible = true;
        for (const auto& h : hidden_styles_)
          if (h == style) current_.visible = false;
        current_.worksheet = true;
        return true;  // just after its start; the caller reads or skips it
      } else if (n == "font-face-decls" || n == "scripts" || n == "calculation-settings" || n == "named-expressions" ||
                 n == "database-ranges" || n == "content-validations") {
        r_.skip_element();
      }
    }
    return false;
  }

  void read_table(detail::sheet_builder& builder, const read_limits& limits) {
    if (r_.self_closing()) {
      r_.next();
      return;
    }
    std::uint64_t row = 0;
    std::size_t depth = 1;  // inside table:table
    while (depth) {
      const xml_event e = r_.next();
      if (e == xml_event::eof) return;
      if (e == xml_event::end) {
        --depth;
        continue;
      }
      if (e != xml_event::start) continue;
      const std::string_view n = r_.local_name();
      if (n == "table-row") {
        const std::uint64_t repeat = repeat_count(r_.raw_attr("number-rows-repeated"));
        read_row(limits);
        if (!cells_.empty() && builder.found()) {
          // Probing, and the sheet is known to hold data: nothing more to learn from its rows.
        } else if (!cells_.empty()) {
          // Content repeated: check the limit once, before expanding anything.
          if (repeat > 1) builder.check_more_rows(repeat - 1);
          for (std::uint64_t k = 0; k < repeat; ++k) {
            builder.begin_row(row + k);
            for (const auto& c : cells_)
              builder.add(c.col, c.kind, c.value,
                          std::string_view(texts_).substr(c.text_begin, c.text_end - c.text_begin));
            builder.end_row(r_.offset());
            // Probing (no row limit applies): every copy holds the same cells, so when the first
            // found nothing (cells of nothing but spaces), neither will the next trillion.
            if (builder.probing()) break;
          }
        }
        row = std::min(row + repeat, std::uint64_t{1} << 62);  // empty repeats only move the position
      } else if (n == "table-header-rows" || n == "table-row-group" || n == "table-rows") {
        // Rows inside these groups count like any other.
        if (r_.self_closing())
          r_.next();
        else
          ++depth;
      } else {
        r_.skip_element();  // columns, shapes, forms, named ranges...
      }
    }
  }

  // Reads the cells of a row (`r_` just after its start) into `cells_`.
  void read_row(const read_limits& limits) {
    cells_.clear();
    texts_.clear();
    std::uint64_t col = 0;
    if (r_.self_closing()) {
      r_.next();
      return;
    }
    for (;;) {
      const xml_event e = r_.next();
      if (e == xml_event::eof || e == xml_event::end) return;
      if (e != xml_event::start) continue;
      const std::string_view n = r_.local_name();
      // A cell hidden by a merge is read like any other: LibreOffice keeps the value it had before
      // the merge there (usually it has none, and is an empty position).
      if (n != "table-cell" && n != "covered-table-cell") {
        r_.skip_element();
        continue;
      }
      const std::uint64_t repeat = repeat_count(r_.raw_attr("number-columns-repeated"));
      const std::size_t text_begin = texts_.size();
      ods_cell cell{col, cell_kind::empty, 0, text_begin, text_begin};
      read_cell(cell, limits);
      if (cell.kind != cell_kind::empty) {
        if (col + repeat - 1 >= limits.max_columns) check_column_(col + repeat - 1, limits);
        for (std::uint64_t k = 0; k < repeat; ++k) {
          cell.col = col + k;
          cells_.push_back(cell);
        }
      } else {
        texts_.resize(text_begin);
      }
      col += repeat;
    }
  }

  [[noreturn]] void check_column_(std::uint64_t col, const read_limits& limits) const {
    throw input_error(message("sheet.too_many_columns")
                          .nested("at", at_file(source_, current_.name))
                          .count("column", col + 1)
                          .count("limit", limits.max_columns));
  }

  // Decides the cell's kind and value from its attributes and text (`r_` just after its start).
  void read_cell(ods_cell& cell, const read_limits& limits) {
    std::string_view type, value, date_value, time_value, boolean_value, string_value;
    bool has_string_value = false, error = false;
    for (const auto& a : r_.attributes()) {
      if (a.local == "value-type") {
        if (a.qname.substr(0, 8) == "calcext:")
          error = a.raw == "error";
        else
          type = a.raw;
      } else if (a.local == "value") {
        value = a.raw;
      } else if (a.local == "date-value") {
        date_value = a.raw;
      } else if (a.local == "time-value") {
        time_value = a.raw;
      } else if (a.local == "boolean-value") {
        boolean_value = a.raw;
      } else if (a.local == "string-value") {
        string_value = a.raw;
        has_string_value = true;
      }
    }
    const bool needs_text = type.empty() || type == "string" || error;
    // The attribute values are copied out before reading on: `attributes()` changes with `next`.
    double number = 0, days = 0;
    bool number_ok = false, date_ok = false, time_ok = false;
    std::string written;
    if (type == "float" || type == "percentage" || type == "currency") {
      number_ok = detail::parse_stored_number(trim(value), number);
      written = std::string(trim(value));
    } else if (type == "date") {
      date_ok = detail::parse_iso_datetime(trim(date_value), days);
    } else if (type == "time") {
      time_ok = parse_duration(trim(time_value), days);
      written = std::string(trim(time_value));
    } else if (type == "string" && has_string_value) {
      std::string scratch;
      texts_ += detail::decode_entities(string_value, scratch);
    }
    const std::string bool_text(trim(boolean_value));

    if (needs_text && !(type == "string" && has_string_value)) {
      if (r_.self_closing())
        r_.next();
      else
        read_cell_text(r_, texts_, limits.max_cell_bytes);
    } else {
      r_.skip_element();
    }
    cell.text_end = texts_.size();
    const std::string_view text = std::string_view(texts_).substr(cell.text_begin);

    if (error) {
      cell.kind = trim(text).empty() ? cell_kind::empty : cell_kind::error;
      return;
    }
    if (number_ok) {
      set_text(cell, detail::number_text(number, written, buf_));
      cell.kind = cell_kind::number;
      cell.value = number;
    } else if (date_ok) {
      set_text(cell, detail::iso_text(days, buf_));
      cell.kind = cell_kind::date;
      cell.value = days;
    } else if (time_ok) {
      set_text(cell, duration_text(written, days, buf_));
      cell.kind = cell_kind::number;
      cell.value = days;
    } else if (type == "boolean" &&
               (bool_text == "true" || bool_text == "1" || bool_text == "false" || bool_text == "0")) {
      const bool v = bool_text == "true" || bool_text == "1";
      set_text(cell, v ? "TRUE" : "FALSE");
      cell.kind = cell_kind::boolean;
      cell.value = v ? 1 : 0;
    } else if (!trim(text).empty()) {
      cell.kind = type.empty() && is_error_text(trim(text)) ? cell_kind::error : cell_kind::text;
    } else {
      cell.kind = cell_kind::empty;
    }
  }

  void set_text(ods_cell& cell, std::string_view text) {
    texts_.resize(cell.text_begin);
    texts_ += text;
    cell.text_end = texts_.size();
  }

  xml_reader r_;
  std::string source_;
  sheet_info current_;
  std::vector<std::string> hidden_styles_;
  std::vector<ods_cell> cells_;
  std::string texts_;
  char buf_[32] = {};
};

}  // namespace

std::vector<sheet_info> ods_sheets(archive& zip) {
  const std::string xml = read_content(zip, "the file");
  ods_reader reader(xml, "the file");
  return reader.sheets();
}

namespace {

// Whether each sheet holds a non-empty cell, in one pass over content.xml (a sheet at a time
// would cost the document's size once per sheet: quadratic with many empty sheets).
std::vector<bool> sheets_with_data(const std::string& xml, const read_options& options, const read_limits& limits) {
  ods_reader reader(xml, options.source);
  return reader.probe_all(options.source, limits);
}

}  // namespace

std::vector<bool> ods_sheets_with_data(archive& zip, const read_options& options, const read_limits& limits) {
  const std::string xml = read_content(zip, options.source);
  std::vector<sheet_info> sheets;
  {
    ods_reader lister(xml, options.source);
    sheets = lister.sheets();
  }
  std::vector<bool> out = sheets_with_data(xml, options, limits);
  out.resize(sheets.size(), false);
  return out;
}

table read_ods(archive& zip, const read_options& options, const read_limits& limits) {
  const std::string xml = read_content(zip, options.source);
  std::vector<sheet_info> sheets;
  {
    ods_reader lister(xml, options.source);
    sheets = lister.sheets();
  }
  const std::size_t chosen = detail::choose_sheet(sheets, options, "spreadsheet");
  detail::sheet_builder builder(options, limits, sheets[chosen].name);
  {
    ods_reader reader(xml, options.source);
    reader.read(chosen, builder, limits);
  }
  return builder.finish([&] {
    std::vector<bool> with_data = sheets_with_data(xml, options, limits);
    with_data.resize(sheets.size(), false);
    with_data[chosen] = false;
    return detail::sheets_with_data_hint(sheets, with_data);
  });
}

}  // namespace healthscore
