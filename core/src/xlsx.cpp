// SPDX-License-Identifier: MIT
// XLSX (Office Open XML spreadsheets): the workbook part lists the sheets, its relationships point
// at their parts, shared strings and styles; each worksheet is streamed once through the XML pull
// tokenizer into a sheet_builder. The `<dimension>` element is never read: writers fill it with
// whatever they like (A1:XFD1048576), so nothing is sized by it.
#include <charconv>
#include <string>
#include <string_view>
#include <vector>

#include "detail/sheet_builder.hpp"
#include "detail/text.hpp"
#include "detail/xml.hpp"
#include "healthscore/workbook.hpp"

namespace healthscore {

using detail::equals_ignoring_case;
using detail::quoted;

namespace {

using detail::xml_event;
using detail::xml_reader;

char lower(char c) noexcept { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool equals_ignoring_case(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

bool ends_with(std::string_view s, std::string_view suffix) noexcept {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// ---- package paths ------------------------------------------------------------------------------

// "xl/worksheets/sheet1.xml" relative to "xl/", with "..", "." and absolute targets handled.
std::string resolve_target(std::string_view base_dir, std::string_view target) {
  std::string joined =
      !target.empty() && target[0] == '/' ? std::string(target.substr(1)) : std::string(base_dir) + std::string(target);
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= joined.size()) {
    std::size_t slash = joined.find_first_of("/\\", start);
    if (slash == std::string::npos) slash = joined.size();
    const std::string part = joined.substr(start, slash - start);
    if (part == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    start = slash + 1;
  }
  std::string out;
  for (const auto& p : parts) {
    if (!out.empty()) out += '/';
    out += p;
  }
  return out;
}

// Stored names may use `\` (find_entry reads it as `/`).
std::string dir_of(std::string_view path) {
  const auto slash = path.find_last_of("/\\");
  return slash == std::string_view::npos ? std::string() : std::string(path.substr(0, slash + 1));
}

std::string rels_of(std::string_view path) {
  const auto slash = path.find_last_of("/\\");
  const std::string_view file = slash == std::string_view::npos ? path : path.substr(slash + 1);
  return dir_of(path) + "_rels/" + std::string(file) + ".rels";
}

// The entry's name as stored (exact, else with `\` as `/` and ignoring case), else empty.
std::string find_part(archive& zip, std::string_view path) { return find_entry(zip, path); }

struct relationship {
  std::string id, type, target;
};

std::vector<relationship> read_rels(archive& zip, std::string_view part, const std::string& source) {
  std::vector<relationship> rels;
  const std::string name = find_part(zip, rels_of(part));
  if (name.empty()) return rels;
  const std::string xml = zip.read(name);
  xml_reader r(xml, source + ": " + name);
  const std::string base = dir_of(part);
  for (xml_event e; (e = r.next()) != xml_event::eof;) {
    if (e != xml_event::start || r.local_name() != "Relationship") continue;
    relationship rel;
    rel.id = std::string(r.attr("Id"));
    rel.type = std::string(r.attr("Type"));
    const std::string_view mode = r.raw_attr("TargetMode");
    if (mode == "External") continue;
    rel.target = resolve_target(base, r.attr("Target"));
    rels.push_back(std::move(rel));
  }
  return rels;
}

// ---- the workbook part --------------------------------------------------------------------------

struct xlsx_sheet {
  sheet_info info;
  std::string part;  // the worksheet's entry name, empty when it has none
};

struct workbook_info {
  std::vector<xlsx_sheet> sheets;
  bool date1904 = false;
  std::string shared_strings, styles;  // entry names, empty when absent
};

bool xml_true(std::string_view v) noexcept { return v == "1" || v == "true" || v == "on"; }

// The package relationships name the workbook part; xl/workbook.xml is where everyone puts it.
std::string workbook_part_of(archive& zip, const std::string& source) {
  std::string part;
  for (const auto& rel : read_rels(zip, "", source))
    if (ends_with(rel.type, "/officeDocument") && part.empty()) part = find_part(zip, rel.target);
  if (part.empty()) part = find_part(zip, "xl/workbook.xml");
  return part;
}

workbook_info read_workbook(archive& zip, const std::string& source) {
  check_entry_names(zip, source);
  const std::string workbook_part = workbook_part_of(zip, source);
  if (workbook_part.empty()) throw input_error(message("xlsx.no_workbook").nested("at", at_file(source)));

  workbook_info info;
  const auto rels = read_rels(zip, workbook_part, source);
  struct pending {
    sheet_info info;
    std::string rid;
  };
  std::vector<pending> listed;
  {
    const std::string xml = zip.read(workbook_part);
    xml_reader r(xml, source + ": " + workbook_part);
    for (xml_event e; (e = r.next()) != xml_event::eof;) {
      if (e != xml_event::start) continue;
      const std::string_view name = r.local_name();
      if (name == "workbookPr") {
        info.date1904 = xml_true(r.raw_attr("date1904"));
      } else if (name == "sheet") {
        pending p;
        p.info.name = std::string(r.attr("name"));
        const std::string_view state = r.raw_attr("state");
        p.info.visible = state != "hidden" && state != "veryHidden";
        p.rid = std::string(r.attr("id"));  // r:id
        listed.push_back(std::move(p));
      } else if (name == "definedNames" || name == "extLst" || name == "AlternateContent") {
        r.skip_element();
      }
    }
  }
  for (auto& p : listed) {
    xlsx_sheet s;
    s.info = std::move(p.info);
    s.info.worksheet = false;
    for (const auto& rel : rels) {
      if (rel.id != p.rid) continue;
      s.info.worksheet = ends_with(rel.type, "/worksheet");
      s.part = find_part(zip, rel.target);
      break;
    }
    info.sheets.push_back(std::move(s));
  }
  for (const auto& rel : rels) {
    if (ends_with(rel.type, "/sharedStrings")) info.shared_strings = find_part(zip, rel.target);
    if (ends_with(rel.type, "/styles")) info.styles = find_part(zip, rel.target);
  }
  if (info.shared_strings.empty()) info.shared_strings = find_part(zip, dir_of(workbook_part) + "sharedStrings.xml");
  if (info.styles.empty()) info.styles = find_part(zip, dir_of(workbook_part) + "styles.xml");
  return info;
}

// ---- shared strings -----------------------------------------------------------------------------

int hex_digit(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The four hex digits of an `_xHHHH_` escape at s[i], or -1.
long ooxml_escape_at(const std::string& s, std::size_t i) noexcept {
  if (i + 6 >= s.size() || s[i] != '_' || s[i + 1] != 'x' || s[i + 6] != '_') return -1;
  long cp = 0;
  for (std::size_t k = 2; k < 6; ++k) {
    const int d = hex_digit(s[i + k]);
    if (d < 0) return -1;
    cp = cp * 16 + d;
  }
  return cp;
}

// Excel writes characters XML cannot hold as `_xHHHH_` (a literal `_x` as `_x005F_x`), and a
// character past U+FFFF as its UTF-16 surrogate pair, two escapes (`_xD83D__xDE00_`).
void decode_ooxml_escapes(std::string& s, std::size_t from) {
  if (s.find("_x", from) == std::string::npos) return;
  std::string out(s, 0, from);
  std::size_t i = from;
  while (i < s.size()) {
    if (const long cp = ooxml_escape_at(s, i); cp >= 0) {
      if (cp >= 0xD800 && cp <= 0xDBFF) {
        const long low = ooxml_escape_at(s, i + 7);
        if (low >= 0xDC00 && low <= 0xDFFF) {
          detail::append_utf8(out, 0x10000 + ((static_cast<std::uint32_t>(cp) - 0xD800) << 10) +
                                       (static_cast<std::uint32_t>(low) - 0xDC00));
          i += 14;
          continue;
        }
      }
      // A lone surrogate becomes U+FFFD, and so does `_x0000_`: no cell holds a NUL (Excel's CHAR(0)
      // is an error), and a NUL in the export would make it unreadable as text.
      detail::append_utf8(out, cp == 0 ? 0xFFFD : static_cast<std::uint32_t>(cp));
      i += 7;
      continue;
    }
    out.push_back(s[i++]);
  }
  s = std::move(out);
}

struct shared_strings {
  std::string text;
  std::vector<std::size_t> ends;
  std::size_t size() const noexcept { return ends.size(); }
  std::string_view operator[](std::size_t i) const noexcept {
    const std::size_t b = i ? ends[i - 1] : 0;
    return std::string_view(text).substr(b, ends[i] - b);
  }
};

// Joins every `<t>` of an item (plain or rich-text runs), leaving out phonetic guides (`<rPh>`).
// Used for shared-string items and inline strings alike; `r` is just after the item's start.
void read_string_item(xml_reader& r, std::string& out) {
  std::size_t depth = 1, phonetic = 0;
  bool in_t = false;
  while (depth) {
    switch (r.next()) {
      case xml_event::start: {
        ++depth;
        const std::string_view n = r.local_name();
        if (n == "t")
          in_t = true;
        else if (n == "rPh")
          ++phonetic;
        break;
      }
      case xml_event::end: {
        --depth;
        const std::string_view n = r.local_name();
        if (n == "t")
          in_t = false;
        else if (n == "rPh" && phonetic)
          --phonetic;
        break;
      }
      case xml_event::text:
        if (in_t && !phonetic) out += r.text();
        break;
      case xml_event::eof: return;
    }
  }
}

shared_strings read_shared_strings(archive& zip, const std::string& part, const std::string& source) {
  shared_strings sst;
  if (part.empty()) return sst;
  const std::string xml = zip.read(part);
  sst.text.reserve(xml.size() / 2);
  xml_reader r(xml, source + ": " + part);
  for (xml_event e; (e = r.next()) != xml_event::eof;) {
    if (e != xml_event::start) continue;
    const std::string_view name = r.local_name();
    if (name == "sst") {
      std::size_t count = 0;
      const std::string_view u = r.raw_attr("uniqueCount");
      std::from_chars(u.data(), u.data() + u.size(), count);
      sst.ends.reserve(std::min<std::size_t>(count, xml.size() / 8 + 1));  // never trust a count
    } else if (name == "si" || name == "sstItem") {  // sstItem: the Excel 2007 beta's name for it
      const std::size_t start = sst.text.size();
      read_string_item(r, sst.text);
      decode_ooxml_escapes(sst.text, start);
      sst.ends.push_back(sst.text.size());
    }
  }
  return sst;
}

// ---- styles: which cell formats show dates ------------------------------------------------------

// A number format shows a date when its first section holds d or y, or m without h or s, outside
// quotes, escapes and brackets. Elapsed-time formats ([h]:mm:ss) and pure times (h:mm, mm:ss) are
// durations or times of day, not dates: they stay numbers.
bool format_code_is_date(std::string_view code) {
  bool date = false, time = false, month = false, elapsed = false;
  for (std::size_t i = 0; i < code.size(); ++i) {
    const char c = lower(code[i]);
    if (c == ';') break;
    if (c == '"') {
      const auto close = code.find('"', i + 1);
      if (close == std::string_view::npos) break;
      i = close;
    } else if (c == '\\' || c == '_' || c == '*') {
      ++i;
    } else if (c == '[') {
      const auto close = code.find(']', i + 1);
      if (close == std::string_view::npos) break;
      const std::string_view inside = code.substr(i + 1, close - i - 1);
      if (!inside.empty() && inside.find_first_not_of("hHmMsS") == std::string_view::npos) elapsed = true;
      i = close;
    } else if (c == 'a' &&
               (equals_ignoring_case(code.substr(i, 5), "am/pm") || equals_ignoring_case(code.substr(i, 3), "a/p"))) {
      time = true;
      i += equals_ignoring_case(code.substr(i, 5), "am/pm") ? 4 : 2;
    } else if (c == 'd' || c == 'y') {
      date = true;
    } else if (c == 'h' || c == 's') {
      time = true;
    } else if (c == 'm') {
      month = true;
    }
  }
  if (elapsed) return false;
  return date || (month && !time);
}

bool builtin_format_is_date(unsigned id) noexcept {
  // 14-17 and 22 are dates; 18-21 and 45-47 are times and durations. The East Asian locale ids
  // 27-31, 34-36 and 50-58 are dates; 32-33 are times.
  return (id >= 14 && id <= 17) || id == 22 || (id >= 27 && id <= 31) || (id >= 34 && id <= 36) ||
         (id >= 50 && id <= 58);
}

std::vector<bool> read_date_styles(archive& zip, const std::string& part, const std::string& source) {
  std::vector<bool> dates;
  if (part.empty()) return dates;
  const std::string xml = zip.read(part);
  xml_reader r(xml, source + ": " + part);
  std::vector<std::pair<unsigned, std::string>> custom;
  std::vector<unsigned> xf_formats;
  bool in_cell_xfs = false;
  for (xml_event e; (e = r.next()) != xml_event::eof;) {
    if (e == xml_event::end) {
      if (r.local_name() == "cellXfs") in_cell_xfs = false;
      continue;
    }
    if (e != xml_event::start) continue;
    const std::string_view name = r.local_name();
    if (name == "numFmt") {
      unsigned id = 0;
      const std::string_view v = r.raw_attr("numFmtId");
      std::from_chars(v.data(), v.data() + v.size(), id);
      custom.emplace_back(id, std::string(r.attr("formatCode")));
    } else if (name == "cellXfs") {
      in_cell_xfs = !r.self_closing();
    } else if (name == "xf" && in_cell_xfs) {
      unsigned id = 0;
      const std::string_view v = r.raw_attr("numFmtId");
      std::from_chars(v.data(), v.data() + v.size(), id);
      xf_formats.push_back(id);
    } else if (name == "fonts" || name == "fills" || name == "borders" || name == "cellStyleXfs" || name == "dxfs" ||
               name == "colors" || name == "extLst" || name == "cellStyles") {
      r.skip_element();
    }
  }
  dates.reserve(xf_formats.size());
  for (const unsigned id : xf_formats) {
    bool is_date = builtin_format_is_date(id);
    for (const auto& [custom_id, code] : custom)
      if (custom_id == id) is_date = format_code_is_date(code);
    dates.push_back(is_date);
  }
  return dates;
}

// ---- worksheets ---------------------------------------------------------------------------------

// "BC12" -> column 54 (0-based); returns false when there are no letters.
bool parse_cell_column(std::string_view ref, std::uint64_t& col) noexcept {
  std::uint64_t c = 0;
  std::size_t i = 0;
  for (; i < ref.size(); ++i) {
    const char ch = ref[i];
    const char up = ch >= 'a' && ch <= 'z' ? static_cast<char>(ch - 'a' + 'A') : ch;
    if (up < 'A' || up > 'Z') break;
    if (i >= 8) return false;  // far past any real column
    c = c * 26 + static_cast<std::uint64_t>(up - 'A' + 1);
  }
  if (i == 0) return false;
  col = c - 1;
  return true;
}

std::string cell_name(std::uint64_t col, std::uint64_t row) {
  std::string letters;
  for (std::uint64_t c = col + 1; c; c = (c - 1) / 26)
    letters.insert(letters.begin(), static_cast<char>('A' + (c - 1) % 26));
  return letters + std::to_string(row + 1);
}

enum class xlsx_type : std::uint8_t { number, shared, inline_string, formula_string, boolean, error, date };

xlsx_type parse_type(std::string_view t) noexcept {
  if (t.empty() || t == "n") return xlsx_type::number;
  if (t == "s") return xlsx_type::shared;
  if (t == "str") return xlsx_type::formula_string;
  if (t == "inlineStr") return xlsx_type::inline_string;
  if (t == "b") return xlsx_type::boolean;
  if (t == "e") return xlsx_type::error;
  if (t == "d") return xlsx_type::date;
  return xlsx_type::formula_string;  // unknown: keep the value as text
}

double serial_to_days(double serial, bool date1904) noexcept {
  if (date1904) return serial - 24107.0;
  // Excel counts a 29 February 1900 that never was: serials below 60 are one day later than
  // the plain count from 1899-12-30.
  return serial < 60 ? serial - 25568.0 : serial - 25569.0;
}

class sheet_reader {
 public:
  sheet_reader(detail::sheet_builder& out, const shared_strings& sst, const std::vector<bool>& date_styles,
               bool date1904, std::string where)
      : out_(out), sst_(sst), date_styles_(date_styles), date1904_(date1904), where_(std::move(where)) {}

  void read(std::string_view xml, const std::string& part_label) {
    xml_reader r(xml, part_label);
    bool in_data = false, in_row = false, in_cell = false, in_v = false;
    std::uint64_t next_row = 0, next_col = 0;
    for (xml_event e; (e = r.next()) != xml_event::eof;) {
      if (e == xml_event::text) {
        if (in_v) value_ += r.text();
        continue;
      }
      const std::string_view name = r.local_name();
      if (e == xml_event::start) {
        if (!in_data) {
          if (name == "sheetData") in_data = true;
          continue;
        }
        if (name == "c") {
          if (!in_row) {  // a cell outside any row: read it as part of a row of its own
            out_.begin_row(next_row);
            row_ = next_row++;
            in_row = true;
          }
          start_cell(r, next_col);
          in_cell = true;
        } else if (name == "v" && in_cell) {
          in_v = true;
        } else if (name == "is" && in_cell) {
          has_inline_ = true;
          read_string_item(r, inline_);
        } else if (name == "row") {
          std::uint64_t row = next_row;
          const std::string_view ref = r.raw_attr("r");
          std::uint64_t parsed = 0;
          const auto res = std::from_chars(ref.data(), ref.data() + ref.size(), parsed);
          if (!ref.empty() && res.ec == std::errc() && parsed > 0) row = parsed - 1;
          out_.begin_row(row);
          row_ = row;
          next_row = row + 1;
          next_col = 0;
          in_row = true;
        } else if (name == "f" || name == "extLst") {
          r.skip_element();
        }
      } else {  // end
        if (!in_data) continue;
        if (name == "v") {
          in_v = false;
        } else if (name == "c" && in_cell) {
          end_cell();
          in_cell = in_v = false;
          next_col = col_ + 1;
        } else if (name == "row" && in_row) {
          out_.end_row(r.offset());
          in_row = false;
        } else if (name == "sheetData") {
          if (in_row) out_.end_row(r.offset());
          break;  // nothing after the cells matters here
        }
      }
    }
  }

 private:
  void start_cell(xml_reader& r, std::uint64_t next_col) {
    col_ = next_col;
    type_ = xlsx_type::number;
    style_ = 0;
    value_.clear();
    inline_.clear();
    has_inline_ = false;
    for (const auto& a : r.attributes()) {
      if (a.local == "r") {
        std::uint64_t c = 0;
        if (parse_cell_column(a.raw, c)) col_ = c;
      } else if (a.local == "t") {
        type_ = parse_type(a.raw);
      } else if (a.local == "s") {
        std::from_chars(a.raw.data(), a.raw.data() + a.raw.size(), style_);
      }
    }
  }

  void add_text(std::string_view text) { out_.add(col_, cell_kind::text, 0, text); }

  void end_cell() {
    const std::string_view v = value_;
    switch (type_) {
      case xlsx_type::shared: {
        const std::string_view digits = trim(v);
        if (digits.empty()) return;  // t="s" with no <v>: an empty cell
        std::size_t index = 0;
        const auto res = std::from_chars(digits.data(), digits.data() + digits.size(), index);
        if (res.ec != std::errc() || res.ptr != digits.data() + digits.size() || index >= sst_.size())
          throw input_error(message("xlsx.bad_shared_string")
                                .text("where", where_)
                                .text("cell", cell_name(col_, row_))
                                .text("index", digits)
                                .count("count", sst_.size()));
        add_text(sst_[index]);
        return;
      }
      case xlsx_type::inline_string:
        if (has_inline_) {
          decode_ooxml_escapes(inline_, 0);
          add_text(inline_);
        } else {
          decode_ooxml_escapes(value_, 0);
          add_text(value_);
        }
        return;
      case xlsx_type::formula_string:
        decode_ooxml_escapes(value_, 0);
        add_text(value_);
        return;
      case xlsx_type::boolean: {
        const std::string_view b = trim(v);
        if (b == "1" || b == "true")
          out_.add(col_, cell_kind::boolean, 1, "TRUE");
        else if (b == "0" || b == "false")
          out_.add(col_, cell_kind::boolean, 0, "FALSE");
        else
          add_text(v);
        return;
      }
      case xlsx_type::error:
        if (!trim(v).empty()) out_.add(col_, cell_kind::error, 0, trim(v));
        return;
      case xlsx_type::date: {
        const std::string_view d = trim(v);
        double days = 0;
        if (d.empty()) return;
        if (detail::parse_iso_datetime(d, days)) {
          out_.add(col_, cell_kind::date, days, detail::iso_text(days, buf_));
        } else if (detail::parse_iso_time(d, days)) {
          out_.add(col_, cell_kind::number, days, d);  // a time of day alone: a fraction of a day
        } else {
          add_text(v);
        }
        return;
      }
      case xlsx_type::number: {
        const std::string_view n = trim(v);
        if (n.empty()) return;  // a styled cell with no value
        double x = 0;
        if (!detail::parse_stored_number(n, x)) {
          add_text(v);
          return;
        }
        if (style_ < date_styles_.size() && date_styles_[style_] && x >= 0) {
          const double days = serial_to_days(x, date1904_);
          if (days >= detail::min_date_days && days < detail::max_date_days) {
            out_.add(col_, cell_kind::date, days, detail::iso_text(days, buf_));
            return;
          }
        }
        out_.add(col_, cell_kind::number, x, detail::number_text(x, n, buf_));
        return;
      }
    }
  }

  detail::sheet_builder& out_;
  const shared_strings& sst_;
  const std::vector<bool>& date_styles_;
  bool date1904_;
  std::string where_;
  std::uint64_t row_ = 0, col_ = 0;
  xlsx_type type_ = xlsx_type::number;
  std::size_t style_ = 0;
  std::string value_, inline_;
  bool has_inline_ = false;
  char buf_[32] = {};
};

std::vector<sheet_info> infos(const workbook_info& wb) {
  std::vector<sheet_info> out;
  out.reserve(wb.sheets.size());
  for (const auto& s : wb.sheets) out.push_back(s.info);
  return out;
}

}  // namespace

std::string xlsx_workbook_part(archive& zip) {
  try {
    return workbook_part_of(zip, "the file");
  } catch (const input_error&) {  // unreadable package relationships: the usual place only
    return find_part(zip, "xl/workbook.xml");
  }
}

std::vector<sheet_info> xlsx_sheets(archive& zip) { return infos(read_workbook(zip, "the file")); }

namespace {

// True when the worksheet holds a non-empty cell; reads it only up to that cell.
bool sheet_has_data(archive& zip, const xlsx_sheet& sheet, const shared_strings& sst, const std::vector<bool>& dates,
                    bool date1904, const read_options& options, const read_limits& limits) {
  if (!sheet.info.worksheet || sheet.part.empty()) return false;
  std::string xml;
  try {
    xml = zip.read(sheet.part);
  } catch (const input_error&) {  // over the zip limits, or damaged
    return false;
  }
  read_options quiet;
  quiet.source = options.source;
  detail::sheet_builder probe(quiet, limits, sheet.info.name);
  probe.probe(true);
  sheet_reader reader(probe, sst, dates, date1904, options.source + ", sheet " + quoted(sheet.info.name));
  try {
    reader.read(xml, options.source + ": " + sheet.part);
  } catch (const detail::sheet_builder::found_cell&) {
    return true;
  } catch (const input_error&) {  // damaged before its first cell: it cannot be offered
    return false;
  }
  return false;
}

}  // namespace

std::vector<bool> xlsx_sheets_with_data(archive& zip, const read_options& options, const read_limits& limits) {
  const workbook_info wb = read_workbook(zip, options.source);
  const shared_strings sst = read_shared_strings(zip, wb.shared_strings, options.source);
  const std::vector<bool> date_styles = read_date_styles(zip, wb.styles, options.source);
  std::vector<bool> out;
  for (const auto& sheet : wb.sheets)
    out.push_back(sheet_has_data(zip, sheet, sst, date_styles, wb.date1904, options, limits));
  return out;
}

table read_xlsx(archive& zip, const read_options& options, const read_limits& limits) {
  const workbook_info wb = read_workbook(zip, options.source);
  const std::size_t chosen = detail::choose_sheet(infos(wb), options, "workbook");
  const xlsx_sheet& sheet = wb.sheets[chosen];
  if (sheet.part.empty())
    throw input_error(
        message("xlsx.sheet_part_missing").nested("at", at_file(options.source)).text("sheet", sheet.info.name));

  const shared_strings sst = read_shared_strings(zip, wb.shared_strings, options.source);
  const std::vector<bool> date_styles = read_date_styles(zip, wb.styles, options.source);
  detail::sheet_builder builder(options, limits, sheet.info.name);
  {
    const std::string xml = zip.read(sheet.part);
    sheet_reader reader(builder, sst, date_styles, wb.date1904, options.source + ", sheet " + quoted(sheet.info.name));
    reader.read(xml, options.source + ": " + sheet.part);
  }
  return builder.finish([&] {
    std::vector<bool> with_data;
    for (std::size_t i = 0; i < wb.sheets.size(); ++i)
      with_data.push_back(i != chosen &&
                          sheet_has_data(zip, wb.sheets[i], sst, date_styles, wb.date1904, options, limits));
    return detail::sheets_with_data_hint(infos(wb), with_data);
  });
}

}  // namespace healthscore
