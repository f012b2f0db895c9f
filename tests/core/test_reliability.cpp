// SPDX-License-Identifier: MIT
// Issue 14, "every real spreadsheet opens or says why": one test case per kind of fault found,
// named after it. The same files go through the command line in tests/data/bad/MANIFEST.json, and
// real files of other readers' test suites in tests/corpus/ (scripts/test-corpus).
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "healthscore/archive.hpp"
#include "healthscore/csv.hpp"
#include "healthscore/export.hpp"
#include "healthscore/workbook.hpp"
#include "test_util.hpp"

using namespace healthscore;

namespace {

using test_util::contains;
using test_util::message_of;
using test_util::names;
using test_util::texts;

const std::string rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

// A workbook from parts, `sep` standing for the path separator of every entry name.
memory_archive make_xlsx(const std::vector<std::string>& sheet_xml, const std::string& sst = "", char sep = '/',
                         const std::string& book_dir = "xl") {
  memory_archive a;
  auto name = [&](std::string n) {
    for (char& c : n)
      if (c == '/') c = sep;
    return n;
  };
  a.add(name("_rels/.rels"), "<Relationships><Relationship Id=\"rId1\" Type=\"" + rel + "/officeDocument\" Target=\"" +
                                 book_dir + "/workbook.xml\"/></Relationships>");
  std::string sheets, rels;
  for (std::size_t i = 0; i < sheet_xml.size(); ++i) {
    const std::string n = std::to_string(i + 1);
    sheets += "<sheet name=\"S" + n + "\" sheetId=\"" + n + "\" r:id=\"rId" + n + "\"/>";
    rels +=
        "<Relationship Id=\"rId" + n + "\" Type=\"" + rel + "/worksheet\" Target=\"worksheets/sheet" + n + ".xml\"/>";
    a.add(name(book_dir + "/worksheets/sheet" + n + ".xml"),
          "<worksheet><sheetData>" + sheet_xml[i] + "</sheetData></worksheet>");
  }
  if (!sst.empty()) {
    rels += "<Relationship Id=\"rIdS\" Type=\"" + rel + "/sharedStrings\" Target=\"sharedStrings.xml\"/>";
    a.add(name(book_dir + "/sharedStrings.xml"), "<sst>" + sst + "</sst>");
  }
  a.add(name(book_dir + "/workbook.xml"), "<workbook xmlns:r=\"r\"><sheets>" + sheets + "</sheets></workbook>");
  a.add(name(book_dir + "/_rels/workbook.xml.rels"), "<Relationships>" + rels + "</Relationships>");
  return a;
}

std::string istr(const std::string& ref, const std::string& text) {
  return "<c r=\"" + ref + "\" t=\"inlineStr\"><is><t>" + text + "</t></is></c>";
}

table read(memory_archive& a, const read_limits& limits = {}, const std::string& sheet = "") {
  read_options o;
  o.source = "book.xlsx";
  o.sheet = sheet;
  return read_xlsx(a, o, limits);
}

memory_archive make_ods(const std::string& rows, const std::string& manifest = "") {
  memory_archive a;
  a.add("mimetype", "application/vnd.oasis.opendocument.spreadsheet");
  if (!manifest.empty()) a.add("META-INF/manifest.xml", manifest);
  a.add(
      "content.xml",
      "<office:document-content xmlns:office=\"o\" xmlns:table=\"t\" xmlns:text=\"x\"><office:body><office:spreadsheet>"
      "<table:table table:name=\"T\">" +
          rows + "</table:table></office:spreadsheet></office:body></office:document-content>");
  return a;
}

std::string ods_str(const std::string& s, const std::string& element = "table-cell", const std::string& attrs = "") {
  return "<table:" + element + " office:value-type=\"string\"" + attrs + "><text:p>" + s +
         "</text:p></table:" + element + ">";
}

std::string utf16le(const std::string& ascii, bool bom) {
  std::string out = bom ? std::string("\xFF\xFE") : std::string();
  for (char c : ascii) out += c, out += '\0';
  return out;
}
std::string utf16be(const std::string& ascii, bool bom) {
  std::string out = bom ? std::string("\xFE\xFF") : std::string();
  for (char c : ascii) out += '\0', out += c;
  return out;
}

}  // namespace

