// SPDX-License-Identifier: MIT
// Columns and tables: storage for every reader, and the one place that decides what a column holds
// (type, decimal mark, date order), so CSV, XLSX and ODS files are read by the same rules.
#include "healthscore/table.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "detail/cells.hpp"
#include "healthscore/cells.hpp"

namespace healthscore {

namespace {

constexpr double nan_value = std::numeric_limits<double>::quiet_NaN();

// Frees a vector's or string's storage (`v = {}` would pick the initializer-list assignment, which
// clears it and keeps the capacity).
template <class T>
void release(T& v) noexcept {
  T().swap(v);
}
constexpr std::size_t max_examples = 5;

// What infer's first pass learned about one cell, so the second pass need not read it again.
enum cell_class : std::uint8_t {
  cls_empty,
  cls_number_any,  // text number that reads under either decimal mark (1,234)
  cls_number_dot,  // text number showing '.' as its decimal mark
  cls_number_comma,  // text number showing ','
  cls_date,  // ISO date, or a slashed date that reads both ways
  cls_date_day,  // slashed date that only reads day-first
  cls_date_month,  // slashed date that only reads month-first
  cls_boolean,  // a boolean word that is not a number
  cls_text,
  cls_error,
  cls_native_number,
  cls_native_date,
  cls_native_boolean,
};

// Could this byte start something trim() removes?
constexpr bool may_be_space(unsigned char c) noexcept {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == 0xC2;
}

// An empty cell's text: nothing, or only what trim() removes. Most cells start with a character
// trim() keeps; only the rest need the full check.
inline bool blank(std::string_view c) noexcept {
  return c.empty() || (may_be_space(static_cast<unsigned char>(c[0])) && trim(c).empty());
}

}  // namespace

const char* to_string(column_type t) noexcept {
  switch (t) {
    case column_type::empty: return "empty";
    case column_type::number: return "number";
    case column_type::date: return "date";
    case column_type::boolean: return "boolean";
    case column_type::text: return "text";
  }
  return "unknown";
}

std::string_view trim(std::string_view s) noexcept {
  for (;;) {
    if (s.empty()) return s;
    const unsigned char c = static_cast<unsigned char>(s.front());
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      s.remove_prefix(1);
    } else if (c == 0xC2 && s.size() >= 2 && static_cast<unsigned char>(s[1]) == 0xA0) {
      s.remove_prefix(2);
    } else {
      break;
    }
  }
  for (;;) {
    if (s.empty()) return s;
    const unsigned char c = static_cast<unsigned char>(s.back());
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      s.remove_suffix(1);
    } else if (c == 0xA0 && s.size() >= 2 && static_cast<unsigned char>(s[s.size() - 2]) == 0xC2) {
      s.remove_suffix(2);
    } else {
      break;
    }
  }
  return s;
}

// ---- column: building -------------------------------------------------------------------------

