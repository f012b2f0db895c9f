// SPDX-License-Identifier: MIT
// Columns and tables: storage, type inference, typed views and header fixing.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "healthscore/cells.hpp"
#include "healthscore/table.hpp"

using namespace healthscore;

namespace {

column text_column(std::initializer_list<const char*> cells, bool semicolon = false,
                   date_order order = date_order::day_first) {
  column c("c");
  for (const char* t : cells) c.push_text(t);
  c.infer(semicolon, order);
  return c;
}

}  // namespace

TEST_CASE("a column keeps every cell's text as written and turns blank text into empty cells") {
  column c("name");
  c.push_text("alpha");
  c.push_text("");
  c.push_text("   ");
  c.push_text(" beta ");
  c.push_text("\xC2\xA0");  // a lone no-break space is blank too
  c.push_empty();
  REQUIRE(c.size() == 6);
  CHECK(c.text(0) == "alpha");
  CHECK(c.is_empty(1));
  CHECK(c.is_empty(2));
  CHECK(c.text(2).empty());
  CHECK(c.kind(3) == cell_kind::text);
  CHECK(c.text(3) == " beta ");
  CHECK(c.is_empty(4));
  CHECK(c.is_empty(5));
  c.pad_to(9);
  CHECK(c.size() == 9);
  CHECK(c.is_empty(8));
  c.infer(false);
  CHECK(c.empty_count() == 7);
  CHECK(c.type() == column_type::text);
}

TEST_CASE("a column of plain numbers is a number column and reads each value") {
  const column c = text_column({"10", "20.5", "", "-3", "(4)", "1,234.5", "85%"});
  CHECK(c.type() == column_type::number);
  CHECK(c.decimal_mark() == '.');
  CHECK(c.unreadable_count() == 0);
  CHECK(c.empty_count() == 1);
  CHECK(c.number(0) == 10);
  CHECK(c.number(1) == 20.5);
  CHECK(std::isnan(c.number(2)));
  CHECK(c.number(3) == -3);
  CHECK(c.number(4) == -4);
  CHECK(c.number(5) == 1234.5);
  CHECK(c.number(6) == doctest::Approx(0.85));
  CHECK(c.min_number() == -4);
  CHECK(c.max_number() == 1234.5);
  const auto& v = c.numbers();
  REQUIRE(v.size() == 7);
  CHECK(std::isnan(v[2]));
  CHECK(v[5] == 1234.5);
}

TEST_CASE("the decimal mark most values show wins and contradicting values are unreadable") {
  const column c = text_column({"1.234,5", "12,5", "7", "3,25", "1.5"});
  CHECK(c.type() == column_type::number);
  CHECK(c.decimal_mark() == ',');
  CHECK(c.number(0) == 1234.5);
  CHECK(c.number(1) == 12.5);
  CHECK(c.number(3) == 3.25);
  CHECK(std::isnan(c.number(4)));
  CHECK(c.unreadable_count() == 1);
  REQUIRE(c.unreadable_examples().size() == 1);
  CHECK(c.unreadable_examples()[0].row == 5);
  CHECK(c.unreadable_examples()[0].text == "1.5");
}

TEST_CASE("a column that shows no decimal mark follows the file's delimiter") {
  const column comma_file = text_column({"1,234", "2,500", "10"}, false);
  CHECK(comma_file.decimal_mark() == '.');
  CHECK(comma_file.number(0) == 1234);
  const column semicolon_file = text_column({"1,234", "2,500", "10"}, true);
  CHECK(semicolon_file.decimal_mark() == ',');
  CHECK(semicolon_file.number(0) == doctest::Approx(1.234));
  CHECK(semicolon_file.unreadable_count() == 0);
  // A mark shown by any value beats the delimiter.
  const column shown = text_column({"1,234", "0.5"}, true);
  CHECK(shown.decimal_mark() == '.');
  CHECK(shown.number(0) == 1234);
}

