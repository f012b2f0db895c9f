// SPDX-License-Identifier: MIT
// A CSV read a piece at a time (csv_stream, the page's way of reading a large file from its Blob)
// is the table read_csv makes of the whole file: every cell's kind and text, every column's type,
// decimal mark, date order, counts and number view, the table's delimiter, encoding, blank and
// ragged rows; and the stream hands back (answers false or nothing) every file read_csv would read
// another way.
#include <doctest/doctest.h>

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <functional>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "detail/csv.hpp"
#include "healthscore/csv.hpp"
#include "test_util.hpp"

using namespace healthscore;

namespace {

// Every fact a reader makes of a file, as one comparable text (numbers by their bits).
std::string facts(const table& t) {
  std::string out = t.source + "|" + t.sheet + "|" + std::string(1, t.delimiter) + "|" + t.encoding + "|" +
                    std::to_string(t.rows) + "|" + std::to_string(t.skipped_blank_rows) + "|" +
                    std::to_string(t.ragged_count) + "\n";
  for (const auto& r : t.ragged) out += "ragged " + std::to_string(r.row) + " " + std::to_string(r.cells) + "\n";
  for (const auto& c : t.columns) {
    out += "column " + c.name() + " " + to_string(c.type()) + " " + std::string(1, c.decimal_mark()) + " " +
           std::to_string(static_cast<int>(c.dates())) + " " + std::to_string(c.empty_count()) + " " +
           std::to_string(c.error_count()) + " " + std::to_string(c.unreadable_count()) + "\n";
    for (const auto& e : c.unreadable_examples()) out += "  example " + std::to_string(e.row) + " " + e.text + "\n";
    const auto& numbers = c.numbers();
    const auto& days = c.days();
    for (std::size_t r = 0; r < c.size(); ++r) {
      out += std::to_string(static_cast<int>(c.kind(r))) + ":";
      out += c.text(r);
      out += ":" + std::to_string(std::bit_cast<std::uint64_t>(numbers[r])) + ":" + std::to_string(days[r]) + "\n";
    }
  }
  return out;
}

// The table a stream makes of `bytes` fed in pieces of the sizes `next` gives, or nothing when it
// hands the file back.
template <class Next>
std::optional<table> streamed(const std::string& bytes, const read_options& o, Next next) {
  csv_stream s(bytes.size(), o);
  for (std::size_t at = 0; at < bytes.size();) {
    const std::size_t n = std::min(next(), bytes.size() - at);
    if (!s.feed(std::string_view(bytes).substr(at, n))) return std::nullopt;
    at += n;
  }
  return s.finish();
}

read_options named(const std::string& source) {
  read_options o;
  o.source = source;
  return o;
}

// A file past the stream's 64 KiB head, with every construct a record boundary can split: quoted
// cells with delimiters, doubled quotes and line breaks, CR LF / LF / CR ends, a delimiter at a
// line's end, blank lines, ragged rows, text after a closing quote, numbers with either mark,
// dates, booleans and multi-byte text.
std::string tricky_file(std::uint32_t seed, char delim, std::size_t rows, std::size_t note_bytes = 0) {
  std::mt19937 rng(seed);
  auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
  const char* ends[] = {"\r\n", "\n", "\r"};
  const std::string end = ends[pick(3)];
  std::string d(1, delim);
  std::string f = "id" + d + "name" + d + "amount" + d + "when" + d + "flag" + d + "notes" + end;
  const char* names[] = {"Ana", "José", "Zoë \xF0\x9F\x98\x80", "北京", "O'Brien"};
  for (std::size_t r = 0; r < rows; ++r) {
    if (pick(40) == 0) f += pick(2) ? end : "  " + end;  // blank row
    f += "A" + std::to_string(r) + d;
    switch (pick(5)) {
      case 0: f += "\"" + std::string(names[pick(5)]) + d + " and \"\"co\"\"\""; break;
      case 1: f += "\"line one\r\nline two\nthree\""; break;
      case 2: f += "\"quoted\"after"; break;
      case 3: f += ""; break;
      default: f += names[pick(5)];
    }
    f += d;
    const std::string amount = std::to_string(pick(100000)) +
                               (pick(2) ? "" : std::string(delim == ';' ? "," : ".") + std::to_string(pick(100)));
    f += (delim == ',' && amount.find(',') != std::string::npos) ? "\"" + amount + "\"" : amount;
    f += d + std::to_string(1 + pick(28)) + "/" + std::to_string(1 + pick(12)) + "/2026";
    f += d + (pick(2) ? "true" : "false");
    if (pick(10) == 0) {
      f += end;  // a short row
      continue;
    }
    f += d + (pick(3) == 0 ? "\"\"" : "note " + std::to_string(pick(7)) + std::string(note_bytes, 'n'));
    if (pick(15) == 0) f += d;  // a long row: one more, empty cell
    f += end;
  }
  return f;
}

// What a read makes of a file: its facts, or its error's message.
std::string outcome(const std::function<table()>& read) {
  std::string facts_read;
  const std::string error = test_util::message_of([&] { facts_read = facts(read()); });
  return error == "(no error)" ? facts_read : "error: " + error;
}

// The same read with every record through the reader's general path (no fast path).
std::string outcome_general(const std::function<table()>& read) {
  struct restore {
    ~restore() { detail::csv_fast_records = true; }
  } after;
  detail::csv_fast_records = false;
  return outcome(read);
}

// Random records of the pieces that decide how a record is read: plain and quoted cells, quoted
// delimiters and line breaks, doubled quotes, text after a closing quote, an unclosed quote,
// blanks (spaces, tabs, NBSP), every line end, a delimiter at a line's end, too few or too many
// cells, and (at `end_bare`) no line break after the last record.
std::string token_soup(std::uint32_t seed, char delim, std::size_t records) {
  std::mt19937 rng(seed);
  auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
  const std::string d(1, delim);
  const char* cells[] = {"a", "12",       "2.5",  "x\"y",       " ",      "\t",         "\xC2\xA0",
                         "",  "\"q\"",    "\"\"", "\"a\"\"b\"", "\"q\"z", "\"l1\nl2\"", "\"l1\r\nl2\"",
                         "é", "\"x,y;z\""};
  const char* ends[] = {"\n", "\r\n", "\r"};
  std::string f = "h1" + d + "h2" + d + "h3" + ends[pick(3)];
  for (std::size_t r = 0; r < records; ++r) {
    const std::size_t n = pick(12) == 0 ? pick(6) : 3;  // mostly as many cells as columns
    for (std::size_t j = 0; j < n; ++j) f += (j ? d : "") + std::string(cells[pick(std::size(cells))]);
    if (pick(30) == 0) f += d;
    f += ends[pick(3)];
  }
  if (pick(4) == 0) f += "\"unclosed" + d + "cell";
  if (pick(2) == 0) f += "z" + d + "z";  // a last record with no line break
  return f;
}

}  // namespace