namespace {

// Where push_texts counts empty cells in the tally, after the text classes.
constexpr std::size_t tally_empty = detail::text_class_count;

// Copies a short cell with at most two fixed-size moves instead of a call to memmove; cells are
// mostly a few bytes long and there are tens of millions of them.
inline void copy_cell(char* d, const char* s, std::size_t n) noexcept {
  if (n >= 16) {
    std::memcpy(d, s, n);
  } else if (n >= 8) {
    std::uint64_t a, b;
    std::memcpy(&a, s, 8);
    std::memcpy(&b, s + n - 8, 8);
    std::memcpy(d, &a, 8);
    std::memcpy(d + n - 8, &b, 8);
  } else if (n >= 4) {
    std::uint32_t a, b;
    std::memcpy(&a, s, 4);
    std::memcpy(&b, s + n - 4, 4);
    std::memcpy(d, &a, 4);
    std::memcpy(d + n - 4, &b, 4);
  } else if (n > 0) {
    d[0] = s[0];
    d[n / 2] = s[n / 2];
    d[n - 1] = s[n - 1];
  }
}

// A cell's hash for the dictionary: its bytes in at most two 8-byte loads (most cells are short),
// mixed by multiplication. Only speed depends on it: entries are compared byte by byte.
inline std::uint32_t hash_text(std::string_view t) noexcept {
  const char* const s = t.data();
  const std::size_t n = t.size();
  constexpr std::uint64_t k1 = 0x9E3779B97F4A7C15u, k2 = 0xD6E8FEB86659FD93u;
  std::uint64_t h;
  if (n >= 8) {
    std::uint64_t a, b;
    std::memcpy(&b, s + n - 8, 8);
    h = b * k2;
    for (std::size_t i = 0; i + 8 < n; i += 8) {
      std::memcpy(&a, s + i, 8);
      h = (h ^ a) * k1;
      h ^= h >> 29;
    }
  } else if (n >= 4) {
    std::uint32_t a, b;
    std::memcpy(&a, s, 4);
    std::memcpy(&b, s + n - 4, 4);
    h = (static_cast<std::uint64_t>(a) << 32 | b) * k2;
  } else {
    h = (static_cast<std::uint64_t>(static_cast<unsigned char>(s[0])) << 16 |
         static_cast<std::uint64_t>(static_cast<unsigned char>(s[n / 2])) << 8 | static_cast<unsigned char>(s[n - 1])) *
        k2;
  }
  h ^= n * k1;
  h ^= h >> 32;
  h *= k2;
  return static_cast<std::uint32_t>(h >> 32);
}

// A text of at most 7 bytes as one word, its bytes in order and its length in the top byte, so two
// such texts are equal exactly when their words are; a longer text's word is long_key, which no
// short text has. Loads stay inside the text, as hash_text's do.
constexpr std::uint64_t long_key = ~std::uint64_t{0};
inline std::uint64_t short_key(std::string_view t) noexcept {
  const char* const s = t.data();
  const std::size_t n = t.size();
  if (n > 7) return long_key;
  std::uint64_t k = 0;
  if (n >= 4) {
    std::uint32_t a, b;
    std::memcpy(&a, s, 4);
    std::memcpy(&b, s + n - 4, 4);
    k = a | static_cast<std::uint64_t>(b) << (8 * (n - 4));
  } else if (n > 0) {
    k = static_cast<std::uint64_t>(static_cast<unsigned char>(s[0])) |
        static_cast<std::uint64_t>(static_cast<unsigned char>(s[n / 2])) << (8 * (n / 2)) |
        static_cast<std::uint64_t>(static_cast<unsigned char>(s[n - 1])) << (8 * (n - 1));
  }
  return k | static_cast<std::uint64_t>(n) << 56;
}

// The dictionary's hash of a text: a short text's from its word (the loads are made once, for both).
inline std::uint32_t dictionary_hash(std::string_view t, std::uint64_t key) noexcept {
  if (key == long_key) return hash_text(t);
  std::uint64_t h = key * 0x9E3779B97F4A7C15u;
  h ^= h >> 32;
  h *= 0xD6E8FEB86659FD93u;
  return static_cast<std::uint32_t>(h >> 32);
}

// Counts a non-blank text cell read as `r` (a detail::text_reading) in push_texts' counts.
template <class Counts>
inline void count_cell(Counts& n, const detail::text_reading& r) noexcept {
  const bool is_number = detail::is_number_class(r.cls);
  ++n.t.cls[r.cls];
  n.t.numeric_boolean += r.numeric_boolean;
  n.t.number_words += is_number && r.boolean_word;
  n.sensitive |= r.mark_sensitive;
  n.numbers_seen += is_number;
  ++n.nonblank;
}

// A dictionary entry's reading as lanes of 8 bits (column::entry_reading): one for each text class,
// then numbers that read "0" or "1", numbers that are boolean words and mark-sensitive texts, each
// 1 when a cell of the entry counts there (numbers and non-blank cells are sums of class lanes).
// Sums of up to max_lane_sum cells' lanes do not carry from one lane into the next.
constexpr unsigned lane_numeric_boolean = 9, lane_number_word = 10, lane_sensitive = 11;
constexpr unsigned max_lane_sum = 255;

template <class Entry>
inline Entry entry_lanes(const detail::text_reading& r) noexcept {
  static_assert(detail::text_class_count <= lane_numeric_boolean && lane_sensitive < 16);
  const bool is_number = detail::is_number_class(r.cls);
  Entry e;
  e.value = r.value;
  auto set = [&](unsigned lane, bool on) { e.lanes[lane / 8] |= std::uint64_t{on} << (lane % 8 * 8); };
  set(r.cls, true);
  set(lane_numeric_boolean, r.numeric_boolean);
  set(lane_number_word, is_number && r.boolean_word);
  set(lane_sensitive, r.mark_sensitive);
  return e;
}

// Adds `m` times the summed lanes `s` (each at most max_lane_sum) to push_texts' counts.
template <class Counts>
inline void count_lanes(Counts& n, const std::array<std::uint64_t, 2>& s, std::size_t m) noexcept {
  auto lane = [&](unsigned k) { return static_cast<std::size_t>(s[k / 8] >> (k % 8 * 8) & 0xFF) * m; };
  for (unsigned k = 0; k < detail::text_class_count; ++k) {
    const std::size_t cells = lane(k);
    n.t.cls[k] += cells;
    n.nonblank += cells;
    if (detail::is_number_class(static_cast<detail::text_class>(k))) n.numbers_seen += cells;
  }
  n.t.numeric_boolean += lane(lane_numeric_boolean);
  n.t.number_words += lane(lane_number_word);
  n.sensitive |= lane(lane_sensitive) != 0;
}

// Whether the first and the last sizeof(W) of n bytes (n >= sizeof(W)) at a and b are equal:
// for n <= 2 * sizeof(W), whether all are.
template <class W>
inline bool same_ends(const char* a, const char* b, std::size_t n) noexcept {
  W a0, a1, b0, b1;
  std::memcpy(&a0, a, sizeof(W));
  std::memcpy(&b0, b, sizeof(W));
  std::memcpy(&a1, a + n - sizeof(W), sizeof(W));
  std::memcpy(&b1, b + n - sizeof(W), sizeof(W));
  return ((a0 ^ b0) | (a1 ^ b1)) == 0;
}

// Whether `n` bytes at a and b are equal: short texts (most cells) in two fixed-size loads each
// instead of a call to memcmp.
inline bool same_bytes(const char* a, const char* b, std::size_t n) noexcept {
  if (n > 16) return std::memcmp(a, b, n) == 0;
  if (n >= 8) return same_ends<std::uint64_t>(a, b, n);
  if (n >= 4) return same_ends<std::uint32_t>(a, b, n);
  return n == 0 || (a[0] == b[0] && a[n / 2] == b[n / 2] && a[n - 1] == b[n - 1]);
}

}  // namespace

void column::reserve(std::size_t rows, std::size_t text_bytes) {
  if (dict_) {
    codes_.reserve(rows);
    reserved_rows_ = rows;
    reserved_text_ = text_bytes;
    return;
  }
  if (!kinds_.empty()) kinds_.reserve(rows);
  if (wide_ends_) {
    ends32_.reserve(rows);
  } else {
    ends16_.reserve(rows);
    block_start_.reserve(rows / end_block + 1);
  }
  text_.reserve(text_bytes);
  if (spec_mark_ != 0) numbers_.reserve(rows);
}