TEST_CASE("the majority kind decides the type and the rest are unreadable, with at most five examples") {
  const column c = text_column({"1", "2", "3", "4", "5", "6", "7", "8", "n/a", "-", "?", "x1", "x2", "x3", ""});
  CHECK(c.type() == column_type::number);
  CHECK(c.unreadable_count() == 6);
  REQUIRE(c.unreadable_examples().size() == 5);
  CHECK(c.unreadable_examples()[0].row == 9);
  CHECK(c.unreadable_examples()[0].text == "n/a");
  CHECK(c.empty_count() == 1);

  const column t = text_column({"Alice", "Bob", "3", "Carol"});
  CHECK(t.type() == column_type::text);
  CHECK(t.unreadable_count() == 0);
}

TEST_CASE("boolean words make a boolean column, but 0 and 1 alone make a number column") {
  const column yes_no = text_column({"Yes", "No", "yes", "", "NO"});
  CHECK(yes_no.type() == column_type::boolean);
  CHECK(yes_no.boolean(0) == 1);
  CHECK(yes_no.boolean(1) == 0);
  CHECK(yes_no.boolean(3) == -1);
  CHECK(yes_no.unreadable_count() == 0);

  const column mixed = text_column({"true", "0", "1", "false"});
  CHECK(mixed.type() == column_type::boolean);
  CHECK(mixed.unreadable_count() == 0);
  CHECK(mixed.boolean(1) == 0);

  const column zero_one = text_column({"0", "1", "1", "0"});
  CHECK(zero_one.type() == column_type::number);
  CHECK(zero_one.boolean(2) == 1);
  CHECK(zero_one.number(2) == 1);

  const column with_junk = text_column({"s\xC3\xAD", "n\xC3\xA3o", "Sim", "talvez"});
  CHECK(with_junk.type() == column_type::boolean);
  CHECK(with_junk.unreadable_count() == 1);
}

TEST_CASE("a date column's order comes from a value over 12, and both orders make it text") {
  const column day_first = text_column({"05/06/2026", "25/11/2026", "", "2026-01-02"});
  CHECK(day_first.type() == column_type::date);
  CHECK(day_first.dates() == date_order::day_first);
  CHECK(day_first.date(0) == days_from_civil(2026, 6, 5));
  CHECK(day_first.date(1) == days_from_civil(2026, 11, 25));
  CHECK(day_first.date(2) == no_date);
  CHECK(day_first.date(3) == days_from_civil(2026, 1, 2));

  const column month_first = text_column({"05/06/2026", "11/25/2026"});
  CHECK(month_first.dates() == date_order::month_first);
  CHECK(month_first.date(0) == days_from_civil(2026, 5, 6));

  const column neither = text_column({"05/06/2026", "01/02/2026"}, false, date_order::month_first);
  CHECK(neither.type() == column_type::date);
  CHECK(neither.dates() == date_order::month_first);
  CHECK(neither.date(0) == days_from_civil(2026, 5, 6));

  const column by_default = text_column({"05/06/2026"});
  CHECK(by_default.dates() == date_order::day_first);

  const column both = text_column({"25/11/2026", "11/25/2026", "05/06/2026"});
  CHECK(both.dates() == date_order::ambiguous);
  CHECK(both.type() == column_type::text);

  const column impossible = text_column({"25/11/2026", "31/02/2026", "01/01/2026"});
  CHECK(impossible.type() == column_type::date);
  CHECK(impossible.unreadable_count() == 1);
  CHECK(impossible.date(1) == no_date);
  const auto& days = impossible.days();
  REQUIRE(days.size() == 3);
  CHECK(days[2] == days_from_civil(2026, 1, 1));
}

