// SPDX-License-Identifier: MIT
// CSV and TSV as people export them: the csv-spectrum corpus, the Telco churn file, locales,
// encodings, broken files and limits.
#include <doctest/doctest.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "healthscore/cells.hpp"
#include "healthscore/csv.hpp"
#include "test_util.hpp"

using namespace healthscore;

namespace {

read_options named(const std::string& source) {
  read_options o;
  o.source = source;
  return o;
}

// The message of the input_error `f` throws, or "" when it throws none.
template <typename F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const input_error& e) {
    return e.what();
  }
  return {};
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

std::vector<std::string> names_of(const table& t) {
  std::vector<std::string> out;
  for (const auto& c : t.columns) out.push_back(c.name());
  return out;
}

}  // namespace

TEST_CASE("every csv-spectrum file reads to the cells its JSON expects") {
  const char* cases[] = {"comma_in_quotes",
                         "empty",
                         "empty_crlf",
                         "escaped_quotes",
                         "json",
                         "newlines",
                         "newlines_crlf",
                         "quotes_and_newlines",
                         "simple",
                         "simple_crlf",
                         "utf8"};
  for (const char* name : cases) {
    CAPTURE(name);
    const std::string csv = test_util::read_file(test_util::corpus(std::string("csv-spectrum/csvs/") + name + ".csv"));
    const auto expected = nlohmann::json::parse(
        test_util::read_file(test_util::corpus(std::string("csv-spectrum/json/") + name + ".json")));
    const table t = read_csv(csv, named(std::string(name) + ".csv"));
    REQUIRE(expected.is_array());
    REQUIRE(t.rows == expected.size());
    CHECK(t.ragged_count == 0);
    for (std::size_t r = 0; r < t.rows; ++r) {
      const auto& obj = expected[r];
      REQUIRE(obj.size() == t.columns.size());
      for (const auto& c : t.columns) {
        CAPTURE(c.name());
        REQUIRE(obj.contains(c.name()));
        CHECK(std::string(c.text(r)) == obj[c.name()].get<std::string>());
      }
    }
  }
}

TEST_CASE("csv-spectrum location_coordinates, an upstream inconsistency, reads without crashing") {
  const std::string csv = test_util::read_file(test_util::corpus("csv-spectrum/csvs/location_coordinates.csv"));
  const table t = read_csv(csv, named("location_coordinates.csv"));
  CHECK(t.rows == 1);
  CHECK(t.columns.size() == 4);
  CHECK(t.columns[2].text(0) == "Modesto");
}

TEST_CASE("the Telco churn file loads 7,043 rows of 21 columns with blank TotalCharges as missing") {
  const std::string csv = test_util::read_file(test_util::corpus("telco-churn/Telco-Customer-Churn.csv"));
  const table t = read_csv(csv, named("Telco-Customer-Churn.csv"));
  CHECK(t.rows == 7043);
  REQUIRE(t.columns.size() == 21);
  CHECK(t.delimiter == ',');
  CHECK(t.encoding == "UTF-8");
  CHECK(t.ragged_count == 0);
  CHECK(t.skipped_blank_rows == 0);
  CHECK(t.columns[0].name() == "customerID");
  CHECK(t.columns[20].name() == "Churn");

  const auto total_i = t.find("TotalCharges");
  REQUIRE(total_i >= 0);
  const column& total = t.columns[static_cast<std::size_t>(total_i)];
  CHECK(total.type() == column_type::number);
  CHECK(total.empty_count() == 11);
  CHECK(total.unreadable_count() == 0);
  std::size_t nan_count = 0, zero_count = 0;
  for (double v : total.numbers()) {
    nan_count += std::isnan(v) ? 1 : 0;
    zero_count += v == 0.0 ? 1 : 0;
  }
  CHECK(nan_count == 11);
  CHECK(zero_count == 0);
  // The first blank one, by customer id.
  const column& id = t.columns[0];
  for (std::size_t r = 0; r < t.rows; ++r) {
    if (id.text(r) == "4472-LVYGI") {
      CHECK(total.is_empty(r));
      CHECK(t.columns[static_cast<std::size_t>(t.find("tenure"))].number(r) == 0);
    }
  }

  const column& monthly = t.columns[static_cast<std::size_t>(t.find("MonthlyCharges"))];
  CHECK(monthly.type() == column_type::number);
  CHECK(monthly.decimal_mark() == '.');
  CHECK(monthly.unreadable_count() == 0);
  // First three records: 7590-VHVEG 29.85, 5575-GNVDE 56.95, 3668-QPYBK 53.85.
  CHECK(id.text(0) == "7590-VHVEG");
  CHECK(monthly.number(0) == doctest::Approx(29.85));
  CHECK(monthly.number(1) == doctest::Approx(56.95));
  CHECK(monthly.number(2) == doctest::Approx(53.85));
  CHECK(total.number(0) == doctest::Approx(29.85));
  CHECK(total.number(1) == doctest::Approx(1889.5));

  const column& churn = t.columns[20];
  CHECK(churn.type() == column_type::boolean);
  std::size_t yes = 0, no = 0;
  for (std::size_t r = 0; r < t.rows; ++r) {
    yes += churn.text(r) == "Yes" ? 1 : 0;
    no += churn.boolean(r) == 0 ? 1 : 0;
  }
  CHECK(yes == 1869);
  CHECK(no == 5174);
  CHECK(t.columns[static_cast<std::size_t>(t.find("SeniorCitizen"))].type() == column_type::number);
  CHECK(t.columns[static_cast<std::size_t>(t.find("tenure"))].type() == column_type::number);
  CHECK(t.columns[static_cast<std::size_t>(t.find("Contract"))].type() == column_type::text);
}

