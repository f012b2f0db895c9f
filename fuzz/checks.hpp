// SPDX-License-Identifier: MIT
// The properties the fuzzers check, one function per target. They are shared by the libFuzzer
// entry points (fuzz/fuzz_*.cpp), the replay main (fuzz/replay_main.cpp) and the regression test
// (tests/core/test_regression.cpp), so a crashing input kept in tests/regression/ is checked against
// exactly the property that found it.
//
// Every check takes arbitrary bytes. Bad input must end in the engine's own error types
// (input_error for files, model_error for models): that is the documented way to refuse a file,
// and the CLI turns it into one line and exit status 2. Anything else is a failure: a crash, a
// sanitizer report, another exception type, or a broken property (`property_failure`).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <new>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <typeinfo>
#include <unordered_set>
#include <vector>

#include "healthscore/healthscore.hpp"

// The oracle is not the code under test: CMakeLists.txt builds the fuzz targets' own files without
// coverage, so its per-cell loops neither pay a callback per comparison nor add features that steer
// the fuzzer towards its own branches (HACKING.md, "Fuzzing").

namespace healthscore::fuzz {

/// A property that does not hold for some input: a bug, reported by the fuzzer as a crash.
class property_failure : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

[[noreturn]] inline void fail(const std::string& what) { throw property_failure(what); }
/// A check with a fixed message. A message built from numbers goes through `if (!ok) fail(...)`,
/// so it is built only when the property fails: built eagerly for every column and cell, the
/// messages cost the CSV and ODS targets more than the checks did (a 20,000-row table took seconds
/// under ASan). `const char*` keeps a built string from being passed here by mistake.
inline void require(bool ok, const char* what) {
  if (!ok) fail(what);
}

/// The separator between the pieces of a multi-part input (XLSX parts, model + CSV).
inline constexpr std::string_view part_separator = "\n====\n";

/// Splits `bytes` at `part_separator`, into at most `max_parts` pieces (the last keeps the rest).
inline std::vector<std::string_view> split_parts(std::string_view bytes, std::size_t max_parts) {
  std::vector<std::string_view> parts;
  while (parts.size() + 1 < max_parts) {
    const auto at = bytes.find(part_separator);
    if (at == std::string_view::npos) break;
    parts.push_back(bytes.substr(0, at));
    bytes.remove_prefix(at + part_separator.size());
  }
  parts.push_back(bytes);
  return parts;
}

/// Limits for fuzzing: the documented default for cell size, fewer rows so that a repeat count stays
/// fast, fewer columns (one `number-columns-repeated="16384"` header cell cost the ODS target a
/// tenth of a second per run, 16,384 columns named, checked and freed, and the corpus filled with
/// such inputs: 65 runs a second; the 16,384-column hang it once found has its own test in
/// tests/core/test_table.cpp), less text per sheet (the catalog's amplification seed copied 1 GiB on
/// every run: the zip target did 5 runs a second), and the same code paths (the limits are
/// parameters).
inline read_limits fuzz_read_limits() {
  read_limits l;
  l.max_rows = 20'000;
  l.max_columns = 1'024;
  l.max_sheet_text_bytes = 16u << 20;
  return l;
}
inline zip_limits fuzz_zip_limits() {
  zip_limits z;
  z.max_entry_bytes = 8u << 20;
  z.max_total_bytes = 16u << 20;
  return z;
}

inline bool valid_utf8(std::string_view s) noexcept {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = 0;
    std::uint32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    }
    if ((c & 0xE0) == 0xC0) {
      n = 1;
      cp = c & 0x1Fu;
    } else if ((c & 0xF0) == 0xE0) {
      n = 2;
      cp = c & 0x0Fu;
    } else if ((c & 0xF8) == 0xF0) {
      n = 3;
      cp = c & 0x07u;
    } else
      return false;
    if (s.size() - i <= n) return false;  // truncated sequence
    for (std::size_t k = 1; k <= n; ++k) {
      const auto d = static_cast<unsigned char>(s[i + k]);
      if ((d & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (d & 0x3Fu);
    }
    if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
      return false;
    i += n + 1;
  }
  return true;
}

/// What every reader promises about the table it returns (table.hpp, spec "Reading files").
inline void check_table(const table& t) {
  std::unordered_set<std::string> names;
  for (std::size_t c = 0; c < t.columns.size(); ++c) {
    const column& col = t.columns[c];
    // Built only for a message: a string per column and cell cost more than the checks.
    const auto where = [c] { return "column " + std::to_string(c + 1); };
    if (!(col.size() == t.rows))
      fail(where() + " has " + std::to_string(col.size()) + " cells, the table " + std::to_string(t.rows) + " rows");
    if (col.name().empty()) fail(where() + " has an empty name after fix_headers");
    if (!(trim(col.name()) == col.name())) fail(where() + " name is not trimmed");
    if (!names.insert(col.name()).second) fail(where() + " name \"" + col.name() + "\" is a duplicate");
    if (!(valid_utf8(col.name()))) fail(where() + " name is not UTF-8");
    if (!(col.empty_count() <= t.rows && col.unreadable_count() <= t.rows)) fail(where() + " counts exceed the rows");
    if (!(col.unreadable_examples().size() <= 5)) fail(where() + " keeps more than five examples");
    std::size_t empty = 0;
    for (std::size_t r = 0; r < t.rows; ++r) {
      const std::string_view text = col.text(r);
      if (col.is_empty(r)) ++empty;
      if (!valid_utf8(text)) fail(where() + ", row " + std::to_string(r + 1) + " text is not UTF-8");
      if (col.kind(r) == cell_kind::text && trim(text).empty()) fail(where() + " holds an all-space text cell");
      (void)col.number(r);
      (void)col.date(r);
      (void)col.boolean(r);
    }
    if (!(empty == col.empty_count())) fail(where() + " empty_count disagrees with the cells");
    if (!(col.numbers().size() == t.rows && col.days().size() == t.rows)) fail(where() + " views have the wrong size");
    const double lo = col.min_number(), hi = col.max_number();
    if (!(std::isnan(lo) == std::isnan(hi))) fail(where() + " min/max: one NaN, one not");
    if (!std::isnan(lo) && !(lo <= hi)) fail(where() + " min > max");
  }
  // A ragged row may be blank within the header's columns and still hold cells past them: it is
  // reported, and kept. Otherwise a blank row is never a data row.
  if (!t.columns.empty() && t.ragged_count == 0) {
    for (std::size_t r = 0; r < t.rows; ++r) {
      bool any = false;
      for (const column& col : t.columns) any = any || !col.is_empty(r);
      if (!any) fail("data row " + std::to_string(r + 1) + " is blank but was kept (the contract skips blank rows)");
    }
  }
  require(t.ragged.size() <= t.ragged_count, "more ragged examples than ragged rows");
}

/// Rows holding at least one non-empty cell (a blank row can only be a ragged one).
inline std::vector<std::size_t> non_blank_rows(const table& t) {
  std::vector<std::size_t> rows;
  for (std::size_t r = 0; r < t.rows; ++r)
    for (const column& col : t.columns)
      if (!col.is_empty(r)) {
        rows.push_back(r);
        break;
      }
  return rows;
}

/// RFC 4180 with every field quoted: nothing in a cell can change how it reads back.
inline std::string quoted_csv(const table& t) {
  std::string out;
  auto field = [&](std::string_view s) {
    out += '"';
    for (char ch : s) {
      if (ch == '"') out += '"';
      out += ch;
    }
    out += '"';
  };
  for (std::size_t c = 0; c < t.columns.size(); ++c) {
    if (c) out += ',';
    field(t.columns[c].name());
  }
  out += "\r\n";
  for (std::size_t r : non_blank_rows(t)) {
    for (std::size_t c = 0; c < t.columns.size(); ++c) {
      if (c) out += ',';
      field(t.columns[c].text(r));
    }
    out += "\r\n";
  }
  return out;
}

/// CSV reader: arbitrary bytes are a table or an input_error; the table keeps its promises; and the
/// table written back as quoted CSV reads back as the same names, cells and (for a comma file)
/// column types.
inline void check_csv(std::string_view bytes) {
  read_options o;
  o.source = "fuzz.csv";
  table t;
  try {
    t = read_csv(bytes, o, fuzz_read_limits());
  } catch (const input_error&) {
    return;
  }
  check_table(t);
  if (t.columns.empty()) return;
  const std::string again_text = quoted_csv(t);
  read_options o2 = o;
  o2.delimiter = ',';
  table again;
  try {
    again = read_csv(again_text, o2, fuzz_read_limits());
  } catch (const input_error& e) {
    // The binary-data guess weighs control characters against the whole text: cells full of them
    // can pass inside a larger file and tip the balance once written back alone. That is the
    // guess working as documented, not a lost table.
    const bool controls = std::any_of(again_text.begin(), again_text.end(), [](char ch) {
      const auto u = static_cast<unsigned char>(ch);
      return (u < 0x20 && u != '\t' && u != '\r' && u != '\n') || u == 0x7F;
    });
    if (controls && std::string_view(e.what()).find("not a text spreadsheet") != std::string_view::npos) return;
    throw property_failure(std::string("the table written back as CSV does not read back: ") + e.what());
  }
  check_table(again);
  if (!(again.columns.size() == t.columns.size()))
    fail("round trip: " + std::to_string(t.columns.size()) + " columns became " + std::to_string(again.columns.size()));
  const std::vector<std::size_t> kept = non_blank_rows(t);
  if (!(again.rows == kept.size()))
    fail("round trip: " + std::to_string(kept.size()) + " rows became " + std::to_string(again.rows));
  for (std::size_t c = 0; c < t.columns.size(); ++c) {
    const column &a = t.columns[c], &b = again.columns[c];
    if (!(a.name() == b.name())) fail("round trip: column " + std::to_string(c + 1) + " name changed");
    for (std::size_t i = 0; i < kept.size(); ++i)
      if (!(a.text(kept[i]) == b.text(i) && a.is_empty(kept[i]) == b.is_empty(i)))
        fail("round trip: column " + std::to_string(c + 1) + ", row " + std::to_string(kept[i] + 1) + " changed");
    if (t.delimiter == ',' && kept.size() == t.rows &&
        !(a.type() == b.type() && a.decimal_mark() == b.decimal_mark() && a.dates() == b.dates()))
      fail("round trip: column " + std::to_string(c + 1) + " is inferred differently from the same cells");
  }
}

/// Reads every sheet a workbook lists (at most eight), through `read`.
template <class Sheets, class Read>
void check_workbook(archive& zip, Sheets sheets_of, Read read) {
  std::vector<sheet_info> sheets;
  try {
    sheets = sheets_of(zip);
  } catch (const input_error&) {
    return;
  }
  read_options o;
  o.source = "fuzz";
  std::vector<std::string> names{""};
  for (std::size_t i = 0; i < sheets.size() && i < 8; ++i) names.push_back(sheets[i].name);
  for (const auto& name : names) {
    o.sheet = name;
    try {
      const table t = read(zip, o, fuzz_read_limits());
      check_table(t);
      if (!name.empty() && t.sheet != name) fail("asked for sheet \"" + name + "\", got \"" + t.sheet + "\"");
    } catch (const input_error&) {}
  }
}

/// The parts an XLSX reader looks at, in the order the fuzz input gives them.
inline constexpr const char* xlsx_part_names[] = {"xl/workbook.xml", "xl/worksheets/sheet1.xml", "xl/sharedStrings.xml",
                                                  "xl/styles.xml", "xl/_rels/workbook.xml.rels"};
inline constexpr const char* xlsx_default_parts[] = {
    R"(<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>)",
    R"(<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"><c r="A2"><v>1</v></c></row></sheetData></worksheet>)",
    R"(<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>id</t></si></sst>)",
    R"(<?xml version="1.0"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><cellXfs count="1"><xf numFmtId="0"/></cellXfs></styleSheet>)",
    R"(<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>)"};