TEST_CASE("native cells from workbooks count as their own kind and errors are unreadable") {
  column c("Amount");
  c.push_number(1.5, "1.5");
  c.push_text("2,5");
  c.push_error("#N/A");
  c.push_empty();
  c.push_boolean(true, "TRUE");
  c.push_date(20782.75, "2026-11-25 18:00");
  c.push_number(3, "3");
  c.infer(false);
  CHECK(c.type() == column_type::number);
  CHECK(c.error_count() == 1);
  CHECK(c.empty_count() == 1);
  // "2,5" shows ',' and is outvoted by no one else; the native values carry no mark.
  CHECK(c.decimal_mark() == ',');
  CHECK(c.number(0) == 1.5);
  CHECK(c.number(1) == 2.5);
  CHECK(std::isnan(c.number(2)));
  CHECK(c.number(4) == 1);
  CHECK(std::isnan(c.number(5)));
  CHECK(c.date(5) == 20782);
  CHECK(c.boolean(4) == 1);
  CHECK(c.boolean(6) == -1);
  CHECK(c.kind(2) == cell_kind::error);
  CHECK(c.text(2) == "#N/A");
  // The error, the boolean and the date are not numbers.
  CHECK(c.unreadable_count() == 3);

  column d("When");
  d.push_date(-0.5, "1969-12-31 12:00");
  d.push_date(0, "1970-01-01");
  d.infer(false);
  CHECK(d.type() == column_type::date);
  CHECK(d.date(0) == -1);
  CHECK(d.date(1) == 0);

  column e("Errors");
  e.push_error("#DIV/0!");
  e.push_empty();
  e.infer(false);
  CHECK(e.type() == column_type::empty);
  CHECK(e.unreadable_count() == 1);
}

TEST_CASE("a column with only empty cells is empty and has no min or max") {
  const column c = text_column({"", " ", ""});
  CHECK(c.type() == column_type::empty);
  CHECK(std::isnan(c.min_number()));
  CHECK(std::isnan(c.max_number()));
}

TEST_CASE("cached views are recomputed when infer changes the column's reading") {
  column c("x");
  c.push_text("1,5");
  CHECK(std::isnan(c.numbers()[0]));  // before infer the mark is '.'
  c.infer(false);
  CHECK(c.numbers()[0] == 1.5);
}

TEST_CASE("find matches trimmed header names exactly") {
  table t;
  t.columns.emplace_back(" Account ID ");
  t.columns.emplace_back("MRR");
  CHECK(t.find("Account ID") == 0);
  CHECK(t.find("  MRR") == 1);
  CHECK(t.find("mrr") == -1);
  CHECK(t.find("Nope") == -1);
}

TEST_CASE("duplicate headers become name (2), name (3) and empty ones Column N") {
  table t;
  for (const char* n : {"name", "", "name", " name ", "Column 2", "", "name (2)"}) t.columns.emplace_back(n);
  t.fix_headers();
  std::vector<std::string> names;
  for (const auto& c : t.columns) names.push_back(c.name());
  // "name (2)" is written in the file, so the generated names step past it.
  const std::vector<std::string> want = {"name",     "Column 2 (2)", "name (3)", "name (4)",
                                         "Column 2", "Column 6",     "name (2)"};
  CHECK(names == want);
}

TEST_CASE("trim removes ASCII spaces, tabs, line breaks and no-break spaces only") {
  CHECK(trim("  a b \t\r\n") == "a b");
  CHECK(trim("\xC2\xA0x\xC2\xA0") == "x");
  CHECK(trim("").empty());
  CHECK(trim(" \t ").empty());
  CHECK(trim("\xC3\xA9") == "\xC3\xA9");
}

TEST_CASE("column types have names for messages and exports") {
  CHECK(std::string(to_string(column_type::number)) == "number");
  CHECK(std::string(to_string(column_type::date)) == "date");
  CHECK(std::string(to_string(column_type::boolean)) == "boolean");
  CHECK(std::string(to_string(column_type::text)) == "text");
  CHECK(std::string(to_string(column_type::empty)) == "empty");
}

TEST_CASE("memory_bytes counts the text arena and grows with the data") {
  table t;
  t.columns.emplace_back("a");
  const std::size_t before = t.memory_bytes();
  for (int i = 0; i < 1000; ++i) t.columns[0].push_text("some text that takes space " + std::to_string(i));
  t.rows = 1000;
  CHECK(t.memory_bytes() >= before + 26 * 1000);
}