TEST_CASE("a Spanish-style semicolon file reads decimal commas, day-first dates, percentages and currency") {
  const std::string csv =
      "Cliente;Ingresos;Cuota;Alta;Uso;Importe;Activo\n"
      "Acme;1.234,5;12,5;25/11/2026;85 %;\xE2\x82\xAC 1.200,00;s\xC3\xAD\n"
      "Beta;2.000;7;03/01/2026;40%;R$ 3.400,50;no\n"
      "Gamma;999,99;1.000,25;01/02/2026;12,5 %;1.000 \xE2\x82\xAC;S\xC3\x8D\n";
  const table t = read_csv(csv, named("clientes.csv"));
  CHECK(t.delimiter == ';');
  REQUIRE(t.rows == 3);
  const column& ingresos = t.columns[1];
  CHECK(ingresos.type() == column_type::number);
  CHECK(ingresos.decimal_mark() == ',');
  CHECK(ingresos.number(0) == 1234.5);
  CHECK(ingresos.number(1) == 2000);
  CHECK(ingresos.number(2) == doctest::Approx(999.99));
  const column& cuota = t.columns[2];
  CHECK(cuota.number(0) == 12.5);
  CHECK(cuota.number(1) == 7);
  CHECK(cuota.number(2) == 1000.25);
  const column& alta = t.columns[3];
  CHECK(alta.type() == column_type::date);
  CHECK(alta.dates() == date_order::day_first);
  CHECK(alta.date(0) == days_from_civil(2026, 11, 25));
  CHECK(alta.date(1) == days_from_civil(2026, 1, 3));
  CHECK(alta.date(2) == days_from_civil(2026, 2, 1));
  const column& uso = t.columns[4];
  CHECK(uso.type() == column_type::number);
  CHECK(uso.number(0) == doctest::Approx(0.85));
  CHECK(uso.number(1) == doctest::Approx(0.40));
  CHECK(uso.number(2) == doctest::Approx(0.125));
  const column& importe = t.columns[5];
  CHECK(importe.type() == column_type::number);
  CHECK(importe.number(0) == 1200);
  CHECK(importe.number(1) == 3400.5);
  CHECK(importe.number(2) == 1000);
  const column& activo = t.columns[6];
  CHECK(activo.type() == column_type::boolean);
  CHECK(activo.boolean(0) == 1);
  CHECK(activo.boolean(1) == 0);
  CHECK(activo.boolean(2) == 1);
}