TEST_CASE("issue 14, memory amplification: one long shared string in many cells hits the per-sheet text limit") {
  // 64 KiB shown by 4 x 64 cells is 16 MiB of cell text from a few bytes of sheet XML.
  const std::string big(64 << 10, 'y');
  std::string rows = "<row r=\"1\">" + istr("A1", "a") + istr("B1", "b") + istr("C1", "c") + istr("D1", "d") + "</row>";
  for (int r = 2; r <= 65; ++r) {
    rows += "<row r=\"" + std::to_string(r) + "\">";
    for (const char* col : {"A", "B", "C", "D"})
      rows += "<c r=\"" + std::string(col) + std::to_string(r) + "\" t=\"s\"><v>0</v></c>";
    rows += "</row>";
  }
  memory_archive a = make_xlsx({rows}, "<si><t>" + big + "</t></si>");
  SUBCASE("under the limit it loads, every cell showing the string") {
    read_limits l;
    l.max_sheet_text_bytes = 16 << 20;  // 4 x 64 x 64 KiB = 16 MiB, plus the 4 header bytes: just over
    l.max_sheet_text_bytes += 4;
    const table t = read(a, l);
    CHECK(t.rows == 64);
    CHECK(t.columns[3].text(63).size() == big.size());
  }
  SUBCASE("one byte less, and the last cell is refused, named by row and column") {
    read_limits l;
    l.max_sheet_text_bytes = (16 << 20) + 3;
    const std::string m = message_of([&] { read(a, l); });
    CHECK(contains(m, "book.xlsx, sheet \"S1\": row 65, column 4"));
    CHECK(contains(m, "of text (the limit per sheet)"));
  }
  SUBCASE("ODS: a long text repeated over rows counts the same way") {
    memory_archive o = make_ods("<table:table-row>" + ods_str("h") +
                                "</table:table-row>"
                                "<table:table-row table:number-rows-repeated=\"1000\">" +
                                ods_str(big) + "</table:table-row>");
    read_limits l;
    l.max_sheet_text_bytes = 1 << 20;
    read_options opt;
    opt.source = "book.ods";
    const std::string m = message_of([&] { read_ods(o, opt, l); });
    // The header's 1 byte and 15 rows of 64 KiB fit; the 16th data row (sheet row 17) makes 1 MiB + 1.
    CHECK(contains(m, "book.ods, sheet \"T\": row 17, column 1"));
    CHECK(contains(m, "1 MiB of text"));
  }
}

TEST_CASE("issue 14, valid workbook refused: the workbook part where _rels/.rels says, not at xl/workbook.xml") {
  memory_archive a = make_xlsx(
      {"<row r=\"1\">" + istr("A1", "id") + "</row><row r=\"2\">" + istr("A2", "x") + "</row>"}, "", '/', "wtf");
  CHECK(detect_format("PK\x03\x04", &a) == file_format::xlsx);
  CHECK(xlsx_workbook_part(a) == "wtf/workbook.xml");
  const table t = read(a);
  CHECK(names(t) == std::vector<std::string>{"id"});
  CHECK(texts(t, 0) == std::vector<std::string>{"x"});
}

