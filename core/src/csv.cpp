// SPDX-License-Identifier: MIT
// CSV and TSV reading (spec/model.md, "Reading files"): encoding detection, delimiter sniffing and
// an RFC 4180 parser that appends cells straight into the column arenas. The hot path is one table
// lookup per byte for unquoted cells and memchr for quoted ones; nothing is allocated per cell.
#include "healthscore/csv.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "detail/csv.hpp"
#include "detail/unicode.hpp"

#if defined(__SSE2__)
#include <emmintrin.h>
#elif defined(__wasm_simd128__)
#include <wasm_simd128.h>
#endif

namespace healthscore {

bool detail::csv_fast_records = true;

namespace {

constexpr std::size_t progress_step = std::size_t{1} << 20;  // report progress every ~1 MB
constexpr std::size_t max_ragged_examples = 10;
constexpr std::size_t reserve_after_rows = 1024;  // rows sampled before sizing the arenas
// Cells collected before they are pushed column by column: few enough that their bytes are still
// in cache when each column classifies them (at most 128 rows, fewer in wide files).
constexpr std::size_t batch_cells = 8192, max_batch_rows = 128;

// "5,000,000" for messages.
// ---- encodings --------------------------------------------------------------------------------

// Length of the valid UTF-8 sequence at p (1–4), or 0 when the bytes there are not one.
std::size_t utf8_sequence(const unsigned char* p, const unsigned char* end) noexcept {
  const unsigned char c = *p;
  if (c < 0x80) return 1;
  std::size_t n;
  std::uint32_t cp;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 1;
    cp = c & 0x1Fu;
  } else if ((c & 0xF0) == 0xE0) {
    n = 2;
    cp = c & 0x0Fu;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 3;
    cp = c & 0x07u;
  } else {
    return 0;
  }
  if (static_cast<std::size_t>(end - p) <= n) return 0;
  for (std::size_t i = 1; i <= n; ++i) {
    if ((p[i] & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (p[i] & 0x3Fu);
  }
  if (n == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) return 0;
  if (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)) return 0;
  return n + 1;
}

bool valid_utf8(std::string_view s) noexcept {
  auto p = reinterpret_cast<const unsigned char*>(s.data());
  const auto end = p + s.size();
  while (p < end) {
    // ASCII runs eight bytes at a time.
    while (end - p >= 8) {
      std::uint64_t w;
      std::memcpy(&w, p, 8);
      if (w & 0x8080808080808080ull) break;
      p += 8;
    }
    if (p == end) break;
    const std::size_t n = utf8_sequence(p, end);
    if (n == 0) return false;
    p += n;
  }
  return true;
}

// UTF-8 that announced itself with a BOM but has bad bytes: those become U+FFFD.
std::string repair_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  auto p = reinterpret_cast<const unsigned char*>(s.data());
  const auto end = p + s.size();
  while (p < end) {
    const std::size_t n = utf8_sequence(p, end);
    if (n == 0) {
      out += "\xEF\xBF\xBD";
      ++p;
    } else {
      out.append(reinterpret_cast<const char*>(p), n);
      p += n;
    }
  }
  return out;
}

// Windows-1252 as the WHATWG Encoding Standard maps it: 0x80–0x9F per its table (the five holes
// map to the C1 controls of the same number), everything else to the code point of the same value.
constexpr std::array<std::uint16_t, 32> cp1252_high = {0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
                                                       0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
                                                       0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
                                                       0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};

std::string decode_1252(std::string_view s) {
  std::string out;
  out.reserve(s.size() + s.size() / 8);
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x80) {
      out += ch;
    } else if (c < 0xA0) {
      detail::append_utf8(out, cp1252_high[c - 0x80]);
    } else {
      detail::append_utf8(out, c);
    }
  }
  return out;
}

// Decodes into `storage` when conversion is needed; otherwise returns a view of the input.
std::string_view decode(std::string_view bytes, std::string& storage, std::string& name) {
  auto starts = [&](std::string_view p) { return bytes.substr(0, p.size()) == p; };
  if (starts("\xEF\xBB\xBF")) {
    name = "UTF-8 BOM";
    const std::string_view rest = bytes.substr(3);
    if (valid_utf8(rest)) return rest;
    storage = repair_utf8(rest);
    return storage;
  }
  if (starts("\xFF\xFE")) {
    name = "UTF-16LE";
    storage = detail::utf16_to_utf8(bytes.substr(2), true);
    return storage;
  }
  if (starts("\xFE\xFF")) {
    name = "UTF-16BE";
    storage = detail::utf16_to_utf8(bytes.substr(2), false);
    return storage;
  }
  if (valid_utf8(bytes)) {
    name = "UTF-8";
    return bytes;
  }
  name = "windows-1252";
  storage = decode_1252(bytes);
  return storage;
}

// ---- binary junk ------------------------------------------------------------------------------