/// XLSX XML parts through a memory_archive. The input is up to five pieces separated by
/// `part_separator`: workbook.xml, sheet1.xml, sharedStrings.xml, styles.xml, workbook.xml.rels;
/// a piece that is exactly `-` leaves the part out; pieces not given take a small valid default.
/// Property: every listed sheet reads as a table that keeps its promises, or as an input_error.
inline void check_xlsx_parts(std::string_view bytes) {
  const auto parts = split_parts(bytes, 5);
  memory_archive zip;
  zip.add("[Content_Types].xml", "<Types/>");
  zip.add(
      "_rels/.rels",
      R"(<Relationships><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>)");
  for (std::size_t i = 0; i < 5; ++i) {
    if (i < parts.size() && parts[i] == "-") continue;
    zip.add(xlsx_part_names[i], std::string(i < parts.size() ? parts[i] : std::string_view(xlsx_default_parts[i])));
  }
  check_workbook(
      zip, [](archive& z) { return xlsx_sheets(z); },
      [](archive& z, const read_options& o, const read_limits& l) { return read_xlsx(z, o, l); });
}

/// ODS content.xml through a memory_archive (with the mimetype entry).
/// Property: as for XLSX parts.
inline void check_ods_content(std::string_view bytes) {
  memory_archive zip;
  zip.add("mimetype", "application/vnd.oasis.opendocument.spreadsheet");
  zip.add("META-INF/manifest.xml", "<manifest/>");
  zip.add("content.xml", std::string(bytes));
  check_workbook(
      zip, [](archive& z) { return ods_sheets(z); },
      [](archive& z, const read_options& o, const read_limits& l) { return read_ods(z, o, l); });
}

