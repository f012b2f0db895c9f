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

std::vector<sheet_info> xlsx_sheets(archive& zip);
/// Reads one worksheet (options.sheet, or the first visible worksheet) into a table.
table read_xlsx(archive& zip, const read_options& options = {}, const read_limits& limits = {});

std::vector<sheet_info> ods_sheets(archive& zip);
table read_ods(archive& zip, const read_options& options = {}, const read_limits& limits = {});

enum class file_format { csv, xlsx, ods, unknown_zip };
/// Decides from the bytes: a zip holding `xl/workbook.xml` is XLSX, one with the ODS mimetype is
/// ODS, anything else is read as CSV text (binary junk is refused there with a message).
file_format detect_format(std::string_view bytes, archive* zip_or_null);

}  // namespace healthscore
