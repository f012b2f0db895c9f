// SPDX-License-Identifier: MIT
// Archives: the in-memory one the page uses, libzip natively, its zip-bomb guards, damaged zips,
// and detect_format.
#include <doctest/doctest.h>
#include <zip.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "healthscore/archive.hpp"
#include "healthscore/workbook.hpp"
#include "test_util.hpp"

using namespace healthscore;

namespace {

using test_util::contains;
using test_util::message_of;

// Writes a zip in memory with libzip (deflated entries), as the guards see real files.
std::string make_zip(const std::vector<std::pair<std::string, std::string>>& entries) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* src = zip_source_buffer_create(nullptr, 0, 0, &error);
  REQUIRE(src);
  zip_source_keep(src);
  zip_t* z = zip_open_from_source(src, ZIP_TRUNCATE, &error);
  REQUIRE(z);
  for (const auto& [name, data] : entries) {
    zip_source_t* s = zip_source_buffer(z, data.data(), data.size(), 0);
    REQUIRE(s);
    const zip_int64_t index = zip_file_add(z, name.c_str(), s, ZIP_FL_ENC_UTF_8);
    REQUIRE(index >= 0);
    zip_set_file_compression(z, static_cast<zip_uint64_t>(index), ZIP_CM_DEFLATE, 9);
  }
  REQUIRE(zip_close(z) == 0);
  REQUIRE(zip_source_open(src) == 0);
  zip_source_seek(src, 0, SEEK_END);
  const zip_int64_t size = zip_source_tell(src);
  zip_source_seek(src, 0, SEEK_SET);
  std::string out(static_cast<std::size_t>(size), '\0');
  REQUIRE(zip_source_read(src, out.data(), out.size()) == size);
  zip_source_close(src);
  zip_source_free(src);
  zip_error_fini(&error);
  return out;
}

void put_u32(std::string& s, std::size_t at, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) s[at + i] = static_cast<char>((v >> (8 * i)) & 0xFF);
}

}  // namespace

TEST_CASE("a memory archive lists, finds and reads its entries, and names a missing one") {
  memory_archive a;
  a.add("mimetype", "x");
  a.add("content.xml", "<a/>");
  CHECK(a.names() == std::vector<std::string>{"mimetype", "content.xml"});
  CHECK(a.contains("content.xml"));
  CHECK_FALSE(a.contains("Content.xml"));
  CHECK(a.read("content.xml") == "<a/>");
  CHECK(a.read("content.xml") == "<a/>");  // reading twice is fine
  CHECK(contains(message_of([&] { a.read("styles.xml"); }), "styles.xml"));
}

TEST_CASE("open_zip reads the entries of a real workbook") {
  const std::string bytes = test_util::read_file(test_util::corpus("xlsx/issues.xlsx"));
  auto zip = open_zip(bytes, "issues.xlsx");
  CHECK(zip->contains("xl/workbook.xml"));
  CHECK(contains(zip->read("xl/workbook.xml"), "datatypes"));
  CHECK_FALSE(zip->contains("nope.xml"));
  CHECK(contains(message_of([&] { zip->read("nope.xml"); }), "issues.xlsx"));
}

TEST_CASE("open_zip keeps its own copy of the bytes") {
  std::string bytes = make_zip({{"a.txt", "hello"}});
  auto zip = open_zip(bytes, "a.zip");
  std::fill(bytes.begin(), bytes.end(), '\0');
  CHECK(zip->read("a.txt") == "hello");
}

TEST_CASE("an entry declared larger than the entry limit is refused before inflating") {
  const std::string big(5u << 20, '\0');
  const std::string bytes = make_zip({{"xl/worksheets/sheet1.xml", big}});
  zip_limits limits;
  limits.max_entry_bytes = 1u << 20;
  auto zip = open_zip(bytes, "bomb.xlsx", limits);
  const std::string m = message_of([&] { zip->read("xl/worksheets/sheet1.xml"); });
  CHECK(contains(m, "bomb.xlsx"));
  CHECK(contains(m, "5 MB"));
  CHECK(contains(m, "limit of 1 MB"));
}

TEST_CASE("a highly compressed entry over 1 MB is refused by its ratio, naming the limit") {
  const std::string big(5u << 20, '\0');  // deflates about 1000 to 1
  const std::string bytes = make_zip({{"xl/worksheets/sheet1.xml", big}, {"small.xml", std::string(1000, '\0')}});
  CHECK(bytes.size() < 100000);
  auto zip = open_zip(bytes, "bomb.xlsx");
  const std::string m = message_of([&] { zip->read("xl/worksheets/sheet1.xml"); });
  CHECK(contains(m, "zip bomb"));
  CHECK(contains(m, "200 times"));
  // Small entries may compress as well as they like.
  CHECK(zip->read("small.xml").size() == 1000);
}

