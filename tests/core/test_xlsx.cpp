// SPDX-License-Identifier: MIT
// XLSX: every workbook of the shared corpus (corpus/xlsx/EXPECTED.md), and hand-written workbooks
// for the cases the corpus lacks.
#include <doctest/doctest.h>

#include <cmath>
#include <ctime>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "detail/sheet_builder.hpp"
#include "healthscore/workbook.hpp"
#include "test_util.hpp"

using namespace healthscore;

#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(undefined_behavior_sanitizer)
#define HEALTHSCORE_TEST_SANITIZED 1
#endif
#endif

namespace {

using test_util::contains;
using test_util::message_of;
using test_util::names;
using test_util::texts;

table load(const std::string& file, const std::string& sheet = "", std::size_t header_row = 0) {
  const std::string bytes = test_util::read_file(test_util::corpus("xlsx/" + file));
  auto zip = open_zip(bytes, file);
  read_options o;
  o.source = file;
  o.sheet = sheet;
  o.header_row = header_row;
  return read_xlsx(*zip, o);
}

std::int32_t ymd(int y, unsigned m, unsigned d) { return static_cast<std::int32_t>(detail::days_from_civil(y, m, d)); }

// A one-sheet workbook ("Data", plus "Other") from hand-written parts.
memory_archive make_xlsx(const std::string& sheet_data, const std::string& shared_strings = "",
                         const std::string& styles = "", const std::string& workbook_pr = "") {
  memory_archive a;
  a.add("[Content_Types].xml", "<Types/>");
  a.add("_rels/.rels",
        "<Relationships><Relationship Id=\"rId1\" "
        "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" "
        "Target=\"xl/workbook.xml\"/></Relationships>");
  a.add("xl/workbook.xml",
        "<workbook xmlns:r=\"r\">" + workbook_pr +
            "<sheets><sheet name=\"Data\" sheetId=\"1\" r:id=\"rId1\"/><sheet name=\"Other\" sheetId=\"2\" "
            "r:id=\"rId2\"/></sheets></workbook>");
  std::string rels =
      "<Relationships>"
      "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" "
      "Target=\"worksheets/sheet1.xml\"/>"
      "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" "
      "Target=\"/xl/worksheets/sheet2.xml\"/>";
  if (!shared_strings.empty()) {
    rels +=
        "<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" Target=\"sharedStrings.xml\"/>";
    a.add("xl/sharedStrings.xml", "<sst>" + shared_strings + "</sst>");
  }
  if (!styles.empty()) {
    rels +=
        "<Relationship Id=\"rId4\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>";
    a.add("xl/styles.xml", "<styleSheet>" + styles + "</styleSheet>");
  }
  a.add("xl/_rels/workbook.xml.rels", rels + "</Relationships>");
  a.add("xl/worksheets/sheet1.xml", "<worksheet><dimension ref=\"A1:XFD1048576\"/><sheetData>" + sheet_data +
                                        "</sheetData><mergeCells/></worksheet>");
  a.add("xl/worksheets/sheet2.xml",
        "<worksheet><sheetData><row r=\"1\"><c r=\"A1\"><v>7</v></c></row></sheetData></worksheet>");
  return a;
}

table read(memory_archive& a, const std::string& sheet = "", const read_limits& limits = {}) {
  read_options o;
  o.source = "hand.xlsx";
  o.sheet = sheet;
  return read_xlsx(a, o, limits);
}

}  // namespace

// ---- the corpus ---------------------------------------------------------------------------------

