// SPDX-License-Identifier: MIT
// Accounts matched across files by the model's `id_column` (compare: two files; trend: any number),
// and movers ranked by the change as printed. One implementation, so both agree on what an id is
// (the trimmed text of its cell), on rows without one and on ids written on more than one row.
#pragma once

#include <cstddef>
#include <limits>
#include <string>
#include <vector>

#include "healthscore/model.hpp"
#include "healthscore/table.hpp"

namespace healthscore::detail {

/// Every distinct non-empty id of some tables, and where each one is in each table.
struct id_match {
  static constexpr std::size_t none = std::numeric_limits<std::size_t>::max();
  std::vector<std::string> ids;  ///< in order of first appearance, tables in order
  std::vector<std::vector<std::size_t>> first_row;  ///< [table][account]: its first row there, or none
  std::vector<std::vector<std::size_t>> row_count;  ///< [table][account]: its rows there (0: absent)
  std::vector<std::vector<std::size_t>> account_of;  ///< [table][row]: the row's account, or none (empty id)
  std::vector<std::size_t> empty;  ///< [table]: rows with an empty id, left out
  std::vector<std::size_t> duplicated;  ///< [table]: ids written on more than one row there
  /// Duplicated ids in order of first appearance (tables in order), each named once.
  std::vector<std::string> duplicate_ids;

  bool present(std::size_t t, std::size_t a) const { return row_count[t][a] > 0; }
  /// On exactly one row of table `t`: the only state in which an account's score there is known.
  bool single(std::size_t t, std::size_t a) const { return row_count[t][a] == 1; }
};

/// Throws input_error when the model names no id column; `what` says what needs it ("comparing two
/// files").
/// Throws input_error `code` (a message saying what needs the id column) when the model has none.
void require_id_column(const model& m, const char* code);
/// The index of the id column in `t`; throws input_error naming the file when it is not there.
std::size_t id_column_of(const table& t, const std::string& name);
/// Matches the tables' rows by the trimmed text of column `id_column`.
id_match match_ids(const std::vector<const table*>& tables, const std::string& id_column);

/// The `n` largest rises (`rising`) or drops among `changes` (NaN and changes that round to 0 at
/// `digits` decimals are no move), by the change as printed, then by id; indexes into `changes`.
std::vector<std::size_t> top_movers(const std::vector<double>& changes, const std::vector<const std::string*>& ids,
                                    bool rising, std::size_t n, int digits);

}  // namespace healthscore::detail
