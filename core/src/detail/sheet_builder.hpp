// SPDX-License-Identifier: MIT
// What the XLSX and ODS readers share: turning a stream of typed cells at (row, column) positions
// into a `table` (header row, blank rows, limits), picking the sheet, and the text of numbers and
// dates.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "healthscore/csv.hpp"
#include "healthscore/table.hpp"
#include "healthscore/workbook.hpp"

namespace healthscore::detail {

/// Builds a table from non-empty cells pushed row by row. Sheet rows and columns are 0-based and
/// must not go backwards between rows (a row that does is read as the next row). Nothing is
/// allocated for empty cells or rows, so a sheet that claims a huge grid costs only what it holds.
///
/// The header is the first row holding a non-empty cell, or the row `options.header_row` names;
/// rows above it are ignored. Blank rows below it are skipped and counted. Columns past the last
/// header cell that still hold data get empty names, which `fix_headers` turns into `Column N`.
class sheet_builder {
 public:
  sheet_builder(const read_options& options, const read_limits& limits, std::string sheet);

  /// Starts sheet row `row`. Rows holding nothing need not be started at all.
  void begin_row(std::uint64_t row);
  /// One non-empty cell of the current row. `text` is copied.
  void add(std::uint64_t col, cell_kind kind, double value, std::string_view text);
  /// Ends the current row; `bytes_done` feeds the progress callback.
  void end_row(std::size_t bytes_done);

  /// Data rows so far (the header not counted).
  std::size_t rows() const noexcept { return rows_; }
  /// Throws the row-limit error when `more` further data rows would pass it.
  void check_more_rows(std::uint64_t more) const;
  /// Throws the column-limit error when a cell at 0-based column `col` would pass it.
  void check_column(std::uint64_t col) const;

  /// Pads, infers column types, fixes headers. Throws input_error for a sheet with no cells; when
  /// the sheet was the default choice, `with_data` names the sheets that do hold cells (it is
  /// called only then, since finding out reads them).
  table finish(const std::function<message()>& with_data = {});

  /// Probing: nothing is stored and no row limit applies; the first non-empty cell sets `found()`
  /// and, when `stop` is true, throws `found_cell` (for a reader that can simply stop there).
  void probe(bool stop) noexcept {
    probe_ = true;
    stop_at_found_ = stop;
  }
  bool found() const noexcept { return found_; }
  bool probing() const noexcept { return probe_; }
  struct found_cell {};

 private:
  [[noreturn]] void too_many_rows() const;
  void check_cells(std::size_t columns, std::size_t rows) const;
  void open_data_row();

  const read_options& options_;
  const read_limits& limits_;
  std::string sheet_;
  std::vector<column> columns_;
  std::size_t rows_ = 0;
  std::size_t skipped_blank_ = 0;
  std::uint64_t row_ = 0;  // current sheet row
  std::uint64_t last_data_row_ = 0;  // sheet row of the last data row (or of the header)
  std::uint64_t header_sheet_row_ = 0;
  bool started_ = false;
  bool header_done_ = false;
  bool in_header_ = false;
  bool row_open_ = false;
  std::size_t ticks_ = 0;
  std::size_t text_bytes_ = 0;
  bool probe_ = false, stop_at_found_ = false,
       found_ = false;  // all cell text so far, against limits_.max_sheet_text_bytes
};

/// Index into `sheets` of the sheet `options.sheet` names (exact match first, then ignoring case
/// and surrounding spaces), or of the first visible worksheet when it is empty. Throws input_error
/// listing the sheets when there is no such sheet, or naming a chart sheet.
std::size_t choose_sheet(const std::vector<sheet_info>& sheets, const read_options& options,
                         std::string_view kind /* "workbook" */);

/// " The sheets \"B\" and \"C\" hold data: choose one of them." for the sheets flagged in
/// `with_data`, or " No sheet of the workbook holds any data." when none is.
message sheets_with_data_hint(const std::vector<sheet_info>& sheets, const std::vector<bool>& with_data);

/// A workbook's stored number (XLSX `<v>`, ODS `office:value`: a plain decimal with a point, as
/// XML Schema writes doubles), read with fast_float; the whole text must be the number. Cells the
/// user typed go through cells.hpp's parse_number, which knows decimal commas and currency signs.
bool parse_stored_number(std::string_view text, double& out) noexcept;

/// Shortest text that reads back as `v` ("42", "1.5", "1.2010000000000001", "1e+20").
/// `buf` must hold 32 characters.
std::string_view number_text(double v, char* buf) noexcept;
/// Like `number_text`, but returns `written` itself when it is already that text (the common case
/// for the values spreadsheets store), avoiding a formatting pass.
std::string_view number_text(double v, std::string_view written, char* buf) noexcept;

/// `yyyy-mm-dd`, plus `Thh:mm:ss` when the time of day is not midnight, for days since
/// 1970-01-01 with the time as a fraction. `buf` must hold 32 characters.
std::string_view iso_text(double days, char* buf) noexcept;
/// Days since 1970-01-01 of a proleptic Gregorian date.
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) noexcept;

/// Reads `yyyy-mm-dd`, optionally followed by `Thh:mm:ss[.fff]` (a trailing `Z` or offset is
/// ignored). Returns false for anything else.
bool parse_iso_datetime(std::string_view text, double& days) noexcept;
/// Reads a time of day `hh:mm:ss[.fff]` as a fraction of a day.
bool parse_iso_time(std::string_view text, double& day_fraction) noexcept;

/// Smallest and largest serial day accepted as a date: 0001-01-01 and 9999-12-31.
inline constexpr double min_date_days = -719162.0;
inline constexpr double max_date_days = 2932897.0;

}  // namespace healthscore::detail
