// SPDX-License-Identifier: MIT
// UTF-8 and UTF-16, one home for the readers (CSV and the workbooks' XML parts).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace healthscore::detail {

/// Appends code point `cp` as UTF-8; a surrogate or a value past U+10FFFF becomes U+FFFD.
void append_utf8(std::string& out, std::uint32_t cp);

/// UTF-16 (without its byte-order mark) as UTF-8; a lone surrogate and an odd trailing byte become
/// U+FFFD.
std::string utf16_to_utf8(std::string_view s, bool little_endian);

/// The one case folding of the engine: `map` keys, segment values, outcome labels and the lift's
/// labels compare folded. Trims, then lowers ASCII and Latin-1 capitals.
std::string fold_case(std::string_view text);

}  // namespace healthscore::detail
