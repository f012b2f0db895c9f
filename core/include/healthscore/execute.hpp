// SPDX-License-Identifier: MIT
// The method's last step, execute: the call list of one band (and segment), the accounts to act
// on first, each with its band's action and the three signals that cost it the most points. With a
// value column the list is ordered by value (the value at risk first), else by score, lowest first.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "healthscore/explain.hpp"
#include "healthscore/score.hpp"

namespace healthscore {

struct call_options {
  int band = 0;  ///< the band index (the lowest band, at risk, by default)
  int segment = -2;  ///< a segment group index, -1 the other segment, -2 every segment
  std::size_t limit = 100;  ///< accounts listed at most
};

struct call_signal {
  std::string column;
  double points_lost = 0;
};

struct call_entry {
  std::size_t row = 0;
  double value = 0;  ///< the account's value (0 without a value column, or when unreadable)
  std::vector<call_signal> costs;  ///< up to three, the largest loss first
};

struct call_list {
  std::size_t total = 0;  ///< accounts in the band (and segment), listed or not
  double value = 0;  ///< their value
  std::vector<call_entry> entries;
};

/// Throws input_error for a band or segment the model does not have.
call_list make_call_list(const scorer& s, const call_options& options = {});

/// `id,name,score,band,action[,segment][,<value column>],signal 1,points lost 1,...,points lost 3`:
/// scores with two decimals and points with one, as the exports write them; cells defused.
std::string call_list_csv(const scorer& s, const call_list& list);

}  // namespace healthscore