TEST_CASE("issue 17: a column of few distinct texts keeps each once, a code per cell") {
  column c("plan");
  const std::string_view plans[] = {"Business", "Growth", "", "Enterprise", "  ", "Growth"};
  std::vector<std::string_view> cells;
  for (int i = 0; i < 60000; ++i) cells.push_back(plans[i % 6]);
  for (std::size_t i = 0; i < cells.size(); i += 1000) c.push_texts(cells.data() + i, 1000, '.');
  c.infer(false);
  CHECK(c.dictionary());
  CHECK(c.type() == column_type::text);
  CHECK(c.empty_count() == 20000);
  CHECK(c.text_bytes() == 10000 * (8 + 6 + 10 + 6));
  // Two bytes a cell and the distinct texts, not the 300 kB of text and 120 kB of ends.
  CHECK(c.memory_bytes() < 60000 * 2 + 16384);
  for (std::size_t r = 0; r < cells.size(); ++r) {
    const std::string_view want = trim(cells[r]).empty() ? std::string_view{} : cells[r];
    if (c.text(r) != want || c.kind(r) != (want.empty() ? cell_kind::empty : cell_kind::text)) FAIL("row " << r);
  }
}

TEST_CASE("issue 17: dictionary texts that share bytes or differ only in length stay apart") {
  // A short text (at most 7 bytes) is compared by one word of its bytes and length: texts whose
  // loads overlap ("aba" reads s[0], s[1], s[2]; "abca" two overlapping words), texts one byte
  // longer or shorter (with NUL bytes, the same word but for the length), bytes past 0x7F, and
  // texts at 7 and 8 bytes either side of the word. Each
  // distinct text must be one entry and every cell must read back its own text, through several
  // rehashes (the table starts at 1,024 slots).
  std::vector<std::string> distinct;
  // A NUL too ("a" and "a\0" differ by length alone), and 'a' and 'i', a bit apart, the bit the length
  // would be ORed into were an 8-byte text given a word.
  const std::string alphabet(
      "ai\0\x80\xff"
      "0",
      6);
  for (std::size_t n = 1; n <= 9; ++n) {
    std::string t(n, 'a');
    for (std::size_t k = 0; k < 300; ++k) {  // up to 300 texts of each length over the alphabet
      std::size_t x = k;
      for (std::size_t i = 0; i < n; ++i, x /= alphabet.size()) t[i] = alphabet[x % alphabet.size()];
      if (std::find(distinct.begin(), distinct.end(), t) == distinct.end()) distinct.push_back(t);
    }
    for (std::size_t at = 0; at < n; ++at)  // and one byte changed anywhere, the last one too
      for (const char ch : alphabet) {
        std::string u(n, 'a');
        u[at] = ch;
        if (std::find(distinct.begin(), distinct.end(), u) == distinct.end()) distinct.push_back(u);
      }
  }
  // Each text three times: in order, in reverse, and at a stride of 5 (coprime to the count).
  const std::size_t n = distinct.size();
  REQUIRE(n % 5 != 0);
  std::vector<std::string_view> cells;
  for (std::size_t i = 0; i < n; ++i) cells.push_back(distinct[i]);
  for (std::size_t i = 0; i < n; ++i) cells.push_back(distinct[n - 1 - i]);
  for (std::size_t i = 0; i < n; ++i) cells.push_back(distinct[i * 5 % n]);
  for (const std::size_t batch : {std::size_t{1}, std::size_t{128}, cells.size()}) {
    CAPTURE(batch);
    column c("code");
    for (std::size_t i = 0; i < cells.size(); i += batch)
      c.push_texts(cells.data() + i, std::min(batch, cells.size() - i), '.');
    CHECK(c.dictionary());
    CHECK(c.entries() == n + 1);  // and entry 0, the empty text
    std::size_t wrong = 0;
    for (std::size_t r = 0; r < cells.size(); ++r) wrong += c.text(r) != cells[r];
    CHECK(wrong == 0);
  }
}