TEST_CASE("a comma file whose numbers only show 1,234 forms reads them as thousands") {
  const table t = read_csv("id,revenue\na,\"1,234\"\nb,\"12,500\"\nc,7\n");
  const column& revenue = t.columns[1];
  CHECK(revenue.type() == column_type::number);
  CHECK(revenue.decimal_mark() == '.');
  CHECK(revenue.number(0) == 1234);
  CHECK(revenue.number(1) == 12500);
  CHECK(revenue.number(2) == 7);
}

TEST_CASE("a US file reads month-first dates when a value says so") {
  const table t = read_csv("id,renewal\na,11/25/2026\nb,01/02/2026\n");
  CHECK(t.columns[1].dates() == date_order::month_first);
  CHECK(t.columns[1].date(1) == days_from_civil(2026, 1, 2));
}

TEST_CASE("encodings: UTF-8 with and without BOM, UTF-16 with BOM and Windows-1252 all become UTF-8") {
  std::string name;
  SUBCASE("UTF-8 without BOM is kept as is") {
    CHECK(decode_text("caf\xC3\xA9", name) == "caf\xC3\xA9");
    CHECK(name == "UTF-8");
  }
  SUBCASE("a UTF-8 BOM is dropped") {
    CHECK(decode_text("\xEF\xBB\xBF"
                      "caf\xC3\xA9",
                      name) == "caf\xC3\xA9");
    CHECK(name == "UTF-8 BOM");
  }
  SUBCASE("UTF-16 little-endian with BOM") {
    // "é€😀" : U+00E9, U+20AC, U+1F600 (a surrogate pair)
    const std::string le("\xFF\xFE\xE9\x00\xAC\x20\x3D\xD8\x00\xDE", 10);
    CHECK(decode_text(le, name) == "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80");
    CHECK(name == "UTF-16LE");
  }
  SUBCASE("UTF-16 big-endian with BOM") {
    const std::string be("\xFE\xFF\x00\xE9\x20\xAC\xD8\x3D\xDE\x00", 10);
    CHECK(decode_text(be, name) == "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80");
    CHECK(name == "UTF-16BE");
  }
  SUBCASE("a lone surrogate in UTF-16 becomes U+FFFD") {
    const std::string le("\xFF\xFE\x3D\xD8\x41\x00", 6);
    CHECK(decode_text(le, name) ==
          "\xEF\xBF\xBD"
          "A");
  }
  SUBCASE("bytes that are not UTF-8 are Windows-1252, holes mapped as WHATWG says") {
    CHECK(decode_text("caf\xE9 \x80 5", name) == "caf\xC3\xA9 \xE2\x82\xAC 5");
    CHECK(name == "windows-1252");
    CHECK(decode_text("\x81\x8D\x8F\x90\x9D", name) == "\xC2\x81\xC2\x8D\xC2\x8F\xC2\x90\xC2\x9D");
    CHECK(decode_text("\x93quoted\x94 \x9F", name) == "\xE2\x80\x9Cquoted\xE2\x80\x9D \xC5\xB8");
  }
  SUBCASE("overlong and surrogate UTF-8 forms are not UTF-8") {
    decode_text("\xC0\xAF", name);
    CHECK(name == "windows-1252");
    decode_text("\xED\xA0\x80", name);
    CHECK(name == "windows-1252");
  }
}

TEST_CASE("read_csv decodes every supported encoding and records which it was") {
  SUBCASE("UTF-16LE") {
    const std::string utf8 = "name,city\nJos\xC3\xA9,S\xC3\xA3o Paulo\n";
    std::string le = "\xFF\xFE";
    for (char c : std::string("name,city\nJos")) le += c, le += '\0';
    le += std::string("\xE9\x00", 2);
    for (char c : std::string(",S")) le += c, le += '\0';
    le += std::string("\xE3\x00", 2);
    for (char c : std::string("o Paulo\n")) le += c, le += '\0';
    const table t = read_csv(le);
    CHECK(t.encoding == "UTF-16LE");
    REQUIRE(t.rows == 1);
    CHECK(t.columns[0].text(0) == "Jos\xC3\xA9");
    CHECK(t.columns[1].text(0) == "S\xC3\xA3o Paulo");
  }
  SUBCASE("Windows-1252") {
    const table t = read_csv("name;amount\nJos\xE9;\x80 5\n");
    CHECK(t.encoding == "windows-1252");
    CHECK(t.columns[0].text(0) == "Jos\xC3\xA9");
    CHECK(t.columns[1].number(0) == 5);
  }
  SUBCASE("UTF-8 BOM does not stick to the first header") {
    const table t = read_csv(
        "\xEF\xBB\xBF"
        "id,x\n1,2\n");
    CHECK(t.encoding == "UTF-8 BOM");
    CHECK(t.find("id") == 0);
  }
}

