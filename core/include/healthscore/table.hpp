// SPDX-License-Identifier: MIT
// The Table: every reader (CSV, XLSX, ODS) produces one; everything downstream reads it.
// Columnar: each column keeps the text of every cell (so `map` rules and exports see what the user
// wrote) and, for spreadsheet cells that carry a native type, that typed value. A column of few
// distinct texts keeps each text once and a 16-bit code per cell (a dictionary); the others keep
// every cell's text. Number and date views are decided once per column (decimal mark, day/month
// order) and computed lazily.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "healthscore/message.hpp"

namespace healthscore {

/// The error every reader and loader throws for bad input: a coded message (message.hpp) that,
/// where it is known, names the file, the 1-based row and the column. `what()` is its English text.
class input_error : public error {
 public:
  using error::error;
};

/// What a single cell holds as its source wrote it. CSV cells are `text` or `empty`; XLSX and ODS
/// cells may carry a native type.
enum class cell_kind : std::uint8_t { empty, text, number, date, boolean, error };

/// The type inferred for a column from the majority of its non-empty cells.
enum class column_type : std::uint8_t { empty, number, date, boolean, text };

const char* to_string(column_type t) noexcept;

/// Order of day and month in slashed dates, decided per column.
enum class date_order : std::uint8_t { unknown, day_first, month_first, ambiguous };

/// Sentinel day number for "no date".
inline constexpr std::int32_t no_date = std::numeric_limits<std::int32_t>::min();

/// One cell that could not be read as the column's type, kept as an example for the user.
struct read_problem {
  std::size_t row = 0;  ///< 1-based data row (the header is row 0)
  std::string text;  ///< the cell as written
};

/// One value per row of a column (its numbers, or its days), read in place: an array of the rows'
/// values, or for a dictionary column each entry's value and the rows' codes. Cheap to copy; valid
/// while the column lives and no cell is pushed to it.
template <class T>
class cell_values {
 public:
  cell_values() = default;
  cell_values(const T* values, const std::uint16_t* codes, std::size_t size, std::size_t entries = 0) noexcept
      : values_(values), codes_(codes), size_(size), entries_(entries) {}
  T operator[](std::size_t row) const noexcept { return codes_ ? values_[codes_[row]] : values_[row]; }
  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  /// For a dictionary column: each row's entry (null otherwise), and the entries' values (per row
  /// otherwise), `entries()` of them. Every entry but 0 (the empty text) is at least one row's.
  const std::uint16_t* codes() const noexcept { return codes_; }
  const T* values() const noexcept { return values_; }
  std::size_t entries() const noexcept { return entries_; }

  struct iterator {
    const cell_values* of;
    std::size_t row;
    T operator*() const noexcept { return (*of)[row]; }
    iterator& operator++() noexcept {
      ++row;
      return *this;
    }
    bool operator==(const iterator& o) const noexcept { return row == o.row; }
  };
  iterator begin() const noexcept { return {this, 0}; }
  iterator end() const noexcept { return {this, size_}; }

 private:
  const T* values_ = nullptr;
  const std::uint16_t* codes_ = nullptr;
  std::size_t size_ = 0, entries_ = 0;
};

class column {
 public:
  explicit column(std::string name = {}) : name_(std::move(name)) {}

  const std::string& name() const noexcept { return name_; }
  void set_name(std::string n) { name_ = std::move(n); }
  std::size_t size() const noexcept { return dict_ ? codes_.size() : wide_ends_ ? ends32_.size() : ends16_.size(); }