TEST_CASE("issue 14, valid workbook refused: entry names with backslashes (xl\\workbook.xml)") {
  memory_archive a = make_xlsx({"<row r=\"1\">" + istr("A1", "id") +
                                "<c r=\"B1\" t=\"s\"><v>0</v></c></row>"
                                "<row r=\"2\">" +
                                istr("A2", "x") + "<c r=\"B2\"><v>5</v></c></row>"},
                               "<si><t>arr</t></si>", '\\');
  CHECK(a.contains("xl\\workbook.xml"));
  CHECK(find_entry(a, "xl/workbook.xml") == "xl\\workbook.xml");
  CHECK(find_entry(a, "XL/Workbook.xml") == "xl\\workbook.xml");
  CHECK(detect_format("PK\x03\x04", &a) == file_format::xlsx);
  const table t = read(a);
  CHECK(names(t) == std::vector<std::string>{"id", "arr"});  // the shared strings were found too
  CHECK(t.columns[1].number(0) == 5);
  memory_archive o;
  o.add("mimetype", "application/vnd.oasis.opendocument.spreadsheet");
  o.add("content.xml",
        "<office:document-content><office:body><office:spreadsheet><table:table table:name=\"T\">"
        "<table:table-row>" +
            ods_str("k") +
            "</table:table-row></table:table></office:spreadsheet>"
            "</office:body></office:document-content>");
  CHECK(detect_format("PK\x03\x04", &o) == file_format::ods);
}

TEST_CASE("issue 14, valid workbook refused: XML parts in UTF-16, with or without a byte order mark") {
  const std::string sheet = "<?xml version=\"1.0\" encoding=\"UTF-16\"?><worksheet><sheetData><row r=\"1\">" +
                            istr("A1", "id") + istr("B1", "name") + "</row><row r=\"2\"><c r=\"A2\"><v>1</v></c>" +
                            "<c r=\"B2\" t=\"s\"><v>0</v></c></row></sheetData></worksheet>";
  // The shared string holds U+1F600 as a UTF-16 surrogate pair and U+00EB.
  const std::string sst_le =
      utf16le("<sst><si><t>Zo", true) + std::string("\xEB\0 \0\x3D\xD8\x00\xDE", 8) + utf16le("</t></si></sst>", false);
  for (int variant = 0; variant < 4; ++variant) {
    CAPTURE(variant);
    memory_archive a = make_xlsx({""});
    memory_archive b;
    for (const auto& n : a.names()) {
      std::string part = a.read(n);
      if (n == "xl/worksheets/sheet1.xml") part = sheet;
      const bool le = variant % 2 == 0, bom = variant < 2;
      b.add(n, le ? utf16le(part, bom) : utf16be(part, bom));
    }
    b.add("xl/sharedStrings.xml", sst_le);
    std::string rels = b.read("xl/_rels/workbook.xml.rels");
    (void)rels;
    memory_archive c;
    for (const auto& n : b.names()) {
      if (n == "xl/_rels/workbook.xml.rels")
        c.add(n, utf16le("<Relationships><Relationship Id=\"rId1\" Type=\"" + rel +
                             "/worksheet\" Target=\"worksheets/sheet1.xml\"/><Relationship Id=\"rIdS\" Type=\"" + rel +
                             "/sharedStrings\" Target=\"sharedStrings.xml\"/></Relationships>",
                         true));
      else
        c.add(n, b.read(n));
    }
    CHECK(detect_format("PK\x03\x04", &c) == file_format::xlsx);
    const table t = read(c);
    CHECK(names(t) == std::vector<std::string>{"id", "name"});
    CHECK(texts(t, 1) == std::vector<std::string>{"Zo\xC3\xAB \xF0\x9F\x98\x80"});
  }
}