void column::push_(cell_kind k, std::string_view text) {
  const std::size_t end = text_bytes() + text.size();
  if (end > max_text_bytes) throw input_error(message("read.column_text_limit").text("column", name_));
  const bool typed = k != cell_kind::text && k != cell_kind::empty;
  if (dict_ && !typed) {
    const std::ptrdiff_t e = text.empty() ? 0 : intern(text);
    if (e >= 0) {
      codes_.push_back(static_cast<std::uint16_t>(e));
      dict_cell_bytes_ = end;
      tallied_ = false;
      spec_mark_ = 0;
      spec_decided_ = true;
      numbers_ready_ = days_ready_ = false;
      return;
    }
  }
  std::string kept;  // the text, if it is one of this column's own, outlives the dictionary
  const auto at = reinterpret_cast<std::uintptr_t>(text.data());
  const auto own = reinterpret_cast<std::uintptr_t>(dict_text_.data());
  if (dict_ && !text.empty() && at >= own && at < own + dict_text_.size()) {
    kept = text;
    text = kept;
  }
  to_plain();
  if (kinds_.empty() && typed) {
    // The first typed cell: from here on every cell's kind is stored.
    kinds_.reserve(wide_ends_ ? ends32_.capacity() : ends16_.capacity());
    for (std::size_t row = 0; row < size(); ++row)
      kinds_.push_back(static_cast<std::uint8_t>(text_size(row) ? cell_kind::text : cell_kind::empty));
  }
  const bool store_kind = typed || !kinds_.empty();
  text_.append(text.data(), text.size());
  const auto e = static_cast<std::uint32_t>(end);
  push_ends(&e, 1);
  if (store_kind) kinds_.push_back(static_cast<std::uint8_t>(k));
  if (!native_.empty()) native_.push_back(nan_value);
  // One cell pushed alone: infer() reads every cell itself, numbers() computes the view anew.
  tallied_ = false;
  spec_mark_ = 0;
  spec_decided_ = true;
  numbers_ready_ = days_ready_ = false;
}

inline bool column::holds(std::uint32_t slot, std::uint32_t h, std::uint64_t key,
                          std::string_view text) const noexcept {
  const std::uint32_t e = slot & 0xFFFFu;
  if (((slot ^ h) & ~0xFFFFu) != 0 || dict_keys_[e] != key) return false;
  return key != long_key || (dict_offsets_[e + 1] - dict_offsets_[e] == text.size() &&
                             same_bytes(dict_text_.data() + dict_offsets_[e], text.data(), text.size()));
}

std::ptrdiff_t column::intern(std::string_view text) {
  if (dict_offsets_.size() < 2) dict_offsets_.assign(2, 0);  // a column moved from
  const std::uint64_t key = short_key(text);
  const std::uint32_t h = dictionary_hash(text, key);
  const std::size_t entries = dict_offsets_.size() - 1;
  if (dict_slots_.size() < entries * 2 + 2) {
    // First use, a table freed by infer(), or half full: size it for twice the entries and rehash.
    std::size_t size = 1024;
    while (size < entries * 4) size *= 2;
    dict_slots_.assign(size, 0);
    dict_keys_.resize(entries);
    for (std::size_t e = 1; e < entries; ++e) {
      const std::string_view t = entry_text(static_cast<std::uint32_t>(e));
      dict_keys_[e] = short_key(t);
      const std::uint32_t he = dictionary_hash(t, dict_keys_[e]);
      std::size_t i = he & (size - 1);
      while (dict_slots_[i] != 0) i = (i + 1) & (size - 1);
      dict_slots_[i] = (he & ~0xFFFFu) | static_cast<std::uint32_t>(e);
    }
  }
  const std::size_t mask = dict_slots_.size() - 1;
  for (std::size_t i = h & mask;; i = (i + 1) & mask) {
    // A slot holds an entry (low 16 bits; 0: vacant) and its hash's high 16 bits, so most entries
    // that differ are told apart without reading them; a short text is then compared by its word.
    const std::uint32_t slot = dict_slots_[i];
    const std::uint32_t e = slot & 0xFFFFu;
    if (e == 0) {
      if (entries >= max_dictionary) return -1;
      dict_text_.append(text.data(), text.size());
      dict_offsets_.push_back(static_cast<std::uint32_t>(dict_text_.size()));
      dict_keys_.push_back(key);
      dict_slots_[i] = (h & ~0xFFFFu) | static_cast<std::uint32_t>(entries);
      return static_cast<std::ptrdiff_t>(entries);
    }
    if (holds(slot, h, key, text)) return e;
  }
}

void column::to_plain() {
  if (!dict_) return;
  dict_ = false;
  const std::size_t n = codes_.size();
  // Sized as reserve() asked (the reader's estimate for the whole file), so the arrays grow once.
  if (reserved_rows_ > n) {
    ends16_.reserve(reserved_rows_);
    block_start_.reserve(reserved_rows_ / end_block + 1);
    if (spec_mark_ != 0) numbers_.reserve(reserved_rows_);
  }
  text_.reserve(std::max(dict_cell_bytes_, reserved_text_));
  std::vector<std::uint32_t> ends(n);
  for (std::size_t row = 0; row < n; ++row) {
    const std::string_view t = entry_text(codes_[row]);
    text_.append(t.data(), t.size());
    ends[row] = static_cast<std::uint32_t>(text_.size());
  }
  push_ends(ends.data(), n);
  // While numbers are read during the push, every entry was read with spec_mark_.
  if (spec_mark_ != 0 && tallied_) {
    numbers_.resize(n);
    for (std::size_t row = 0; row < n; ++row)
      numbers_[row] = codes_[row] ? dict_readings_[codes_[row]].value : nan_value;
  }
  release(codes_);
  release(dict_text_);
  release(dict_offsets_);
  release(dict_slots_);
  release(dict_keys_);
  release(dict_readings_);
  dict_cell_bytes_ = 0;
}