  // Building (readers only). Text is UTF-8.
  void reserve(std::size_t rows, std::size_t text_bytes);
  void push_empty();
  void push_text(std::string_view text);  ///< empty or all-space text becomes an empty cell
  void push_number(double value, std::string_view text);
  void push_date(double serial_days_since_1970, std::string_view text);  ///< fraction = time of day
  void push_boolean(bool value, std::string_view text);
  void push_error(std::string_view text);  ///< #N/A, #DIV/0! ...: counted, read as missing
  /// push_text for many cells at once, for the CSV reader: each cell is classified for infer() and,
  /// in columns that look numeric, read as a number (with `likely_mark`, which the reader guesses
  /// from the delimiter) while its bytes are still in cache, so neither infer() nor numbers() has to
  /// read the column again. The caller checks `text_bytes() + sum of sizes <= max_text_bytes` first.
  /// The cells must not point into this column's own text.
  void push_texts(const std::string_view* cells, std::size_t count, char likely_mark);
  /// push_texts of `count` cells, `cell(i)` the i-th, a slice at a time (the views never take more
  /// memory than a slice's).
  template <class Cell>
  void push_texts_of(std::size_t count, Cell cell, char likely_mark) {
    constexpr std::size_t slice = 65536;
    std::vector<std::string_view> cells(std::min(count, slice));
    for (std::size_t at = 0; at < count; at += slice) {
      const std::size_t n = std::min(slice, count - at);
      for (std::size_t i = 0; i < n; ++i) cells[i] = cell(at + i);
      push_texts(cells.data(), n, likely_mark);
    }
  }
  /// push_texts of the cells `entries[codes[i]]`, i < count: the cells of another reader's
  /// dictionary column (csv_stream::append_coded), whose entries are its texts in the order they
  /// first appear and entry 0 the empty text. A dictionary column looks each entry up once.
  void push_coded(const std::string_view* entries, std::size_t entry_count, const std::uint16_t* codes,
                  std::size_t count, char likely_mark);
  /// How push_texts reads cells now: '.' or ',' (classified, and read as numbers with that decimal
  /// mark), 0 (classified), or '-' (neither: cells pushed one by one, or no batch yet).
  char push_reading() const noexcept { return tallied_ && spec_decided_ ? spec_mark_ : '-'; }
  /// Reads the cells pushed from now on as a column whose push_reading() is `reading` reads them (a
  /// part of a file read elsewhere: csv_stream's rest).
  void read_pushes_as(char reading) noexcept;
  /// What push_texts counted of the cells pushed so far (text classes, numbers that read as
  /// booleans or are boolean words, whether any cell reads differently with the other mark).
  struct push_tally {
    std::size_t counts[11] = {};
    bool sensitive = false;
  };
  push_tally pushed_tally() const noexcept;
  /// A plain column's numbers read while its cells were pushed, one per row; null if none were.
  const double* pushed_numbers() const noexcept {
    return !dict_ && tallied_ && spec_mark_ != 0 && numbers_.size() == size() ? numbers_.data() : nullptr;
  }
  /// Appends `count` cells read elsewhere with push_reading() `reading`: their text, where each one
  /// ends in it, what was counted of them, and their numbers when `reading` is a mark. Only onto a
  /// plain column that reads its pushes so; false (nothing changed) for any other.
  bool push_read(std::string_view text, const std::uint32_t* ends, std::size_t count, char reading,
                 const push_tally& tally, const double* numbers);
  /// The most text one column holds (its cell ends are 32-bit).
  static constexpr std::size_t max_text_bytes = std::numeric_limits<std::uint32_t>::max();
  /// The bytes of all its cells' text (what the column would hold without a dictionary).
  std::size_t text_bytes() const noexcept { return dict_ ? dict_cell_bytes_ : text_.size(); }
  /// Whether the column keeps its texts in a dictionary (for tests and memory figures).
  bool dictionary() const noexcept { return dict_; }
  /// A dictionary column's entry per row (0: the empty text), else null; and how many entries it
  /// has (0 for a plain column). Rows with one entry hold the same text.
  const std::uint16_t* codes() const noexcept { return dict_ ? codes_.data() : nullptr; }
  std::size_t entries() const noexcept { return dict_ && !dict_offsets_.empty() ? dict_offsets_.size() - 1 : 0; }
  /// A dictionary column's entry `k` (k < entries()): the text of the rows whose code is k.
  std::string_view entry(std::size_t k) const noexcept { return entry_text(static_cast<std::uint32_t>(k)); }
  /// A plain column's text, every cell's in row order, and where the text of `row` ends in it (the
  /// next row's starts there).
  std::string_view plain_text() const noexcept { return dict_ ? std::string_view() : std::string_view(text_); }
  std::uint32_t plain_end(std::size_t row) const noexcept { return end_of(row); }
  /// plain_end of rows [first, first + count) into `out`, block by block.
  void plain_ends(std::size_t first, std::size_t count, std::uint32_t* out) const noexcept;
  /// Writes a dictionary column out to the plain layout now (it would at 65,536 distinct texts);
  /// what the column reads does not change. For tests of the plain layout.
  void use_plain_layout() { to_plain(); }
  /// Most distinct texts a dictionary holds (the empty text included); one more and the column
  /// keeps every cell's text instead.
  static constexpr std::size_t max_dictionary = 65536;
  /// A column whose first `dictionary_probe_rows` cells or more (the batch they end in) are over
  /// 90% distinct texts (ids, amounts) gives its dictionary up then, before filling it in vain.
  static constexpr std::size_t dictionary_probe_rows = 4096;
  /// Pads with empty cells up to `rows`.
  void pad_to(std::size_t rows);