TEST_CASE("issues.xlsx: six sheets; shared strings, str and bool formula results, a date, special characters") {
  const std::string bytes = test_util::read_file(test_util::corpus("xlsx/issues.xlsx"));
  auto zip = open_zip(bytes, "issues.xlsx");
  const auto sheets = xlsx_sheets(*zip);
  REQUIRE(sheets.size() == 6);
  const char* expected[] = {"datatypes", "Sheet1", "issue2", "issue5", "issue6", "spc_chrs"};
  for (std::size_t i = 0; i < 6; ++i) {
    CHECK(sheets[i].name == expected[i]);
    CHECK(sheets[i].visible);
    CHECK(sheets[i].worksheet);
  }

  SUBCASE("datatypes (the default sheet): 1 is the header, then 1.5, ab, FALSE, test, 2016-10-20") {
    const table t = load("issues.xlsx");
    CHECK(t.sheet == "datatypes");
    CHECK(t.source == "issues.xlsx");
    REQUIRE(t.columns.size() == 1);
    CHECK(t.columns[0].name() == "1");
    REQUIRE(t.rows == 5);
    const column& c = t.columns[0];
    CHECK(c.kind(0) == cell_kind::number);
    CHECK(c.number(0) == 1.5);
    CHECK(c.text(0) == "1.5");
    CHECK(c.kind(1) == cell_kind::text);
    CHECK(c.text(1) == "ab");
    CHECK(c.kind(2) == cell_kind::boolean);
    CHECK(c.text(2) == "FALSE");
    CHECK(c.boolean(2) == 0);
    CHECK(c.text(3) == "test");
    CHECK(c.kind(4) == cell_kind::date);
    CHECK(c.text(4) == "2016-10-20");
    CHECK(c.date(4) == ymd(2016, 10, 20));
  }
  SUBCASE("issue2") {
    const table t = load("issues.xlsx", "issue2");
    CHECK(names(t) == std::vector<std::string>{"1", "a"});
    CHECK(texts(t, 0) == std::vector<std::string>{"2", "3"});
    CHECK(texts(t, 1) == std::vector<std::string>{"b", "c"});
    CHECK(t.columns[0].type() == column_type::number);
  }
  SUBCASE("issue5 is a header with no rows") {
    const table t = load("issues.xlsx", "issue5");
    CHECK(names(t) == std::vector<std::string>{"0.5"});
    CHECK(t.rows == 0);
  }
  SUBCASE("issue6: the styled cell without a value in A6 is no row") {
    const table t = load("issues.xlsx", "issue6");
    CHECK(t.rows == 3);
    CHECK(texts(t, 0) == std::vector<std::string>{"2", "ab", "FALSE"});
  }
  SUBCASE("spc_chrs: entities and non-ASCII text") {
    const table t = load("issues.xlsx", "spc_chrs");
    CHECK(names(t) == std::vector<std::string>{"&"});
    CHECK(texts(t, 0) ==
          std::vector<std::string>{
              "<", ">", "aaa ' aaa", "\"", "\xE2\x98\xBA", "\xD6\x8D",
              "\xC3\xA0\xC3\xA2\xC3\xA9\xC3\xAA\xC3\xA8\xC3\xA7\xC3\xB6\xC3\xAF\xC3\xAE\xC2\xAB\xC2\xBB"});
  }
  SUBCASE("Sheet1: A2 holds the formula's cached 0") {
    const table t = load("issues.xlsx", "Sheet1");
    CHECK(names(t) == std::vector<std::string>{"0"});
    CHECK(t.rows == 0);
  }
}

TEST_CASE("errors.xlsx: every Excel error is an error cell, counted; the empty sheets are refused") {
  const table t = load("errors.xlsx");
  CHECK(t.sheet == "Feuil1");
  CHECK(names(t) == std::vector<std::string>{"#DIV/0!"});
  CHECK(texts(t, 0) == std::vector<std::string>{"#NAME?", "#VALUE!", "#NULL!", "#REF!", "#NUM!", "#N/A"});
  for (std::size_t r = 0; r < t.rows; ++r) CHECK(t.columns[0].kind(r) == cell_kind::error);
  CHECK(t.columns[0].error_count() == 6);
  CHECK(t.rows == 6);  // the dimension's A1:A20 is not believed
  const std::string m = message_of([] { load("errors.xlsx", "Feuil2"); });
  CHECK(contains(m, "errors.xlsx"));
  CHECK(contains(m, "Feuil2"));
  CHECK(contains(m, "empty"));
}

TEST_CASE("date.xlsx and date_1904.xlsx: the same dates from both date systems, and a duration stays a number") {
  for (const char* file : {"date.xlsx", "date_1904.xlsx"}) {
    CAPTURE(file);
    const table t = load(file);
    CHECK(names(t) == std::vector<std::string>{"2021-01-01", "15"});
    REQUIRE(t.rows == 2);
    const column& a = t.columns[0];
    CHECK(a.kind(0) == cell_kind::date);
    CHECK(a.text(0) == "2021-01-02");
    CHECK(a.date(0) == ymd(2021, 1, 2));
    CHECK(a.kind(1) == cell_kind::number);  // [hh]:mm:ss is 255h10m10s, not a date
    CHECK(a.number(1) == doctest::Approx(10.6320601851852));
    CHECK(texts(t, 1) == std::vector<std::string>{"16", "17"});
  }
}