TEST_CASE("issue 14, misleading message: a password-protected ODS says so, not 'not UTF-8'") {
  memory_archive a =
      make_ods("",
               "<manifest:manifest><manifest:file-entry manifest:full-path=\"content.xml\">"
               "<manifest:encryption-data manifest:checksum=\"x\"/></manifest:file-entry></manifest:manifest>");
  memory_archive b;
  for (const auto& n : a.names())
    b.add(n, n == "content.xml" ? std::string("\x8F\xFF\x01\xC3\x28 ciphertext", 16) : a.read(n));
  read_options o;
  o.source = "locked.ods";
  const std::string m = message_of([&] { read_ods(b, o); });
  CHECK(contains(m, "locked.ods is password-protected (encrypted)"));
  CHECK(contains(m, "\"Save with password\" unticked"));
  CHECK(!contains(m, "UTF-8"));
  // A manifest without encryption-data is an ordinary file.
  memory_archive plain =
      make_ods("<table:table-row>" + ods_str("k") + "</table:table-row>",
               "<manifest:manifest><manifest:file-entry manifest:full-path=\"content.xml\"/></manifest:manifest>");
  CHECK(read_ods(plain, o).columns.size() == 1);
}

TEST_CASE("issue 14, misleading message: a password-protected XLSX (an OLE file with EncryptedPackage) says so") {
  // calamine's pass_protected.xlsx, saved by Excel with a password (tests/corpus/MANIFEST.json).
  const std::string bytes = test_util::read_file(test_util::source("tests/corpus/calamine/pass_protected.xlsx"));
  read_options o;
  o.source = "pass_protected.xlsx";
  const std::string m = message_of([&] { read_csv(bytes, o); });
  CHECK(contains(m, "pass_protected.xlsx is a password-protected (encrypted) Excel workbook"));
  CHECK(!contains(m, ".xls file"));
  // An OLE file without that stream is still an old .xls.
  const std::string xls = std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) + std::string(1024, '\0');
  CHECK(contains(message_of([&] { read_csv(xls, o); }), "old Excel .xls"));
}

TEST_CASE("issue 14, misleading message: an empty first sheet names the sheets that hold data") {
  memory_archive a = make_xlsx({"", "<row r=\"3\"><c r=\"B3\"><v>1</v></c></row>", "<row r=\"1\"><c r=\"A1\"/></row>",
                                "<row r=\"1\">" + istr("A1", "k") + "</row>"});
  const std::string m = message_of([&] { read(a); });
  CHECK(contains(m, "book.xlsx, sheet \"S1\" is empty: there is no table to read."));
  CHECK(contains(m, "The sheets \"S2\" and \"S4\" hold data: choose one of them."));
  CHECK(xlsx_sheets_with_data(a) == std::vector<bool>{false, true, false, true});
  // Asked for by name, the empty sheet gets the plain message.
  CHECK(!contains(message_of([&] { read(a, {}, "S3"); }), "hold data"));
  memory_archive o = make_ods("");
  CHECK(ods_sheets_with_data(o) == std::vector<bool>{false});
  read_options opt;
  opt.source = "book.ods";
  CHECK(contains(message_of([&] { read_ods(o, opt); }), "No sheet of the workbook holds any data."));
}

TEST_CASE("issue 14, misleading message: the sheets with data are found in one pass, however many sheets are empty") {
  // 20,000 empty sheets before the one with data: a pass per sheet would read the 1 MB document
  // 20,000 times (the ODS fuzz target's smoke run went from seconds to minutes that way).
  std::string tables;
  for (int i = 0; i < 20000; ++i) tables += "<table:table table:name=\"E" + std::to_string(i) + "\"/>";
  memory_archive a;
  a.add("mimetype", "application/vnd.oasis.opendocument.spreadsheet");
  a.add("content.xml",
        "<office:document-content><office:body><office:spreadsheet>" + tables +
            "<table:table table:name=\"Data\"><table:table-row>" + ods_str("k") +
            "</table:table-row></table:table></office:spreadsheet></office:body></office:document-content>");
  read_options o;
  o.source = "many.ods";
  CHECK(contains(message_of([&] { read_ods(a, o); }),
                 "many.ods, sheet \"E0\" is empty: there is no table to read. The sheet \"Data\" holds data"));
  const std::vector<bool> with_data = ods_sheets_with_data(a);
  REQUIRE(with_data.size() == 20001);
  CHECK(with_data.back());
  CHECK(std::count(with_data.begin(), with_data.end(), true) == 1);
}

