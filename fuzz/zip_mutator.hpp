// SPDX-License-Identifier: MIT
// Structure-aware mutation for the zip target (LLVMFuzzerCustomMutator in fuzz_zip.cpp).
//
// Byte-level mutation of a zip almost always breaks a CRC, a size or the central directory, so the
// fuzzer spends its time in libzip's refusals and never reaches the XML readers behind it. This
// mutator parses the input as a zip (central directory, then each entry inflated with zlib), changes
// the archive as a structure, and writes a valid zip again:
//   - the inflated content of one entry, through libFuzzer's own byte mutator (most of the time);
//   - an entry's name: `/` and `\` swapped, case changed, or another entry's name (a duplicate);
//   - an entry duplicated, removed, or moved;
//   - an XML entry re-encoded as UTF-16 (little-endian with a mark, or big-endian without);
//   - an entry stored instead of deflated, or the other way round.
// Inputs that do not parse as a zip fall back to the byte mutator, so a crafted broken zip can
// still be found. Deterministic for a given seed (libFuzzer passes one).
#pragma once

#include <zlib.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

// Weak: the replay binary (no libFuzzer) links the same object and never mutates.
extern "C" __attribute__((weak)) std::size_t LLVMFuzzerMutate(std::uint8_t* data, std::size_t size,
                                                              std::size_t max_size);