/// The zip layer: raw bytes through libzip (open_zip), then whichever reader detect_format picks.
/// Property: a table that keeps its promises or an input_error, within the (lowered) zip limits.
inline void check_zip(std::string_view bytes) {
  std::unique_ptr<archive> zip;
  try {
    zip = open_zip(bytes, "fuzz.zip", fuzz_zip_limits());
  } catch (const input_error&) {
    return;
  }
  file_format f;
  try {
    f = detect_format(bytes, zip.get());
  } catch (const input_error&) {
    return;
  }
  if (f == file_format::xlsx)
    check_workbook(
        *zip, [](archive& z) { return xlsx_sheets(z); },
        [](archive& z, const read_options& o, const read_limits& l) { return read_xlsx(z, o, l); });
  else if (f == file_format::ods)
    check_workbook(
        *zip, [](archive& z) { return ods_sheets(z); },
        [](archive& z, const read_options& o, const read_limits& l) { return read_ods(z, o, l); });
  // Reading every entry exercises inflation and the limits whatever the format.
  for (const auto& name : zip->names()) {
    try {
      (void)zip->read(name);
    } catch (const input_error&) {}
  }
}

/// Model loader: parse -> save -> parse -> save gives the same text, and a parsed model validates.
inline void check_model(std::string_view bytes) {
  model m;
  try {
    m = parse_model(bytes);
  } catch (const model_error&) {
    return;
  }
  try {
    validate(m);
  } catch (const model_error& e) {
    throw property_failure(std::string("a parsed model does not validate: ") + e.what());
  }
  const std::string first = save_model(m);
  model again;
  try {
    again = parse_model(first);
  } catch (const model_error& e) {
    throw property_failure(std::string("a saved model does not load back: ") + e.what());
  }
  const std::string second = save_model(again);
  require(first == second, "save(parse(save(m))) differs from save(m)");
}

