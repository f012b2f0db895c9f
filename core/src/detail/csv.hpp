// SPDX-License-Identifier: MIT
// What the CSV reader (csv.cpp) lets its tests see.
#pragma once

namespace healthscore::detail {

// True (as always outside tests): the reader reads a common record (every cell plain or simply
// quoted, as many as the columns) by its fast path. A test sets it false to read every record by
// the general path and compare the two tables.
extern bool csv_fast_records;

}  // namespace healthscore::detail