TEST_CASE("issue 14, misread: XML line ends in XLSX text are normalised before _x000D_ is decoded") {
  memory_archive a = make_xlsx({"<row r=\"1\">" + istr("A1", "h") +
                                "</row><row r=\"2\"><c r=\"A2\" t=\"s\"><v>0</v></c></row>"
                                "<row r=\"3\">" +
                                istr("A3", "in\r\nline") + "</row>"},
                               "<si><t>a\r\nb\rc_x000D_\nd&#13;e</t></si>");
  const table t = read(a);
  CHECK(texts(t, 0) == std::vector<std::string>{"a\nb\nc\r\nd\re", "in\nline"});
}

TEST_CASE("issue 14, misread: a surrogate pair written as two _xHHHH_ escapes is one character") {
  memory_archive a = make_xlsx({"<row r=\"1\">" + istr("A1", "h") +
                                "</row><row r=\"2\"><c r=\"A2\" t=\"s\"><v>0</v></c></row>"
                                "<row r=\"3\">" +
                                istr("A3", "_xD83D__xDE00_") + "</row>"},
                               "<si><t>_xD801__xDC05_ _xD801_ _x005F_x0041_ _x0041_</t></si>");
  const table t = read(a);
  // U+10405; a lone surrogate is U+FFFD; `_x005F_` is a literal underscore.
  CHECK(texts(t, 0) == std::vector<std::string>{"\xF0\x90\x90\x85 \xEF\xBF\xBD _x0041_ A", "\xF0\x9F\x98\x80"});
}

TEST_CASE("issue 15: a NUL written as &#0; or _x0000_ reads as U+FFFD, and the export reads back") {
  memory_archive a = make_xlsx({"<row r=\"1\">" + istr("A1", "name") +
                                "</row><row r=\"2\"><c r=\"A2\" t=\"s\"><v>0</v></c></row>"
                                "<row r=\"3\">" +
                                istr("A3", "b&#x0;c") + "</row>"},
                               "<si><t>a&#0;b_x0000_c&#00;</t></si>");
  memory_archive o = make_ods("<table:table-row>" + ods_str("name") + "</table:table-row><table:table-row>" +
                              ods_str("x&#0;y") + "</table:table-row>");
  const std::string r = "\xEF\xBF\xBD";
  const table x = read(a);
  read_options oo;
  oo.source = "book.ods";
  const table d = read_ods(o, oo);
  CHECK(texts(x, 0) == std::vector<std::string>{"a" + r + "b" + r + "c" + r, "b" + r + "c"});
  CHECK(texts(d, 0) == std::vector<std::string>{"x" + r + "y"});
  // A NUL in an exported CSV made it unreadable ("binary data"); now the text goes round.
  std::string csv = "name\n";
  for (const std::string& v : texts(x, 0)) csv += csv_cell(v) + "\n";
  read_options co;
  co.source = "export.csv";
  CHECK(texts(read_csv(csv, co), 0) == texts(x, 0));
}

TEST_CASE("issue 14, misread: ODS cells covered by a merge keep their values") {
  memory_archive a = make_ods("<table:table-row>" + ods_str("a") + ods_str("b") + ods_str("c") +
                              "</table:table-row>"
                              "<table:table-row>" +
                              ods_str("x", "table-cell", " table:number-columns-spanned=\"2\"") +
                              ods_str("kept", "covered-table-cell") + ods_str("z") +
                              "</table:table-row>"
                              "<table:table-row><table:covered-table-cell table:number-columns-repeated=\"2\"/>" +
                              ods_str("w") + "</table:table-row>");
  read_options o;
  o.source = "m.ods";
  const table t = read_ods(a, o);
  REQUIRE(t.columns.size() == 3);
  CHECK(texts(t, 0) == std::vector<std::string>{"x", ""});
  CHECK(texts(t, 1) == std::vector<std::string>{"kept", ""});
  CHECK(texts(t, 2) == std::vector<std::string>{"z", "w"});
}