TEST_CASE("issue 17: a column past 65,536 distinct texts leaves its dictionary mid-batch and reads the same") {
  // Numbers, blanks and a few words, the distinct count passing the dictionary's size inside a
  // batch; pushed in batches (numbers read during the push) and one by one (read in infer()).
  std::vector<std::string> cells;
  for (std::size_t i = 0; i < 150000; ++i) {
    if (i % 11 == 0)
      cells.emplace_back(i % 2 ? "" : " ");
    else if (i % 13 == 0)
      cells.emplace_back("n/a");
    else if (i % 3 == 0)
      cells.push_back(std::to_string(i % 50));  // repeats
    else
      cells.push_back(std::to_string(i) + "." + std::to_string(i % 7));  // distinct
  }
  std::vector<std::string_view> views(cells.begin(), cells.end());
  for (const std::size_t batch : {std::size_t{1}, std::size_t{977}, std::size_t{4096}, std::size_t{150000}}) {
    CAPTURE(batch);
    column c("mrr");
    if (batch == 1)
      for (const auto& v : views) c.push_text(v);
    else
      for (std::size_t i = 0; i < views.size(); i += batch)
        c.push_texts(views.data() + i, std::min(batch, views.size() - i), '.');
    c.infer(false);
    CHECK_FALSE(c.dictionary());
    CHECK(c.type() == column_type::number);
    CHECK(c.decimal_mark() == '.');
    CHECK(c.empty_count() == (150000 + 10) / 11);
    CHECK(c.unreadable_count() == std::count(cells.begin(), cells.end(), "n/a"));
    REQUIRE(c.size() == cells.size());
    const auto& xs = c.numbers();
    std::size_t wrong = 0;
    for (std::size_t r = 0; r < cells.size(); ++r) {
      const bool blank = trim(cells[r]).empty();
      const double want = parse_number(cells[r], '.');
      wrong += c.text(r) != (blank ? std::string_view{} : std::string_view(cells[r]));
      wrong += blank ? !std::isnan(xs[r]) : std::isnan(want) ? !std::isnan(xs[r]) : xs[r] != want;
    }
    CHECK(wrong == 0);
  }
}

TEST_CASE("cells pushed in batches infer and read exactly as cells pushed one by one") {
  // Columns of mixed cells, so every class, tie and unreadable example is exercised; the batch path
  // tallies while pushing and reads numbers early, the single path reads everything in infer().
  std::vector<std::vector<std::string>> columns = {
      {"1", "2.5", "", "abc", "1,234", "3,5", "x", "y", "z", "w", "v", "u", "7", "46.4%", " "},
      {"0", "1", "yes", "no", "1", " 0 "},  // boolean words with 0/1: a boolean column
      {"1,234", "5", "", "2,345", "6"},
      {"0", "1", "yes", "no", "1", " 0 ", "maybe"},
      {"25/11/2026", "11/25/2026", "2026-11-25", "", "01/02/2026", "x"},
      {"01/02/2026", "13/02/2026", "2026-02-30", "n/a"},
      {"1,5", "2,25", "1.234,5", "3.5", "oops", "", "1,234"},
      {"", " ", ""},
      {"A-1", "A-2", "USD 5", "$1,234.50", "(3)", "1e3"},
  };
  // Numbers whose value depends on the decimal mark, distinct enough that the dictionary gives up
  // at its probe: the numbers it read with the likely mark go with the cells into the plain layout,
  // and only the dictionary's tally knows they need reading again (the later cells do not).
  columns.emplace_back();
  for (std::size_t i = 0; i < column::dictionary_probe_rows + 500; ++i)
    columns.back().push_back(std::to_string(i) +
                             (i < column::dictionary_probe_rows ? "," + std::to_string(i % 9 + 1) : ""));
  for (const auto& cells : columns) {
    for (const bool semicolon : {false, true}) {
      for (const std::size_t batch : {std::size_t{1}, std::size_t{3}, cells.size()}) {
        // a: batches; b: one by one (read in infer()); one of them a dictionary, the other plain.
        for (const bool plain : {false, true}) {
          column a("a"), b("b");
          if (plain)
            a.use_plain_layout();
          else
            b.use_plain_layout();
          std::vector<std::string_view> views(cells.begin(), cells.end());
          for (std::size_t i = 0; i < views.size(); i += batch)
            a.push_texts(views.data() + i, std::min(batch, views.size() - i), semicolon ? ',' : '.');
          for (const auto& c : cells) b.push_text(c);
          a.infer(semicolon);
          b.infer(semicolon);
          // The distinct column gives its dictionary up at the probe (a single batch has none).
          const bool probed = cells.size() > column::dictionary_probe_rows && batch < cells.size();
          CHECK(a.dictionary() == (!plain && !probed));
          CHECK(b.dictionary() == plain);
          CAPTURE(cells.front());
          CAPTURE(plain);
          CHECK(a.type() == b.type());
          CHECK(a.decimal_mark() == b.decimal_mark());
          CHECK(a.dates() == b.dates());
          CHECK(a.empty_count() == b.empty_count());
          CHECK(a.unreadable_count() == b.unreadable_count());
          REQUIRE(a.unreadable_examples().size() == b.unreadable_examples().size());
          for (std::size_t i = 0; i < a.unreadable_examples().size(); ++i) {
            CHECK(a.unreadable_examples()[i].row == b.unreadable_examples()[i].row);
            CHECK(a.unreadable_examples()[i].text == b.unreadable_examples()[i].text);
          }
          REQUIRE(a.size() == b.size());
          for (std::size_t r = 0; r < a.size(); ++r) {
            CHECK(a.kind(r) == b.kind(r));
            CHECK(a.text(r) == b.text(r));
            const double x = a.numbers()[r], y = b.numbers()[r];
            CHECK((std::isnan(x) ? std::isnan(y) : x == y));
            CHECK(a.days()[r] == b.days()[r]);
          }
        }
      }
    }
  }
}