void column::push_ends(const std::uint32_t* ends, std::size_t count) {
  std::size_t i = 0;
  if (!wide_ends_) {
    // Written through a pointer after one resize: push_back's capacity check per cell showed in
    // the join of a rest's column (BENCHMARKS.md).
    const std::size_t first = ends16_.size();
    ends16_.resize(first + count);
    std::uint16_t* const out = ends16_.data() + first;
    while (i < count) {
      const std::size_t row = first + i;
      if (row % end_block == 0) block_start_.push_back(row ? end_of(row - 1) : 0);
      const std::uint32_t start = block_start_.back();
      // The cells up to this block's end, while their offsets fit.
      const std::size_t stop = std::min(count, i + (end_block - row % end_block));
      for (; i < stop; ++i) {
        if (ends[i] - start > 0xFFFF) break;
        out[i] = static_cast<std::uint16_t>(ends[i] - start);
      }
      if (i < stop) {
        ends16_.resize(first + i);
        widen_ends();
        break;
      }
    }
  }
  if (i < count) ends32_.insert(ends32_.end(), ends + i, ends + count);
}

void column::plain_ends(std::size_t first, std::size_t count, std::uint32_t* out) const noexcept {
  if (wide_ends_) {
    std::copy_n(ends32_.data() + first, count, out);
    return;
  }
  for (std::size_t row = first, stop = first + count; row < stop;) {
    const std::uint32_t start = block_start_[row / end_block];
    const std::size_t block_stop = std::min(stop, (row / end_block + 1) * end_block);
    for (; row < block_stop; ++row) *out++ = start + ends16_[row];
  }
}

void column::widen_ends() {
  std::vector<std::uint32_t> wide(ends16_.size());
  plain_ends(0, wide.size(), wide.data());
  wide.reserve(ends16_.capacity());
  ends32_ = std::move(wide);
  release(ends16_);
  release(block_start_);
  wide_ends_ = true;
}

void column::push_empty() { push_(cell_kind::empty, {}); }

void column::push_text(std::string_view text) {
  if (!blank(text)) {
    push_(cell_kind::text, text);
  } else {
    push_(cell_kind::empty, {});
  }
}

void column::push_texts(const std::string_view* cells, std::size_t count, char likely_mark) {
  if (count == 0) return;
  numbers_ready_ = days_ready_ = false;
  // Numbers are read during the push only in columns whose first batch is mostly numbers; the
  // first batch is read both ways and the numbers dropped if the column turns out otherwise.
  const bool first_batch = !spec_decided_;
  if (first_batch) {
    spec_decided_ = true;
    if (tallied_ && size() == 0) {
      spec_mark_ = likely_mark == ',' ? ',' : '.';
      numbers_.clear();
    }
  }
  const bool read_numbers = spec_mark_ != 0;
  // Counted in locals (the compiler cannot keep members in registers across the stores below).
  push_counts counts{tally_, spec_sensitive_};
  std::size_t done = 0;
  if (dict_) {
    done = push_texts_dictionary(cells, count, counts);
    if (done < count) to_plain();
  }
  if (done < count) push_texts_plain(cells + done, count - done, counts);
  tally_ = counts.t;
  spec_sensitive_ = counts.sensitive;
  if (first_batch && read_numbers && (counts.nonblank == 0 || counts.numbers_seen * 2 < counts.nonblank)) {
    spec_mark_ = 0;
    release(numbers_);
  }
}

std::size_t column::push_texts_dictionary(const std::string_view* cells, std::size_t count, push_counts& counts) {
  const std::size_t first_row = codes_.size();
  if (!dict_probed_ && first_row >= dictionary_probe_rows) {
    dict_probed_ = true;
    if ((dict_offsets_.size() - 1) * 10 > first_row * 9) return 0;
  }
  const bool classify = tallied_;
  const char mark = spec_mark_;  // numbers are read during the push with it (0: not read)
  if (classify && dict_readings_.empty()) dict_readings_.emplace_back();  // entry 0, the empty text
  codes_.resize(first_row + count);
  std::uint16_t* const codes = codes_.data() + first_row;
  std::size_t bytes = dict_cell_bytes_;
  std::size_t empties = 0, i = 0;
  bool full = false;
  // A chunk's cells' lanes are summed in two words, then counted (each lane holds the chunk).
  while (i < count && !full) {
    const std::size_t chunk_end = std::min<std::size_t>(count, i + max_lane_sum);
    std::uint64_t lanes0 = 0, lanes1 = 0;
    for (; i < chunk_end; ++i) {
      const std::string_view c = cells[i];
      if (blank(c)) {
        codes[i] = 0;
        ++empties;
        continue;
      }
      // Most cells are a text already in the dictionary at its first slot: found there (a short
      // text by its word) without intern's call.
      std::ptrdiff_t e = -1;
      if (!dict_slots_.empty()) {
        const std::uint64_t key = short_key(c);
        const std::uint32_t h = dictionary_hash(c, key);
        const std::uint32_t slot = dict_slots_[h & (dict_slots_.size() - 1)];
        if ((slot & 0xFFFFu) != 0 && holds(slot, h, key, c)) e = slot & 0xFFFFu;
      }
      if (e < 0) e = intern_read(c, classify, mark);
      if (e < 0) {
        full = true;
        break;
      }
      codes[i] = static_cast<std::uint16_t>(e);
      bytes += c.size();
      if (classify) {
        const entry_reading& r = dict_readings_[static_cast<std::size_t>(e)];
        lanes0 += r.lanes[0];
        lanes1 += r.lanes[1];
      }
    }
    count_lanes(counts, {lanes0, lanes1}, 1);
  }
  counts.t.cls[tally_empty] += empties;
  codes_.resize(first_row + i);
  dict_cell_bytes_ = bytes;
  return i;
}

