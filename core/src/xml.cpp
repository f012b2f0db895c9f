// SPDX-License-Identifier: MIT
#include "detail/xml.hpp"

#include <cstring>

#include "healthscore/table.hpp"

namespace healthscore::detail {

namespace {

// Character classes by table: the tokenizer's inner loops test every byte of every name.
enum : std::uint8_t { space_class = 1, name_end_class = 2 };
struct char_classes {
  std::uint8_t bits[256] = {};
  constexpr char_classes() {
    for (const unsigned char c : {' ', '\t', '\n', '\r'}) bits[c] = space_class | name_end_class;
    for (const unsigned char c : {'>', '/', '=', '?'}) bits[c] = name_end_class;
  }
};
constexpr char_classes classes;

bool is_space(char c) noexcept { return classes.bits[static_cast<unsigned char>(c)] & space_class; }
// Characters that end a tag or attribute name.
bool ends_name(char c) noexcept { return classes.bits[static_cast<unsigned char>(c)] & name_end_class; }

}  // namespace

std::string_view decode_entities(std::string_view raw, std::string& scratch) {
  // Most values are short and hold no '&': a plain loop avoids a call per value.
  std::size_t amp = std::string_view::npos;
  if (raw.size() <= 32) {
    for (std::size_t i = 0; i < raw.size(); ++i)
      if (raw[i] == '&') {
        amp = i;
        break;
      }
  } else {
    amp = raw.find('&');
  }
  if (amp == std::string_view::npos) return raw;
  scratch.clear();
  std::size_t done = 0;
  while (amp != std::string_view::npos) {
    scratch.append(raw.data() + done, amp - done);
    // An entity is at most a few characters long; looking for ';' within 12 keeps a stray '&'
    // in a long text from costing a scan to the end each time.
    const std::size_t semi = raw.substr(amp, 12).find(';');
    bool decoded = false;
    if (semi != std::string_view::npos) {
      const std::string_view ent = raw.substr(amp + 1, semi - 1);
      if (ent == "amp")
        scratch.push_back('&'), decoded = true;
      else if (ent == "lt")
        scratch.push_back('<'), decoded = true;
      else if (ent == "gt")
        scratch.push_back('>'), decoded = true;
      else if (ent == "quot")
        scratch.push_back('"'), decoded = true;
      else if (ent == "apos")
        scratch.push_back('\''), decoded = true;
      else if (ent.size() >= 2 && ent[0] == '#') {
        const bool hex = ent[1] == 'x' || ent[1] == 'X';
        std::uint32_t cp = 0;
        bool ok = ent.size() > (hex ? 2u : 1u);
        for (std::size_t i = hex ? 2 : 1; ok && i < ent.size(); ++i) {
          const char c = ent[i];
          std::uint32_t d;
          if (c >= '0' && c <= '9')
            d = static_cast<std::uint32_t>(c - '0');
          else if (hex && c >= 'a' && c <= 'f')
            d = static_cast<std::uint32_t>(c - 'a' + 10);
          else if (hex && c >= 'A' && c <= 'F')
            d = static_cast<std::uint32_t>(c - 'A' + 10);
          else {
            ok = false;
            break;
          }
          cp = cp * (hex ? 16u : 10u) + d;
          if (cp > 0x10FFFF) cp = 0x110000;  // stays invalid, no overflow
        }
        // XML cannot hold U+0000 (`&#0;` is malformed): a replacement character, as HTML parsers do,
        // rather than a NUL that no text reader (ours included) takes back from an export.
        if (ok) append_utf8(scratch, cp == 0 ? 0xFFFD : cp), decoded = true;
      }
    }
    if (decoded) {
      done = amp + semi + 1;
    } else {
      scratch.push_back('&');
      done = amp + 1;
    }
    amp = raw.find('&', done);
  }
  scratch.append(raw.data() + done, raw.size() - done);
  return scratch;
}

namespace {

// Offset of the first byte that does not belong to valid UTF-8 (overlongs, surrogates and code
// points past U+10FFFF included), or npos. Eight ASCII bytes at a time.
std::size_t first_invalid_utf8(std::string_view s) noexcept {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  std::size_t i = 0;
  while (i < n) {
    if (i + 8 <= n) {
      std::uint64_t w;
      std::memcpy(&w, p + i, 8);
      if ((w & 0x8080808080808080ull) == 0) {
        i += 8;
        continue;
      }
    }
    const unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len;
    unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
    if (c >= 0xC2 && c <= 0xDF)
      len = 2;
    else if (c == 0xE0)
      len = 3, lo = 0xA0;
    else if (c == 0xED)
      len = 3, hi = 0x9F;
    else if (c >= 0xE1 && c <= 0xEF)
      len = 3;
    else if (c == 0xF0)
      len = 4, lo = 0x90;
    else if (c == 0xF4)
      len = 4, hi = 0x8F;
    else if (c >= 0xF1 && c <= 0xF3)
      len = 4;
    else
      return i;
    if (n - i < len || p[i + 1] < lo || p[i + 1] > hi) return i;
    for (std::size_t k = 2; k < len; ++k)
      if ((p[i + k] & 0xC0) != 0x80) return i;
    i += len;
  }
  return std::string_view::npos;
}

// CR LF and lone CR as LF (XML 1.0, "End-of-Line Handling").
std::string_view normalise_line_ends(std::string_view raw, std::string& scratch) {
  if (raw.find('\r') == std::string_view::npos) return raw;
  scratch.clear();
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] != '\r') {
      scratch.push_back(raw[i]);
      continue;
    }
    scratch.push_back('\n');
    if (i + 1 < raw.size() && raw[i + 1] == '\n') ++i;
  }
  return scratch;
}

}  // namespace