// What a non-text file looks like, from its first bytes; empty when it does not look like anything.
std::string_view binary_signature(std::string_view b) {
  struct sig {
    std::string_view magic, what;
  };
  static constexpr sig sigs[] = {
      // `what` names a message: read.kind.<what> (read.legacy_office for "xls").
      {"%PDF-", "pdf"},
      {"\x89PNG\r\n\x1A\n", "png"},
      {"\xFF\xD8\xFF", "jpeg"},
      {"GIF87a", "gif"},
      {"GIF89a", "gif"},
      {"PK\x03\x04", "zip"},
      {std::string_view("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8), "xls"},
      {std::string_view("\x1F\x8B", 2), "gzip"},
      {"7z\xBC\xAF\x27\x1C", "7z"},
      {"Rar!", "rar"},
      {"\x7F"
       "ELF",
       "program"},
  };
  for (const auto& s : sigs)
    if (b.substr(0, s.magic.size()) == s.magic) return s.what;
  return {};
}

// An OLE compound file (the container of old .xls files) whose directory holds an
// `EncryptedPackage` stream: that is how Excel (and LibreOffice) save an .xlsx with a password
// ([MS-OFFCRYPTO] 2.3.4.4). Walks the directory's sector chain through the FAT sectors the header
// lists; a damaged or odd container just answers false.
bool ole_encrypted_package(std::string_view b) {
  auto u16 = [&](std::size_t i) -> std::uint32_t {
    return i + 2 <= b.size() ? static_cast<unsigned char>(b[i]) | (static_cast<unsigned char>(b[i + 1]) << 8u) : 0;
  };
  auto u32 = [&](std::size_t i) -> std::uint32_t {
    return i + 4 <= b.size() ? u16(i) | (u16(i + 2) << 16u) : 0xFFFFFFFFu;
  };
  if (b.size() < 512) return false;
  const std::uint32_t shift = u16(30);
  if (shift != 9 && shift != 12) return false;
  const std::size_t sector = std::size_t{1} << shift;
  const auto offset = [&](std::uint32_t sid) { return (static_cast<std::size_t>(sid) + 1) << shift; };
  // The FAT: the first 109 FAT sectors are listed in the header (enough for ~7 MB at 512-byte
  // sectors, where the directory always starts).
  const std::uint32_t fat_sectors = std::min<std::uint32_t>(u32(44), 109);
  auto next = [&](std::uint32_t sid) -> std::uint32_t {
    const std::size_t per = sector / 4;
    const std::size_t k = sid / per;
    if (k >= fat_sectors) return 0xFFFFFFFEu;
    const std::uint32_t fat = u32(76 + 4 * k);
    if (fat >= 0xFFFFFFFAu) return 0xFFFFFFFEu;
    return u32(offset(fat) + 4 * (sid % per));
  };
  constexpr std::string_view want = "EncryptedPackage";
  std::uint32_t sid = u32(48);
  for (int hops = 0; sid < 0xFFFFFFFAu && hops < 4096; ++hops, sid = next(sid)) {
    const std::size_t at = offset(sid);
    if (at + sector > b.size()) return false;
    for (std::size_t e = at; e + 128 <= at + sector; e += 128) {
      const std::uint32_t len = u16(e + 64);  // bytes, with the terminating NUL
      if (len != 2 * (want.size() + 1)) continue;
      bool same = true;
      for (std::size_t k = 0; k < want.size() && same; ++k)
        same = u16(e + 2 * k) == static_cast<unsigned char>(want[k]);
      if (same) return true;
    }
  }
  return false;
}

// Whether `text` holds a NUL byte. Emscripten's memchr goes a word at a time (63 ms of a 1.9 s
// read of 122 MB in the page); the page's build looks at 64 bytes per step in simd128.
bool has_nul(std::string_view text) noexcept {
#if defined(__wasm_simd128__)
  const char* p = text.data();
  const char* const end = p + text.size();
  const v128_t zero = wasm_i8x16_splat(0);
  for (; end - p >= 64; p += 64) {
    const v128_t a = wasm_i8x16_eq(wasm_v128_load(p), zero), b = wasm_i8x16_eq(wasm_v128_load(p + 16), zero),
                 c = wasm_i8x16_eq(wasm_v128_load(p + 32), zero), d = wasm_i8x16_eq(wasm_v128_load(p + 48), zero);
    if (wasm_v128_any_true(wasm_v128_or(wasm_v128_or(a, b), wasm_v128_or(c, d)))) return true;
  }
  return std::memchr(p, 0, static_cast<std::size_t>(end - p)) != nullptr;
#else
  return std::memchr(text.data(), 0, text.size()) != nullptr;
#endif
}

// Text spreadsheets hold no NUL bytes and almost no other control characters.
bool looks_binary(std::string_view text) {
  if (has_nul(text)) return true;
  const std::string_view head = text.substr(0, 64 * 1024);
  std::size_t controls = 0;
  for (char ch : head) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') || c == 0x7F) ++controls;
  }
  return controls > 8 && controls * 100 > head.size();
}

// UTF-16 without a byte-order mark: ASCII text with a NUL beside every character. Returns
// "little-endian" or "big-endian", or empty when the bytes do not look like that.
std::string_view utf16_without_bom(std::string_view b) {
  const std::size_t n = std::min<std::size_t>(b.size(), 4096) & ~std::size_t{1};
  if (n < 4) return {};
  std::size_t even_nul = 0, odd_nul = 0;
  for (std::size_t i = 0; i < n; i += 2) {
    even_nul += b[i] == '\0';
    odd_nul += b[i + 1] == '\0';
  }
  const std::size_t pairs = n / 2;
  if (odd_nul * 10 >= pairs * 7 && even_nul * 10 <= pairs) return "little-endian";
  if (even_nul * 10 >= pairs * 7 && odd_nul * 10 <= pairs) return "big-endian";
  return {};
}

// ---- the parser -------------------------------------------------------------------------------

struct field_ref {
  std::size_t begin;  // into the text, or into the scratch buffer for unescaped quoted cells
  std::size_t size;
  bool scratch;
};

class csv_reader {
 public:
  csv_reader(std::string_view text, std::size_t raw_size, char delimiter, const read_options& options,
             const read_limits& limits, table& out, std::size_t first_line = 1)
      : text_(text),
        raw_size_(raw_size),
        delim_(delimiter),
        options_(options),
        limits_(limits),
        t_(out),
        total_(text.size()),
        line_(first_line),
        record_line_(first_line) {
    stop_.fill(false);
    stop_[static_cast<unsigned char>(delimiter)] = true;
    stop_['\r'] = stop_['\n'] = true;
    field_cap_ = limits.max_columns + 1;
    fields_.resize(std::min<std::size_t>(field_cap_, 64));  // grows by doubling in add_field
    next_progress_ = progress_step;
  }

  void run() {
    parse();
    finish();
  }

  // ---- a stream's text, a piece at a time (csv_stream) --------------------------------------
  // The reader reads `text` as the bytes of the file's text from `base` on, of `total` in all (for
  // the estimates that size the arenas and scale the progress). Unless `final`, a record that
  // reaches the end of `text` could go on in the next piece: parse() stops before it.
  void set_text(std::string_view text, std::size_t base, std::size_t total, bool final) {
    text_ = text;
    base_ = base;
    total_ = total;
    final_ = final;
    pos_ = 0;
    stops_base_ = ~std::size_t{0};
  }

  // Reads every record the text completes; answers where the first one it does not complete starts
  // (the text's size when none is left). The rows read are pushed, so the text may then go.
  std::size_t parse() {
    for (;;) {
      if (!header_done_ || !detail::csv_fast_records || !fast_record()) {
        const std::size_t start = pos_, start_line = line_;
        const record r = next_record();
        if (r == record::none) break;
        if (r == record::partial) {
          // Read again from its start with the next piece (what it put in scratch_ goes with the
          // flush below: the next record after a flush starts with an empty scratch_).
          pos_ = start;
          line_ = start_line;
          break;
        }
        end_record();
      }
      if (options_.progress && at() >= next_progress_) {
        report_progress();
        next_progress_ = at() + progress_step;
      }
    }
    flush();  // rows in the batch point into the text
    return pos_;
  }

  // After the last piece: the checks of the whole file, the last rows, the last progress.
  void finish() {
    if (!header_done_) {
      if (options_.header_row != 0 && options_.header_row > record_no_)
        throw input_error(message("read.header_past_end")
                              .nested("at", at_file(t_.source))
                              .count("row", options_.header_row)
                              .count("rows", record_no_));
      throw input_error(message("read.no_table").nested("at", at_file(t_.source)));
    }
    flush();
    if (options_.progress) report_progress();
  }

 private:
  enum class record { none, done, partial };
  std::size_t at() const noexcept { return base_ + pos_; }

  // "report.csv: row 12 (line 14), column 3 ("Notes")". Rows count as a spreadsheet shows them:
  // 1-based over every row of the file, header and blank rows included.
  message where(std::size_t row, std::size_t line, std::size_t col) const {
    const bool named = header_done_ && col != 0 && col <= t_.columns.size();
    return at_cell(t_.source, {}, row, line, col,
                   named ? std::string_view(t_.columns[col - 1].name()) : std::string_view());
  }

  void report_progress() {
    // Positions are in decoded text; scale them to the input bytes the caller knows.
    std::size_t bytes = at();
    if (total_ != raw_size_ && total_ != 0)
      bytes = static_cast<std::size_t>(static_cast<double>(at()) * static_cast<double>(raw_size_) /
                                       static_cast<double>(total_));
    if (!options_.progress(std::min(bytes, raw_size_), t_.rows))
      throw input_error(message("read.cancelled").nested("at", at_file(t_.source)));
  }

  std::string_view view(const field_ref& f) const noexcept {
    return {(f.scratch ? scratch_.data() : text_.data()) + f.begin, f.size};
  }

  // Whether a cell's text makes its record not blank (blank: only spaces, tabs, line breaks, NBSP).
  static bool fills(std::string_view v) noexcept {
    if (v.empty()) return false;
    const auto c = static_cast<unsigned char>(v[0]);
    return (c != ' ' && c != '\t' && c != '\r' && c != '\n' && c != 0xC2) || !trim(v).empty();
  }

  // Records one cell. fields_ is sized once to field_cap_ and written in place (no push_back per
  // cell); cells past the cap are only counted.
  void add_field(std::size_t begin, std::size_t size, bool scratch) {
    if (size > limits_.max_cell_bytes) cell_too_big();
    if (!nonblank_ && fills({(scratch ? scratch_.data() : text_.data()) + begin, size})) nonblank_ = true;
    if (cells_ < field_cap_) {
      if (cells_ == fields_.size()) fields_.resize(std::min(field_cap_, fields_.size() * 2));
      field_ref& f = fields_[cells_];
      f.begin = begin;
      f.size = size;
      f.scratch = scratch;
    }
    ++cells_;
  }

  [[noreturn]] void cell_too_big() const {
    throw input_error(message("read.cell_too_long")
                          .nested("at", where(record_no_ + 1, record_line_, cells_ + 1))
                          .count("limit", limits_.max_cell_bytes));
  }

  // Bit i set: text_[base + i] is the delimiter, CR or LF. Positions past the end are never set.
  std::uint64_t stops_in_block(std::size_t base) const noexcept {
    if (text_.size() - base >= 64) [[likely]]
      return stops_in(text_.data() + base);
    return stops_in_tail(base);
  }

  // The last block, zero-padded: NUL is neither the delimiter nor a line break. Apart, so that the
  // padding is not cleared for every block (the compiler hoisted it when inline).
  [[gnu::noinline]] std::uint64_t stops_in_tail(std::size_t base) const noexcept {
    char tail[64] = {};
    std::memcpy(tail, text_.data() + base, text_.size() - base);
    return stops_in(tail);
  }

  std::uint64_t stops_in(const char* data) const noexcept {
    std::uint64_t mask = 0;
#if defined(__SSE2__)
    const __m128i d = _mm_set1_epi8(delim_), cr = _mm_set1_epi8('\r'), lf = _mm_set1_epi8('\n');
    for (int k = 0; k < 4; ++k) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data + 16 * k));
      const __m128i hit =
          _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, d), _mm_cmpeq_epi8(v, cr)), _mm_cmpeq_epi8(v, lf));
      mask |= static_cast<std::uint64_t>(static_cast<std::uint32_t>(_mm_movemask_epi8(hit))) << (16 * k);
    }