TEST_CASE("the reader's fast path for common records reads every file as its general path does") {
  // read_csv, a stream in random pieces, and tight limits (a cell, a row count) that each path must
  // refuse at the same row: the outcome with the fast path is the general path's, to the message.
  std::size_t files = 0, errors = 0;
  for (const char delim : {',', ';', '\t'}) {
    for (std::uint32_t seed = 1; seed <= 60; ++seed) {
      const std::string f = seed <= 50 ? token_soup(seed, delim, 1 + seed * 9) : tricky_file(seed, delim, 3000);
      read_options o = named("soup.csv");
      o.delimiter = delim;
      read_limits tight;
      tight.max_cell_bytes = 4;
      tight.max_rows = 40;
      CAPTURE(delim);
      CAPTURE(seed);
      const std::string general = outcome_general([&] { return read_csv(f, o); });
      CHECK(outcome([&] { return read_csv(f, o); }) == general);
      std::mt19937 rng(seed);
      CHECK(outcome([&] {
              auto t = streamed(f, o, [&] { return 1 + rng() % 97; });
              REQUIRE(t.has_value());
              return std::move(*t);
            }) == general);
      for (const read_limits& l : {tight, read_limits{}}) {
        read_limits rows_only;
        rows_only.max_rows = l.max_rows;
        for (const read_limits& each : {l, rows_only})
          CHECK(outcome([&] { return read_csv(f, o, each); }) == outcome_general([&] { return read_csv(f, o, each); }));
      }
      ++files;
      errors += general.rfind("error: ", 0) == 0;
    }
  }
  // The soup holds both kinds: files that read and files refused (an unclosed quote).
  CHECK(errors > 10);
  CHECK(files - errors > 10);
}

