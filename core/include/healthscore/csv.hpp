// SPDX-License-Identifier: MIT
// CSV and TSV as people really export them (see `spec/model.md`, "Reading files").
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

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

/// What a file's first part tells the stream reading its rest (csv_stream's second constructor).
struct csv_shape {
  std::size_t columns = 0;
  char delimiter = ',';
  /// Each column's column::push_reading(): the rest reads its cells as the first part does, so the
  /// first part takes what it read of them (append_read); a column missing here reads nothing.
  std::vector<char> readings;
};

/// What the reading of a file's rest found besides its cells, for csv_stream::append_rest.
struct csv_rest {
  std::size_t rows = 0, skipped_blank_rows = 0, ragged_count = 0;
  std::vector<table::ragged_row> ragged;  ///< first examples, rows counted from the rest's first
  std::vector<std::size_t> text_bytes;  ///< each column's
  static csv_rest of(const table& rest);
};

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

  // ---- A large file read in two parts at once (the page's second Worker reads the rest) -------
  // The first part's stream is fed the bytes up to a line break; if it holds none of them back
  // (held() == 0), a record starts there, and a stream made with the first part's shape() reads the
  // rest of the file from there on in the same way (its cells classified and read as the first
  // part's columns read theirs). append_rest, then append_read or append_coded for each column,
  // give the first stream the rest's rows, and finish() makes the table read_csv makes of the whole
  // file (its columns may keep another layout: a dictionary or not, which no reading shows).

  /// The stream of a file's rest, `total_bytes` of it, starting at a record start after the
  /// header: UTF-8 (no byte-order mark, no `sep=` line), with the first part's columns and delimiter.
  csv_stream(std::size_t total_bytes, const csv_shape& shape, const read_options& options = {},
             const read_limits& limits = {});
  /// Once the header is read (not in a rest's stream): its columns and the delimiter.
  std::optional<csv_shape> shape() const;
  /// Bytes fed but not yet read as rows: a record that the next piece may go on; 0 after a piece that
  /// ends where a record does.
  std::size_t held() const noexcept;
  /// A rest's stream after its last piece: its rows, its columns unnamed; nothing when it hands the
  /// bytes back as feed() does (a last byte that is not UTF-8). Throws input_error as finish() would.
  /// Either way the caller reads the rest in the first stream.
  std::optional<table> finish_rest();
  /// The first part's stream, with nothing held back: takes the counts of the rest's rows. False when
  /// they would pass a limit (the rows, the cells, a column's text): nothing changes, and the caller
  /// feeds the rest to this stream instead, whose message names the row.
  bool append_rest(const csv_rest& rest);
  /// Then every column's cells in the rest, in order. A plain column as the rest read it
  /// (column::plain_text, plain_end, push_reading, pushed_tally, pushed_numbers): taken as read when
  /// this column is plain and reads its cells the same way, else its cells are pushed (a reading of
  /// '-' always pushes them). A dictionary column: its entries in the order its texts first appear,
  /// entry 0 the empty text, and each row's entry.
  void append_read(std::size_t column, std::string_view text, const std::uint32_t* ends, std::size_t count,
                   char reading, const column::push_tally& tally, const double* numbers);
  void append_coded(std::size_t column, const std::string_view* entries, std::size_t entry_count,
                    const std::uint16_t* codes, std::size_t count);

 private:
  struct state;
  std::unique_ptr<state> s_;
};

}  // namespace healthscore
