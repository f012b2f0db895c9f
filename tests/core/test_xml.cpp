// SPDX-License-Identifier: MIT
// The XML pull tokenizer under the XLSX and ODS readers.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "detail/xml.hpp"
#include "healthscore/table.hpp"

using healthscore::input_error;
using healthscore::detail::xml_event;
using healthscore::detail::xml_reader;

namespace {

// The events of a document as a compact string: <name a=v> </name> "text".
std::string events(const std::string& doc) {
  xml_reader r(doc, "test.xml");
  std::string out;
  for (xml_event e; (e = r.next()) != xml_event::eof;) {
    if (e == xml_event::start) {
      out += "<" + std::string(r.name());
      for (const auto& a : r.attributes()) out += " " + std::string(a.qname) + "=" + std::string(r.attr(a.local));
      out += ">";
    } else if (e == xml_event::end) {
      out += "</" + std::string(r.name()) + ">";
    } else {
      out += "\"" + std::string(r.text()) + "\"";
    }
  }
  return out;
}

}  // namespace

TEST_CASE("start, end and self-closing tags come out in order, a self-closing tag as start and end") {
  CHECK(events("<a x=\"1\" y='2'><b/>t</a>") == "<a x=1 y=2><b></b>\"t\"</a>");
  CHECK(events("<?xml version=\"1.0\"?>\n<r/>") == "\"\n\"<r></r>");
}

TEST_CASE("text and attributes decode the predefined entities and character references") {
  CHECK(events("<t>&amp;&lt;&gt;&quot;&apos;&#65;&#x263A;&#X41;</t>") ==
        "<t>\"&<>\"'A\xE2\x98\xBA"
        "A\"</t>");
  CHECK(events("<t v=\"a&amp;b &#10;\"/>") == "<t v=a&b \n></t>");
  SUBCASE("unknown entities and stray ampersands are kept as written") {
    CHECK(events("<t>AT&T &nbsp; &#xZZ;</t>") == "<t>\"AT&T &nbsp; &#xZZ;\"</t>");
  }
  SUBCASE("references past U+10FFFF or to surrogates become U+FFFD") {
    CHECK(events("<t>&#xD800;&#x110000;</t>") == "<t>\"\xEF\xBF\xBD\xEF\xBF\xBD\"</t>");
  }
}

TEST_CASE("CDATA is text as written; comments, processing instructions and the doctype are skipped") {
  CHECK(events("<!DOCTYPE r [<!ENTITY x \"y>\">]><r><!-- a <b> -->x<![CDATA[<&amp;>]]><?pi a?></r>") ==
        "<r>\"x\"\"<&amp;>\"</r>");
}

TEST_CASE("a '>' inside a quoted attribute value does not end the tag") {
  CHECK(events("<c f=\"a>b\" g='\"'/>") == "<c f=a>b g=\"></c>");
}

TEST_CASE("local names drop the prefix and attributes are found by local name") {
  const std::string doc = "<x:c r=\"A1\" office:value-type=\"float\"/>";
  xml_reader r(doc, "t");
  REQUIRE(r.next() == xml_event::start);
  CHECK(r.local_name() == "c");
  CHECK(r.raw_attr("value-type") == "float");
  CHECK(r.has_attr("r"));
  CHECK_FALSE(r.has_attr("s"));
  CHECK(r.raw_attr("s", "none") == "none");
}

TEST_CASE("malformed markup is an input_error naming the document, never a crash") {
  for (const char* bad : {"<a", "<a b=\"1", "<a b>", "<a b=1>", "<!-- x", "<![CDATA[x", "</a", "< a>", "<?x"}) {
    CAPTURE(bad);
    try {
      events(bad);
      FAIL("no error");
    } catch (const input_error& e) {
      CHECK(std::string(e.what()).find("test.xml") != std::string::npos);
    }
  }
}

// This used to pin that UTF-16 is refused; issue 14 found that openpyxl and LibreOffice read such
// parts (XML 1.0 allows UTF-16, Appendix F tells how to recognise it without a mark), so they are read.
TEST_CASE("a UTF-16 document is read (either byte order, with or without a mark) and a UTF-8 mark is skipped") {
  CHECK(events(std::string("\xFF\xFE<\0a\0>\0\xEB\0<\0/\0a\0>\0", 18)) == "<a>\"\xC3\xAB\"</a>");
  CHECK(events(std::string("\xFE\xFF\0<\0a\0/\0>", 10)) == "<a></a>");
  CHECK(events(std::string("<\0a\0/\0>\0", 8)) == "<a></a>");
  CHECK(events(std::string("\0<\0a\0/\0>", 8)) == "<a></a>");
  CHECK(events("\xEF\xBB\xBF<a/>") == "<a></a>");
  CHECK_THROWS_AS(events(std::string("\xFF\xFE\0\0<\0\0\0", 8)), input_error);  // UTF-32
}

TEST_CASE("line ends in text read as LF (CR LF and a lone CR); a CR written as &#13; stays") {
  CHECK(events("<a>1\r\n2\r3\n4&#13;5</a>") == "<a>\"1\n2\n3\n4\r5\"</a>");
  CHECK(events("<a><![CDATA[x\r\ny]]></a>") == "<a>\"x\ny\"</a>");
}

TEST_CASE("skip_element skips a million nested elements without recursion") {
  std::string doc = "<root><deep>";
  for (int i = 0; i < 1000000; ++i) doc += "<d>";
  for (int i = 0; i < 1000000; ++i) doc += "</d>";
  doc += "</deep><after/></root>";
  xml_reader r(doc, "t");
  REQUIRE(r.next() == xml_event::start);  // root
  REQUIRE(r.next() == xml_event::start);  // deep
  r.skip_element();
  REQUIRE(r.next() == xml_event::start);
  CHECK(r.name() == "after");
}

TEST_CASE("many stray ampersands in one long text cost linear time") {
  std::string doc = "<t>" + std::string(2000000, '&') + "</t>";
  xml_reader r(doc, "t");
  REQUIRE(r.next() == xml_event::start);
  REQUIRE(r.next() == xml_event::text);
  CHECK(r.text().size() == 2000000);
}