TEST_CASE("16,384 copies of one header are renamed in order, each suffix once") {
  // Regression: the renaming used to retry every suffix from 2 for each copy (quadratic), which
  // the ODS fuzzer found as a hang on a header cell repeated 16,384 times.
  table t;
  for (int i = 0; i < 16384; ++i) t.columns.emplace_back("x");
  t.columns.emplace_back("x (3)");
  t.fix_headers();
  CHECK(t.columns[0].name() == "x");
  CHECK(t.columns[1].name() == "x (2)");
  CHECK(t.columns[2].name() == "x (4)");  // "x (3)" is the file's own name
  CHECK(t.columns[16383].name() == "x (16385)");
  CHECK(t.columns[16384].name() == "x (3)");
}

TEST_CASE("issue 17: cell ends kept in 16-bit blocks give every cell back, also past a block of 64 KiB") {
  // Cells pushed alone and in batches, short and long: a block of 256 cells whose text passes
  // 65,535 bytes turns the column's ends 32-bit, mid-block, mid-batch; nothing read changes.
  std::vector<std::string> cells;
  for (std::size_t i = 0; i < 2000; ++i) {
    if (i % 97 == 0)
      cells.emplace_back();
    else if (i == 1300)
      cells.emplace_back(70000, 'x');  // one cell alone past 64 KiB
    else if (i >= 1500 && i < 1520)
      cells.emplace_back(4000, static_cast<char>('a' + i % 26));  // a block past 64 KiB
    else
      cells.push_back("cell " + std::to_string(i));
  }
  for (const std::size_t batch : {std::size_t{1}, std::size_t{7}, std::size_t{128}, std::size_t{300}}) {
    CAPTURE(batch);
    column c("c");
    c.use_plain_layout();  // the layout under test (2,000 cells would stay a dictionary)
    std::vector<std::string_view> views(cells.begin(), cells.end());
    for (std::size_t i = 0; i < cells.size(); i += batch) {
      const std::size_t n = std::min(batch, cells.size() - i);
      if (batch == 1)
        c.push_text(views[i]);
      else
        c.push_texts(views.data() + i, n, '.');
    }
    REQUIRE(c.size() == cells.size());
    bool same = true;
    for (std::size_t i = 0; i < cells.size(); ++i)
      same = same && c.text(i) == cells[i] && c.is_empty(i) == cells[i].empty();
    CHECK(same);
    // plain_ends gives plain_end of a run of rows, runs that cross blocks, start and end mid-block.
    for (const auto& [first, count] : std::vector<std::pair<std::size_t, std::size_t>>{
             {0, 2000}, {0, 1}, {255, 2}, {100, 700}, {1299, 3}, {1999, 1}, {513, 0}}) {
      std::vector<std::uint32_t> ends(count + 1, 7);
      c.plain_ends(first, count, ends.data());
      bool ends_same = ends[count] == 7;  // nothing past the run
      for (std::size_t i = 0; i < count; ++i) ends_same = ends_same && ends[i] == c.plain_end(first + i);
      CHECK(ends_same);
    }
  }
  // The same of a column still in 16-bit ends (no block past 64 KiB).
  {
    column c("narrow");
    c.use_plain_layout();
    std::vector<std::string> texts;
    for (std::size_t i = 0; i < 1000; ++i) texts.push_back(std::string(i % 13, 'q'));
    std::vector<std::string_view> tv(texts.begin(), texts.end());
    c.push_texts(tv.data(), tv.size(), '.');
    std::vector<std::uint32_t> ends(997);
    c.plain_ends(3, 997, ends.data());
    std::uint32_t end = 0;
    for (std::size_t i = 0; i < 3; ++i) end += static_cast<std::uint32_t>(texts[i].size());
    bool ends_same = true;
    for (std::size_t i = 0; i < 997; ++i) ends_same = ends_same && ends[i] == (end += texts[3 + i].size());
    CHECK(ends_same);
  }
  // A column of short cells, sized first and pushed as the CSV reader does (batches of 128), keeps
  // 2 bytes a cell for its ends: with its text (5 bytes), under 7 bytes a cell.
  column small("s");
  small.use_plain_layout();
  std::vector<std::string> few(10000, "abcde");
  std::vector<std::string_view> fv(few.begin(), few.end());
  small.reserve(10000, 50000);
  for (std::size_t i = 0; i < fv.size(); i += 128)
    small.push_texts(fv.data() + i, std::min<std::size_t>(128, fv.size() - i), '.');
  CHECK(small.memory_bytes() < sizeof(column) + 10000 * (5 + 2) + 4096);
}