std::ptrdiff_t column::intern_read(std::string_view text, bool classify, char mark) {
  const std::ptrdiff_t e = intern(text);
  // Each distinct text is read once, when it enters the dictionary.
  if (classify && static_cast<std::size_t>(e) == dict_readings_.size()) {
    detail::text_reading r;
    const bool read_numbers = mark != 0;
    if (!detail::read_short_plain(text, mark, read_numbers, r)) detail::read_text_cell(text, mark, read_numbers, r);
    dict_readings_.push_back(entry_lanes<entry_reading>(r));
  }
  return e;
}

void column::read_pushes_as(char reading) noexcept {
  if (reading == '-') {
    tallied_ = false;
    return;
  }
  tallied_ = true;
  spec_decided_ = true;
  spec_mark_ = reading;
}

column::push_tally column::pushed_tally() const noexcept {
  push_tally t;
  static_assert(std::size(tally{}.cls) == 9);
  std::copy(std::begin(tally_.cls), std::end(tally_.cls), t.counts);
  t.counts[9] = tally_.numeric_boolean;
  t.counts[10] = tally_.number_words;
  t.sensitive = spec_sensitive_;
  return t;
}

bool column::push_read(std::string_view text, const std::uint32_t* ends, std::size_t count, char reading,
                       const push_tally& t, const double* numbers) {
  const bool marked = reading == '.' || reading == ',';
  if (dict_ || reading == '-' || push_reading() != reading || !kinds_.empty() || !native_.empty() ||
      marked != (numbers != nullptr) || (marked && numbers_.size() != size()) ||
      text.size() > max_text_bytes - text_.size())
    return false;
  numbers_ready_ = days_ready_ = false;
  const std::size_t base = text_.size();
  text_.append(text);
  constexpr std::size_t slice = 65536;
  batch_ends_.resize(std::min(count, slice));
  for (std::size_t at = 0; at < count; at += slice) {
    const std::size_t n = std::min(slice, count - at);
    for (std::size_t i = 0; i < n; ++i) batch_ends_[i] = static_cast<std::uint32_t>(base + ends[at + i]);
    push_ends(batch_ends_.data(), n);
  }
  if (marked) numbers_.insert(numbers_.end(), numbers, numbers + count);
  for (std::size_t k = 0; k < 9; ++k) tally_.cls[k] += t.counts[k];
  tally_.numeric_boolean += t.counts[9];
  tally_.number_words += t.counts[10];
  spec_sensitive_ |= t.sensitive;
  return true;
}

void column::push_coded(const std::string_view* entries, std::size_t entry_count, const std::uint16_t* codes,
                        std::size_t count, char likely_mark) {
  if (count == 0) return;
  // Entry by entry only into a dictionary column whose first batch and probe are behind it, as
  // they are after the first part of a file; any other is pushed the cells themselves.
  const auto cell = [&](std::size_t i) { return entries[codes[i]]; };
  if (!dict_ || !spec_decided_ || !dict_probed_) return push_texts_of(count, cell, likely_mark);
  numbers_ready_ = days_ready_ = false;
  const bool classify = tallied_;
  if (classify && dict_readings_.empty()) dict_readings_.emplace_back();  // entry 0, the empty text
  // The other's entries are its texts in the order they first appear in its cells, which come after
  // this column's: looked up in that order they enter this dictionary as the cells would.
  std::vector<std::uint16_t> to(entry_count, 0);
  for (std::size_t k = 1; k < entry_count; ++k) {
    const std::string_view t = entries[k];
    if (blank(t)) continue;
    const std::ptrdiff_t e = intern_read(t, classify, spec_mark_);
    if (e < 0) {
      // Full: the cells go in as texts, and the column writes itself out at the first that does not fit.
      return push_texts_of(count, cell, likely_mark);
    }
    to[k] = static_cast<std::uint16_t>(e);
  }
  const std::size_t first_row = codes_.size();
  codes_.resize(first_row + count);
  std::uint16_t* const out = codes_.data() + first_row;
  std::vector<std::size_t> uses(entry_count, 0);
  for (std::size_t i = 0; i < count; ++i) {
    ++uses[codes[i]];
    out[i] = to[codes[i]];
  }
  // The counts push_texts would make, an entry's uses at a time.
  push_counts n{tally_, spec_sensitive_};
  for (std::size_t k = 0; k < entry_count; ++k) {
    const std::size_t m = uses[k];
    if (m == 0) continue;
    if (to[k] == 0) {
      n.t.cls[tally_empty] += m;
      continue;
    }
    dict_cell_bytes_ += m * entries[k].size();
    if (classify) count_lanes(n, dict_readings_[to[k]].lanes, m);
  }
  tally_ = n.t;
  spec_sensitive_ = n.sensitive;
}