TEST_CASE("a file fed a piece at a time is the table read_csv makes of it, however the pieces fall") {
  for (const char delim : {',', ';', '\t'}) {
    for (std::uint32_t seed = 1; seed <= 4; ++seed) {
      const std::string f = tricky_file(seed * 7 + static_cast<std::uint32_t>(delim), delim, 4000);
      REQUIRE(f.size() > (1u << 16) + 3);
      const read_options o = named("tricky.csv");
      const std::string whole = facts(read_csv(f, o));
      std::mt19937 rng(seed);
      // Pieces of one byte (every boundary), of random small and large sizes, and one piece.
      for (const std::size_t most : {std::size_t{1}, std::size_t{7}, std::size_t{300}, std::size_t{70000}, f.size()}) {
        CAPTURE(delim);
        CAPTURE(seed);
        CAPTURE(most);
        const auto t = streamed(f, o, [&] { return 1 + rng() % most; });
        REQUIRE(t.has_value());
        CHECK(facts(*t) == whole);
      }
    }
  }
}

TEST_CASE("the stream reads real files as read_csv does: the Telco churn file and the csv-spectrum corpus") {
  std::vector<std::string> files = {test_util::corpus("telco-churn/Telco-Customer-Churn.csv")};
  for (const auto& e : std::filesystem::recursive_directory_iterator(test_util::corpus("csv-spectrum")))
    if (e.path().extension() == ".csv") files.push_back(e.path().string());
  REQUIRE(files.size() > 10);
  for (const auto& path : files) {
    CAPTURE(path);
    const std::string bytes = test_util::read_file(path);
    const read_options o = named(path);
    std::string whole;
    try {
      whole = facts(read_csv(bytes, o));
    } catch (const input_error& e) {
      whole = std::string("error: ") + e.what();
    }
    std::mt19937 rng(5);
    std::string piecewise;
    try {
      const auto t = streamed(bytes, o, [&] { return 1 + rng() % 5000; });
      REQUIRE(t.has_value());
      piecewise = facts(*t);
    } catch (const input_error& e) {
      piecewise = std::string("error: ") + e.what();
    }
    CHECK(piecewise == whole);
  }
}

TEST_CASE("the stream hands back a file read_csv reads another way or refuses for its bytes") {
  std::string f = tricky_file(3, ',', 4000);
  auto hands_back = [](const std::string& bytes) {
    std::mt19937 rng(9);
    return !streamed(bytes, named("x.csv"), [&] { return 1 + rng() % 3000; }).has_value();
  };
  CHECK_FALSE(hands_back(f));
  // windows-1252 (invalid UTF-8) in the last row, in a middle row, and in the head.
  CHECK(hands_back(f + "Z1,Jos\xE9,1,1/1/2026,true,x\n"));
  CHECK(hands_back(f.substr(0, f.size() / 2) + "\xE9" + f.substr(f.size() / 2)));
  CHECK(hands_back("Jos\xE9," + f));
  // A NUL anywhere (read_csv: binary), UTF-16 with a byte-order mark, and a UTF-8 BOM that streams.
  CHECK(hands_back(f.substr(0, f.size() - 10) + std::string(1, '\0') + f.substr(f.size() - 10)));
  CHECK(hands_back("\xFF\xFE" + f));
  const std::string bom = "\xEF\xBB\xBF" + f;
  std::mt19937 rng(2);
  const auto t = streamed(bom, named("x.csv"), [&] { return 1 + rng() % 3000; });
  REQUIRE(t.has_value());
  CHECK(t->encoding == "UTF-8 BOM");
  CHECK(facts(*t) == facts(read_csv(bom, named("x.csv"))));
  // A first line longer than the head: the delimiter cannot be sniffed from it.
  CHECK(hands_back(std::string(70000, 'h') + "," + f));
  // Excel's sep= line streams, and its delimiter wins over the sniff.
  const std::string sep = "sep=;\r\n" + tricky_file(4, ';', 4000);
  const auto s = streamed(sep, named("x.csv"), [&] { return 1 + rng() % 3000; });
  REQUIRE(s.has_value());
  CHECK(facts(*s) == facts(read_csv(sep, named("x.csv"))));
}