#elif defined(__wasm_simd128__)
    // The same 16 bytes at a time in WebAssembly's simd128 (the page's build).
    const v128_t d = wasm_i8x16_splat(delim_), cr = wasm_i8x16_splat('\r'), lf = wasm_i8x16_splat('\n');
    for (int k = 0; k < 4; ++k) {
      const v128_t v = wasm_v128_load(data + 16 * k);
      const v128_t hit = wasm_v128_or(wasm_v128_or(wasm_i8x16_eq(v, d), wasm_i8x16_eq(v, cr)), wasm_i8x16_eq(v, lf));
      mask |= static_cast<std::uint64_t>(wasm_i8x16_bitmask(hit)) << (16 * k);
    }
#else
    // Eight bytes at a time: 0x80 in every byte equal to a pattern (exact, no borrow between
    // bytes), then the eight flags gathered into a byte by one multiplication.
    constexpr std::uint64_t ones = 0x0101010101010101ull, low7 = 0x7F7F7F7F7F7F7F7Full;
    const std::uint64_t dd = ones * static_cast<unsigned char>(delim_), cr = ones * '\r', lf = ones * '\n';
    auto zero_bytes = [](std::uint64_t x) { return ~(((x & low7) + low7) | x | low7); };
    for (int k = 0; k < 8; ++k) {
      std::uint64_t w;
      std::memcpy(&w, data + 8 * k, 8);
      if constexpr (std::endian::native == std::endian::big) w = __builtin_bswap64(w);
      const std::uint64_t hit = zero_bytes(w ^ dd) | zero_bytes(w ^ cr) | zero_bytes(w ^ lf);
      mask |= ((hit * 0x0002040810204081ull) >> 56) << (8 * k);
    }
