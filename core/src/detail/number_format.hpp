// SPDX-License-Identifier: MIT
// Fixed-decimal formatting of exact binary values, shared by the exports.
#pragma once

#include <string>

namespace healthscore::detail {

/// `x` with `decimals` digits, rounded half away from zero on the exact binary value, so the native
/// tool and the wasm page write the same bytes.
std::string format_fixed(double x, int decimals);

}  // namespace healthscore::detail
