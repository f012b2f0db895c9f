// SPDX-License-Identifier: MIT
// Native hosts unzip with libzip. The web page does the same job with fflate in JavaScript and hands
// the engine a memory_archive, so this file is left out of the wasm build.
#include <zip.h>

#include <algorithm>

#include "healthscore/archive.hpp"
#include "healthscore/table.hpp"
#include "healthscore/workbook.hpp"

namespace healthscore {

namespace {

message megabytes(std::uint64_t bytes) {
  if (bytes < (1u << 20)) return message("size.bytes").count("n", bytes);
  return message("size.mb").count("n", (bytes + (1u << 19)) >> 20);
}

class libzip_archive final : public archive {
 public:
  libzip_archive(std::string_view bytes, std::string source, const zip_limits& limits)
      : bytes_(bytes), source_(std::move(source)), limits_(limits) {
    if (bytes_.size() < 22) damaged();  // shorter than the end-of-archive record alone
    zip_error_t error;
    zip_error_init(&error);
    // The archive keeps its own copy of the bytes, so it stays valid whatever the caller does with
    // theirs.
    zip_source_t* src = zip_source_buffer_create(bytes_.data(), bytes_.size(), 0, &error);
    if (src) {
      zip_ = zip_open_from_source(src, ZIP_RDONLY, &error);
      if (!zip_) zip_source_free(src);
    }
    zip_error_fini(&error);
    if (!zip_) damaged();
    const zip_int64_t n = zip_get_num_entries(zip_, 0);
    for (zip_int64_t i = 0; i < n; ++i) {
      const char* name = zip_get_name(zip_, static_cast<zip_uint64_t>(i), 0);
      names_.emplace_back(name ? name : "");
    }
  }
  ~libzip_archive() override {
    if (zip_) zip_discard(zip_);
  }
  libzip_archive(const libzip_archive&) = delete;
  libzip_archive& operator=(const libzip_archive&) = delete;

  std::vector<std::string> names() const override { return names_; }
  bool contains(std::string_view name) const override {
    return std::find(names_.begin(), names_.end(), name) != names_.end();
  }

  std::string read(std::string_view name) override {
    const auto it = std::find(names_.begin(), names_.end(), name);
    if (it == names_.end())
      throw input_error(message("zip.missing_part").nested("at", at_file(source_)).text("part", name));
    const auto index = static_cast<zip_uint64_t>(it - names_.begin());
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(zip_, index, 0, &st) != 0) damaged(name);
    const bool sized = (st.valid & ZIP_STAT_SIZE) != 0;
    const std::uint64_t declared = sized ? st.size : 0;
    const std::uint64_t compressed = (st.valid & ZIP_STAT_COMP_SIZE) ? st.comp_size : 0;

    // Refuse before inflating anything, from what the archive declares.
    if (sized) {
      check_entry(name, declared);
      check_total(name, declared);
      if (declared > (1u << 20) && static_cast<double>(declared) >
                                       limits_.max_ratio * static_cast<double>(std::max<std::uint64_t>(compressed, 1)))
        throw input_error(message("zip.ratio")
                              .nested("at", at_file(source_))
                              .text("part", name)
                              .nested("from", megabytes(compressed))
                              .nested("to", megabytes(declared))
                              .count("limit", static_cast<std::uint64_t>(limits_.max_ratio)));
    }

    zip_file_t* file = zip_fopen_index(zip_, index, 0);
    if (!file) {
      const int code = zip_error_code_zip(zip_get_error(zip_));
      if (code == ZIP_ER_NOPASSWD || code == ZIP_ER_WRONGPASSWD || code == ZIP_ER_ENCRNOTSUPP)
        throw input_error(message("zip.password").nested("at", at_file(source_)));
      damaged(name);
    }
    std::string out;
    try {
      out.reserve(static_cast<std::size_t>(std::min<std::uint64_t>(declared, limits_.max_entry_bytes)));
      // Declared sizes can lie: count what really comes out and stop at the first byte too many.
      char buffer[1 << 16];
      for (;;) {
        const zip_int64_t got = zip_fread(file, buffer, sizeof buffer);
        if (got < 0) damaged(name);
        if (got == 0) break;
        const auto after = static_cast<std::uint64_t>(out.size()) + static_cast<std::uint64_t>(got);
        if (sized && after > declared)
          throw input_error(message("zip.lies")
                                .nested("at", at_file(source_))
                                .text("part", name)
                                .nested("size", megabytes(declared)));
        check_entry(name, after);
        check_total(name, after);
        out.append(buffer, static_cast<std::size_t>(got));
      }
    } catch (...) {
      zip_fclose(file);
      throw;
    }
    if (zip_fclose(file) != 0) damaged(name);
    total_ += out.size();
    return out;
  }

 private:
  [[noreturn]] void damaged(std::string_view part = {}) const {
    if (part.empty()) throw input_error(message("zip.damaged").nested("at", at_file(source_)));
    throw input_error(message("zip.damaged_part").nested("at", at_file(source_)).text("part", part));
  }
  void check_entry(std::string_view name, std::uint64_t size) const {
    if (size > limits_.max_entry_bytes)
      throw input_error(message("zip.part_too_large")
                            .nested("at", at_file(source_))
                            .text("part", name)
                            .nested("size", megabytes(size))
                            .nested("limit", megabytes(limits_.max_entry_bytes)));
  }
  void check_total(std::string_view name, std::uint64_t size) const {
    if (total_ + size > limits_.max_total_bytes)
      throw input_error(message("zip.too_large")
                            .nested("at", at_file(source_))
                            .text("part", name)
                            .nested("size", megabytes(total_ + size))
                            .nested("limit", megabytes(limits_.max_total_bytes)));
  }

  std::string bytes_;
  std::string source_;
  zip_limits limits_;
  zip_t* zip_ = nullptr;
  std::vector<std::string> names_;
  std::uint64_t total_ = 0;
};

}  // namespace

std::unique_ptr<archive> open_zip(std::string_view bytes, const std::string& source, const zip_limits& limits) {
  return std::make_unique<libzip_archive>(bytes, source, limits);
}

file_read read_file(std::string_view bytes, const read_options& options, const read_limits& limits) {
  file_read out;
  if (detect_format(bytes, nullptr) == file_format::csv) {
    if (!options.sheet.empty())
      throw input_error(message("read.text_has_no_sheets").nested("at", at_file(options.source)));
    out.format = file_format::csv;
    out.data = read_csv(bytes, options, limits);
    return out;
  }
  const std::unique_ptr<archive> zip = open_zip(bytes, options.source);
  out.format = workbook_format(bytes, *zip, options.source);
  // Read first: the reader names the file in its errors, the sheet list cannot.
  out.data = read_workbook_sheet(*zip, out.format, options, limits);
  out.sheets = workbook_sheets(*zip, out.format, options.source);
  return out;
}

}  // namespace healthscore