#endif
    return mask;
  }

  // Where the unquoted cell at p ends: its delimiter or line break, or n (the text's end) if none.
  std::size_t next_stop(std::size_t p) noexcept {
    const std::size_t n = text_.size();
    for (;;) {
      const std::size_t base = p & ~std::size_t{63};
      if (base != stops_base_) {
        stops_ = stops_in_block(base);
        stops_base_ = base;
      }
      const std::uint64_t m = stops_ & (~std::uint64_t{0} << (p - base));
      if (m != 0) return base + static_cast<std::size_t>(std::countr_zero(m));
      p = base + 64;
      if (p >= n) return n;
    }
  }

  // Reads the record at pos_ straight into the batch when it is the common kind: as many cells as
  // the columns, each unquoted or quoted without "" and without text after the closing quote, not
  // blank, ended by a line break inside the text, with no limit reached. Answers false, having
  // changed nothing but batch slots past batch_count_, for any other record, which next_record()
  // and end_record() then read (each check below is one of theirs, so both read it alike).
  bool fast_record() {
    const std::size_t ncols = t_.columns.size();
    if (ncols == 0 || t_.rows == limits_.max_rows || t_.rows + 1 > limits_.max_cells / ncols) return false;
    const char* const data = text_.data();
    const std::size_t n = text_.size();
    std::string_view* cell = batch_.data() + batch_count_;
    std::size_t p = pos_, breaks = 0;
    bool nonblank = false;
    for (std::size_t j = 0;; ++j, cell += batch_rows_) {
      if (j == ncols) return false;  // more cells than columns
      std::size_t begin = p, end;
      if (p < n && data[p] == '"') {
        const void* q = p + 1 < n ? std::memchr(data + p + 1, '"', n - p - 1) : nullptr;
        if (q == nullptr) return false;
        end = static_cast<std::size_t>(static_cast<const char*>(q) - data);
        if (end + 1 >= n) return false;
        const char after = data[end + 1];
        if (after != delim_ && after != '\n' && after != '\r') return false;  // "" or text after the quote
        breaks += static_cast<std::size_t>(std::count(data + p + 1, data + end, '\n'));
        begin = p + 1;
        p = end + 1;
      } else {
        p = end = next_stop(p);
        if (p == n) return false;
      }
      const std::size_t size = end - begin;
      if (size > limits_.max_cell_bytes) return false;
      *cell = {data + begin, size};
      if (!nonblank) nonblank = fills(*cell);
      const char c = data[p++];
      if (c == delim_) continue;  // (at the text's end, the next cell has no stop: false)
      if (j + 1 != ncols || !nonblank) return false;  // fewer cells than columns, or a blank record
      if (c == '\r') {
        if (p == n) return false;  // CR LF may be split between pieces
        if (data[p] == '\n') ++p;
      }
      break;
    }
    pos_ = p;
    record_line_ = line_;
    line_ += breaks + 1;
    ++record_no_;
    ++t_.rows;
    row_batched();
    return true;
  }

  // An unquoted cell ends at the next delimiter or line break. The stops of the current 64-byte
  // block are kept as a bitmask, so each byte is looked at once, however short the cells.
  void parse_unquoted() {
    const std::size_t p = next_stop(pos_);
    add_field(pos_, p - pos_, false);
    pos_ = p;
  }

  // False when the text ends before the cell does (a stream's piece that is not the last).
  bool parse_quoted() {
    const char* const data = text_.data();
    const std::size_t n = text_.size();
    const std::size_t open = pos_, open_line = line_;
    const std::size_t content = open + 1;
    const std::size_t scratch_begin = scratch_.size();
    bool use_scratch = false;
    std::size_t seg = content, p = content, close = 0;
    for (;;) {
      const void* q = p < n ? std::memchr(data + p, '"', n - p) : nullptr;
      if (q == nullptr) {
        // More text may close it, unless the cell is already past the limit either way.
        if (!final_ && n - content <= limits_.max_cell_bytes) return false;
        if (!final_) cell_too_big();
        throw input_error(message("csv.unclosed_quote").nested("at", where(record_no_ + 1, open_line, cells_ + 1)));
      }
      const std::size_t qi = static_cast<std::size_t>(static_cast<const char*>(q) - data);
      line_ += static_cast<std::size_t>(std::count(data + p, data + qi, '\n'));
      if (qi - content > limits_.max_cell_bytes) cell_too_big();
      if (qi + 1 < n && data[qi + 1] == '"') {  // "" stands for one quote
        use_scratch = true;
        scratch_.append(data + seg, qi + 1 - seg);
        p = seg = qi + 2;
        continue;
      }
      close = qi;
      break;
    }
    if (use_scratch) scratch_.append(data + seg, close - seg);
    pos_ = close + 1;
    // Text after the closing quote ("abc"def) is kept, as most spreadsheet programs do.
    if (pos_ < n && !stop_[static_cast<unsigned char>(data[pos_])]) {
      std::size_t j = pos_;
      while (j < n && !stop_[static_cast<unsigned char>(data[j])]) ++j;
      if (!use_scratch) {
        use_scratch = true;
        scratch_.append(data + content, close - content);
      }
      scratch_.append(data + pos_, j - pos_);
      pos_ = j;
    }
    if (use_scratch) {
      add_field(scratch_begin, scratch_.size() - scratch_begin, true);
    } else {
      add_field(content, close - content, false);
    }
    return true;
  }

  // Reads one record into fields_; `none` at the end of the text. A piece of a stream that is not
  // the last answers `partial` for a record that could go on past its end (parse() reads it again).
  record next_record() {
    const std::size_t n = text_.size();
    if (pos_ >= n) return record::none;
    if (batch_count_ == 0) scratch_.clear();  // rows waiting in the batch may point into it
    cells_ = 0;
    nonblank_ = false;
    record_line_ = line_;
    for (;;) {
      if (text_[pos_] == '"') {
        if (!parse_quoted()) return record::partial;
      } else {
        parse_unquoted();
      }
      if (pos_ >= n) return final_ ? record::done : record::partial;
      const char c = text_[pos_++];
      if (c == delim_) {
        if (pos_ >= n) {  // a delimiter right at the end: one more, empty cell
          if (!final_) return record::partial;
          add_field(pos_, 0, false);
          return record::done;
        }
        continue;
      }
      if (c == '\r' && pos_ >= n && !final_) return record::partial;  // CR, or CR LF split
      if (c == '\r' && pos_ < n && text_[pos_] == '\n') ++pos_;
      ++line_;
      return record::done;
    }
  }

  void end_record() {
    ++record_no_;
    if (!header_done_) {
      if (options_.header_row != 0) {
        if (record_no_ < options_.header_row) return;  // above the chosen header: not part of the table
        if (!nonblank_)
          throw input_error(message("read.header_empty").nested("at", at_file(t_.source)).count("row", record_no_));
      } else if (!nonblank_) {
        ++t_.skipped_blank_rows;
        return;
      }
      make_header();
      return;
    }
    if (!nonblank_) {
      ++t_.skipped_blank_rows;
      return;
    }
    if (t_.rows == limits_.max_rows)
      throw input_error(
          message("read.too_many_rows").nested("at", at_file(t_.source)).count("limit", limits_.max_rows));
    const std::size_t ncols = t_.columns.size();
    if (ncols > 0 && t_.rows + 1 > limits_.max_cells / ncols)
      throw input_error(message("read.too_many_cells")
                            .nested("at", at_file(t_.source))
                            .count("columns", ncols)
                            .count("rows", t_.rows)
                            .count("limit", limits_.max_cells));
    ++t_.rows;
    if (cells_ != ncols) {
      ++t_.ragged_count;
      if (t_.ragged.size() < max_ragged_examples) t_.ragged.push_back({t_.rows, cells_});
    }
    const std::size_t have = std::min(cells_, ncols);
    const std::size_t k = batch_count_;
    for (std::size_t j = 0; j < have; ++j) {
      const field_ref& f = fields_[j];
      if (f.scratch) {
        // scratch_ may still move as the batch grows: the view is made at the flush.
        scratch_cells_.push_back({j * batch_rows_ + k, f.begin, f.size});
        batch_[j * batch_rows_ + k] = {};
      } else {
        batch_[j * batch_rows_ + k] = {text_.data() + f.begin, f.size};
      }
    }
    for (std::size_t j = have; j < ncols; ++j) batch_[j * batch_rows_ + k] = {};
    row_batched();
  }

  // After a row's cells are in the batch (t_.rows counts it): its record and line, and the flush
  // of a full batch.
  void row_batched() {
    batch_record_[batch_count_] = record_no_;
    batch_line_[batch_count_] = record_line_;
    if (++batch_count_ == batch_rows_) flush();
    if (t_.rows == reserve_after_rows) reserve_rest();
  }

  // Pushes the batched rows into the columns, one column at a time.
  void flush() {
    const std::size_t rows = batch_count_;
    if (rows == 0) return;
    for (const auto& c : scratch_cells_) batch_[c.slot] = {scratch_.data() + c.begin, c.size};
    const std::size_t ncols = t_.columns.size();
    bool fits = true;
    for (std::size_t j = 0; j < ncols && fits; ++j) {
      std::size_t bytes = t_.columns[j].text_bytes();
      for (std::size_t k = 0; k < rows; ++k) bytes += batch_[j * batch_rows_ + k].size();
      fits = bytes <= column::max_text_bytes;
    }
    if (fits) {
      for (std::size_t j = 0; j < ncols; ++j) t_.columns[j].push_texts(&batch_[j * batch_rows_], rows, likely_mark());
    } else {
      // A column is about to overflow: push cell by cell, row by row, so the error names the row.
      for (std::size_t k = 0; k < rows; ++k) {
        try {
          for (std::size_t j = 0; j < ncols; ++j) t_.columns[j].push_text(batch_[j * batch_rows_ + k]);
        } catch (const input_error& e) {
          throw input_error(message("read.in_row")
                                .nested("at", where(batch_record_[k], batch_line_[k], 0))
                                .nested("problem", e.msg()));
        }
      }
    }
    batch_count_ = 0;
    scratch_cells_.clear();
    scratch_.clear();  // (a batch may start with a fast record, which does not clear it)
  }

  void make_header() {
    if (cells_ > limits_.max_columns)
      throw input_error(message("read.too_many_columns")
                            .nested("at", where(record_no_, record_line_, 0))
                            .count("columns", cells_)
                            .count("limit", limits_.max_columns));
    t_.columns.reserve(cells_);
    for (std::size_t j = 0; j < cells_; ++j) t_.columns.emplace_back(std::string(view(fields_[j])));
    start_rows();
  }

 public:
  // ---- the rest of a file, read apart from its first part (csv_stream's rest) ----------------
  // Its text starts at a record start after the header, which the first part read: the reader takes
  // unnamed columns that read their cells as the first part's do (column::push_reading). Call after
  // set_text, which gives the total.
  void start_without_header(const std::vector<char>& readings) {
    t_.columns.resize(readings.size());
    for (std::size_t j = 0; j < readings.size(); ++j) t_.columns[j].read_pushes_as(readings[j]);
    start_rows();
  }
  bool header_read() const noexcept { return header_done_; }
  char likely_mark() const noexcept { return delim_ == ';' ? ',' : '.'; }

 private:
  // After the header: the batch sized for the columns.
  void start_rows() {
    field_cap_ = t_.columns.size();
    batch_rows_ = std::clamp<std::size_t>(batch_cells / std::max<std::size_t>(t_.columns.size(), 1), 1, max_batch_rows);
    // Every row takes at least one byte: a small file never needs the whole batch (a wide header
    // over a few bytes allocated and cleared 128 kB per file).
    batch_rows_ = std::min(batch_rows_, total_ - std::min(total_, at()) + 1);
    batch_.resize(t_.columns.size() * batch_rows_);
    header_done_ = true;
    data_start_ = at();
  }

  // After a sample of rows, size every column's arrays for the rest of the file, so the arenas grow
  // once instead of doubling their way up.
  void reserve_rest() {
    flush();
    const std::size_t used = at() - data_start_;
    if (used == 0) return;
    const double per_row = static_cast<double>(used) / static_cast<double>(t_.rows);
    const double rest_rows = static_cast<double>(total_ - std::min(total_, at())) / per_row;
    // Never reserve past what the row and cell limits let through: those refuse the file first.
    const std::size_t row_cap =
        std::min(limits_.max_rows, limits_.max_cells / std::max<std::size_t>(t_.columns.size(), 1));
    const std::size_t rows = std::min<std::size_t>(row_cap, t_.rows + static_cast<std::size_t>(rest_rows * 1.05) + 16);
    for (auto& c : t_.columns) {
      const double per_cell = static_cast<double>(c.text_bytes()) / static_cast<double>(t_.rows);
      c.reserve(rows, static_cast<std::size_t>(per_cell * static_cast<double>(rows) * 1.05) + 64);
    }
  }

  std::string_view text_;
  std::size_t raw_size_;
  char delim_;
  const read_options& options_;
  const read_limits& limits_;
  table& t_;
  std::array<bool, 256> stop_{};
  std::size_t base_ = 0, total_ = 0;  // text_ starts at byte base_ of total_ (a stream's piece)
  bool final_ = true;  // no text follows text_

  std::size_t line_ = 1, record_line_ = 1;
  std::size_t pos_ = 0, record_no_ = 0;
  std::vector<field_ref> fields_;
  std::string scratch_;
  std::size_t cells_ = 0, field_cap_ = 0;
  bool nonblank_ = false, header_done_ = false;
  std::size_t data_start_ = 0, next_progress_ = 0;
  std::size_t stops_base_ = ~std::size_t{0};  // block whose stops_ are known (none yet)
  std::uint64_t stops_ = 0;

  // Accepted rows not yet pushed: cell views column-major (batch_[column * batch_rows_ + row]), the
  // record and line of each row for messages, and the cells whose bytes are in scratch_.
  struct scratch_cell {
    std::size_t slot, begin, size;
  };
  std::vector<std::string_view> batch_;
  std::array<std::size_t, max_batch_rows> batch_record_{}, batch_line_{};
  std::vector<scratch_cell> scratch_cells_;
  std::size_t batch_count_ = 0, batch_rows_ = 1;
};

}  // namespace

