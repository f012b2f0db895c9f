// SPDX-License-Identifier: MIT
// A starting model from a table: common headers in English, Spanish and Portuguese sorted into the
// four usual categories, with rules chosen from each column's type and range.
#pragma once

#include "healthscore/model.hpp"
#include "healthscore/table.hpp"

namespace healthscore {

model suggest_model(const table& t);

}  // namespace healthscore