void column::push_texts_plain(const std::string_view* cells, std::size_t count, push_counts& counts) {
  const std::size_t first_row = size();
  const bool classify = tallied_;
  const char mark = spec_mark_;
  const bool read_numbers = mark != 0;
  // The text of the batch goes in one resize; blank cells keep none, so shrink to what was used.
  std::size_t upper = 0;
  for (std::size_t i = 0; i < count; ++i) upper += cells[i].size();
  const std::size_t start = text_.size();
  text_.resize(start + upper);
  char* const out = text_.data();
  std::size_t end = start;
  // Written through pointers: push_back's capacity check per cell shows in profiles.
  batch_ends_.resize(count);
  std::uint32_t* const ends = batch_ends_.data();
  double* numbers = nullptr;
  if (read_numbers) {
    numbers_.resize(first_row + count);
    numbers = numbers_.data() + first_row;
  }
  push_counts n = counts;
  detail::text_reading r;
  for (std::size_t i = 0; i < count; ++i) {
    const std::string_view c = cells[i];
    const std::size_t len = c.size();
    if (blank(c)) {
      ends[i] = static_cast<std::uint32_t>(end);
      ++n.t.cls[tally_empty];
      if (read_numbers) numbers[i] = nan_value;
      continue;
    }
    copy_cell(out + end, c.data(), len);
    end += len;
    ends[i] = static_cast<std::uint32_t>(end);
    if (!classify) continue;
    if (!detail::read_short_plain(c, mark, read_numbers, r)) detail::read_text_cell(c, mark, read_numbers, r);
    count_cell(n, r);
    if (read_numbers) numbers[i] = r.value;
  }
  counts = n;
  text_.resize(end);
  push_ends(ends, count);
  if (!kinds_.empty())
    for (std::size_t row = first_row; row < size(); ++row)
      kinds_.push_back(static_cast<std::uint8_t>(text_size(row) ? cell_kind::text : cell_kind::empty));
  if (!native_.empty()) native_.resize(size(), nan_value);
}

namespace {
void set_native(std::vector<double>& native, std::size_t size, double value) {
  if (native.size() < size) native.resize(size, nan_value);
  native.back() = value;
}
}  // namespace

void column::push_number(double value, std::string_view text) {
  push_(cell_kind::number, text);
  set_native(native_, size(), value);
}

void column::push_date(double serial_days_since_1970, std::string_view text) {
  push_(cell_kind::date, text);
  set_native(native_, size(), serial_days_since_1970);
}

void column::push_boolean(bool value, std::string_view text) {
  push_(cell_kind::boolean, text);
  set_native(native_, size(), value ? 1.0 : 0.0);
}

void column::push_error(std::string_view text) { push_(cell_kind::error, text); }

void column::pad_to(std::size_t rows) {
  while (size() < rows) push_empty();
}

// ---- column: inference ------------------------------------------------------------------------