TEST_CASE("date_iso.xlsx: t=\"d\" cells and inline strings") {
  const table t = load("date_iso.xlsx");
  CHECK(t.sheet == "Sheet");
  CHECK(names(t) == std::vector<std::string>{"2021-01-01"});
  REQUIRE(t.rows == 5);
  const column& c = t.columns[0];
  CHECK(c.kind(0) == cell_kind::date);
  CHECK(c.text(0) == "2021-01-01T10:10:10");
  CHECK(c.date(0) == ymd(2021, 1, 1));
  CHECK(c.kind(1) == cell_kind::number);  // a time of day alone
  CHECK(c.text(1) == "10:10:10");
  CHECK(c.number(1) == doctest::Approx((10 * 3600 + 10 * 60 + 10) / 86400.0));
  CHECK(c.text(2).substr(0, 42) == "This workbook contains datetime in ISO 860");
}

TEST_CASE("richtext-after-plain.xlsx: plain text and rich-text runs of a shared string are joined") {
  const table t = load("richtext-after-plain.xlsx");
  CHECK(names(t) == std::vector<std::string>{"abcd", "abcd (2)", "abcd (3)", "abcd (4)"});
  REQUIRE(t.rows == 1);
  CHECK(t.columns[0].text(0) == "tvalrval1rval2");
  for (std::size_t c = 1; c < 4; ++c) CHECK(t.columns[c].text(0) == "rval1rval2");
}

TEST_CASE("formula.issue.xlsx: sparse cells land in their columns, the gaps are empty") {
  const table t = load("formula.issue.xlsx");
  REQUIRE(t.columns.size() == 10);  // A..J
  CHECK(t.columns[0].name() == "23");
  CHECK(t.columns[1].name() == "Column 2");
  CHECK(t.columns[2].name() == "23 (2)");
  CHECK(t.columns[9].name() == "Column 10");
  REQUIRE(t.rows == 2);
  CHECK(t.skipped_blank_rows == 11);  // rows 2 to 12
  CHECK(t.columns[6].text(0) == "2");  // G13
  CHECK(t.columns[6].is_empty(1));
  CHECK(t.columns[9].is_empty(0));
  CHECK(t.columns[9].text(1) == "US");  // J14, a t="str" formula result
  for (std::size_t c : {0, 1, 2, 3, 4, 5, 7, 8}) CHECK(t.columns[c].empty_count() == 2);
}

TEST_CASE("empty_shared_string_value.xlsx: t=\"s\" cells without <v> are empty") {
  const table t = load("empty_shared_string_value.xlsx");
  CHECK(names(t) == std::vector<std::string>{"Name", "City", "Status"});
  CHECK(texts(t, 0) == std::vector<std::string>{"Alice", ""});
  CHECK(texts(t, 1) == std::vector<std::string>{"", "Berlin"});
  CHECK(texts(t, 2) == std::vector<std::string>{"Active", ""});
  CHECK(t.columns[1].is_empty(0));
}

TEST_CASE("header-row.xlsx: the first non-empty row, or the row the user names") {
  SUBCASE("first non-empty row: row 3, with only C3 = Note 1") {
    const table t = load("header-row.xlsx");
    CHECK(names(t) == std::vector<std::string>{"Column 1", "Column 2", "Note 1", "Column 4"});
    CHECK(t.rows == 2);
    CHECK(texts(t, 0) == std::vector<std::string>{"Columns", "put data here"});
  }
  SUBCASE("header_row = 9") {
    const table t = load("header-row.xlsx", "", 9);
    CHECK(names(t) == std::vector<std::string>{"Columns", "Column A", "Column B", "Column C"});
    REQUIRE(t.rows == 1);
    CHECK(t.columns[0].text(0) == "put data here");
    CHECK(t.columns[1].number(0) == 1);
    CHECK(t.columns[2].number(0) == 2);
    CHECK(t.columns[3].number(0) == 3);
  }
  SUBCASE("header_row = 1, an empty row: every column is named by position") {
    const table t = load("header-row.xlsx", "", 1);
    CHECK(names(t) == std::vector<std::string>{"Column 1", "Column 2", "Column 3", "Column 4"});
    CHECK(t.rows == 3);
  }
  SUBCASE("header_row past the end") {
    CHECK(contains(message_of([] { load("header-row.xlsx", "", 50); }), "header row 50"));
  }
}