std::string decode_text(std::string_view bytes, std::string& encoding_name) {
  std::string storage;
  const std::string_view text = decode(bytes, storage, encoding_name);
  if (text.data() == storage.data() && text.size() == storage.size()) return storage;
  return std::string(text);
}

namespace {

// Where the first line with anything on it starts (lines of only spaces and tabs are skipped).
std::size_t first_filled_line(std::string_view text) noexcept {
  std::size_t i = 0;
  const std::size_t n = text.size();
  for (;;) {
    std::size_t j = i;
    while (j < n && (text[j] == ' ' || text[j] == '\t')) ++j;
    if (j < n && (text[j] == '\r' || text[j] == '\n')) {
      i = j + 1;
      continue;
    }
    return i;
  }
}

// True when the text holds the whole first line with anything on it, as sniff_delimiter reads it:
// the delimiter a stream's first piece gives is then the whole file's.
bool first_line_ends(std::string_view text) noexcept {
  bool quoted = false;
  for (std::size_t i = first_filled_line(text); i < text.size(); ++i) {
    if (text[i] == '"')
      quoted = !quoted;
    else if (!quoted && (text[i] == '\n' || text[i] == '\r'))
      return true;
  }
  return false;
}

}  // namespace

char sniff_delimiter(std::string_view text) noexcept {
  std::size_t i = first_filled_line(text);
  const std::size_t n = text.size();
  std::size_t comma = 0, semicolon = 0, tab = 0, pipe = 0;
  bool quoted = false;
  for (; i < n; ++i) {
    const char c = text[i];
    if (c == '"') {
      quoted = !quoted;  // "" inside quotes toggles twice: no change
    } else if (quoted) {
      continue;
    } else if (c == '\n' || c == '\r') {
      break;
    } else if (c == ',') {
      ++comma;
    } else if (c == ';') {
      ++semicolon;
    } else if (c == '\t') {
      ++tab;
    } else if (c == '|') {
      ++pipe;
    }
  }
  char best = ',';
  std::size_t most = comma;
  if (semicolon > most) best = ';', most = semicolon;
  if (tab > most) best = '\t', most = tab;
  if (pipe > most) best = '|', most = pipe;
  return best;
}