TEST_CASE("quoted cells hold delimiters, doubled quotes and line breaks; CRLF, LF and CR all end rows") {
  const table t = read_csv("a,b,c\r\n\"x,y\",\"say \"\"hi\"\"\",\"line1\r\nline2\"\r\n1,2,3\r4,5,6\n\"\",\"\",z");
  REQUIRE(t.rows == 4);
  CHECK(t.columns[0].text(0) == "x,y");
  CHECK(t.columns[1].text(0) == "say \"hi\"");
  CHECK(t.columns[2].text(0) == "line1\r\nline2");
  CHECK(t.columns[0].text(1) == "1");
  CHECK(t.columns[2].text(1) == "3");
  CHECK(t.columns[0].text(2) == "4");
  CHECK(t.columns[2].text(2) == "6");
  // The last line has no newline; its quoted empties are empty cells, but "z" keeps it.
  CHECK(t.columns[0].is_empty(3));
  CHECK(t.columns[2].text(3) == "z");
  CHECK(t.skipped_blank_rows == 0);
  CHECK(t.ragged_count == 0);
}

TEST_CASE("text after a closing quote is kept and a delimiter at the very end adds an empty cell") {
  const table t = read_csv("a,b,c\n\"ab\"cd,2,");
  REQUIRE(t.rows == 1);
  CHECK(t.columns[0].text(0) == "abcd");
  CHECK(t.columns[2].is_empty(0));
  CHECK(t.ragged_count == 0);
}

TEST_CASE("ragged rows are padded or cut, counted and reported with their row and cell count") {
  const table t = read_csv("a,b,c\n1,2\n1,2,3\n1,2,3,4,5\n,,\n7\n");
  REQUIRE(t.rows == 4);
  CHECK(t.skipped_blank_rows == 1);
  CHECK(t.ragged_count == 3);
  REQUIRE(t.ragged.size() == 3);
  CHECK(t.ragged[0].row == 1);
  CHECK(t.ragged[0].cells == 2);
  CHECK(t.ragged[1].row == 3);
  CHECK(t.ragged[1].cells == 5);
  CHECK(t.ragged[2].row == 4);
  CHECK(t.ragged[2].cells == 1);
  CHECK(t.columns[2].is_empty(0));
  CHECK(t.columns[2].text(2) == "3");
  for (const auto& c : t.columns) CHECK(c.size() == 4);
}

TEST_CASE("empty and duplicate headers are renamed as the contract says") {
  const table t = read_csv("name,,name,Score,name\n1,2,3,4,5\n");
  const std::vector<std::string> want = {"name", "Column 2", "name (2)", "Score", "name (3)"};
  CHECK(names_of(t) == want);
}

TEST_CASE("rows whose cells are all empty are skipped and counted, before and after the header") {
  const table t = read_csv("\n , \n\nid,x\n1,2\n,\n\"\",\" \"\n3,4\n\n");
  CHECK(names_of(t) == std::vector<std::string>{"id", "x"});
  REQUIRE(t.rows == 2);
  CHECK(t.columns[0].text(1) == "3");
  CHECK(t.skipped_blank_rows == 6);
}

TEST_CASE("a chosen header row drops the rows above it") {
  read_options o = named("report.csv");
  o.header_row = 3;
  const table t = read_csv("Quarterly report\n\nid,score\n1,50\n", o);
  CHECK(names_of(t) == std::vector<std::string>{"id", "score"});
  CHECK(t.rows == 1);
  o.header_row = 9;
  const std::string err = error_of([&] { read_csv("id,score\n1,50\n", o); });
  CHECK(contains(err, "report.csv"));
  CHECK(contains(err, "row 9"));
  o.header_row = 2;
  CHECK(contains(error_of([&] { read_csv("id,score\n\n1,50\n", o); }), "empty"));
}