  // Reading.
  cell_kind kind(std::size_t row) const noexcept {
    if (kinds_.empty()) return text_size(row) ? cell_kind::text : cell_kind::empty;
    return static_cast<cell_kind>(kinds_[row]);
  }
  bool is_empty(std::size_t row) const noexcept { return kind(row) == cell_kind::empty; }
  std::string_view text(std::size_t row) const noexcept {
    if (dict_) return entry_text(codes_[row]);
    const std::uint32_t b = row ? end_of(row - 1) : 0;
    return {text_.data() + b, end_of(row) - b};
  }

  /// Decides type, decimal mark and date order from all cells. Called once by the reader after the
  /// last push; `semicolon_file` breaks the decimal-mark tie for columns that show no mark.
  void infer(bool semicolon_file, date_order default_order = date_order::day_first);

  column_type type() const noexcept { return type_; }
  char decimal_mark() const noexcept { return decimal_mark_; }
  date_order dates() const noexcept { return date_order_; }
  std::size_t empty_count() const noexcept { return empty_count_; }
  std::size_t error_count() const noexcept { return error_count_; }
  /// Non-empty cells that are not of the inferred type (errors included).
  std::size_t unreadable_count() const noexcept { return unreadable_count_; }
  /// Up to five of them.
  const std::vector<read_problem>& unreadable_examples() const noexcept { return examples_; }

  /// The cell as a number (NaN when it cannot be read as one). Native numbers as stored; text with
  /// the column's decimal mark. Percent cells give fractions (85% -> 0.85).
  double number(std::size_t row) const;
  /// The cell as whole days since 1970-01-01 (time of day dropped), or `no_date`.
  std::int32_t date(std::size_t row) const;
  /// The cell as a boolean: 1 true, 0 false, -1 unreadable or empty.
  int boolean(std::size_t row) const;

  /// Whole-column views, computed on first use and cached (NaN / no_date where missing); a
  /// dictionary column reads each distinct text once and keeps no value per row.
  cell_values<double> numbers() const;
  cell_values<std::int32_t> days() const;

  /// Smallest and largest number in the column (NaN when there is none).
  double min_number() const;
  double max_number() const;

  std::size_t memory_bytes() const noexcept;

 private:
  void push_(cell_kind k, std::string_view text);
  std::uint32_t text_size(std::size_t row) const noexcept {
    if (dict_) return dict_offsets_[codes_[row] + 1u] - dict_offsets_[codes_[row]];
    return end_of(row) - (row ? end_of(row - 1) : 0);
  }
  // Where each cell's text ends in text_. Rows come in blocks of end_block: a cell's end is its
  // block's start plus a 16-bit offset (2 bytes a cell, not 4), while every block's text is under
  // 64 KiB; a column with a longer block keeps 32-bit ends from then on (wide_ends_).
  static constexpr std::size_t end_block = 256;
  std::uint32_t end_of(std::size_t row) const noexcept {
    return wide_ends_ ? ends32_[row] : block_start_[row / end_block] + ends16_[row];
  }
  void push_ends(const std::uint32_t* ends, std::size_t count);
  void widen_ends();

  // The dictionary (dict_): entry k's text is dict_text_[dict_offsets_[k], dict_offsets_[k + 1]);
  // entry 0 is the empty text (empty and blank cells). A column starts with one and keeps it while
  // its cells are text or empty and it has at most max_dictionary distinct texts; then to_plain()
  // writes every cell's text out (the plain layout above) and it never goes back.
  std::string_view entry_text(std::uint32_t k) const noexcept {
    return {dict_text_.data() + dict_offsets_[k], dict_offsets_[k + 1] - dict_offsets_[k]};
  }
  /// The entry of `text` (not blank), added if new; -1 when the dictionary is full.
  std::ptrdiff_t intern(std::string_view text);
  /// Whether the occupied `slot` is `text`'s entry, given the text's hash and word (table.cpp).
  bool holds(std::uint32_t slot, std::uint32_t h, std::uint64_t key, std::string_view text) const noexcept;
  void to_plain();
  // What push_texts learned about the cells (detail::text_class counts, then empty cells), so infer()
  // need not read them again (tally_ below).
  struct tally {
    std::size_t cls[9] = {};
    std::size_t numeric_boolean = 0;  // numbers whose text is "0" or "1"
    std::size_t number_words = 0;  // numbers that are also boolean words
  };
  // What push_texts read of one entry's text (a detail::text_reading): what a cell of it adds to
  // push_counts, as 8-bit lanes in two words (table.cpp, entry_lanes), so that a cell is counted by
  // two additions; and its number.
  struct entry_reading {
    std::array<std::uint64_t, 2> lanes = {0, 0};
    double value = 0;
  };
  // What push_texts counts of a batch besides the tally.
  struct push_counts {
    tally t;
    bool sensitive = false;
    std::size_t numbers_seen = 0, nonblank = 0;
  };
  // push_texts' two loops; the dictionary's stops early, at the first cell that would overflow it.
  std::size_t push_texts_dictionary(const std::string_view* cells, std::size_t count, push_counts& counts);
  // The entry of a non-blank text (-1: the dictionary is full); a new one is read as push_texts
  // reads a cell when `classify`.
  std::ptrdiff_t intern_read(std::string_view text, bool classify, char mark);
  void push_texts_plain(const std::string_view* cells, std::size_t count, push_counts& counts);