TEST_CASE("issue 14, misread: Excel's sep= first line is a directive, not the header") {
  read_options o;
  o.source = "sep.csv";
  SUBCASE("sep=; with CR LF") {
    const table t = read_csv("sep=;\r\nid;arr\r\n1;2,5\r\n", o);
    CHECK(t.delimiter == ';');
    CHECK(names(t) == std::vector<std::string>{"id", "arr"});
    CHECK(t.columns[1].number(0) == 2.5);
  }
  SUBCASE("the directive overrides the sniffing, in any case") {
    const table t = read_csv("SEP=|\nid|a,b;c\n1|x\n", o);
    CHECK(t.delimiter == '|');
    CHECK(names(t) == std::vector<std::string>{"id", "a,b;c"});
  }
  SUBCASE("quoted, it is a header cell (a one-column table written back reads back)") {
    const table t = read_csv("\"sep=;\"\n1\n", o);
    CHECK(names(t) == std::vector<std::string>{"sep=;"});
    CHECK(t.rows == 1);
  }
  SUBCASE("an explicit delimiter still wins, and the line is still not a row") {
    o.delimiter = ',';
    const table t = read_csv("sep=;\nid,arr\n1,2\n", o);
    CHECK(names(t) == std::vector<std::string>{"id", "arr"});
  }
  SUBCASE("messages count lines from the file's first line") {
    const std::string m = message_of([&] { read_csv("sep=,\nid,note\n1,\"open\n", o); });
    CHECK(contains(m, "sep.csv: row 2 (line 3), column 2"));
  }
  SUBCASE("a header that merely starts with sep= is a header") {
    const table t = read_csv("sep=x,y\n1,2\n", o);
    CHECK(names(t) == std::vector<std::string>{"sep=x", "y"});
  }
}

TEST_CASE("issue 14, misread: tab-separated with CR-only line ends is sniffed as tab") {
  read_options o;
  o.source = "mac.tsv";
  for (const char* text : {"id\tname\tarr\r1\tAcme, Inc\t10\r2\tGlobex, Ltd\t20\r", "\tJan\tFeb\r a\t1\t2\r b\t3\t4",
                           "\"id\"\t\"name, full\"\t\"arr\"\r1\t\"A, B\"\t3\r2\t\"C\"\t4"}) {
    CAPTURE(text);
    CHECK(sniff_delimiter(text) == '\t');
    const table t = read_csv(text, o);
    CHECK(t.delimiter == '\t');
    CHECK(t.columns.size() == 3);
    CHECK(t.rows == 2);
  }
}

TEST_CASE("issue 14, misread: a zip with two entries of the same name is refused as ambiguous") {
  memory_archive a = make_xlsx({"<row r=\"1\">" + istr("A1", "first") + "</row>"});
  a.add("xl/worksheets/sheet1.xml",
        "<worksheet><sheetData><row r=\"1\">" + istr("A1", "second") + "</row></sheetData></worksheet>");
  const std::string m = message_of([&] { read(a); });
  CHECK(contains(m, "book.xlsx is ambiguous: it holds two parts named \"xl/worksheets/sheet1.xml\""));
  // The same name once with `\` and once with `/`, or in another case, is the same part too.
  memory_archive b = make_xlsx({"<row r=\"1\">" + istr("A1", "k") + "</row>"});
  b.add("XL\\Worksheets\\Sheet1.xml", "<worksheet/>");
  CHECK(contains(message_of([&] { read(b); }), "and \"XL\\Worksheets\\Sheet1.xml\""));
  memory_archive o = make_ods("<table:table-row>" + ods_str("k") + "</table:table-row>");
  o.add("content.xml", "<x/>");
  read_options opt;
  opt.source = "twice.ods";
  CHECK(contains(message_of([&] { read_ods(o, opt); }), "twice.ods is ambiguous"));
}