// Excel's `sep=;` first line (it writes one when asked, and honours it when opening): a directive
// naming the delimiter, not a row. Returns the delimiter and the length of the line with its line
// end, or 0 when the text does not start with one. A quoted `"sep=;"` is a cell like any other:
// that is how a one-column table whose header is `sep=;` is written.
char sep_directive(std::string_view text, std::size_t& length) noexcept {
  if (text.size() < 5) return 0;
  for (std::size_t k = 0; k < 4; ++k) {
    char c = text[k];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != "sep="[k]) return 0;
  }
  const char d = text[4];
  if (d == '"' || d == '\r' || d == '\n' || static_cast<unsigned char>(d) >= 0x80) return 0;
  std::size_t i = 5;
  if (i < text.size() && text[i] != '\r' && text[i] != '\n') return 0;
  if (i < text.size() && text[i] == '\r') ++i;  // CR LF, CR or LF
  if (i < text.size() && text[i] == '\n') ++i;
  length = i;
  return d;
}

namespace {

// The delimiter read_csv reads with: the caller's, else Excel's `sep=` line's, else the sniffed one.
char delimiter_for(const read_options& options, char directive, std::string_view rows) noexcept {
  return options.delimiter ? options.delimiter : directive ? directive : sniff_delimiter(rows);
}

bool usable_delimiter(char d) noexcept { return d != '"' && d != '\r' && d != '\n'; }

// What every read ends with: the contract's header names, then each column's type.
void finish_columns(table& t, const read_options& options) {
  t.fix_headers();
  for (auto& c : t.columns) c.infer(t.delimiter == ';', options.default_dates);
}

}  // namespace