  bool dict_ = true;
  std::vector<std::uint16_t> codes_;
  std::string dict_text_;
  std::vector<std::uint32_t> dict_offsets_ = {0, 0};
  std::size_t dict_cell_bytes_ = 0;  // text_bytes() of a dictionary column
  bool dict_probed_ = false;  // push_texts looked at how distinct the first cells are
  std::size_t reserved_rows_ = 0, reserved_text_ = 0;  // what reserve() asked for, for to_plain()
  // Only while cells are pushed (infer() frees them): an open-addressing table of entry numbers
  // (0 vacant) with 16 bits of their hash, each entry's text as a word when it is short (at most 7
  // bytes, so most lookups compare one word), and what push_texts read of each entry (its class and
  // number). A rehash hashes the entries' texts again.
  std::vector<std::uint32_t> dict_slots_;
  std::vector<std::uint64_t> dict_keys_;
  std::vector<entry_reading> dict_readings_;

  std::string name_;
  // Kind of every cell; left empty while all cells are text or empty (as in every CSV column),
  // where the kind follows from the text length and a byte per cell would be wasted.
  std::vector<std::uint8_t> kinds_;
  std::string text_;
  std::vector<std::uint16_t> ends16_;
  std::vector<std::uint32_t> block_start_, ends32_;
  bool wide_ends_ = false;
  std::vector<std::uint32_t> batch_ends_;  // push_texts' ends, before push_ends
  std::vector<double> native_;  // only for native number/date/boolean cells; sized lazily
  column_type type_ = column_type::empty;
  char decimal_mark_ = '.';
  date_order date_order_ = date_order::unknown;
  std::size_t empty_count_ = 0, error_count_ = 0, unreadable_count_ = 0;
  std::vector<read_problem> examples_;
  // The views: per row, or in a dictionary column per entry (numbers_ also holds the numbers read
  // during the push, per row, until infer()).
  mutable std::vector<double> numbers_;
  mutable std::vector<std::int32_t> days_;
  mutable bool numbers_ready_ = false, days_ready_ = false;
  // The tally of every cell pushed; valid while every cell came through push_texts (and, in a
  // dictionary column, until infer() frees the entries' readings).
  tally tally_;
  bool tallied_ = true;
  // numbers_ as push_texts reads them with spec_mark_ (0: not read during the push; a dictionary
  // column reads each entry's instead); valid after infer() if the column's mark is spec_mark_, or
  // no cell's value depends on the mark.
  char spec_mark_ = 0;
  bool spec_decided_ = false, spec_sensitive_ = false;
};

/// A parsed sheet: named columns of equal length. Row i is data row i+1 for the user.
struct table {
  std::string source;  ///< file name, for messages
  std::string sheet;  ///< sheet name for workbooks, empty for CSV
  char delimiter = 0;  ///< CSV only
  std::string encoding;  ///< CSV only: "UTF-8", "UTF-8 BOM", "UTF-16LE", "UTF-16BE", "windows-1252"
  std::vector<column> columns;
  std::size_t rows = 0;
  std::size_t skipped_blank_rows = 0;
  /// Rows with more or fewer cells than the header: 1-based data row and cell count.
  struct ragged_row {
    std::size_t row;
    std::size_t cells;
  };
  std::vector<ragged_row> ragged;  ///< first examples only
  std::size_t ragged_count = 0;

  /// Index of the column whose trimmed name equals `name` trimmed, or -1.
  std::ptrdiff_t find(std::string_view name) const noexcept;
  /// Renames duplicate headers `name (2)`, `name (3)` and empty ones `Column N`, as the contract says.
  void fix_headers();
  std::size_t memory_bytes() const noexcept;
};

/// Trims ASCII spaces, tabs, CR, LF and U+00A0 from both ends.
std::string_view trim(std::string_view s) noexcept;

}  // namespace healthscore