TEST_CASE("any_sheets.xlsx: hidden, very hidden and chart sheets") {
  const std::string bytes = test_util::read_file(test_util::corpus("xlsx/any_sheets.xlsx"));
  auto zip = open_zip(bytes, "any_sheets.xlsx");
  const auto sheets = xlsx_sheets(*zip);
  REQUIRE(sheets.size() == 4);
  CHECK(sheets[0].name == "Visible");
  CHECK((sheets[0].visible && sheets[0].worksheet));
  CHECK(sheets[1].name == "Hidden");
  CHECK((!sheets[1].visible && sheets[1].worksheet));
  CHECK(sheets[2].name == "VeryHidden");
  CHECK((!sheets[2].visible && sheets[2].worksheet));
  CHECK(sheets[3].name == "Chart");
  CHECK_FALSE(sheets[3].worksheet);

  const table t = load("any_sheets.xlsx");
  CHECK(t.sheet == "Visible");
  CHECK(names(t) == std::vector<std::string>{"1", "2"});
  CHECK(texts(t, 0) ==
        std::vector<std::string>{"3", "5", "This workbook contains 4 sheets: Visible, Hidden, VeryHidden and Chart"});
  CHECK(texts(t, 1) == std::vector<std::string>{"4", "6", ""});
  CHECK(t.skipped_blank_rows == 1);

  const std::string chart = message_of([] { load("any_sheets.xlsx", "Chart"); });
  CHECK(contains(chart, "chart sheet"));
  const std::string missing = message_of([] { load("any_sheets.xlsx", "Summary"); });
  CHECK(contains(missing, "any_sheets.xlsx has no sheet named \"Summary\""));
  CHECK(contains(missing, "\"Visible\", \"Hidden\", \"VeryHidden\" and \"Chart\""));
  SUBCASE("sheet names match ignoring case and spaces when nothing matches exactly") {
    CHECK(load("any_sheets.xlsx", " visible ").sheet == "Visible");
  }
}

TEST_CASE("issue_174.xlsx: a full-grid dimension and 49k styled empty cells make no columns or rows, quickly") {
  const table t = load("issue_174.xlsx");
  REQUIRE(t.columns.size() == 11);
  CHECK(t.rows == 1);
  CHECK(t.columns[0].name() == "Your Ref #");
  CHECK(trim(t.columns[4].name()) == "City");
  CHECK(t.columns[10].name() == "Your Company");
  CHECK(t.columns[0].number(0) == 123);
  CHECK(t.columns[1].text(0) == "Test Contact Name");
  CHECK(t.columns[5].number(0) == 1.5);
  CHECK(t.columns[6].number(0) == 1);
  CHECK(t.columns[7].number(0) == 1.2010000000000001);
  CHECK(t.columns[7].text(0) == "1.201");  // the shortest text of that double
  CHECK(t.columns[10].text(0) == "My Company?");
  CHECK(t.memory_bytes() < (1u << 20));
}

// ---- hand-written workbooks ---------------------------------------------------------------------

TEST_CASE("a workbook without sharedStrings.xml reads inline strings, numbers and str results") {
  memory_archive a = make_xlsx(
      "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>Account</t></is></c><c r=\"B1\" t=\"inlineStr\"><is><t>MRR</t></is></c></row>"
      "<row r=\"2\"><c r=\"A2\" t=\"str\"><f>X()</f><v>Acme</v></c><c r=\"B2\"><v>1200.50</v></c></row>"
      "<row r=\"3\"><c r=\"A3\" t=\"inlineStr\"><is><r><t>Glo</t></r><r><rPr/><t>bex</t></r></is></c><c r=\"B3\"><v>-3E2</v></c></row>");
  const table t = read(a);
  CHECK(t.sheet == "Data");
  CHECK(names(t) == std::vector<std::string>{"Account", "MRR"});
  CHECK(texts(t, 0) == std::vector<std::string>{"Acme", "Globex"});
  CHECK(texts(t, 1) == std::vector<std::string>{"1200.5", "-300"});
  CHECK(t.columns[1].type() == column_type::number);
}

