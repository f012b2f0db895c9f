// SPDX-License-Identifier: MIT
// A CSV read a piece at a time (csv_stream, the page's way of reading a large file from its Blob)
// is the table read_csv makes of the whole file: every cell's kind and text, every column's type,
// decimal mark, date order, counts and number view, the table's delimiter, encoding, blank and
// ragged rows; and the stream hands back (answers false or nothing) every file read_csv would read
// another way.
#include <doctest/doctest.h>

#include <bit>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <optional>
#include <random>
#include <string>
#include <vector>

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

}  // namespace

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
