// SPDX-License-Identifier: MIT
// Unzipping is the host's job: natively libzip (`archive_libzip.cpp`), in the page fflate (the
// Worker hands the entries in). Readers of XLSX and ODS see only this interface.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace healthscore {

/// Zip-bomb guards, checked by every host before and while inflating.
struct zip_limits {
  // A full-height Excel sheet (1,048,576 rows) of 20 columns is a 630 MB sheet part; these let one of
  // up to about 30 columns load (a 1M-row part reads in about 10 s, within the 4 GB of wasm memory).
  std::size_t max_entry_bytes = std::size_t{1024} << 20;  ///< one inflated entry
  std::size_t max_total_bytes = std::size_t{1536} << 20;  ///< all entries read from one file
  double max_ratio = 200.0;  ///< inflated / compressed, for entries over 1 MB
};

class archive {
 public:
  virtual ~archive() = default;
  virtual std::vector<std::string> names() const = 0;
  virtual bool contains(std::string_view name) const = 0;
  /// The inflated entry. Throws input_error when it is missing, damaged or over a limit.
  virtual std::string read(std::string_view name) = 0;
};

/// An archive whose entries are already inflated (the page's path, and tests).
class memory_archive final : public archive {
 public:
  void add(std::string name, std::string bytes) { entries_.emplace_back(std::move(name), std::move(bytes)); }
  std::vector<std::string> names() const override;
  bool contains(std::string_view name) const override;
  std::string read(std::string_view name) override;

 private:
  std::vector<std::pair<std::string, std::string>> entries_;
};

/// The stored name of the entry `path` names: the exact name, else the same with `\` read as `/`
/// (some Windows tools write `xl\workbook.xml`) and ASCII case ignored (Office Open XML part names
/// are case-insensitive). Empty when there is none.
std::string find_entry(const archive& zip, std::string_view path);

/// Throws input_error naming `source` when two entries have the same name once `\` is read as `/`
/// and case is ignored: readers differ on which of the two they take (ours would silently take
/// the first), so such a file is ambiguous and refused.
void check_entry_names(const archive& zip, const std::string& source);

/// Native only: opens zip bytes with libzip. Throws input_error naming `source` when the bytes are
/// not a readable zip.
std::unique_ptr<archive> open_zip(std::string_view bytes, const std::string& source, const zip_limits& limits = {});

}  // namespace healthscore