TEST_CASE("custom number formats decide dates; durations and times of day stay numbers") {
  const std::string styles =
      "<numFmts count=\"6\">"
      "<numFmt numFmtId=\"164\" formatCode=\"dd/mm/yyyy\\ hh:mm\"/>"
      "<numFmt numFmtId=\"165\" formatCode=\"[hh]:mm:ss\"/>"
      "<numFmt numFmtId=\"166\" formatCode=\"h:mm AM/PM\"/>"
      "<numFmt numFmtId=\"167\" formatCode=\"mmm yyyy\"/>"
      "<numFmt numFmtId=\"168\" formatCode=\"&quot;days: &quot;0;[Red]\\-0\"/>"
      "<numFmt numFmtId=\"169\" formatCode=\"[$-409]mmmm\\ d;@\"/>"
      "</numFmts>"
      "<cellStyleXfs count=\"1\"><xf numFmtId=\"14\"/></cellStyleXfs>"
      "<cellXfs count=\"9\"><xf numFmtId=\"0\"/><xf numFmtId=\"164\"/><xf numFmtId=\"165\"/><xf numFmtId=\"166\"/>"
      "<xf numFmtId=\"167\"/><xf numFmtId=\"168\"/><xf numFmtId=\"169\"/><xf numFmtId=\"14\"/><xf numFmtId=\"20\"/></cellXfs>";
  memory_archive a = make_xlsx(
      "<row><c t=\"inlineStr\"><is><t>v</t></is></c></row>"
      "<row><c s=\"1\"><v>44197.5</v></c></row>"  // 2021-01-01 12:00
      "<row><c s=\"2\"><v>10.5</v></c></row>"  // a duration
      "<row><c s=\"3\"><v>0.25</v></c></row>"  // 6:00 AM
      "<row><c s=\"4\"><v>44197</v></c></row>"  // Jan 2021
      "<row><c s=\"5\"><v>12</v></c></row>"  // "days: " 12
      "<row><c s=\"6\"><v>44198</v></c></row>"  // [$-409] locale prefix, then a date
      "<row><c s=\"7\"><v>59</v></c></row>"  // built-in 14, before the fake 1900-02-29
      "<row><c s=\"7\"><v>61</v></c></row>"  // after it
      "<row><c s=\"7\"><v>1</v></c></row>"
      "<row><c s=\"8\"><v>0.5</v></c></row>"  // built-in 20, h:mm
      "<row><c s=\"99\"><v>3</v></c></row>",  // a style index past the list
      "", styles);
  const table t = read(a);
  const column& c = t.columns[0];
  REQUIRE(t.rows == 11);
  CHECK(c.kind(0) == cell_kind::date);
  CHECK(c.text(0) == "2021-01-01T12:00:00");
  CHECK(c.kind(1) == cell_kind::number);
  CHECK(c.text(1) == "10.5");
  CHECK(c.kind(2) == cell_kind::number);
  CHECK(c.kind(3) == cell_kind::date);
  CHECK(c.text(3) == "2021-01-01");
  CHECK(c.kind(4) == cell_kind::number);
  CHECK(c.kind(5) == cell_kind::date);
  CHECK(c.text(5) == "2021-01-02");
  CHECK(c.text(6) == "1900-02-28");
  CHECK(c.text(7) == "1900-03-01");
  CHECK(c.text(8) == "1900-01-01");
  CHECK(c.kind(9) == cell_kind::number);
  CHECK(c.kind(10) == cell_kind::number);
}

TEST_CASE("the 1904 date system written as date1904=\"1\" shifts serials by 1462 days") {
  const std::string styles = "<cellXfs><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/></cellXfs>";
  memory_archive a =
      make_xlsx("<row><c t=\"inlineStr\"><is><t>d</t></is></c></row><row><c s=\"1\"><v>42735</v></c></row>", "", styles,
                "<workbookPr date1904=\"1\"/>");
  const table t = read(a);
  CHECK(t.columns[0].text(0) == "2021-01-01");
  CHECK(t.columns[0].date(0) == ymd(2021, 1, 1));
}

