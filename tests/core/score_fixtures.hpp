// SPDX-License-Identifier: MIT
// Small tables and models for the scoring tests, built the way readers build them.
#pragma once

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "healthscore/model.hpp"
#include "healthscore/table.hpp"

namespace fixtures {

/// A table of text cells, typed by `column::infer` as a CSV reader would (`""` is an empty cell).
inline healthscore::table make_table(const std::vector<std::pair<std::string, std::vector<std::string>>>& columns) {
  healthscore::table t;
  t.source = "test.csv";
  for (const auto& [name, cells] : columns) t.rows = std::max(t.rows, cells.size());
  for (const auto& [name, cells] : columns) {
    healthscore::column c(name);
    for (const auto& text : cells) c.push_text(text);
    c.pad_to(t.rows);
    c.infer(false);
    t.columns.push_back(std::move(c));
  }
  return t;
}

/// A signal on `column` with `rule` and weight `w`.
inline healthscore::signal make_signal(std::string column, healthscore::rule r, double w = 1) {
  healthscore::signal s;
  s.column = std::move(column);
  s.rule = std::move(r);
  s.weight = w;
  return s;
}

/// A linear rule, 0..100 unless told otherwise: its score is the raw value itself.
inline healthscore::rule linear(double lo = 0, double hi = 100) {
  healthscore::rule r;
  r.type = healthscore::rule_type::linear;
  r.min = lo;
  r.max = hi;
  return r;
}

inline healthscore::category make_category(std::string id, double w, std::vector<healthscore::signal> signals) {
  healthscore::category c;
  c.id = id;
  c.label = std::move(id);
  c.weight = w;
  c.signals = std::move(signals);
  return c;
}

}  // namespace fixtures