TEST_CASE("the total of all entries read from one file is capped") {
  const std::string part(600u << 10, 'x');
  const std::string bytes = make_zip({{"a.xml", part}, {"b.xml", part}});
  zip_limits limits;
  limits.max_total_bytes = 1u << 20;
  auto zip = open_zip(bytes, "two.xlsx", limits);
  CHECK(zip->read("a.xml").size() == part.size());
  const std::string m = message_of([&] { zip->read("b.xml"); });
  CHECK(contains(m, "two.xlsx"));
  CHECK(contains(m, "per file"));
}

TEST_CASE("an entry that inflates past the size it declares is stopped, not trusted") {
  std::string bytes = make_zip({{"sheet.xml", std::string(300000, 'a')}});
  // Make both headers claim 1000 bytes.
  const auto local = bytes.find("PK\x03\x04");
  const auto central = bytes.find("PK\x01\x02");
  REQUIRE(local != std::string::npos);
  REQUIRE(central != std::string::npos);
  put_u32(bytes, local + 22, 1000);
  put_u32(bytes, central + 24, 1000);
  std::string m;
  try {
    auto zip = open_zip(bytes, "liar.xlsx");
    m = message_of([&] { zip->read("sheet.xml"); });
  } catch (const input_error& e) {
    m = e.what();
  }
  CHECK(contains(m, "liar.xlsx"));
  CHECK(m != "(no error)");
}

TEST_CASE("truncated or damaged zips give a message naming the file, never a crash") {
  const std::string bytes = test_util::read_file(test_util::corpus("xlsx/issues.xlsx"));
  SUBCASE("cut in half") {
    const std::string m = message_of([&] { open_zip(bytes.substr(0, bytes.size() / 2), "cut.xlsx"); });
    CHECK(contains(m, "cut.xlsx is not a readable XLSX/ODS file (the zip archive is damaged or truncated"));
  }
  SUBCASE("cut at every length from the end of the central directory backwards") {
    for (std::size_t cut = 1; cut < 200; ++cut) {
      try {
        auto zip = open_zip(bytes.substr(0, bytes.size() - cut), "cut.xlsx");
        for (const auto& name : zip->names()) zip->read(name);
      } catch (const input_error& e) {
        CHECK(contains(e.what(), "cut.xlsx"));
      }
    }
  }
  SUBCASE("compressed data overwritten in the middle") {
    std::string broken = bytes;
    for (std::size_t i = 200; i < 2000; ++i) broken[i] = static_cast<char>(i * 7);
    try {
      auto zip = open_zip(broken, "broken.xlsx");
      for (const auto& name : zip->names()) zip->read(name);
    } catch (const input_error& e) {
      CHECK(contains(e.what(), "broken.xlsx"));
    }
  }
  SUBCASE("not a zip at all") {
    CHECK(contains(message_of([] { open_zip("hello, world", "text.xlsx"); }), "text.xlsx is not a readable"));
    CHECK(contains(message_of([] { open_zip("", "empty.xlsx"); }), "empty.xlsx"));
  }
}

TEST_CASE("detect_format looks at the magic bytes and the entries") {
  SUBCASE("text is CSV, old binary .xls too (the CSV reader refuses it by its signature)") {
    CHECK(detect_format("a,b\n1,2\n", nullptr) == file_format::csv);
    CHECK(detect_format("", nullptr) == file_format::csv);
    CHECK(detect_format(std::string_view("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8), nullptr) == file_format::csv);
  }
  SUBCASE("a zip without an archive to look into is an unknown zip") {
    CHECK(detect_format("PK\x03\x04rest", nullptr) == file_format::unknown_zip);
  }
  SUBCASE("real files") {
    for (const char* f : {"xlsx/issues.xlsx", "xlsx/issue_174.xlsx", "xlsx/any_sheets.xlsx"}) {
      const std::string bytes = test_util::read_file(test_util::corpus(f));
      auto zip = open_zip(bytes, f);
      CHECK(detect_format(bytes, zip.get()) == file_format::xlsx);
    }
    for (const char* f : {"ods/issues.ods", "ods/date.ods"}) {
      const std::string bytes = test_util::read_file(test_util::corpus(f));
      auto zip = open_zip(bytes, f);
      CHECK(detect_format(bytes, zip.get()) == file_format::ods);
    }
  }
  SUBCASE("any other zip") {
    const std::string bytes = make_zip({{"readme.txt", "hi"}});
    auto zip = open_zip(bytes, "x.zip");
    CHECK(detect_format(bytes, zip.get()) == file_format::unknown_zip);
  }
}