void column::infer(bool semicolon_file, date_order default_order) {
  release(batch_ends_);  // push_texts' scratch: the pushes are over
  const std::size_t n = size();
  std::size_t empties = 0, errors = 0;
  std::size_t n_number = 0, n_date = 0, n_boolean = 0, n_text = 0;
  std::size_t n_numeric_boolean = 0;  // numbers that are also boolean words: 0 and 1
  std::size_t shows_dot = 0, shows_comma = 0, day_first = 0, month_first = 0;
  std::vector<std::uint8_t> cls;  // per cell, only when the cells were not tallied while pushed

  // Text classes are the cell classes shifted by one (after cls_empty).
  static_assert(cls_number_any == detail::text_number_any + 1 && cls_text == detail::text_other + 1);
  if (tallied_) {
    const auto& k = tally_.cls;
    empties = k[tally_empty];
    shows_dot = k[detail::text_number_dot];
    shows_comma = k[detail::text_number_comma];
    n_number = k[detail::text_number_any] + shows_dot + shows_comma;
    day_first = k[detail::text_date_day];
    month_first = k[detail::text_date_month];
    n_date = k[detail::text_date] + day_first + month_first;
    n_boolean = k[detail::text_boolean];
    n_text = k[detail::text_other];
    n_numeric_boolean = tally_.numeric_boolean;
  } else {
    cls.assign(n, cls_empty);
    detail::text_reading r;
    for (std::size_t row = 0; row < n; ++row) {
      switch (kind(row)) {
        case cell_kind::empty: ++empties; break;
        case cell_kind::error:
          ++errors;
          cls[row] = cls_error;
          break;
        case cell_kind::number:
          ++n_number;
          if (native_[row] == 0.0 || native_[row] == 1.0) ++n_numeric_boolean;
          cls[row] = cls_native_number;
          break;
        case cell_kind::date:
          ++n_date;
          cls[row] = cls_native_date;
          break;
        case cell_kind::boolean:
          ++n_boolean;
          cls[row] = cls_native_boolean;
          break;
        case cell_kind::text: {
          detail::read_text_cell(text(row), decimal_mark_, false, r);
          cls[row] = static_cast<std::uint8_t>(r.cls + 1);
          switch (r.cls) {
            case detail::text_number_dot: ++shows_dot; break;
            case detail::text_number_comma: ++shows_comma; break;
            case detail::text_date_day: ++day_first; break;
            case detail::text_date_month: ++month_first; break;
            default: break;
          }
          if (detail::is_number_class(r.cls)) {
            ++n_number;
            n_numeric_boolean += r.numeric_boolean;
          } else if (r.cls <= detail::text_date_month) {
            ++n_date;
          } else if (r.cls == detail::text_boolean) {
            ++n_boolean;
          } else {
            ++n_text;
          }
          break;
        }
      }
    }
  }

  // Decimal mark: the one most values show; a tie (usually: none shown) follows the delimiter.
  if (shows_dot > shows_comma) {
    decimal_mark_ = '.';
  } else if (shows_comma > shows_dot) {
    decimal_mark_ = ',';
  } else {
    decimal_mark_ = semicolon_file ? ',' : '.';
  }
  // Date order: forced by a value over 12; forced both ways, no order reads the column.
  if (day_first && month_first) {
    date_order_ = date_order::ambiguous;
  } else if (day_first) {
    date_order_ = date_order::day_first;
  } else if (month_first) {
    date_order_ = date_order::month_first;
  } else {
    date_order_ = (default_order == date_order::month_first) ? date_order::month_first : date_order::day_first;
  }

  // Type: the kind most non-empty cells are (ties: number, date, boolean, text). Boolean words mixed
  // with 0/1 are a boolean column; 0/1 alone stay numbers.
  const std::size_t voters = n_number + n_date + n_boolean + n_text;
  if (voters == 0) {
    type_ = column_type::empty;
  } else if (n_boolean > 0 && n_boolean + n_numeric_boolean == voters) {
    type_ = column_type::boolean;
  } else if (n_number >= n_date && n_number >= n_boolean && n_number >= n_text) {
    type_ = column_type::number;
  } else if (n_date >= n_boolean && n_date >= n_text) {
    type_ = column_type::date;
  } else if (n_boolean >= n_text) {
    type_ = column_type::boolean;
  } else {
    type_ = column_type::text;
  }
  if (type_ == column_type::date && date_order_ == date_order::ambiguous) type_ = column_type::text;

  // Which non-empty cells the chosen type cannot read. `boolean_word` is asked only for text
  // numbers under a boolean type: whether the text is also a boolean word.
  auto readable = [&](std::uint8_t c, std::size_t row, auto&& boolean_word) {
    switch (type_) {
      case column_type::empty: return false;
      case column_type::text: return c != cls_error;
      case column_type::number:
        return c == cls_number_any || c == cls_native_number || (c == cls_number_dot && decimal_mark_ == '.') ||
               (c == cls_number_comma && decimal_mark_ == ',');
      case column_type::date:
        return c == cls_date || c == cls_native_date || (c == cls_date_day && date_order_ == date_order::day_first) ||
               (c == cls_date_month && date_order_ == date_order::month_first);
      case column_type::boolean:
        return c == cls_boolean || c == cls_native_boolean ||
               ((c == cls_number_any || c == cls_number_dot || c == cls_number_comma) && boolean_word()) ||
               (c == cls_native_number && (native_[row] == 0.0 || native_[row] == 1.0));
    }
    return false;
  };
  empty_count_ = empties;
  error_count_ = errors;
  unreadable_count_ = 0;
  examples_.clear();
  if (tallied_) {
    // The counts tell how many cells are unreadable; only the first few are looked for again.
    const auto& k = tally_.cls;
    std::size_t ok = 0;
    switch (type_) {
      case column_type::empty: break;
      case column_type::text: ok = n - empties; break;
      case column_type::number:
        ok = k[detail::text_number_any] + (decimal_mark_ == '.' ? shows_dot : shows_comma);
        break;
      case column_type::date:
        ok = k[detail::text_date] + (date_order_ == date_order::day_first     ? day_first
                                     : date_order_ == date_order::month_first ? month_first
                                                                              : 0);
        break;
      case column_type::boolean: ok = n_boolean + tally_.number_words; break;
    }
    unreadable_count_ = n - empties - ok;
    detail::text_reading r;
    for (std::size_t row = 0; row < n && examples_.size() < std::min(unreadable_count_, max_examples); ++row) {
      if (text_size(row) == 0) continue;
      detail::read_text_cell(text(row), decimal_mark_, false, r);
      if (readable(static_cast<std::uint8_t>(r.cls + 1), row, [&] { return r.boolean_word; })) continue;
      examples_.push_back({row + 1, std::string(text(row))});
    }
  } else {
    for (std::size_t row = 0; row < n; ++row) {
      const std::uint8_t c = cls[row];
      if (c == cls_empty) continue;
      if (readable(c, row, [&] { return parse_boolean(text(row)) >= 0; })) continue;
      ++unreadable_count_;
      if (examples_.size() < max_examples) examples_.push_back({row + 1, std::string(text(row))});
    }
  }

  // The numbers read during the push stand if they were read with this column's decimal mark (or
  // none of them depends on it); otherwise numbers() reads the column when asked.
  days_ready_ = false;
  numbers_ready_ = !dict_ && spec_mark_ != 0 && numbers_.size() == n && type_ == column_type::number &&
                   (decimal_mark_ == spec_mark_ || !spec_sensitive_);
  if (!numbers_ready_ && spec_mark_ != 0) {
    spec_mark_ = 0;
    release(numbers_);
  }
  if (dict_) {
    // The pushes are over: the lookup table and the entries' readings go (a later push rebuilds the
    // table, and a later infer() reads every cell).
    release(dict_slots_);
    release(dict_keys_);
    release(dict_readings_);
    tallied_ = false;
  }
}

// ---- column: reading --------------------------------------------------------------------------

double column::number(std::size_t row) const {
  switch (kind(row)) {
    case cell_kind::number:
    case cell_kind::boolean: return native_[row];
    case cell_kind::text: return parse_number(text(row), decimal_mark_);
    default: return nan_value;
  }
}