TEST_CASE("a stream's errors name the row as read_csv's do: an unclosed quote and a cell past the limit") {
  const std::string f = tricky_file(6, ',', 4000);
  std::mt19937 rng(4);
  const std::string open = f + "Z9,\"never closed,1\n";
  CHECK(test_util::message_of([&] { streamed(open, named("x.csv"), [&] { return 1 + rng() % 3000; }); }) ==
        test_util::message_of([&] { read_csv(open, named("x.csv")); }));
  read_limits small;
  small.max_cell_bytes = 1000;
  const std::string longer = f + "Z9,\"" + std::string(5000, 'x') + "\",1\n";
  const std::string streamed_message = test_util::message_of([&] {
    csv_stream s(longer.size(), named("x.csv"), small);
    for (std::size_t at = 0; at < longer.size(); at += 100) s.feed(std::string_view(longer).substr(at, 100));
    s.finish();
  });
  CHECK(streamed_message == test_util::message_of([&] { read_csv(longer, named("x.csv"), small); }));
  CHECK(test_util::contains(streamed_message, "row"));
}

TEST_CASE("rows of 700 bytes: the stream's first rows are fewer than read_csv's first batch, the table the same") {
  // The head (64 KiB) holds under 128 such rows, so the first push of the stream is a shorter batch
  // than read_csv's: the columns' first-batch decision (reading numbers during the push) sees
  // fewer rows; what they hold after infer() must not differ.
  const std::string f = tricky_file(21, ',', 3000, 700);
  const read_options o = named("wide.csv");
  std::mt19937 rng(8);
  const auto t = streamed(f, o, [&] { return 1 + rng() % 9000; });
  REQUIRE(t.has_value());
  CHECK(facts(*t) == facts(read_csv(f, o)));
}

TEST_CASE("the stream takes read_csv's options and limits: header row, delimiter, progress, row limit") {
  const std::string f = "title line\nsecond line\n" + tricky_file(12, ';', 30000);  // ~3 MB: progress every MB
  read_options o = named("opts.csv");
  o.header_row = 3;
  o.delimiter = ';';
  std::size_t calls = 0, last = 0;
  o.progress = [&](std::size_t bytes, std::size_t) {
    ++calls;
    CHECK(bytes >= last);
    last = bytes;
    return true;
  };
  std::mt19937 rng(3);
  const auto t = streamed(f, o, [&] { return 1 + rng() % 20000; });
  REQUIRE(t.has_value());
  o.progress = nullptr;
  CHECK(facts(*t) == facts(read_csv(f, o)));
  CHECK(calls > 1);
  CHECK(last == f.size());
  read_limits few;
  few.max_rows = 1000;
  const std::string streamed_message = test_util::message_of([&] {
    csv_stream s(f.size(), o, few);
    for (std::size_t at = 0; at < f.size(); at += 5000) s.feed(std::string_view(f).substr(at, 5000));
    s.finish();
  });
  CHECK(streamed_message == test_util::message_of([&] { read_csv(f, o, few); }));
  CHECK(test_util::contains(streamed_message, "1,000"));
}

