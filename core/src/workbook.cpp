// SPDX-License-Identifier: MIT
// Picking the reader from the bytes. Old binary .xls files and password-protected XLSX files (the
// same OLE container, holding an EncryptedPackage stream) are not zips, so they go to the CSV
// reader, which recognises the OLE signature and refuses them with a message for each.
#include "healthscore/workbook.hpp"
#include "detail/text.hpp"

namespace healthscore {

file_format detect_format(std::string_view bytes, archive* zip_or_null) {
  const std::string_view magic = bytes.substr(0, 4);
  // A local file header, or the end record of an empty archive.
  if (magic != std::string_view("PK\x03\x04", 4) && magic != std::string_view("PK\x05\x06", 4)) return file_format::csv;
  if (!zip_or_null) return file_format::unknown_zip;
  archive& zip = *zip_or_null;
  if (!xlsx_workbook_part(zip).empty()) return file_format::xlsx;
  const bool content = !find_entry(zip, "content.xml").empty(), mimetype = !find_entry(zip, "mimetype").empty();
  // An OpenDocument file that is not a spreadsheet is still handed to the ODS reader, which names
  // its real type in the refusal.
  if (content || mimetype) return file_format::ods;
  return file_format::unknown_zip;
}

file_format workbook_format(std::string_view head, archive& zip, const std::string& source) {
  const file_format f = detect_format(head, &zip);
  if (f != file_format::xlsx && f != file_format::ods)
    throw input_error(message("read.zip_not_workbook").nested("at", at_file(source)));
  return f;
}

table read_workbook_sheet(archive& zip, file_format format, const read_options& options, const read_limits& limits) {
  return format == file_format::xlsx ? read_xlsx(zip, options, limits) : read_ods(zip, options, limits);
}

std::vector<sheet_info> workbook_sheets(archive& zip, file_format format, const std::string& source) {
  try {
    return format == file_format::xlsx ? xlsx_sheets(zip) : ods_sheets(zip);
  } catch (const input_error&) {
    read_options o;
    o.source = source;
    (void)read_workbook_sheet(zip, format, o);
    throw;
  }
}

}  // namespace healthscore