struct csv_stream::state {
  read_options options;
  read_limits limits;
  std::size_t total;  // the file's bytes
  std::size_t head;  // bytes gathered before the first decisions (all of a file no larger)
  table t;
  std::optional<csv_reader> reader;
  std::string buf;  // the record the last piece left unfinished, then the new piece
  std::size_t skip = 0;  // bytes of buf before the text (byte-order mark, sep= line): first piece only
  std::size_t consumed = 0;  // text bytes read before buf
  std::size_t text_total = 0;
  bool refused = false;
  bool rest = false;  // the rest of a file (finish_rest), not a whole one
  bool appended = false;  // the rest's rows are in (append_rest): nothing more is fed
};

csv_stream::csv_stream(std::size_t total_bytes, const read_options& options, const read_limits& limits)
    : s_(std::make_unique<state>()) {
  s_->options = options;
  s_->limits = limits;
  s_->total = total_bytes;
  // read_csv's binary check counts control characters in the first 64 KiB of text, which starts
  // after a byte-order mark: the head holds them, so the stream decides as read_csv does.
  // A file no larger than that is gathered whole and read by read_csv.
  constexpr std::size_t head = (std::size_t{1} << 16) + 3;
  s_->head = total_bytes > head ? head : std::numeric_limits<std::size_t>::max();
  s_->t.source = options.source;
}

csv_stream::csv_stream(std::size_t total_bytes, const csv_shape& shape, const read_options& options,
                       const read_limits& limits)
    : s_(std::make_unique<state>()) {
  state& s = *s_;
  s.options = options;
  s.limits = limits;
  s.total = s.text_total = total_bytes;
  s.head = std::numeric_limits<std::size_t>::max();
  s.rest = true;
  s.t.source = options.source;
  s.t.delimiter = shape.delimiter;
  s.t.encoding = "UTF-8";
  s.reader.emplace(std::string_view{}, total_bytes, shape.delimiter, s.options, s.limits, s.t);
  s.reader->set_text({}, 0, total_bytes, false);
  std::vector<char> readings = shape.readings;
  readings.resize(shape.columns, '-');
  s.reader->start_without_header(readings);
}

csv_stream::~csv_stream() = default;

std::optional<csv_shape> csv_stream::shape() const {
  const state& s = *s_;
  if (s.refused || s.rest || !s.reader || !s.reader->header_read()) return std::nullopt;
  csv_shape shape{s.t.columns.size(), s.t.delimiter, {}};
  for (const auto& c : s.t.columns) shape.readings.push_back(c.push_reading());
  return shape;
}

std::size_t csv_stream::held() const noexcept { return s_->buf.size() - s_->skip; }

csv_rest csv_rest::of(const table& rest) {
  csv_rest r;
  r.rows = rest.rows;
  r.skipped_blank_rows = rest.skipped_blank_rows;
  r.ragged_count = rest.ragged_count;
  r.ragged = rest.ragged;
  for (const auto& c : rest.columns) r.text_bytes.push_back(c.text_bytes());
  return r;
}

std::optional<table> csv_stream::finish_rest() {
  state& s = *s_;
  if (!s.rest) throw std::logic_error("csv_stream::finish_rest: not a rest's stream");
  // The last piece's tail past its last ASCII byte was not checked yet (feed): a file whose last
  // byte is not UTF-8 is read another way (finish() hands it back too).
  if (s.refused || !valid_utf8(s.buf)) return s.refused = true, std::nullopt;
  s.reader->set_text(s.buf, s.consumed, s.text_total, true);
  s.reader->parse();
  s.reader->finish();
  return std::move(s.t);
}

bool csv_stream::append_rest(const csv_rest& rest) {
  state& s = *s_;
  if (s.rest || s.appended || s.refused || !s.reader || !s.reader->header_read() || held() != 0) return false;
  table& t = s.t;
  const std::size_t ncols = t.columns.size();
  if (rest.text_bytes.size() != ncols) return false;
  // The limits the rows would meet read here (their messages are the whole read's: the caller
  // reads the rest here instead).
  const std::size_t rows = t.rows + rest.rows;
  if (rows > s.limits.max_rows || rows > s.limits.max_cells / ncols) return false;
  for (std::size_t j = 0; j < ncols; ++j)
    if (rest.text_bytes[j] > column::max_text_bytes - t.columns[j].text_bytes()) return false;
  for (const auto& r : rest.ragged) {
    if (t.ragged.size() >= max_ragged_examples) break;
    t.ragged.push_back({t.rows + r.row, r.cells});
  }
  t.ragged_count += rest.ragged_count;
  t.skipped_blank_rows += rest.skipped_blank_rows;
  t.rows = rows;
  s.appended = true;
  return true;
}