TEST_CASE("files at the head's size and one byte past it read as read_csv reads them") {
  // 65,539 bytes: gathered whole, read by read_csv; 65,540: streamed.
  for (const std::size_t size : {std::size_t{65539}, std::size_t{65540}}) {
    std::string f = tricky_file(30, ',', 4000).substr(0, size);
    f.back() = '\n';
    CAPTURE(size);
    std::mt19937 rng(1);
    std::optional<table> t;
    std::string whole, piecewise;
    try {
      whole = facts(read_csv(f, named("edge.csv")));
    } catch (const input_error& e) {
      whole = e.what();
    }
    try {
      t = streamed(f, named("edge.csv"), [&] { return 1 + rng() % 700; });
      REQUIRE(t.has_value());
      piecewise = facts(*t);
    } catch (const input_error& e) {
      piecewise = e.what();
    }
    CHECK(piecewise == whole);
  }
}

// ---- a file read in two parts at once (the page's second Worker reads the rest) ----------------

namespace {

// Feeds bytes[from, to) to a stream in pieces of the sizes `next` gives; false if it hands back.
template <class Next>
bool feed_range(csv_stream& s, const std::string& bytes, std::size_t from, std::size_t to, Next next) {
  for (std::size_t at = from; at < to;) {
    const std::size_t n = std::min(next(), to - at);
    if (!s.feed(std::string_view(bytes).substr(at, n))) return false;
    at += n;
  }
  return true;
}

// Appends a rest's rows to the first part's stream as the page does: a dictionary column by its
// entries and codes, a plain one as the rest read it (`as_read`, the page's way) or with no reading,
// so that its cells are pushed.
void append_rest_of(csv_stream& first, const table& rest, bool as_read) {
  REQUIRE(first.append_rest(csv_rest::of(rest)));
  for (std::size_t j = 0; j < rest.columns.size(); ++j) {
    const column& c = rest.columns[j];
    if (c.dictionary()) {
      std::vector<std::string_view> entries;
      for (std::size_t k = 0; k < c.entries(); ++k) entries.push_back(c.entry(k));
      first.append_coded(j, entries.data(), entries.size(), c.codes(), c.size());
    } else {
      // As the rest read it (the page's way), or with no reading: its cells are pushed.
      std::vector<std::uint32_t> ends;
      for (std::size_t r = 0; r < c.size(); ++r) ends.push_back(c.plain_end(r));
      first.append_read(j, c.plain_text(), ends.data(), c.size(), as_read ? c.push_reading() : '-', c.pushed_tally(),
                        as_read ? c.pushed_numbers() : nullptr);
    }
  }
}

// The first line break at or after `at` where a record starts (the first part holds nothing back);
// 0 if none does (a file whose lines end in CR alone).
std::size_t record_start_after(const std::string& f, std::size_t at, const read_options& o) {
  for (std::size_t split = at; split < f.size(); ++split) {
    if (f[split - 1] != '\n') continue;
    csv_stream first(f.size(), o);
    REQUIRE(first.feed(std::string_view(f).substr(0, split)));
    if (first.held() == 0) return split;
  }
  return 0;
}

// A tricky file of `rows` rows whose lines end in LF or CR LF (a file split after a line break).
std::string tricky_file_lf(std::uint32_t seed, std::size_t rows) {
  for (;; ++seed) {
    std::string f = tricky_file(seed, ',', rows);
    if (record_start_after(f, f.size() / 2, named("x.csv")) != 0) return f;
  }
}

struct two_parts {
  std::optional<table> t;  // none: the first part held bytes back (no record starts at the split)
  bool appended = false;
};

// Reads bytes[0, split) in one stream and the rest in a rest's stream, then appends the rest.
template <class Next>
two_parts in_two_parts(const std::string& bytes, std::size_t split, const read_options& o, Next next,
                       bool as_read = true, const read_limits& limits = {}) {
  two_parts out;
  csv_stream first(bytes.size(), o, limits);
  REQUIRE(feed_range(first, bytes, 0, split, next));
  const auto shape = first.shape();
  REQUIRE(shape.has_value());
  if (first.held() != 0) return out;
  csv_stream rest(bytes.size() - split, *shape, o, limits);
  REQUIRE(feed_range(rest, bytes, split, bytes.size(), next));
  const auto r = rest.finish_rest();
  REQUIRE(r.has_value());
  append_rest_of(first, *r, as_read);
  out.appended = true;
  out.t = first.finish();
  return out;
}

}  // namespace