TEST_CASE("a missing sheet is refused with the list of sheets there are") {
  memory_archive a = make_xlsx("<row><c><v>1</v></c></row>");
  const std::string m = message_of([&] { read(a, "Accounts"); });
  CHECK(m == "hand.xlsx has no sheet named \"Accounts\"; its sheets are \"Data\" and \"Other\"");
  SUBCASE("a sheet whose target is absolute reads too") {
    CHECK(names(read(a, "Other")) == std::vector<std::string>{"7"});
  }
}

TEST_CASE("a shared-string index out of range is a message naming the cell, not a crash") {
  memory_archive a = make_xlsx("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>5</v></c></row>",
                               "<si><t>only</t></si>");
  const std::string m = message_of([&] { read(a); });
  CHECK(contains(m, "hand.xlsx"));
  CHECK(contains(m, "cell B1"));
  CHECK(contains(m, "shared string 5"));
  memory_archive b = make_xlsx("<row><c t=\"s\"><v>-1</v></c></row>", "<si><t>only</t></si>");
  CHECK(contains(message_of([&] { read(b); }), "shared string -1"));
}

TEST_CASE("shared strings: phonetic runs left out, xml:space kept, _xHHHH_ escapes decoded") {
  memory_archive a = make_xlsx(
      "<row><c t=\"inlineStr\"><is><t>a</t></is></c><c t=\"inlineStr\"><is><t>b</t></is></c>"
      "<c t=\"inlineStr\"><is><t>c</t></is></c><c t=\"inlineStr\"><is><t>d</t></is></c></row>"
      "<row><c t=\"s\"><v>0</v></c><c t=\"s\"><v>1</v></c><c t=\"s\"><v>2</v></c><c t=\"s\"><v>3</v></c></row>"
      "<row><c t=\"b\"><v>1</v></c><c t=\"e\"><v>#N/A</v></c></row>",
      "<si><t>\xE6\xBC\xA2\xE5\xAD\x97</t><rPh sb=\"0\" eb=\"2\"><t>\xE3\x81\x8B\xE3\x82\x93\xE3\x81\x98</t></rPh></si>"
      "<si><t xml:space=\"preserve\">  padded </t></si>"
      "<si><t>a_x000D__x000A_b_x005F_x</t></si>"
      "<si><t><![CDATA[<cdata>]]></t></si>");
  const table t = read(a);
  REQUIRE(t.rows == 2);
  CHECK(t.columns[0].text(0) == "\xE6\xBC\xA2\xE5\xAD\x97");
  CHECK(t.columns[1].text(0) == "  padded ");
  CHECK(t.columns[2].text(0) == "a\r\nb_x");
  CHECK(t.columns[3].text(0) == "<cdata>");
  CHECK(t.columns[0].text(1) == "TRUE");
  CHECK(t.columns[0].kind(1) == cell_kind::boolean);
  CHECK(t.columns[1].kind(1) == cell_kind::error);
  CHECK(t.columns[1].error_count() == 1);
}

TEST_CASE("cells and rows without r take the running position; columns past the header get names") {
  memory_archive a = make_xlsx(
      "<row><c t=\"inlineStr\"><is><t>id</t></is></c><c t=\"inlineStr\"><is><t>name</t></is></c></row>"
      "<row><c><v>1</v></c><c t=\"inlineStr\"><is><t>a</t></is></c><c r=\"E2\"><v>9</v></c><c><v>10</v></c></row>"
      "<row r=\"5\"><c><v>2</v></c></row>"
      "<row><c r=\"B6\" t=\"inlineStr\"><is><t>c</t></is></c></row>");
  const table t = read(a);
  CHECK(names(t) == std::vector<std::string>{"id", "name", "Column 3", "Column 4", "Column 5", "Column 6"});
  REQUIRE(t.rows == 3);
  CHECK(texts(t, 0) == std::vector<std::string>{"1", "2", ""});
  CHECK(texts(t, 1) == std::vector<std::string>{"a", "", "c"});
  CHECK(texts(t, 4) == std::vector<std::string>{"9", "", ""});
  CHECK(texts(t, 5) == std::vector<std::string>{"10", "", ""});
  CHECK(t.skipped_blank_rows == 2);  // rows 3 and 4
}

