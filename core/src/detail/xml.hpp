// SPDX-License-Identifier: MIT
// A small, non-validating XML pull tokenizer for the parts of XLSX and ODS files.
// It reads one document held in memory (UTF-8, or UTF-16 with or without a byte order mark, which
// it converts to UTF-8 first), one event at a time: start tags (with their
// attributes), end tags (a self-closing tag gives a start and then an end), text and CDATA.
// Comments, processing instructions and the doctype are skipped. It never recurses, keeps no stack
// of open elements and looks at every byte a bounded number of times, so hostile nesting or long
// runs cost linear time. Line ends in text are normalised as XML says (CR LF and a lone CR read as
// LF; `&#13;` stays a CR). Namespaces are not resolved: callers match on local names, which is what
// XLSX and ODS readers in the wild do.
#pragma once

#include "detail/unicode.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace healthscore::detail {

enum class xml_event : std::uint8_t { start, end, text, eof };

/// One attribute of the current start tag, its value still undecoded (entities as written).
struct xml_attribute {
  std::string_view qname;  ///< as written, e.g. `office:value-type`
  std::string_view local;  ///< after the colon, e.g. `value-type`
  std::string_view raw;  ///< between the quotes, entities not decoded
};

/// Appends the code point as UTF-8 (U+FFFD for surrogates and values past U+10FFFF).

/// Decodes the five predefined entities and character references. Returns `raw` itself when it
/// holds no `&`, else a view of `scratch`. Unknown entities are kept as written.
std::string_view decode_entities(std::string_view raw, std::string& scratch);

/// The local part of a qualified name (`x:row` -> `row`).
inline std::string_view local_part(std::string_view qname) noexcept {
  const auto colon = qname.find(':');
  return colon == std::string_view::npos ? qname : qname.substr(colon + 1);
}

class xml_reader {
 public:
  /// `where` names the document in messages, e.g. `book.xlsx: xl/worksheets/sheet1.xml`.
  /// `doc` must outlive the reader.
  xml_reader(std::string_view doc, std::string where);
  xml_reader(const xml_reader&) = delete;  // doc_ may point into utf8_
  xml_reader& operator=(const xml_reader&) = delete;

  /// Advances to the next event. Throws input_error on malformed markup (an unterminated tag,
  /// comment or CDATA section). The constructor throws for a document that is not UTF-8 text.
  xml_event next();

  /// Start and end events: the qualified and local name of the element.
  std::string_view name() const noexcept { return name_; }
  std::string_view local_name() const noexcept { return local_part(name_); }
  /// Start events: true for `<x/>` (its end event follows at once).
  bool self_closing() const noexcept { return self_closing_; }

  /// Start events: the attributes in document order.
  const std::vector<xml_attribute>& attributes() const noexcept { return attrs_; }
  /// Start events: the raw value of the first attribute with this local name, or `missing`.
  std::string_view raw_attr(std::string_view local, std::string_view missing = {}) const noexcept;
  bool has_attr(std::string_view local) const noexcept;
  /// Start events: the decoded value of the first attribute with this local name (empty when
  /// missing). The view stays valid until the next call of `attr` or `next`.
  std::string_view attr(std::string_view local);

  /// Text events: the decoded text (CDATA as written). Valid until the next call of `next`.
  std::string_view text();

  /// After a start event: skips everything up to and including the matching end.
  void skip_element();

  /// Bytes consumed so far (for progress reports).
  std::size_t offset() const noexcept { return pos_; }
  const std::string& where() const noexcept { return where_; }

 private:
  /// Throws input_error: `code` names a message of core/messages/read.json that takes {where} and {byte}.
  [[noreturn]] void fail(const char* code) const;
  void read_start_tag();
  std::size_t find_char(std::size_t from, char c) const noexcept;  // index of c, or the size

  std::string utf8_;  // the document converted from UTF-16, when it was
  std::string_view doc_;
  std::string where_;
  bool has_cr_ = false;  // any CR in the document: text must be normalised
  std::size_t pos_ = 0;
  std::string_view name_;
  std::string_view raw_text_;
  bool text_is_cdata_ = false;
  bool self_closing_ = false;
  bool pending_end_ = false;
  std::vector<xml_attribute> attrs_;
  std::string text_scratch_, attr_scratch_, line_scratch_;
};

}  // namespace healthscore::detail
