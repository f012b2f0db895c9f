// SPDX-License-Identifier: MIT
#include "healthscore/order.hpp"

#include <array>
#include <cstddef>
#include <cstring>
#include <stdexcept>

namespace healthscore {

namespace {

/// A total order on non-NaN doubles as unsigned integers: flip every bit of negatives, only the sign
/// bit of the rest (-0 and +0 then differ; they are equal as keys, so both map to +0's image).
std::uint64_t sortable(double x, bool descending) noexcept {
  if (x == 0) x = 0;  // -0 == +0
  std::uint64_t bits;
  std::memcpy(&bits, &x, sizeof bits);  // std::bit_cast: not in Emscripten 3.1.6's libc++
  const std::uint64_t up = (bits >> 63) ? ~bits : bits | (std::uint64_t{1} << 63);
  return descending ? ~up : up;
}

}  // namespace

std::vector<std::uint32_t> order_by(const std::vector<double>& key, bool descending) {
  const std::size_t n = key.size();
  if (n > UINT32_MAX) throw std::length_error("too many rows to order");
  std::vector<std::uint64_t> keys, keys_tmp;
  std::vector<std::uint32_t> rows, rows_tmp, unscored;
  keys.reserve(n);
  rows.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    if (key[i] != key[i]) {
      unscored.push_back(static_cast<std::uint32_t>(i));
    } else {
      keys.push_back(sortable(key[i], descending));
      rows.push_back(static_cast<std::uint32_t>(i));
    }
  }
  const std::size_t m = keys.size();
  keys_tmp.resize(m);
  rows_tmp.resize(m);
  // Six 11-bit digits, least significant first (2,048 buckets stay in cache, where 65,536 did not),
  // counted in one pass; a digit every key shares (scores in [0, 100] share the top ones, whole
  // numbers the low ones) is skipped. Each pass is stable, so ties keep row order.
  constexpr int digit_bits = 11, digits = 6;
  constexpr std::size_t radix = std::size_t{1} << digit_bits;
  std::vector<std::uint32_t> count(radix * digits, 0);
  for (std::size_t i = 0; i < m; ++i)
    for (int d = 0; d < digits; ++d) ++count[radix * d + ((keys[i] >> (d * digit_bits)) & (radix - 1))];
  for (int d = 0; d < digits; ++d) {
    const int shift = d * digit_bits;
    std::uint32_t* c = count.data() + radix * d;
    if (m == 0 || c[(keys[0] >> shift) & (radix - 1)] == m) continue;
    std::uint32_t sum = 0;
    for (std::size_t b = 0; b < radix; ++b) {
      const std::uint32_t here = c[b];
      c[b] = sum;
      sum += here;
    }
    for (std::size_t i = 0; i < m; ++i) {
      const std::uint32_t at = c[(keys[i] >> shift) & (radix - 1)]++;
      keys_tmp[at] = keys[i];
      rows_tmp[at] = rows[i];
    }
    keys.swap(keys_tmp);
    rows.swap(rows_tmp);
  }
  rows.insert(rows.end(), unscored.begin(), unscored.end());
  return rows;
}

}  // namespace healthscore
