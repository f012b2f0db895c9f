// SPDX-License-Identifier: MIT
// CSV and TSV as people really export them (see `spec/model.md`, "Reading files").
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "healthscore/table.hpp"

namespace healthscore {

struct read_options {
  std::string source = "input";  ///< file name used in messages
  std::string sheet;  ///< workbooks: sheet name; empty = first worksheet
  std::size_t header_row = 0;  ///< 0 = first non-blank row; else the 1-based row to use
  char delimiter = 0;  ///< CSV: 0 = sniff
  date_order default_dates = date_order::day_first;
  /// Called now and then with bytes done and rows done; return false to cancel (input_error).
  std::function<bool(std::size_t bytes, std::size_t rows)> progress;
};

/// Limits that keep a hostile file from taking the machine down; hitting one is an input_error
/// that names the limit.
struct read_limits {
  std::size_t max_rows = 5'000'000;
  std::size_t max_columns = 16'384;
  /// Rows x columns: a wide header over many short rows would otherwise pad to billions of cells.
  std::size_t max_cells = 150'000'000;
  std::size_t max_cell_bytes = 1 << 20;
  /// XLSX and ODS: the text of all cells of the sheet read, header included. A shared string (or an
  /// ODS repeat) is stored once in the file but copied into every cell that shows it, so a small
  /// file could otherwise ask for terabytes. A CSV's text is never more than the file.
  std::size_t max_sheet_text_bytes = std::size_t{1} << 30;
};

/// Converts CSV bytes in any supported encoding to UTF-8 and reports which encoding it was.
std::string decode_text(std::string_view bytes, std::string& encoding_name);

/// The delimiter the contract picks from the first line: most frequent of `,` `;` tab `|` outside
/// quotes, ties in that order; `,` when none occurs.
char sniff_delimiter(std::string_view utf8_text) noexcept;

/// Reads a whole CSV/TSV file. Throws input_error for a file that holds no table.
table read_csv(std::string_view bytes, const read_options& options = {}, const read_limits& limits = {});

/// A CSV/TSV file read a piece at a time, so it is never whole in memory beside its table (the page
/// feeds it from the file's Blob). The table it finishes is the one read_csv makes of the same
/// bytes. Only UTF-8 text streams: for a file read_csv would read another way or refuse for its
/// bytes (another encoding, invalid UTF-8, a NUL, a first line longer than the first 64 KiB),
/// `feed` answers false or `finish` nothing, and the caller reads the whole file with read_csv.
/// The input_error a piece throws may differ from read_csv's for the whole file (a NUL further on
/// comes first there): a caller that wants read_csv's message reads the file whole after a throw.
class csv_stream {
 public:
  /// `total_bytes`: the file's size (for progress and for sizing the columns). The first 64 KiB are
  /// gathered before anything is decided; a file no larger is read by read_csv in finish().
  explicit csv_stream(std::size_t total_bytes, const read_options& options = {}, const read_limits& limits = {});
  ~csv_stream();
  csv_stream(const csv_stream&) = delete;
  csv_stream& operator=(const csv_stream&) = delete;
  /// The next bytes of the file; reads the records they complete. False: read the file whole.
  bool feed(std::string_view bytes);
  /// After the last piece: the table (throws input_error as read_csv does), or nothing: read the
  /// file whole.
  std::optional<table> finish();

 private:
  struct state;
  std::unique_ptr<state> s_;
};

}  // namespace healthscore