TEST_CASE("an unterminated quote is refused with the row where the quote opened") {
  const std::string err =
      error_of([] { read_csv("id,notes\n1,fine\n2,\"never closed\n3,more\n4,x\n", named("notes.csv")); });
  CHECK(contains(err, "notes.csv"));
  CHECK(contains(err, "row 3"));
  CHECK(contains(err, "column 2"));
  CHECK(contains(err, "notes"));
}

TEST_CASE("binary junk is refused as not a text spreadsheet") {
  const std::string png("\x89PNG\r\n\x1A\n\0\0\0\rIHDR", 16);
  const std::string e1 = error_of([&] { read_csv(png, named("report.csv")); });
  CHECK(contains(e1, "report.csv is not a text spreadsheet"));
  CHECK(contains(e1, "PNG"));
  const std::string pdf = "%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n";
  CHECK(contains(error_of([&] { read_csv(pdf, named("report.csv")); }), "PDF"));
  const std::string nul("id,x\n1,\0\0\x01\x02\n", 11);
  CHECK(error_of([&] { read_csv(nul, named("report.csv")); }) ==
        "report.csv is not a text spreadsheet (it looks like binary data)");
  std::string noise;
  for (int i = 0; i < 4000; ++i) noise += static_cast<char>((i * 7919 + 13) % 255 + 1);
  CHECK(contains(error_of([&] { read_csv(noise, named("noise.csv")); }), "binary data"));
  const std::string xls("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0", 10);
  CHECK(contains(error_of([&] { read_csv(xls, named("old.csv")); }), ".xls"));
}

TEST_CASE("a file with no table is refused with its name") {
  CHECK(error_of([] { read_csv("", named("void.csv")); }) == "void.csv is empty");
  CHECK(contains(error_of([] { read_csv("\n  \n,,\n", named("blank.csv")); }), "blank.csv holds no table"));
}

TEST_CASE("a header without data rows is a table with no rows") {
  const table t = read_csv("id,score\n");
  CHECK(t.rows == 0);
  CHECK(t.columns.size() == 2);
  CHECK(t.columns[0].type() == column_type::empty);
}

TEST_CASE("the delimiter is the most frequent of , ; tab | outside quotes on the first line") {
  CHECK(sniff_delimiter("a,b,c\n1;2;3;4;5\n") == ',');
  CHECK(sniff_delimiter("a;b;c\n") == ';');
  CHECK(sniff_delimiter("a\tb\tc\n1,2\t3\n") == '\t');
  CHECK(sniff_delimiter("a|b|c\n") == '|');
  CHECK(sniff_delimiter("a,b;c;d\n") == ';');
  CHECK(sniff_delimiter("a,b;c\n") == ',');  // tie: ',' first
  CHECK(sniff_delimiter("a;b\tc\n") == ';');  // tie: ';' before tab
  CHECK(sniff_delimiter("a\tb|c\n") == '\t');  // tie: tab before '|'
  CHECK(sniff_delimiter("\"x,y,z\";b\n") == ';');  // commas inside quotes do not count
  CHECK(sniff_delimiter("single\n1\n") == ',');
  CHECK(sniff_delimiter("") == ',');
  CHECK(sniff_delimiter("\n\r\n  \na;b\n") == ';');  // blank first lines are passed over
  const table tsv = read_csv("id\tname\n1\tAnn, Bob\n");
  CHECK(tsv.delimiter == '\t');
  CHECK(tsv.columns[1].text(0) == "Ann, Bob");
  const table piped = read_csv("id|v\n1|2\n");
  CHECK(piped.delimiter == '|');
  read_options forced;
  forced.delimiter = ';';
  CHECK(read_csv("a,b;c\n1,2;3\n", forced).columns.size() == 2);
}