inline bool near(double a, double b, double tol) { return (std::isnan(a) && std::isnan(b)) || std::fabs(a - b) <= tol; }

/// The scoring pass's histogram and band counts against the scores, and order_by's orders: a
/// permutation, sorted in each direction with NaN last, ties in row order.
inline void check_totals_and_order(const scorer& s) {
  const auto& scores = s.scores();
  std::vector<std::size_t> histogram(histogram_bins, 0), bands(s.current_model().bands.size(), 0);
  std::size_t unscored = 0;
  for (std::size_t r = 0; r < scores.size(); ++r) {
    if (std::isnan(scores[r])) {
      ++unscored;
      continue;
    }
    ++histogram[static_cast<std::size_t>(round_half_away(scores[r]))];
    ++bands[static_cast<std::size_t>(s.bands()[r])];
  }
  require(s.totals().histogram == histogram, "the histogram is not the count of rounded scores");
  require(s.totals().band_counts == bands && s.totals().unscored == unscored, "band counts disagree with the bands");
  for (const bool descending : {false, true}) {
    const std::vector<std::uint32_t> o = order_by(scores, descending);
    require(o.size() == scores.size(), "order_by lost or added rows");
    std::vector<bool> seen(scores.size(), false);
    for (std::size_t k = 0; k < o.size(); ++k) {
      require(o[k] < scores.size() && !seen[o[k]], "order_by is not a permutation");
      seen[o[k]] = true;
      if (k == 0) continue;
      const double a = scores[o[k - 1]], b = scores[o[k]];
      if (std::isnan(a))
        require(std::isnan(b) && o[k - 1] < o[k],
                "order_by: a scored row after an unscored one, or unscored rows out of row order");
      else if (!std::isnan(b)) {
        require(descending ? a >= b : a <= b, "order_by is not sorted");
        if (a == b) require(o[k - 1] < o[k], "order_by: equal scores out of row order");
      }
    }
  }
}

