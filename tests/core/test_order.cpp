// SPDX-License-Identifier: MIT
// order_by against std::stable_sort with the comparator the page used before the engine sorted:
// NaN last in either direction, equal keys in row order.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>

#include "healthscore/order.hpp"

using healthscore::order_by;

namespace {

std::vector<std::uint32_t> by_comparison(const std::vector<double>& key, bool descending) {
  std::vector<std::uint32_t> rows(key.size());
  std::iota(rows.begin(), rows.end(), 0u);
  std::stable_sort(rows.begin(), rows.end(), [&](std::uint32_t a, std::uint32_t b) {
    const double x = key[a], y = key[b];
    if (std::isnan(x) || std::isnan(y)) return !std::isnan(x) && std::isnan(y);
    return descending ? x > y : x < y;
  });
  return rows;
}

}  // namespace

TEST_CASE("order_by sorts like a stable comparison sort, NaN last, in both directions") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  SUBCASE("empty, one row, all NaN") {
    CHECK(order_by({}, false).empty());
    CHECK(order_by({42.0}, true) == std::vector<std::uint32_t>{0});
    CHECK(order_by({nan, nan, nan}, false) == std::vector<std::uint32_t>{0, 1, 2});
    CHECK(order_by({nan, nan, nan}, true) == std::vector<std::uint32_t>{0, 1, 2});
  }
  SUBCASE("a small case by hand: ties keep row order, -0 equals +0") {
    const std::vector<double> k{50, nan, 10, 50, -0.0, 0.0, 99.5, nan, 10};
    CHECK(order_by(k, false) == std::vector<std::uint32_t>{4, 5, 2, 8, 0, 3, 6, 1, 7});
    CHECK(order_by(k, true) == std::vector<std::uint32_t>{6, 0, 3, 2, 8, 4, 5, 1, 7});
  }
  SUBCASE("random keys: scores on a grid with many ties, and any doubles") {
    std::mt19937_64 rng(20261125);
    for (const std::size_t n : {std::size_t{2}, std::size_t{100}, std::size_t{70'001}}) {
      std::vector<double> grid(n), wide(n);
      for (std::size_t i = 0; i < n; ++i) {
        const auto r = rng();
        grid[i] = r % 13 == 0 ? nan : static_cast<double>(r % 10001) / 100.0;
        switch (r % 7) {
          case 0: wide[i] = nan; break;
          case 1: wide[i] = (r & 8) ? inf : -inf; break;
          case 2: wide[i] = (r & 8) ? 0.0 : -0.0; break;
          case 3: wide[i] = -static_cast<double>(r >> 20) / 3.0; break;
          case 4: wide[i] = std::ldexp(static_cast<double>(r >> 11), -300); break;  // tiny and subnormal-ish
          default: wide[i] = static_cast<double>(r >> 12) * 1e-3; break;
        }
      }
      for (const bool desc : {false, true}) {
        CAPTURE(n);
        CAPTURE(desc);
        CHECK(order_by(grid, desc) == by_comparison(grid, desc));
        CHECK(order_by(wide, desc) == by_comparison(wide, desc));
      }
    }
  }
}