TEST_CASE("a file read in two parts, the rest appended to the first, is the table read_csv makes of it") {
  std::size_t joined = 0, held_back = 0;
  for (const char delim : {',', ';'}) {
    for (std::uint32_t seed = 1; seed <= 2; ++seed) {
      const std::string f = tricky_file(seed * 11 + static_cast<std::uint32_t>(delim), delim, 6000);
      const read_options o = named("parts.csv");
      const std::string whole = facts(read_csv(f, o));
      std::mt19937 rng(seed);
      // Splits after line breaks past the head (where the page splits), every 13th one: inside quoted
      // cells (held back) and at record starts, where blank, short and long rows fall.
      std::size_t breaks = 0;
      for (std::size_t split = (1u << 16) + 4; split < f.size(); ++split) {
        if (f[split - 1] != '\n' || breaks++ % 13 != 0) continue;
        CAPTURE(delim);
        CAPTURE(seed);
        CAPTURE(split);
        const auto parts = in_two_parts(f, split, o, [&] { return 1 + rng() % 20000; });
        if (!parts.t) {
          ++held_back;
          continue;
        }
        ++joined;
        CHECK(facts(*parts.t) == whole);
      }
    }
  }
  CHECK(joined > 100);
  CHECK(held_back > 10);
}

TEST_CASE("two parts join across the dictionary's limit and its probe: each layout on either side") {
  // Columns: an id (the first part writes its dictionary out after the probe); `grows`, repetitive
  // then distinct (passes 65,536 texts in the rest); `settles`, distinct then from 50 texts (plain
  // in the first part, a dictionary in the rest); amounts with decimal commas; a plan; `later`, a
  // dictionary throughout whose last 500 texts first appear in the rest; `burst`, repetitive then
  // distinct in each half (from row 45,000 both parts keep dictionaries that pass 65,536 together);
  // `price`, `count` and `bits`, plain numbers that the rest reads and counts for the first part:
  // integers, then decimal points from row 60,000 on (the column's mark is not the one its cells
  // were read with); a 1 and an n/a now and then; distinct, then 0s and 1s (from row 45,000 distinct
  // again for 6,000 rows, so a rest from there keeps them plain).
  std::string f = "id;grows;settles;amount;plan;later;burst;price;count;bits\n";
  const std::size_t rows = 90000;
  std::vector<std::size_t> starts;
  for (std::size_t r = 0; r < rows; ++r) {
    starts.push_back(f.size());
    f += "A" + std::to_string(r) + ";";
    f += (r < 6000 ? "g" + std::to_string(r % 40) : "u" + std::to_string(r)) + ";";
    f += (r < 6000 ? "s" + std::to_string(r) : "s" + std::to_string(r % 50)) + ";";
    f += std::to_string(r % 977) + "," + std::to_string(r % 10) + ";";
    f += (r % 3 ? "Pro" : "Basic");
    f += ";" + (r < 50000 ? "L" + std::to_string(r % 2000) : "M" + std::to_string(r % 500));
    f += ";" + (r % 45000 < 6000 ? "c" + std::to_string(r % 30) : "d" + std::to_string(r));
    f += ";" + (r < 60000 ? std::to_string(r * 7) : std::to_string(r) + ".5");
    f += ";" + ((r < 6000 || (r >= 45000 && r < 51000)) ? std::to_string(r) : std::to_string(r % 2));
    f += ";" + (r % 7 ? std::to_string(r) : r % 2 ? "1" : "n/a");
    if (r % 9000 == 4500) f += ";extra";  // ten ragged rows, most of them in any rest
    f += "\n";
  }
  const read_options o = named("layouts.csv");
  const table whole_table = read_csv(f, o);
  const std::string whole = facts(whole_table);
  for (const std::size_t row : {9000, 45000, 81000})
    for (const bool as_read : {true, false}) {
      const std::size_t split = starts[row];
      CAPTURE(row);
      CAPTURE(as_read);
      std::mt19937 rng(7);
      const auto parts = in_two_parts(
          f, split, o, [&] { return 1 + rng() % 300000; }, as_read);
      REQUIRE(parts.t.has_value());
      CHECK(facts(*parts.t) == whole);
      for (std::size_t j = 0; j < whole_table.columns.size(); ++j) {
        const column &a = parts.t->columns[j], &b = whole_table.columns[j];
        CAPTURE(j);
        CHECK(a.text_bytes() == b.text_bytes());
        // What was counted of the cells (some counts show only in columns of other shapes).
        if (!a.dictionary() && !b.dictionary()) {
          const auto ta = a.pushed_tally(), tb = b.pushed_tally();
          CHECK(std::equal(std::begin(ta.counts), std::end(ta.counts), std::begin(tb.counts)));
          CHECK(ta.sensitive == tb.sensitive);
        }
        // A dictionary on both sides holds the same entries in the same order.
        if (a.dictionary() && b.dictionary()) {
          REQUIRE(a.entries() == b.entries());
          for (std::size_t k = 0; k < a.entries(); ++k) CHECK(a.entry(k) == b.entry(k));
        }
      }
      CHECK(parts.t->columns[0].dictionary() == whole_table.columns[0].dictionary());
    }
}