/// Scoring a fuzzed model on a fuzzed table. The input is a model JSON, `part_separator`, a CSV.
/// Properties: every score is NaN or within [0, 100]; the band is -1 exactly for NaN and otherwise
/// the band the contract gives the score; explain() agrees with the score and its contributions
/// (signals, and categories) add up to it within 1e-6; changing a category weight through the fast
/// path gives the same scores as scoring the changed model from scratch; the histogram, band counts
/// and row orders agree with the scores (check_totals_and_order), before and after.
inline void check_score(std::string_view bytes) {
  const auto parts = split_parts(bytes, 2);
  if (parts.size() != 2) return;
  model m;
  table t;
  try {
    m = parse_model(parts[0]);
    read_options o;
    o.source = "fuzz.csv";
    t = read_csv(parts[1], o, fuzz_read_limits());
  } catch (const model_error&) {
    return;
  } catch (const input_error&) {
    return;
  }
  if (t.rows > 2000) return;
  score_options so;
  so.today = 20'000;  // 2024-10-03: fixed, so a replay gives the same result
  so.allow_missing_columns = true;
  std::optional<scorer> s;
  try {
    s.emplace(t, m, so);
  } catch (const input_error&) {
    return;
  } catch (const model_error&) {
    return;
  }
  const auto& scores = s->scores();
  const auto& bands = s->bands();
  require(scores.size() == t.rows && bands.size() == t.rows, "scores or bands have the wrong size");
  const auto& model_bands = s->current_model().bands;
  for (std::size_t r = 0; r < t.rows; ++r) {
    const double x = scores[r];
    const auto where = [r] { return "row " + std::to_string(r + 1); };
    if (!(std::isnan(x) || (x >= 0.0 && x <= 100.0)))
      fail(where() + ": score " + std::to_string(x) + " is outside [0, 100]");
    if (!(std::isnan(x) == (bands[r] == -1))) fail(where() + ": band -1 and NaN score disagree");
    if (!std::isnan(x) && !(bands[r] == band_of(x, model_bands))) fail(where() + ": band is not the band of the score");
    for (std::size_t c = 0; c < s->current_model().categories.size(); ++c) {
      const double cs = s->category_scores(c)[r];
      if (!(std::isnan(cs) || (cs >= 0.0 && cs <= 100.0))) fail(where() + ": category score outside [0, 100]");
    }
    // explain() searches what-ifs for the lift, many scorings per row: on 64 rows it was two thirds
    // of the target's time (200 runs a second). Eight rows check the same code, and the fuzzer can
    // move any row among them.
    if (r >= 8) continue;
    const explanation e = explain(*s, r);
    if (!(near(e.score, x, 1e-9))) fail(where() + ": explain() gives another score");
    if (!(e.band == bands[r])) fail(where() + ": explain() gives another band");
    if (std::isnan(x)) continue;
    double sig = 0, cat = 0, share = 0;
    for (const auto& se : e.signals) {
      if (!(std::isfinite(se.contribution))) fail(where() + ": a signal contribution is not finite");
      sig += se.contribution;
      share += se.share;
    }
    for (const auto& ce : e.categories) cat += ce.contribution;
    if (!(std::fabs(sig - x) <= 1e-6))
      fail(where() + ": signal contributions add up to " + std::to_string(sig) + ", the score is " + std::to_string(x));
    if (!(std::fabs(cat - x) <= 1e-6))
      fail(where() + ": category contributions add up to " + std::to_string(cat) + ", the score is " +
           std::to_string(x));
    if (!(std::fabs(share - 1.0) <= 1e-6)) fail(where() + ": signal shares add up to " + std::to_string(share));
  }
  check_totals_and_order(*s);
  // The slider's fast path against a fresh score of the changed model.
  if (!m.categories.empty()) {
    const std::size_t c = bytes.size() % m.categories.size();
    const double w = static_cast<double>(bytes.size() % 7) * 10.0;
    model changed = s->current_model();
    changed.categories[c].weight = w;
    try {
      s->set_category_weight(c, w);
    } catch (const model_error&) {
      return;
    }
    scorer fresh(t, changed, so);
    for (std::size_t r = 0; r < t.rows; ++r) {
      if (!(near(s->scores()[r], fresh.scores()[r], 1e-9)))
        fail("row " + std::to_string(r + 1) + ": set_category_weight and a fresh score disagree");
      if (!(s->bands()[r] == fresh.bands()[r]))
        fail("row " + std::to_string(r + 1) + ": bands disagree after set_category_weight");
    }
  }
  check_totals_and_order(*s);
}

/// Runs one check the way a fuzz target must: a broken property or an unexpected exception is
/// printed and aborts (libFuzzer keeps the input); input_error and model_error never get here.
template <class Check>
int run(Check check, const std::uint8_t* data, std::size_t size) {
  try {
    check(std::string_view(reinterpret_cast<const char*>(data), size));
  } catch (const property_failure& e) {
    std::fprintf(stderr, "PROPERTY FAILED: %s\n", e.what());
    std::abort();
  } catch (const std::bad_alloc&) {
    throw;  // libFuzzer's -rss_limit_mb/-malloc_limit_mb report these
  } catch (const std::exception& e) {
    std::fprintf(stderr, "UNEXPECTED EXCEPTION (%s): %s\n", typeid(e).name(), e.what());
    std::abort();
  }
  return 0;
}

}  // namespace healthscore::fuzz