namespace healthscore::fuzz::zipmut {

struct entry {
  std::string name;
  std::string data;  // inflated
  bool deflate = true;
};

inline std::uint32_t u16(std::string_view b, std::size_t i) {
  return static_cast<unsigned char>(b[i]) | (static_cast<unsigned char>(b[i + 1]) << 8u);
}
inline std::uint32_t u32(std::string_view b, std::size_t i) { return u16(b, i) | (u16(b, i + 2) << 16u); }

inline bool inflate_raw(std::string_view in, std::size_t size, std::string& out) {
  if (size > (8u << 20)) return false;
  out.assign(size, '\0');
  z_stream z{};
  if (inflateInit2(&z, -15) != Z_OK) return false;
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  const int rc = inflate(&z, Z_FINISH);
  inflateEnd(&z);
  return rc == Z_STREAM_END && z.total_out == size;
}

inline std::string deflate_raw(std::string_view in) {
  z_stream z{};
  deflateInit2(&z, 1, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&z, static_cast<uLong>(in.size())), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

/// The entries of a zip, or nothing when it is not one this parser reads (ZIP64, encryption and
/// methods other than store/deflate are left to the byte mutator).
inline std::optional<std::vector<entry>> parse(std::string_view b) {
  if (b.size() < 22) return std::nullopt;
  std::size_t e = b.size() - 22;
  const std::size_t stop = b.size() > 22 + 65535 ? b.size() - 22 - 65535 : 0;
  while (u32(b, e) != 0x06054b50) {
    if (e == stop) return std::nullopt;
    --e;
  }
  const std::size_t count = u16(b, e + 10);
  std::size_t at = u32(b, e + 16);
  std::vector<entry> out;
  for (std::size_t i = 0; i < count; ++i) {
    if (at + 46 > b.size() || u32(b, at) != 0x02014b50) return std::nullopt;
    const std::uint32_t flags = u16(b, at + 8), method = u16(b, at + 10);
    const std::uint32_t csize = u32(b, at + 20), usize = u32(b, at + 24);
    const std::size_t nlen = u16(b, at + 28), xlen = u16(b, at + 30), clen = u16(b, at + 32);
    const std::size_t local = u32(b, at + 42);
    if ((flags & 1) || (method != 0 && method != 8) || at + 46 + nlen > b.size()) return std::nullopt;
    entry en;
    en.name = std::string(b.substr(at + 46, nlen));
    if (local + 30 > b.size() || u32(b, local) != 0x04034b50) return std::nullopt;
    const std::size_t start = local + 30 + u16(b, local + 26) + u16(b, local + 28);
    if (start + csize > b.size()) return std::nullopt;
    const std::string_view raw = b.substr(start, csize);
    if (method == 0) {
      if (csize != usize) return std::nullopt;
      en.data = std::string(raw);
      en.deflate = false;
    } else if (!inflate_raw(raw, usize, en.data)) {
      return std::nullopt;
    }
    out.push_back(std::move(en));
    at += 46 + nlen + xlen + clen;
  }
  return out;
}

inline void put16(std::string& o, std::uint32_t v) {
  o += static_cast<char>(v & 0xFF);
  o += static_cast<char>((v >> 8) & 0xFF);
}
inline void put32(std::string& o, std::uint32_t v) {
  put16(o, v & 0xFFFF);
  put16(o, v >> 16);
}

/// A valid zip of the entries (no ZIP64: the fuzzer's inputs are small).
inline std::string write(const std::vector<entry>& entries) {
  std::string out, dir;
  for (const auto& en : entries) {
    const std::string body = en.deflate ? deflate_raw(en.data) : en.data;
    const auto crc = static_cast<std::uint32_t>(
        crc32(0, reinterpret_cast<const Bytef*>(en.data.data()), static_cast<uInt>(en.data.size())));
    const auto offset = static_cast<std::uint32_t>(out.size());
    const std::uint32_t method = en.deflate ? 8 : 0;
    put32(out, 0x04034b50);
    put16(out, 20);
    put16(out, 0x800);  // UTF-8 names
    put16(out, method);
    put32(out, 0);  // time, date
    put32(out, crc);
    put32(out, static_cast<std::uint32_t>(body.size()));
    put32(out, static_cast<std::uint32_t>(en.data.size()));
    put16(out, static_cast<std::uint32_t>(en.name.size()));
    put16(out, 0);
    out += en.name;
    out += body;
    put32(dir, 0x02014b50);
    put16(dir, 20);
    put16(dir, 20);
    put16(dir, 0x800);
    put16(dir, method);
    put32(dir, 0);
    put32(dir, crc);
    put32(dir, static_cast<std::uint32_t>(body.size()));
    put32(dir, static_cast<std::uint32_t>(en.data.size()));
    put16(dir, static_cast<std::uint32_t>(en.name.size()));
    put16(dir, 0);
    put16(dir, 0);
    put16(dir, 0);
    put16(dir, 0);
    put32(dir, 0);
    put32(dir, offset);
    dir += en.name;
  }
  const auto dir_at = static_cast<std::uint32_t>(out.size());
  out += dir;
  put32(out, 0x06054b50);
  put32(out, 0);
  put16(out, static_cast<std::uint32_t>(entries.size()));
  put16(out, static_cast<std::uint32_t>(entries.size()));
  put32(out, static_cast<std::uint32_t>(dir.size()));
  put32(out, dir_at);
  put16(out, 0);
  return out;
}

inline std::string to_utf16(std::string_view s, bool little_endian, bool bom) {
  std::string out;
  if (bom) out += little_endian ? "\xFF\xFE" : "\xFE\xFF";
  for (char c : s) {  // bytes as code units: enough to reach the UTF-16 paths
    if (little_endian)
      out += c, out += '\0';
    else
      out += '\0', out += c;
  }
  return out;
}

/// One structural mutation of `data` in place; returns the new size (<= max_size).
inline std::size_t mutate(std::uint8_t* data, std::size_t size, std::size_t max_size, unsigned seed) {
  std::minstd_rand rng(seed);
  auto parsed = parse(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!parsed || parsed->empty() || rng() % 16 == 0) return LLVMFuzzerMutate(data, size, max_size);
  std::vector<entry>& es = *parsed;
  const std::size_t k = rng() % es.size();
  entry& en = es[k];
  switch (rng() % 10) {
    case 0: {  // the name
      const unsigned how = rng() % 3;
      if (how == 0) {
        for (char& c : en.name) c = c == '/' ? '\\' : c == '\\' ? '/' : c;
      } else if (how == 1) {
        for (char& c : en.name)
          if (c >= 'a' && c <= 'z' && rng() % 2) c = static_cast<char>(c - 'a' + 'A');
      } else {
        en.name = es[rng() % es.size()].name;
      }
      break;
    }
    case 1: es.push_back(es[k]); break;
    case 2: es.erase(es.begin() + static_cast<std::ptrdiff_t>(k)); break;
    case 3: std::swap(es[k], es[rng() % es.size()]); break;
    case 4: en.data = to_utf16(en.data, rng() % 2 == 0, rng() % 2 == 0); break;
    case 5: en.deflate = !en.deflate; break;
    default: {  // the content, most of the time
      const std::size_t cap = std::min<std::size_t>(en.data.size() * 2 + 64, 1u << 20);
      std::string buf = en.data;
      buf.resize(cap);
      const std::size_t n = LLVMFuzzerMutate(reinterpret_cast<std::uint8_t*>(buf.data()), en.data.size(), cap);
      buf.resize(n);
      en.data = std::move(buf);
    }
  }
  const std::string out = write(es);
  if (out.size() > max_size) return LLVMFuzzerMutate(data, size, max_size);
  std::memcpy(data, out.data(), out.size());
  return out.size();
}

}  // namespace healthscore::fuzz::zipmut