TEST_CASE("a rest that would pass a limit is not appended: read in the first stream, its message names the row") {
  const std::string f = tricky_file_lf(5, 8000);
  read_limits few;
  few.max_rows = 7000;
  const read_options o = named("limit.csv");
  std::mt19937 rng(2);
  auto next = [&] { return 1 + rng() % 5000; };
  const std::size_t split = record_start_after(f, f.size() / 2, o);
  csv_stream first(f.size(), o, few);
  REQUIRE(feed_range(first, f, 0, split, next));
  REQUIRE(first.held() == 0);
  const auto shape = first.shape();
  REQUIRE(shape.has_value());
  csv_stream rest(f.size() - split, *shape, o, few);
  REQUIRE(feed_range(rest, f, split, f.size(), next));
  const table r = *rest.finish_rest();
  const std::string read_message = test_util::message_of([&] { read_csv(f, o, few); });
  CHECK(test_util::contains(read_message, "7,000"));
  CHECK_FALSE(first.append_rest(csv_rest::of(r)));
  // Nothing changed: the rest fed to the first stream gives read_csv's message.
  CHECK(test_util::message_of([&] {
          feed_range(first, f, split, f.size(), next);
          first.finish();
        }) == read_message);
}

TEST_CASE("a rest's stream that meets bad input throws, and one that is not a rest's cannot finish as one") {
  const std::string f = tricky_file_lf(8, 4000);
  const std::size_t split = record_start_after(f, f.size() / 2, named("bad.csv"));
  const std::string bad = f + "Z9,\"never closed,1\n";
  csv_stream rest(bad.size() - split, csv_shape{6, ','}, named("bad.csv"));
  REQUIRE(rest.feed(std::string_view(bad).substr(split)));
  CHECK_THROWS_AS(rest.finish_rest(), input_error);
  // A last byte that is not UTF-8 (no line break after it): the rest hands its bytes back, as the
  // whole file is read as windows-1252.
  const std::string latin = f + "Z9,Jos\xE9";
  csv_stream tail(latin.size() - split, csv_shape{6, ','}, named("latin.csv"));
  REQUIRE(tail.feed(std::string_view(latin).substr(split)));
  CHECK_FALSE(tail.finish_rest().has_value());
  CHECK(read_csv(latin, named("latin.csv")).encoding == "windows-1252");
  csv_stream whole(f.size(), named("x.csv"));
  REQUIRE(whole.feed(f));
  CHECK_THROWS_AS(whole.finish_rest(), std::logic_error);
  CHECK_THROWS_AS(whole.append_read(0, {}, nullptr, 0, '-', {}, nullptr), std::logic_error);
}
