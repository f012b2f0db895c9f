// SPDX-License-Identifier: MIT
// A starting model from a table: common headers in English, Spanish and Portuguese sorted into the
// four usual categories, with rules chosen from each column's type and range.
#pragma once

#include <cstddef>

#include "healthscore/model.hpp"
#include "healthscore/table.hpp"

namespace healthscore {

/// At most `model_max_signals` signals, in column order: the rest are counted in `left_out` (when
/// given), so the caller can say which columns the suggestion did not use.
model suggest_model(const table& t, std::size_t* left_out = nullptr);

}  // namespace healthscore