void csv_stream::append_read(std::size_t j, std::string_view text, const std::uint32_t* ends, std::size_t count,
                             char reading, const column::push_tally& tally, const double* numbers) {
  state& s = *s_;
  if (!s.appended) throw std::logic_error("csv_stream::append_read before append_rest");
  column& c = s.t.columns.at(j);
  if (c.push_read(text, ends, count, reading, tally, numbers)) return;
  // Read another way here: the cells are pushed.
  const auto cell = [&](std::size_t i) {
    const std::uint32_t begin = i ? ends[i - 1] : 0;
    return text.substr(begin, ends[i] - begin);
  };
  c.push_texts_of(count, cell, s.reader->likely_mark());
}

void csv_stream::append_coded(std::size_t j, const std::string_view* entries, std::size_t entry_count,
                              const std::uint16_t* codes, std::size_t count) {
  state& s = *s_;
  if (!s.appended) throw std::logic_error("csv_stream::append_coded before append_rest");
  s.t.columns.at(j).push_coded(entries, entry_count, codes, count, s.reader->likely_mark());
}

bool csv_stream::feed(std::string_view bytes) {
  state& s = *s_;
  if (s.refused) return false;
  if (s.appended) throw std::logic_error("csv_stream::feed after append_rest");
  // Every byte is UTF-8 text: a NUL makes it binary by read_csv's rule, anywhere in the file.
  if (has_nul(bytes)) return s.refused = true, false;
  s.buf.append(bytes);
  if (!s.reader) {
    if (s.buf.size() < s.head) return true;
    // read_csv's decisions, from the head: anything but UTF-8 (with or without a byte-order mark)
    // is read whole by read_csv.
    const std::string_view b = s.buf;
    // (An OLE container, encrypted or not, is one of binary_signature's.)
    if (!binary_signature(b).empty() || b.substr(0, 2) == "\xFF\xFE" || b.substr(0, 2) == "\xFE\xFF" ||
        !utf16_without_bom(b).empty())
      return s.refused = true, false;
    s.skip = b.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
    s.t.encoding = s.skip ? "UTF-8 BOM" : "UTF-8";
    std::string_view text = b.substr(s.skip);
    if (looks_binary(text)) return s.refused = true, false;
    std::size_t directive_length = 0;
    const char directive = sep_directive(text, directive_length);
    text = text.substr(directive_length);
    if (!s.options.delimiter && !directive && !first_line_ends(text)) return s.refused = true, false;
    const char delimiter = delimiter_for(s.options, directive, text);
    if (!usable_delimiter(delimiter)) return s.refused = true, false;
    s.t.delimiter = delimiter;
    s.skip += directive_length;
    s.text_total = s.total - s.skip;
    s.reader.emplace(text, s.total, delimiter, s.options, s.limits, s.t, directive ? 2 : 1);
  }
  const std::string_view text = std::string_view(s.buf).substr(s.skip);
  // UTF-8 is checked before anything is parsed (a non-UTF-8 file is read_csv's to read, as
  // windows-1252), up to the piece's last ASCII byte: a character the piece cuts is checked whole
  // with the next one. Records end at line breaks, so what parse() reads is all checked.
  std::size_t checked = text.size();
  while (checked > 0 && static_cast<unsigned char>(text[checked - 1]) >= 0x80) --checked;
  if (!valid_utf8(text.substr(0, checked))) return s.refused = true, false;
  s.reader->set_text(text, s.consumed, s.text_total, false);
  const std::size_t done = s.reader->parse();
  s.consumed += done;
  s.buf.erase(0, s.skip + done);
  s.skip = 0;
  return true;
}

std::optional<table> csv_stream::finish() {
  state& s = *s_;
  if (s.refused) return std::nullopt;
  if (s.rest) throw std::logic_error("csv_stream::finish on a rest's stream (finish_rest)");
  // A file no larger than the head never started: it is read whole, as it always was.
  if (!s.reader) return read_csv(s.buf, s.options, s.limits);
  const std::string_view text = std::string_view(s.buf).substr(s.skip);
  if (!valid_utf8(text)) return s.refused = true, std::nullopt;
  s.reader->set_text(text, s.consumed, s.text_total, true);
  s.reader->parse();
  s.reader->finish();
  for (const auto& c : s.t.columns)
    if (c.size() != s.t.rows) throw std::logic_error("csv_stream::finish: a column of the rest was not appended");
  finish_columns(s.t, s.options);
  return std::move(s.t);
}

table read_csv(std::string_view bytes, const read_options& options, const read_limits& limits) {
  table t;
  t.source = options.source;
  if (bytes.empty()) throw input_error(message("read.empty").nested("at", at_file(options.source)));
  if (bytes.substr(0, 8) == std::string_view("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) && ole_encrypted_package(bytes))
    throw input_error(message("read.encrypted_excel").nested("at", at_file(options.source)));
  if (const std::string_view what = binary_signature(bytes); !what.empty())
    throw input_error(message(what == "xls" ? "read.legacy_office" : "read.looks_like")
                          .nested("at", at_file(options.source))
                          .nested("kind", message("read.kind." + std::string(what))));

  std::string storage;
  const std::string_view text = decode(bytes, storage, t.encoding);
  if (t.encoding != "UTF-16LE" && t.encoding != "UTF-16BE") {
    if (const std::string_view order = utf16_without_bom(bytes); !order.empty())
      throw input_error(message(order == "little-endian" ? "read.utf16_no_bom_le" : "read.utf16_no_bom_be")
                            .nested("at", at_file(options.source)));
  }
  if (looks_binary(text))
    throw input_error(
        message("read.looks_like").nested("at", at_file(options.source)).nested("kind", message("read.kind.binary")));

  std::size_t directive_length = 0;
  const char directive = sep_directive(text, directive_length);
  const std::string_view rows = text.substr(directive_length);
  const char delimiter = delimiter_for(options, directive, rows);
  if (!usable_delimiter(delimiter))
    throw input_error(message("csv.bad_delimiter").nested("at", at_file(options.source)));
  t.delimiter = delimiter;

  csv_reader(rows, bytes.size(), delimiter, options, limits, t, directive ? 2 : 1).run();
  finish_columns(t, options);
  return t;
}

}  // namespace healthscore