xml_reader::xml_reader(std::string_view doc, std::string where) : doc_(doc), where_(std::move(where)) {
  // UTF-16, which openpyxl and LibreOffice read too: with a byte order mark, or without one when
  // the document starts with `<` and a zero byte beside it (XML 1.0, Appendix F).
  const auto at = [&](std::size_t i) { return i < doc_.size() ? static_cast<unsigned char>(doc_[i]) : 0x100u; };
  int utf16 = 0;  // 1 little-endian, 2 big-endian
  std::size_t skip = 0;
  if (at(0) == 0xFF && at(1) == 0xFE && !(at(2) == 0 && at(3) == 0))
    utf16 = 1, skip = 2;
  else if (at(0) == 0xFE && at(1) == 0xFF)
    utf16 = 2, skip = 2;
  else if (at(0) == '<' && at(1) == 0 && at(2) != 0)
    utf16 = 1;
  else if (at(0) == 0 && at(1) == '<' && at(3) != 0)
    utf16 = 2;
  else if ((at(0) == 0 && at(1) == 0 && at(2) == 0xFE && at(3) == 0xFF) || (at(0) == 0xFF && at(1) == 0xFE))
    fail("xml.utf32");
  if (utf16) {
    utf8_ = utf16_to_utf8(doc_.substr(skip), utf16 == 1);
    doc_ = utf8_;
  }
  // Bytes that are not UTF-8 would reach the table as broken text (and break every JSON made from
  // it), so the part is refused here, as the header promises.
  if (const std::size_t bad = first_invalid_utf8(doc_); bad != std::string_view::npos) {
    pos_ = bad;
    fail("xml.not_utf8");
  }
  if (doc_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;
  has_cr_ = !doc_.empty() && std::memchr(doc_.data(), '\r', doc_.size()) != nullptr;
  attrs_.reserve(16);
}

void xml_reader::fail(const char* code) const {
  // `code` names a message whose template says what is wrong after "{where} " and before the byte.
  throw input_error(message(code).text("where", where_).count("byte", pos_));
}

std::string_view xml_reader::raw_attr(std::string_view local, std::string_view missing) const noexcept {
  for (const auto& a : attrs_)
    if (a.local == local) return a.raw;
  return missing;
}

bool xml_reader::has_attr(std::string_view local) const noexcept {
  for (const auto& a : attrs_)
    if (a.local == local) return true;
  return false;
}

std::string_view xml_reader::attr(std::string_view local) {
  for (const auto& a : attrs_)
    if (a.local == local) return decode_entities(a.raw, attr_scratch_);
  return {};
}

std::string_view xml_reader::text() {
  // Line ends first, so that a CR written as `&#13;` survives.
  const std::string_view raw = has_cr_ ? normalise_line_ends(raw_text_, line_scratch_) : raw_text_;
  if (text_is_cdata_) return raw;
  return decode_entities(raw, text_scratch_);
}

std::size_t xml_reader::find_char(std::size_t from, char c) const noexcept {
  // Values and texts in spreadsheets are mostly a few bytes long: a plain loop beats a call to
  // memchr there, and memchr takes over for long runs.
  const char* const base = doc_.data();
  const std::size_t size = doc_.size();
  const std::size_t near_end = from + 16 < size ? from + 16 : size;
  for (std::size_t i = from; i < near_end; ++i)
    if (base[i] == c) return i;
  if (near_end == size) return size;
  const void* hit = std::memchr(base + near_end, c, size - near_end);
  return hit ? static_cast<std::size_t>(static_cast<const char*>(hit) - base) : size;
}

xml_event xml_reader::next() {
  if (pending_end_) {
    pending_end_ = false;
    self_closing_ = false;
    attrs_.clear();
    return xml_event::end;
  }
  while (pos_ < doc_.size()) {
    if (doc_[pos_] != '<') {
      const std::size_t end = find_char(pos_, '<');
      raw_text_ = doc_.substr(pos_, end - pos_);
      text_is_cdata_ = false;
      pos_ = end;
      return xml_event::text;
    }
    const std::string_view rest = doc_.substr(pos_);
    const char second = rest.size() >= 2 ? rest[1] : '\0';
    if (second != '/' && second != '!' && second != '?') {
      read_start_tag();
      return xml_event::start;
    }
    if (second == '/') {  // end tag
      std::size_t i = 2;
      while (i < rest.size() && !ends_name(rest[i])) ++i;
      name_ = rest.substr(2, i - 2);
      const std::size_t gt = rest.find('>', i);
      if (gt == std::string_view::npos || name_.empty()) fail("xml.unterminated_end_tag");
      pos_ += gt + 1;
      attrs_.clear();
      self_closing_ = false;
      return xml_event::end;
    }
    if (rest.substr(0, 4) == "<!--") {
      const std::size_t end = rest.find("-->", 4);
      if (end == std::string_view::npos) fail("xml.unterminated_comment");
      pos_ += end + 3;
      continue;
    }
    if (rest.substr(0, 9) == "<![CDATA[") {
      const std::size_t end = rest.find("]]>", 9);
      if (end == std::string_view::npos) fail("xml.unterminated_cdata");
      raw_text_ = rest.substr(9, end - 9);
      text_is_cdata_ = true;
      pos_ += end + 3;
      return xml_event::text;
    }
    if (rest.substr(0, 2) == "<?") {
      const std::size_t end = rest.find("?>", 2);
      if (end == std::string_view::npos) fail("xml.unterminated_pi");
      pos_ += end + 2;
      continue;
    }
    if (rest.substr(0, 2) == "<!") {  // doctype, possibly with an internal subset in brackets
      std::size_t i = 2;
      bool in_subset = false;
      char quote = 0;
      for (; i < rest.size(); ++i) {
        const char c = rest[i];
        if (quote) {
          if (c == quote) quote = 0;
        } else if (c == '"' || c == '\'') {
          quote = c;
        } else if (c == '[') {
          in_subset = true;
        } else if (c == ']') {
          in_subset = false;
        } else if (c == '>' && !in_subset) {
          break;
        }
      }
      if (i >= rest.size()) fail("xml.unterminated_declaration");
      pos_ += i + 1;
      continue;
    }
    read_start_tag();
    return xml_event::start;
  }
  return xml_event::eof;
}

void xml_reader::read_start_tag() {
  const char* const base = doc_.data();
  const std::size_t size = doc_.size();
  std::size_t i = pos_ + 1;
  while (i < size && !ends_name(base[i])) ++i;
  name_ = doc_.substr(pos_ + 1, i - pos_ - 1);
  if (name_.empty()) fail("xml.stray_lt");
  attrs_.clear();
  self_closing_ = false;
  for (;;) {
    while (i < size && is_space(base[i])) ++i;
    if (i >= size) fail("xml.unterminated_start_tag");
    const char c = base[i];
    if (c == '>') {
      ++i;
      break;
    }
    if (c == '/') {
      if (i + 1 < size && base[i + 1] == '>') {
        self_closing_ = true;
        i += 2;
        break;
      }
      fail("xml.malformed_start_tag");
    }
    const std::size_t name_begin = i;
    while (i < size && !ends_name(base[i])) ++i;
    const std::string_view qname = doc_.substr(name_begin, i - name_begin);
    if (qname.empty()) fail("xml.malformed_attribute");
    while (i < size && is_space(base[i])) ++i;
    if (i >= size || base[i] != '=') fail("xml.attribute_without_value");
    ++i;
    while (i < size && is_space(base[i])) ++i;
    if (i >= size || (base[i] != '"' && base[i] != '\'')) fail("xml.unquoted_attribute");
    const char quote = base[i++];
    const std::size_t value_end = find_char(i, quote);
    if (value_end >= size) fail("xml.unterminated_attribute");
    attrs_.push_back({qname, local_part(qname), doc_.substr(i, value_end - i)});
    i = value_end + 1;
  }
  pos_ = i;
  pending_end_ = self_closing_;
}

void xml_reader::skip_element() {
  if (pending_end_) {  // self-closing: consume its end
    next();
    return;
  }
  std::size_t depth = 1;
  while (depth) {
    switch (next()) {
      case xml_event::start: ++depth; break;
      case xml_event::end: --depth; break;
      case xml_event::text: break;
      case xml_event::eof: return;
    }
  }
}

}  // namespace healthscore::detail
