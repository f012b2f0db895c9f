// SPDX-License-Identifier: MIT
// XLSX and ODS workbooks, read through an `archive`, and the one entry point that picks the reader
// from the bytes.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "healthscore/archive.hpp"
#include "healthscore/csv.hpp"
#include "healthscore/table.hpp"

namespace healthscore {

struct sheet_info {
  std::string name;
  bool visible = true;
  bool worksheet = true;  ///< false for chart sheets, which hold no cells
};

/// The entry name of an XLSX workbook part: the one the package relationships (`_rels/.rels`) name,
/// else `xl/workbook.xml` (names compared as `find_entry` does); empty when there is neither.
std::string xlsx_workbook_part(archive& zip);
std::vector<sheet_info> xlsx_sheets(archive& zip);
/// Reads one worksheet (options.sheet, or the first visible worksheet) into a table.
table read_xlsx(archive& zip, const read_options& options = {}, const read_limits& limits = {});

/// Whether each sheet (in `xlsx_sheets` order) holds at least one non-empty cell; chart sheets never
/// do. Reads every worksheet up to its first non-empty cell, so it costs inflating each: the page
/// asks when the sheet it opened is empty, to offer the first one with data. The readers name those
/// sheets themselves when the sheet they chose by default is empty.
std::vector<bool> xlsx_sheets_with_data(archive& zip, const read_options& options = {}, const read_limits& limits = {});

std::vector<sheet_info> ods_sheets(archive& zip);
table read_ods(archive& zip, const read_options& options = {}, const read_limits& limits = {});
/// As `xlsx_sheets_with_data`, in `ods_sheets` order.
std::vector<bool> ods_sheets_with_data(archive& zip, const read_options& options = {}, const read_limits& limits = {});

enum class file_format { csv, xlsx, ods, unknown_zip };
/// Decides from the bytes: a zip with an XLSX workbook part (`xlsx_workbook_part`) is XLSX, one with
/// `content.xml` or a `mimetype` is ODS, anything else is read as CSV text (binary junk, old .xls
/// and encrypted workbooks are refused there with a message).
file_format detect_format(std::string_view bytes, archive* zip_or_null);

// ---- the one way in: the command line and the page read through these ---------------------------

/// The workbook format of an opened zip (`head`: the file's first bytes); throws
/// read.zip_not_workbook naming `source` when it is neither XLSX nor ODS.
file_format workbook_format(std::string_view head, archive& zip, const std::string& source);
/// The sheets of an opened workbook. The sheet lists cannot name the file, so when one fails this
/// reads the workbook to throw the reader's own message, which does.
std::vector<sheet_info> workbook_sheets(archive& zip, file_format format, const std::string& source);
/// One sheet (options.sheet, or the first visible worksheet) of an opened workbook.
table read_workbook_sheet(archive& zip, file_format format, const read_options& options,
                          const read_limits& limits = {});

struct file_read {
  healthscore::table data;
  file_format format = file_format::csv;
  std::vector<sheet_info> sheets;  ///< empty for CSV
};
/// A whole file's bytes, natively (libzip): detects the format, refuses a zip that is no workbook
/// and a sheet asked of a text file, reads. Not in the wasm build, where the page unzips.
file_read read_file(std::string_view bytes, const read_options& options, const read_limits& limits = {});

}  // namespace healthscore