TEST_CASE(
    "issue 17: a block of short cells past 64 KiB widens the ends alone, typed cells across it keep their kinds") {
  // 256 cells of 300 bytes make a block of 76,800 bytes: the column widens mid-block with no long
  // cell; numbers pushed one by one (kinds stored) before and after it read back as pushed.
  column c("c");
  std::vector<std::string> cells;
  for (std::size_t i = 0; i < 1000; ++i)
    cells.push_back(i >= 300 && i < 600 ? std::string(300, 'a' + i % 26) : std::to_string(i));
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (i % 3 == 0)
      c.push_number(static_cast<double>(i), cells[i]);
    else
      c.push_text(cells[i]);
  }
  bool same = true;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    same = same && c.text(i) == cells[i];
    same = same && c.kind(i) == (i % 3 == 0 ? cell_kind::number : cell_kind::text);
    if (i % 3 == 0) same = same && c.number(i) == static_cast<double>(i);
  }
  CHECK(same);
}

TEST_CASE("issue 17: a column of ids gives its dictionary up after its first 4,096 cells") {
  std::vector<std::string> ids;
  for (int i = 0; i < 10000; ++i) ids.push_back("A-" + std::to_string(1000000 + i));
  std::vector<std::string_view> views(ids.begin(), ids.end());
  column c("id");
  c.push_texts(views.data(), 4000, '.');
  CHECK(c.dictionary());  // not yet looked at
  c.push_texts(views.data() + 4000, 1000, '.');
  CHECK(c.dictionary());  // the batch that reaches 4,096 cells is the last one kept so
  c.push_texts(views.data() + 5000, 5000, '.');
  CHECK_FALSE(c.dictionary());
  c.infer(false);
  CHECK(c.type() == column_type::text);
  std::size_t wrong = 0;
  for (std::size_t r = 0; r < ids.size(); ++r) wrong += c.text(r) != ids[r];
  CHECK(wrong == 0);
}
