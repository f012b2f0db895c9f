// SPDX-License-Identifier: MIT
// The exports' CSV writer: one convention (delimiter, decimal mark, byte-order mark), CRLF line
// ends, every cell defused (`csv_cell`), scores with two decimals rounded on the exact binary value.
// The scored export and the trend's series and movers all write through it.
#pragma once

#include <cmath>
#include <string>
#include <string_view>

#include "detail/number_format.hpp"
#include "healthscore/export.hpp"

namespace healthscore::detail {

class csv_writer {
 public:
  explicit csv_writer(const csv_convention& convention, std::size_t reserve = 0) : convention_(convention) {
    out_.reserve(reserve + 3);
    if (convention_.bom) out_ += "\xEF\xBB\xBF";
  }
  void cell(std::string_view text) {
    if (!first_) out_ += convention_.delimiter;
    first_ = false;
    out_ += csv_cell(text, convention_.delimiter);
  }
  /// A score: two decimals with the convention's mark, empty when NaN (unscored).
  void score(double x) { cell(number(x, 2)); }
  /// A number with `decimals` digits and the convention's mark, empty when NaN.
  std::string number(double x, int decimals) const {
    if (std::isnan(x)) return {};
    std::string text = format_fixed(x, decimals);
    if (convention_.decimal != '.')
      for (char& c : text)
        if (c == '.') c = convention_.decimal;
    return text;
  }
  void end_row() {
    out_ += "\r\n";
    first_ = true;
  }
  std::string take() { return std::move(out_); }

 private:
  csv_convention convention_;
  std::string out_;
  bool first_ = true;
};

}  // namespace healthscore::detail