TEST_CASE("prefixed SpreadsheetML (x:row, x:c) as some .NET writers produce it reads the same") {
  memory_archive a;
  a.add(
      "xl/workbook.xml",
      "<x:workbook xmlns:x=\"m\" xmlns:r=\"r\"><x:sheets><x:sheet name=\"S\" sheetId=\"1\" r:id=\"R1\"/></x:sheets></x:workbook>");
  a.add(
      "xl/_rels/workbook.xml.rels",
      "<Relationships><Relationship Id=\"R1\" Type=\"http://purl.oclc.org/ooxml/officeDocument/relationships/worksheet\" Target=\"sheets/s.xml\"/></Relationships>");
  a.add(
      "xl/sheets/s.xml",
      "<x:worksheet xmlns:x=\"m\"><x:sheetData><x:row r=\"1\"><x:c r=\"A1\" t=\"inlineStr\"><x:is><x:t>k</x:t></x:is></x:c></x:row>"
      "<x:row r=\"2\"><x:c r=\"A2\"><x:v>4</x:v></x:c></x:row></x:sheetData></x:worksheet>");
  const table t = read(a);
  CHECK(t.sheet == "S");
  CHECK(names(t) == std::vector<std::string>{"k"});
  CHECK(texts(t, 0) == std::vector<std::string>{"4"});
}

TEST_CASE("row and column limits are input errors naming the limit") {
  memory_archive a = make_xlsx(
      "<row><c><v>1</v></c></row><row><c><v>2</v></c></row><row><c><v>3</v></c></row>"
      "<row><c r=\"XFD4\"><v>4</v></c></row>");
  read_limits limits;
  limits.max_rows = 2;
  CHECK(contains(message_of([&] { read(a, "", limits); }), "the limit is 2 rows"));
  limits = {};
  limits.max_columns = 100;
  CHECK(contains(message_of([&] { read(a, "", limits); }), "past the limit of 100 columns"));
  limits = {};
  const table t = read(a, "", limits);  // XFD is column 16384, the default limit
  CHECK(t.columns.size() == 16384);
}

TEST_CASE("malformed sheet XML and a missing workbook part are input errors") {
  memory_archive a = make_xlsx("<row><c><v>1</v></c></row><row><c");
  CHECK(contains(message_of([&] { read(a); }), "hand.xlsx: xl/worksheets/sheet1.xml"));
  memory_archive b;
  b.add("hello.txt", "hi");
  CHECK(contains(message_of([&] { read(b); }), "hand.xlsx is not an XLSX workbook"));
}

TEST_CASE("damaged parts (cut short or with bytes changed) give a table or an input_error, never a crash") {
  // Property: whatever happens to the XML inside a valid zip, read_xlsx returns or throws input_error.
  const std::string bytes = test_util::read_file(test_util::corpus("xlsx/issues.xlsx"));
  auto zip = open_zip(bytes, "issues.xlsx");
  std::vector<std::pair<std::string, std::string>> parts;
  for (const auto& name : zip->names()) parts.emplace_back(name, zip->read(name));
  std::mt19937 random(20261125);
  std::size_t tables = 0, errors = 0;
  for (std::size_t target = 0; target < parts.size(); ++target) {
    const std::string& original = parts[target].second;
    if (parts[target].first.find(".xml") == std::string::npos || original.empty()) continue;
    for (int trial = 0; trial < 60; ++trial) {
      std::string changed = original;
      if (trial < 30) {
        changed.resize(original.size() * static_cast<std::size_t>(trial) / 30);
      } else {
        for (int k = 0; k < 4; ++k) changed[random() % changed.size()] = "<>&\"'/=x0#;"[random() % 11];
      }
      memory_archive a;
      for (std::size_t i = 0; i < parts.size(); ++i) a.add(parts[i].first, i == target ? changed : parts[i].second);
      for (const char* sheet : {"", "issue2", "spc_chrs"}) {
        read_options o;
        o.source = "damaged.xlsx";
        o.sheet = sheet;
        try {
          read_xlsx(a, o);
          ++tables;
        } catch (const input_error&) {
          ++errors;
        }
      }
    }
  }
  CHECK(tables > 0);
  CHECK(errors > 0);
}