TEST_CASE("read limits are enforced with a message that names the limit and a way under it") {
  read_limits limits;
  limits.max_rows = 2;
  const std::string rows = error_of([&] { read_csv("a\n1\n2\n3\n", named("big.csv"), limits); });
  CHECK(contains(rows, "big.csv"));
  CHECK(contains(rows, "more than 2 data rows"));
  CHECK(contains(rows, "Split"));
  CHECK_NOTHROW(read_csv("a\n1\n2\n", named("ok.csv"), limits));

  limits = {};
  limits.max_columns = 3;
  const std::string cols = error_of([&] { read_csv("a,b,c,d\n1,2,3,4\n", named("wide.csv"), limits); });
  CHECK(contains(cols, "wide.csv"));
  CHECK(contains(cols, "4 columns"));
  CHECK(contains(cols, "3"));
  // A long data row is only cut and reported.
  const table t = read_csv("a,b\n1,2,3,4,5,6,7\n", named("ok.csv"), limits);
  CHECK(t.ragged_count == 1);

  limits = {};
  limits.max_cell_bytes = 10;
  const std::string cell =
      error_of([&] { read_csv("a,b\n1,\"" + std::string(50, 'x') + "\"\n", named("c.csv"), limits); });
  CHECK(contains(cell, "c.csv: row 2, column 2"));
  CHECK(contains(cell, "10 bytes"));
  CHECK(contains(error_of([&] { read_csv("a,b\n1," + std::string(50, 'x') + "\n", named("c.csv"), limits); }),
                 "longer than 10 bytes"));
}

TEST_CASE("progress is reported about every megabyte and returning false cancels") {
  std::string csv = "id,value\n";
  for (int i = 0; i < 300000; ++i) csv += std::to_string(i) + "," + std::to_string(i * 3) + "\n";
  REQUIRE(csv.size() > 3 * 1024 * 1024);
  read_options o = named("long.csv");
  std::size_t calls = 0, last_bytes = 0, last_rows = 0;
  o.progress = [&](std::size_t bytes, std::size_t rows) {
    ++calls;
    CHECK(bytes >= last_bytes);
    CHECK(rows >= last_rows);
    last_bytes = bytes;
    last_rows = rows;
    return true;
  };
  const table t = read_csv(csv, o);
  CHECK(t.rows == 300000);
  CHECK(calls >= 3);
  CHECK(last_bytes == csv.size());
  CHECK(t.columns[1].number(299999) == 899997);

  o.progress = [](std::size_t, std::size_t) { return false; };
  CHECK(error_of([&] { read_csv(csv, o); }) == "long.csv: reading was cancelled");
}

TEST_CASE("cells keep their text as written, spaces included, for map rules and ids") {
  const table t = read_csv("id,plan\n  A-1 ,Pro \n");
  CHECK(t.columns[0].text(0) == "  A-1 ");
  CHECK(trim(t.columns[0].text(0)) == "A-1");
  CHECK(t.columns[1].text(0) == "Pro ");
}

TEST_CASE("UTF-16 without a byte-order mark is named in the message, in either byte order") {
  const std::string text = "id,score\n1,2\n";
  std::string le, be;
  for (char c : text) {
    le += c, le += '\0';
    be += '\0', be += c;
  }
  read_options o;
  o.source = "u16.csv";
  for (const std::string& bytes : {le, be}) {
    try {
      (void)read_csv(bytes, o);
      FAIL("expected an input_error");
    } catch (const input_error& e) {
      const std::string m = e.what();
      CHECK(m.find("u16.csv") != std::string::npos);
      CHECK(m.find("UTF-16") != std::string::npos);
      CHECK(m.find("byte-order mark") != std::string::npos);
    }
  }
  CHECK(read_csv("\xFF\xFE" + le, o).rows == 1);  // with its mark it reads
}

TEST_CASE("a wide header over many short rows stops at the cells limit, naming it") {
  std::string csv;
  for (int i = 0; i < 100; ++i) csv += "c" + std::to_string(i) + (i < 99 ? "," : "\n");
  for (int r = 0; r < 50; ++r) csv += "1\n";
  read_options o;
  o.source = "wide.csv";
  read_limits l;
  l.max_cells = 1000;  // 100 columns: 10 rows fit
  try {
    (void)read_csv(csv, o, l);
    FAIL("expected an input_error");
  } catch (const input_error& e) {
    const std::string m = e.what();
    CHECK(m.find("wide.csv") != std::string::npos);
    CHECK(m.find("1,000 cells") != std::string::npos);
  }
  l.max_cells = 100 * 50;
  CHECK(read_csv(csv, o, l).rows == 50);
}
