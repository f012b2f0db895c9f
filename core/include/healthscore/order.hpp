// SPDX-License-Identifier: MIT
// Row orders for the results table, computed where the scores live (the engine, in the Worker) so a
// slider move never sorts a million rows on the page's thread.
#pragma once

#include <cstdint>
#include <vector>

namespace healthscore {

/// Row indexes ordered by `key`, ascending or descending; rows whose key is NaN (unscored) come last
/// in either direction, and equal keys keep row order (a stable order, as the page's sorts are).
/// An LSD radix sort over the keys' bits: linear in the rows, a few passes over 8 bytes per row.
std::vector<std::uint32_t> order_by(const std::vector<double>& key, bool descending);

}  // namespace healthscore