std::int32_t column::date(std::size_t row) const {
  switch (kind(row)) {
    case cell_kind::date: {
      const double d = std::floor(native_[row]);
      if (!(d > static_cast<double>(no_date)) || d > static_cast<double>(std::numeric_limits<std::int32_t>::max()))
        return no_date;
      return static_cast<std::int32_t>(d);
    }
    case cell_kind::text: return parse_date(text(row), date_order_);
    default: return no_date;
  }
}

int column::boolean(std::size_t row) const {
  switch (kind(row)) {
    case cell_kind::boolean: return native_[row] != 0.0 ? 1 : 0;
    case cell_kind::number: return native_[row] == 1.0 ? 1 : native_[row] == 0.0 ? 0 : -1;
    case cell_kind::text: return parse_boolean(text(row));
    default: return -1;
  }
}

namespace {

// A dictionary column's view: each entry read once, entry 0 (the empty text) giving `missing`. The
// same values as reading every cell: a dictionary holds text cells only.
template <class T, class Read>
void read_entries(std::size_t entries, T missing, Read&& read, std::vector<T>& out) {
  out.resize(entries);
  out[0] = missing;
  for (std::size_t e = 1; e < entries; ++e) out[e] = read(static_cast<std::uint32_t>(e));
}

}  // namespace

cell_values<double> column::numbers() const {
  if (!numbers_ready_) {
    if (dict_) {
      read_entries(
          dict_offsets_.size() - 1, nan_value,
          [&](std::uint32_t e) { return parse_number(entry_text(e), decimal_mark_); }, numbers_);
    } else {
      numbers_.resize(size());
      for (std::size_t row = 0; row < size(); ++row) numbers_[row] = number(row);
    }
    numbers_ready_ = true;
  }
  if (dict_) return {numbers_.data(), codes_.data(), codes_.size(), numbers_.size()};
  return {numbers_.data(), nullptr, numbers_.size()};
}

cell_values<std::int32_t> column::days() const {
  if (!days_ready_) {
    if (dict_) {
      read_entries(
          dict_offsets_.size() - 1, no_date, [&](std::uint32_t e) { return parse_date(entry_text(e), date_order_); },
          days_);
    } else {
      days_.resize(size());
      for (std::size_t row = 0; row < size(); ++row) days_[row] = date(row);
    }
    days_ready_ = true;
  }
  if (dict_) return {days_.data(), codes_.data(), codes_.size(), days_.size()};
  return {days_.data(), nullptr, days_.size()};
}

double column::min_number() const {
  double best = nan_value;
  numbers();
  // Every entry of a dictionary is some cell's text, so its entries have the column's values.
  for (double v : numbers_)
    if (!std::isnan(v) && (std::isnan(best) || v < best)) best = v;
  return best;
}

double column::max_number() const {
  double best = nan_value;
  numbers();
  for (double v : numbers_)
    if (!std::isnan(v) && (std::isnan(best) || v > best)) best = v;
  return best;
}

std::size_t column::memory_bytes() const noexcept {
  std::size_t bytes = sizeof(column) + name_.capacity() + kinds_.capacity() + text_.capacity() +
                      ends16_.capacity() * sizeof(std::uint16_t) +
                      (block_start_.capacity() + ends32_.capacity() + batch_ends_.capacity()) * sizeof(std::uint32_t) +
                      native_.capacity() * sizeof(double) + numbers_.capacity() * sizeof(double) +
                      days_.capacity() * sizeof(std::int32_t) + examples_.capacity() * sizeof(read_problem) +
                      codes_.capacity() * sizeof(std::uint16_t) + dict_text_.capacity() +
                      (dict_offsets_.capacity() + dict_slots_.capacity()) * sizeof(std::uint32_t) +
                      dict_keys_.capacity() * sizeof(std::uint64_t) + dict_readings_.capacity() * sizeof(entry_reading);
  for (const auto& e : examples_) bytes += e.text.capacity();
  return bytes;
}

// ---- table ------------------------------------------------------------------------------------

std::ptrdiff_t table::find(std::string_view name) const noexcept {
  const std::string_view want = trim(name);
  for (std::size_t i = 0; i < columns.size(); ++i)
    if (trim(columns[i].name()) == want) return static_cast<std::ptrdiff_t>(i);
  return -1;
}

void table::fix_headers() {
  // Names are compared trimmed, as find() and the model match them. Every name written in the
  // file is taken first, so a generated `name (2)` never steals a name the file itself uses.
  std::unordered_set<std::string> taken;
  std::vector<bool> keep(columns.size(), false);
  for (std::size_t i = 0; i < columns.size(); ++i) {
    std::string n(trim(columns[i].name()));
    if (!n.empty() && taken.insert(n).second) keep[i] = true;
    columns[i].set_name(std::move(n));
  }
  // The next suffix to try per name, so 16,384 copies of one header cost linear time, not quadratic.
  std::unordered_map<std::string, std::size_t> next_suffix;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (keep[i]) continue;
    const std::string base = columns[i].name().empty() ? "Column " + std::to_string(i + 1) : columns[i].name();
    std::size_t& k = next_suffix.try_emplace(base, 2).first->second;
    std::string candidate = base;
    if (!taken.insert(candidate).second) {
      do candidate = base + " (" + std::to_string(k++) + ")";
      while (!taken.insert(candidate).second);
    }
    columns[i].set_name(std::move(candidate));
  }
}

std::size_t table::memory_bytes() const noexcept {
  std::size_t bytes = sizeof(table) + source.capacity() + sheet.capacity() + encoding.capacity() +
                      ragged.capacity() * sizeof(ragged_row);
  for (const auto& c : columns) bytes += c.memory_bytes();
  return bytes;
}

}  // namespace healthscore
