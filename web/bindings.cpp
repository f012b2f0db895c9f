// SPDX-License-Identifier: MIT
// The one bindings file: converts JS values to the engine's types and back, nothing else.
// Bytes come in once (Uint8Array -> std::string); large results go out as typed arrays copied into
// fresh JS buffers (a view into wasm memory dies when memory grows), never one JS object per row.
// The session (archive, table, scorer) lives here so JS never holds a handle it must .delete().
// Engine errors come back as {ok: false, kind, message}; nothing the user can do aborts the module.
#include <malloc.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <stdexcept>
#include <new>
#include <string>
#include <vector>

#include <emscripten/bind.h>
#include <emscripten/val.h>
#include <libdeflate.h>

#include "healthscore/healthscore.hpp"

namespace hs = healthscore;
using emscripten::val;

namespace {

/// A workbook whose parts the Worker inflates on demand (with the zip-bomb guards): `read` calls a
/// JS function that answers the buffer a part needs, then inflates the part into that buffer in the
/// wasm heap and answers its length; or the message of the limit or damage it hit.
class js_archive final : public hs::archive {
 public:
  js_archive(std::vector<std::string> names, val reader) : names_(std::move(names)), reader_(std::move(reader)) {}
  std::vector<std::string> names() const override { return names_; }
  bool contains(std::string_view name) const override {
    for (const auto& n : names_)
      if (n == name) return true;
    return false;
  }
  std::string read(std::string_view name) override;

 private:
  std::vector<std::string> names_;
  val reader_;
};

struct session {
  std::shared_ptr<hs::archive> archive;  // the open workbook, for choosing another sheet (shared with staging)
  hs::file_format format = hs::file_format::csv;
  std::string source;
  std::unique_ptr<hs::table> table;
  std::unique_ptr<hs::scorer> scorer;  // points into *table: reset before table
  hs::validation_cache evidence;  // AUCs and curves by content: a slider move recomputes only the health score's
};

/// The tables a page reads into: `main` (the file being scored), `staging` (a file being read, which
/// replaces main only when the page commits it, so a refused or cancelled file loses nothing),
/// `earlier` (an earlier file of the same accounts, for Evidence) and `snapshot` (a History file on
/// its way into the snapshot list, `add_snapshot`). Every load takes the name.
session& session_named(const std::string& name) {
  static session main_session, staging_session, earlier_session, snapshot_session;
  if (name == "main") return main_session;
  if (name == "staging") return staging_session;
  if (name == "earlier") return earlier_session;
  if (name == "snapshot") return snapshot_session;
  throw hs::input_error(hs::message("engine.no_session").text("name", name));
}

session& state() { return session_named("main"); }

/// The History step's files: each a table read through the `snapshot` session (the page's one read
/// path) and then moved here with its date. Several dozen can be kept; they are scored only while
/// the trend is built (`trend`), and the last report is kept for its two CSV exports.
struct snapshot {
  double id = 0;
  std::int32_t date = hs::no_date;
  std::unique_ptr<hs::table> table;
};

std::vector<snapshot>& snapshots() {
  static std::vector<snapshot> list;
  return list;
}

std::unique_ptr<hs::trend_report>& last_trend() {
  static std::unique_ptr<hs::trend_report> report;
  return report;
}

snapshot& snapshot_with(double id) {
  for (snapshot& s : snapshots())
    if (s.id == id) return s;
  throw hs::input_error(hs::message("engine.no_snapshot").text("id", std::to_string(static_cast<long long>(id))));
}

// ---- conversions ------------------------------------------------------------------------------

/// A Uint8Array's bytes in the wasm heap, in a buffer that is not zero-filled first: JavaScript
/// writes every byte (a std::string's fill was a memset of the whole file, or of each 4 MB piece of
/// a streamed one, 2% of the read).
class heap_bytes {
 public:
  explicit heap_bytes(std::size_t size) : bytes_(new char[size ? size : 1]), size_(size) {}
  char* data() noexcept { return bytes_.get(); }
  const char* data() const noexcept { return bytes_.get(); }
  std::size_t size() const noexcept { return size_; }
  operator std::string_view() const noexcept { return {bytes_.get(), size_}; }

 private:
  std::unique_ptr<char[]> bytes_;
  std::size_t size_;
};

heap_bytes bytes_in(const val& u8) {
  heap_bytes b(u8["length"].as<std::size_t>());
  if (b.size())
    val(emscripten::typed_memory_view(b.size(), reinterpret_cast<unsigned char*>(b.data()))).call<void>("set", u8);
  return b;
}

/// The page's zip reader answers a part's name with the buffer it needs (its declared size + 1),
/// then, given that buffer's address and length in the wasm heap (this string), inflates the part
/// straight into it and answers with the part's length. The reader makes its view of the heap when it
/// is called (a view made here could be detached by memory growth while the call's arguments are
/// converted).
std::string js_archive::read(std::string_view name) {
  const val key(std::string{name});
  auto answer = [](const val& v) {
    if (v.isString()) throw hs::input_error(hs::message_from_json_text(v.as<std::string>()));
    return v.as<std::size_t>();
  };
  const std::size_t need = answer(reader_(key));
  std::string out(need, '\0');
  const std::size_t n = answer(
      reader_(key, static_cast<double>(reinterpret_cast<std::uintptr_t>(out.data())), static_cast<double>(need)));
  if (n >= need) throw std::logic_error("zip part longer than its buffer");
  out.resize(n);
  return out;
}

template <class T>
val typed_out(const char* js_type, const T* data, std::size_t n) {
  return val::global(js_type).new_(emscripten::typed_memory_view(n, data));  // copies
}

val bytes_out(const std::string& s) {
  return typed_out("Uint8Array", reinterpret_cast<const unsigned char*>(s.data()), s.size());
}

template <class T>
val array_of(const std::vector<T>& v) {
  val a = val::array();
  for (std::size_t i = 0; i < v.size(); ++i) a.set(i, v[i]);
  return a;
}

/// {ok: false, kind, message (English), error: {code, params}}: the page renders `error` in its
/// language (web/lib/messages.js).
val failure(const char* kind, const hs::message& m) {
  val r = val::object();
  r.set("ok", false);
  r.set("kind", std::string(kind));
  r.set("message", hs::render(m));
  r.set("error", val::global("JSON").call<val>("parse", hs::to_json_text(m)));
  return r;
}

val success() {
  val r = val::object();
  r.set("ok", true);
  return r;
}

template <class F>
val guarded(F&& f) {
  try {
    return f();
  } catch (const hs::input_error& e) {
    return failure("input", e.msg());
  } catch (const hs::model_error& e) {
    return failure("model", e.msg());
  } catch (const std::bad_alloc&) {
    return failure("memory", hs::message("engine.memory"));
  } catch (const std::exception& e) {
    return failure("internal", hs::message("engine.internal").text("text", e.what()));
  }
}

const char* date_order_name(hs::date_order d) {
  switch (d) {
    case hs::date_order::day_first: return "day_first";
    case hs::date_order::month_first: return "month_first";
    case hs::date_order::ambiguous: return "ambiguous";
    default: return "unknown";
  }
}

hs::read_options options_in(const val& o, const val& progress, const session& from = state()) {
  hs::read_options r;
  r.source = from.source;
  if (o.isUndefined() || o.isNull()) return r;
  if (o["header_row"].isNumber()) r.header_row = o["header_row"].as<std::size_t>();
  if (o["delimiter"].isString()) {
    const auto d = o["delimiter"].as<std::string>();
    if (d.size() == 1) r.delimiter = d[0];
  }
  if (o["month_first"].isTrue()) r.default_dates = hs::date_order::month_first;
  if (o["sheet"].isString()) r.sheet = o["sheet"].as<std::string>();
  if (progress.typeOf().as<std::string>() == "function") {
    r.progress = [progress](std::size_t bytes, std::size_t rows) {
      progress(static_cast<double>(bytes), static_cast<double>(rows));
      return true;  // cancelling is terminating the Worker
    };
  }
  return r;
}

val table_info(const hs::table& t) {
  val info = val::object();
  info.set("source", t.source);
  info.set("sheet", t.sheet);
  info.set("delimiter", t.delimiter ? std::string(1, t.delimiter) : std::string());
  info.set("encoding", t.encoding);
  info.set("rows", static_cast<double>(t.rows));
  info.set("skipped_blank_rows", static_cast<double>(t.skipped_blank_rows));
  info.set("ragged_count", static_cast<double>(t.ragged_count));
  val ragged = val::array();
  for (std::size_t i = 0; i < t.ragged.size(); ++i) {
    val r = val::object();
    r.set("row", static_cast<double>(t.ragged[i].row));
    r.set("cells", static_cast<double>(t.ragged[i].cells));
    ragged.set(i, r);
  }
  info.set("ragged", ragged);
  info.set("memory_bytes", static_cast<double>(t.memory_bytes()));
  val cols = val::array();
  for (std::size_t c = 0; c < t.columns.size(); ++c) {
    const hs::column& col = t.columns[c];
    val o = val::object();
    o.set("name", col.name());
    o.set("type", std::string(hs::to_string(col.type())));
    o.set("decimal_mark", std::string(1, col.decimal_mark()));
    o.set("dates", std::string(date_order_name(col.dates())));
    o.set("empty", static_cast<double>(col.empty_count()));
    o.set("errors", static_cast<double>(col.error_count()));
    o.set("unreadable", static_cast<double>(col.unreadable_count()));
    val ex = val::array();
    const auto& examples = col.unreadable_examples();
    for (std::size_t i = 0; i < examples.size(); ++i) {
      val e = val::object();
      e.set("row", static_cast<double>(examples[i].row));
      e.set("text", examples[i].text);
      ex.set(i, e);
    }
    o.set("examples", ex);
    // A number column's range, as `healthscore inspect` reports it: only number columns have one
    // (asking a text column would build its number view, 8 bytes a row, for nothing).
    const bool numeric = col.type() == hs::column_type::number;
    o.set("min", numeric ? col.min_number() : std::nan(""));
    o.set("max", numeric ? col.max_number() : std::nan(""));
    cols.set(c, o);
  }
  info.set("columns", cols);
  return info;
}

void adopt(hs::table t, session& s = state()) {
  s.scorer.reset();
  s.table = std::make_unique<hs::table>(std::move(t));
}

val loaded(const session& s = state()) {
  val r = success();
  r.set("info", table_info(*s.table));
  return r;
}

const hs::scorer& current_scorer() {
  if (!state().scorer) throw hs::input_error(hs::message("engine.no_model"));
  return *state().scorer;
}

// ---- the API ----------------------------------------------------------------------------------

std::string engine_version() { return "healthscore 0.1.0"; }

/// A coded message ({code, params} as JSON text) in "en", "es" or "pt", as the engine words it: the
/// tests hold the page's renderer (web/lib/messages.js) to this one.
std::string render_message(std::string json_text, std::string lang) {
  return hs::render(hs::message_from_json_text(json_text), hs::language_named(lang).value_or(hs::language::en));
}

/// The session now holds a CSV named `source` (no workbook behind it).
void as_csv(session& s, std::string source) {
  s.archive.reset();
  s.format = hs::file_format::csv;
  s.source = std::move(source);
}

/// A CSV or TSV file into the named session: {ok, info} or {ok: false, message}.
val load_csv(std::string name, val bytes, std::string source, val options, val progress) {
  return guarded([&] {
    session& s = session_named(name);
    as_csv(s, std::move(source));
    const heap_bytes data = bytes_in(bytes);
    bytes = val::undefined();
    adopt(hs::read_csv(data, options_in(options, progress, s)), s);
    return loaded(s);
  });
}

/// A CSV or TSV file read a piece at a time: the Worker feeds it from the file's Blob, so the file is
/// never whole in the wasm heap beside its table (web/lib/open.js). csvBegin, csvFeed for each piece,
/// csvEnd: {ok, streaming: true} (csvEnd: with the session's info), or {ok, streaming: false} when the
/// file must be read whole with loadCsv (another encoding, invalid UTF-8, a NUL: hs::csv_stream);
/// after a refusal the page reads it whole too, for the message loadCsv gives the whole file.
struct csv_feed {
  std::unique_ptr<hs::csv_stream> stream;
  std::string session, source;
  std::unique_ptr<hs::table> rest;  // the rows of a file's rest, read by a second engine (csvRestEnd)
};

csv_feed& feeding() {
  static csv_feed f;
  return f;
}

val streaming(bool on) {
  val r = success();
  r.set("streaming", on);
  return r;
}

val csv_begin(std::string name, std::string source, double total, val options, val progress) {
  return guarded([&] {
    csv_feed& f = feeding();
    f.stream.reset();
    hs::read_options o = options_in(options, progress, session_named(name));
    o.source = source;
    f.stream = std::make_unique<hs::csv_stream>(static_cast<std::size_t>(total), o);
    f.session = std::move(name);
    f.source = std::move(source);
    return streaming(true);
  });
}

val csv_feed_piece(val bytes) {
  csv_feed& f = feeding();
  if (!f.stream) return streaming(false);
  val r = guarded([&] { return streaming(f.stream->feed(bytes_in(bytes))); });
  if (!r["ok"].as<bool>() || !r["streaming"].as<bool>()) f.stream.reset();
  return r;
}

/// Drops a stream the page gave up on (a piece it could not read): its partial table goes at once.
val csv_cancel() {
  feeding().stream.reset();
  return success();
}

val csv_end() {
  csv_feed& f = feeding();
  if (!f.stream) return streaming(false);
  val r = guarded([&] {
    std::optional<hs::table> t = f.stream->finish();
    if (!t) return streaming(false);
    session& s = session_named(f.session);
    as_csv(s, f.source);
    adopt(std::move(*t), s);
    val done = loaded(s);
    done.set("streaming", true);
    return done;
  });
  f.stream.reset();
  return r;
}

// ---- A large CSV read in two parts at once (web/lib/open.js) ----------------------------------
// The Worker feeds its engine the file up to a line break past the middle while a second Worker's
// engine reads the rest (csvRestBegin, csvFeed, csvRestEnd). If the first holds nothing back
// (csvHeld() == 0), a record starts there: csvJoin takes the rest's counts and csvJoinColumn each
// of its columns, packed by csvRestColumn, and csvEnd gives the table read_csv makes of the file.

/// The first part's columns and delimiter once its header is read, else null.
val csv_shape() {
  csv_feed& f = feeding();
  const auto shape = f.stream ? f.stream->shape() : std::nullopt;
  if (!shape) return val::null();
  val r = success();
  r.set("columns", static_cast<double>(shape->columns));
  r.set("delimiter", std::string(1, shape->delimiter));
  // Each column's push_reading as a character code ('.', ',', '-', or 0).
  val readings = val::array();
  for (const char c : shape->readings) readings.call<void>("push", static_cast<int>(static_cast<unsigned char>(c)));
  r.set("readings", readings);
  return r;
}

/// Bytes the stream fed holds back (a record the next piece may go on); -1 without a stream.
double csv_held() {
  csv_feed& f = feeding();
  return f.stream ? static_cast<double>(f.stream->held()) : -1.0;
}

/// The rest's stream: `total` bytes from a record start on, with the first part's shape (csvShape).
val csv_rest_begin(double total, val shape_in, val options, val progress) {
  return guarded([&] {
    csv_feed& f = feeding();
    f.stream.reset();
    f.rest.reset();
    const hs::read_options o = options_in(options, progress);
    hs::csv_shape shape;
    shape.columns = shape_in["columns"].as<std::size_t>();
    const auto delimiter = shape_in["delimiter"].as<std::string>();
    shape.delimiter = delimiter.empty() ? ',' : delimiter[0];
    const val readings = shape_in["readings"];
    if (readings.isArray()) {
      const auto n = readings["length"].as<std::size_t>();
      for (std::size_t j = 0; j < n; ++j) shape.readings.push_back(static_cast<char>(readings[j].as<int>()));
    }
    f.stream = std::make_unique<hs::csv_stream>(static_cast<std::size_t>(total), shape, o);
    return streaming(true);
  });
}

val rest_summary_out(const hs::csv_rest& r) {
  val s = val::object();
  s.set("rows", static_cast<double>(r.rows));
  s.set("skippedBlankRows", static_cast<double>(r.skipped_blank_rows));
  s.set("raggedCount", static_cast<double>(r.ragged_count));
  val ragged = val::array();
  for (const auto& g : r.ragged) {
    val pair = val::array();
    pair.call<void>("push", static_cast<double>(g.row), static_cast<double>(g.cells));
    ragged.call<void>("push", pair);
  }
  s.set("ragged", ragged);
  val bytes = val::array();
  for (const std::size_t b : r.text_bytes) bytes.call<void>("push", static_cast<double>(b));
  s.set("textBytes", bytes);
  return s;
}

hs::csv_rest rest_summary_in(const val& s) {
  hs::csv_rest r;
  r.rows = s["rows"].as<std::size_t>();
  r.skipped_blank_rows = s["skippedBlankRows"].as<std::size_t>();
  r.ragged_count = s["raggedCount"].as<std::size_t>();
  const auto n = s["ragged"]["length"].as<std::size_t>();
  for (std::size_t i = 0; i < n; ++i)
    r.ragged.push_back({s["ragged"][i][0].as<std::size_t>(), s["ragged"][i][1].as<std::size_t>()});
  const auto m = s["textBytes"]["length"].as<std::size_t>();
  for (std::size_t j = 0; j < m; ++j) r.text_bytes.push_back(s["textBytes"][j].as<std::size_t>());
  return r;
}

/// After the rest's last piece: {ok, summary} (the rest's rows kept for csvRestColumn), or a failure
/// (bad input in the rest: the first part then reads it, for the message that names the row).
val csv_rest_end() {
  csv_feed& f = feeding();
  if (!f.stream) return streaming(false);
  val r = guarded([&] {
    std::optional<hs::table> rest = f.stream->finish_rest();
    if (!rest) return streaming(false);
    f.rest = std::make_unique<hs::table>(std::move(*rest));
    val done = streaming(true);
    done.set("summary", rest_summary_out(hs::csv_rest::of(*f.rest)));
    return done;
  });
  f.stream.reset();
  return r;
}

// Where pack_column writes: counting_sink counts the bytes, js_sink writes them into a JavaScript
// Uint8Array of that size, so a column is never packed in the heap as well (in the rest's Worker that
// copy grew the heap by the largest column: BENCHMARKS.md, "The rest's Worker ends before the join").
struct counting_sink {
  static constexpr bool writes = false;  // only counts: what is appended need not be made
  std::size_t bytes = 0;
  void append(const void*, std::size_t n) { bytes += n; }
  std::size_t size() const noexcept { return bytes; }
};

struct js_sink {
  static constexpr bool writes = true;
  static constexpr std::size_t direct = 4096;  // pieces this large are set straight from the heap
  static constexpr std::size_t buffered = 1 << 16;
  val out;
  std::size_t at = 0;
  std::string buffer;
  explicit js_sink(std::size_t bytes) : out(val::global("Uint8Array").new_(static_cast<double>(bytes))) {
    buffer.reserve(buffered + direct);  // appends below never allocate, so a view set from the heap stays valid
  }
  void set(const void* p, std::size_t n) {
    out.call<void>("set", val(emscripten::typed_memory_view(n, static_cast<const unsigned char*>(p))),
                   static_cast<double>(at));
    at += n;
  }
  void append(const void* p, std::size_t n) {
    if (n >= direct) {
      flush();
      set(p, n);
      return;
    }
    buffer.append(static_cast<const char*>(p), n);
    if (buffer.size() >= buffered) flush();
  }
  void flush() {
    if (!buffer.empty()) set(buffer.data(), buffer.size());
    buffer.clear();
  }
  std::size_t size() const noexcept { return at + buffer.size(); }
};

// A column of the rest, packed for the first part's engine: 32-bit little-endian words, then the
// text. A dictionary: 1, rows, entries, the entries' text offsets (entries + 1), each row's 16-bit
// entry (padded to 4 bytes), the entries' text. Else (plain): 0, rows, its push_reading, the 11
// counts of its pushed_tally and its mark sensitivity, whether numbers follow; each cell's text end;
// its pushed_numbers (doubles, when read); the text.
template <class Sink>
void pack_column(const hs::column& c, Sink& out) {
  auto word = [&](std::size_t v) {
    const auto w = static_cast<std::uint32_t>(v);
    out.append(&w, 4);
  };
  static constexpr char zeros[8] = {};
  const std::size_t rows = c.size();
  if (c.dictionary()) {
    const std::size_t n = c.entries();
    word(1), word(rows), word(n);
    std::size_t at = 0;
    word(0);
    for (std::size_t k = 0; k < n; ++k) word(at += c.entry(k).size());
    out.append(c.codes(), rows * 2);
    if (rows % 2) out.append(zeros, 2);
    for (std::size_t k = 0; k < n; ++k) out.append(c.entry(k).data(), c.entry(k).size());
  } else {
    const hs::column::push_tally tally = c.pushed_tally();
    const double* numbers = c.pushed_numbers();
    word(0), word(rows), word(static_cast<unsigned char>(c.push_reading()));
    for (const std::size_t k : tally.counts) word(k);
    word(tally.sensitive), word(numbers != nullptr);
    // The ends a slice at a time: one call per row through the sink cost 45 ns a row in wasm.
    constexpr std::size_t slice = 16384;
    std::vector<std::uint32_t> ends(Sink::writes ? std::min(slice, rows) : 0);
    for (std::size_t r = 0; r < rows; r += slice) {
      const std::size_t n = std::min(slice, rows - r);
      if constexpr (Sink::writes) c.plain_ends(r, n, ends.data());
      out.append(ends.data(), n * 4);  // the counting sink reads nothing
    }
    if (numbers) {
      out.append(zeros, (8 - out.size() % 8) % 8);
      out.append(numbers, rows * sizeof(double));
    }
    out.append(c.plain_text().data(), c.plain_text().size());
  }
}

/// Column `j` of the rest, packed into a new Uint8Array (the page transfers it to the first part).
val csv_rest_column(double j) {
  csv_feed& f = feeding();
  const auto k = static_cast<std::size_t>(j);
  if (!f.rest || k >= f.rest->columns.size()) return val::null();
  const hs::column& c = f.rest->columns[k];
  counting_sink size;
  pack_column(c, size);
  js_sink out(size.size());
  pack_column(c, out);
  out.flush();
  return out.out;
}

/// Frees the rest's rows once the first part has them.
val csv_rest_done() {
  feeding().rest.reset();
  return success();
}

/// The first part's stream takes the rest's counts: true, or false when the rows would pass a
/// limit or a record does not start where the rest does (the page then feeds it the rest).
bool csv_join(val summary) {
  csv_feed& f = feeding();
  if (!f.stream) return false;
  try {
    return f.stream->append_rest(rest_summary_in(summary));
  } catch (const std::exception&) {
    return false;
  }
}

/// Then column `j` of the rest, as csvRestColumn packed it.
val csv_join_column(double j, val packed) {
  csv_feed& f = feeding();
  if (!f.stream) return streaming(false);
  val r = guarded([&] {
    const heap_bytes b = bytes_in(packed);
    // Sizes in 64 bits: in wasm32 a size_t product of a hostile count could wrap past the checks.
    const auto fits = [&](std::uint64_t end) {
      if (end > b.size()) throw std::runtime_error("csvJoinColumn: packed column too short");
    };
    auto word = [&](std::uint64_t i) {
      std::uint32_t w;
      fits((i + 1) * 4);
      std::memcpy(&w, b.data() + i * 4, 4);
      return static_cast<std::size_t>(w);
    };
    const std::size_t column = static_cast<std::size_t>(j), rows = word(1);
    if (word(0) == 1) {
      const std::size_t n = word(2);
      const std::uint64_t codes_at = (4 + std::uint64_t{n}) * 4,
                          text_at = codes_at + (std::uint64_t{rows} * 2 + 3) / 4 * 4;
      fits(text_at + word(3 + std::uint64_t{n}));
      std::vector<std::string_view> entries(n);
      for (std::size_t k = 0; k < n; ++k)
        entries[k] = std::string_view(b).substr(text_at + word(3 + k), word(4 + k) - word(3 + k));
      // The codes are read in place (new char[] is aligned for any scalar, codes_at is a
      // multiple of 4).
      const auto* codes = reinterpret_cast<const std::uint16_t*>(b.data() + codes_at);
      std::uint16_t most = 0;
      for (std::size_t r = 0; r < rows; ++r) most = std::max(most, codes[r]);
      if (rows && most >= n) throw std::runtime_error("csvJoinColumn: a row's entry out of range");
      f.stream->append_coded(column, entries.data(), n, codes, rows);
    } else {
      constexpr std::size_t head = 16;  // words before the ends
      const char reading = static_cast<char>(word(2));
      hs::column::push_tally tally;
      for (std::size_t k = 0; k < 11; ++k) tally.counts[k] = word(3 + k);
      tally.sensitive = word(14) != 0;
      const bool has_numbers = word(15) != 0;
      const std::uint64_t ends_at = head * 4;
      std::uint64_t text_at = ends_at + std::uint64_t{rows} * 4, numbers_at = 0;
      if (has_numbers) {
        numbers_at = (text_at + 7) / 8 * 8;
        text_at = numbers_at + std::uint64_t{rows} * sizeof(double);
      }
      fits(text_at);
      if (rows) fits(text_at + word(head + std::uint64_t{rows} - 1));
      const auto* ends = reinterpret_cast<const std::uint32_t*>(b.data() + ends_at);
      for (std::size_t r = 1; r < rows; ++r)
        if (ends[r] < ends[r - 1]) throw std::runtime_error("csvJoinColumn: cell ends out of order");
      const auto* numbers = has_numbers ? reinterpret_cast<const double*>(b.data() + numbers_at) : nullptr;
      f.stream->append_read(column, std::string_view(b).substr(text_at), ends, rows, reading, tally, numbers);
    }
    return streaming(true);
  });
  if (!r["ok"].as<bool>()) f.stream.reset();
  return r;
}

/// A zip part's raw deflate bytes inflated by libdeflate straight into the `length` bytes at `at` in
/// the wasm heap (the buffer js_archive::read allocated, the part's declared size + 1), for the
/// page's zip reader (web/lib/open.js): {ok, produced, crc} (crc: the CRC-32 of what was produced),
/// or {ok: false, refused: 'too_large'} when the part would fill the buffer (it is larger than it
/// declares) and 'inflate' when its bytes are not deflate (invalid codes are refused at their block,
/// as zlib refuses them). Never more than `length` bytes are written. Out of memory: {ok: false, kind}.
val inflate_raw(const val& packed, double at, double length) {
  return guarded([&] {
    const heap_bytes in = bytes_in(packed);  // may grow the heap: `at` is an address, still good
    static libdeflate_decompressor* const inflater = libdeflate_alloc_decompressor();
    if (!inflater) throw std::bad_alloc();
    void* out = reinterpret_cast<void*>(static_cast<std::uintptr_t>(at));
    const auto room = static_cast<std::size_t>(length);
    std::size_t produced = 0;
    const libdeflate_result r = libdeflate_deflate_decompress(inflater, in.data(), in.size(), out, room, &produced);
    // Filling the buffer means the part is larger than it declares, as running out of it does.
    const bool full = r == LIBDEFLATE_INSUFFICIENT_SPACE || (r == LIBDEFLATE_SUCCESS && produced >= room);
    val v = val::object();
    v.set("ok", r == LIBDEFLATE_SUCCESS && !full);
    if (full) {
      v.set("refused", std::string("too_large"));
    } else if (r != LIBDEFLATE_SUCCESS) {
      v.set("refused", std::string("inflate"));
    } else {
      v.set("produced", static_cast<double>(produced));
      v.set("crc", static_cast<double>(libdeflate_crc32(0, out, produced)));
    }
    return v;
  });
}

/// A workbook into the named session: its part names, and a JS function that inflates one part
/// when a reader asks for it. Answers {ok, format, sheets: [{name, visible, worksheet}]}.
val open_workbook(std::string name, val head, val names, val reader, std::string source) {
  return guarded([&] {
    session& s = session_named(name);
    s.scorer.reset();
    s.table.reset();
    s.archive.reset();
    s.source = std::move(source);
    std::vector<std::string> list_of_names;
    const auto n = names["length"].as<std::size_t>();
    for (std::size_t i = 0; i < n; ++i) list_of_names.push_back(names[i].as<std::string>());
    auto zip = std::make_unique<js_archive>(std::move(list_of_names), reader);
    const heap_bytes first = bytes_in(head);
    const hs::file_format f = hs::workbook_format(first, *zip, s.source);
    const std::vector<hs::sheet_info> sheets = hs::workbook_sheets(*zip, f, s.source);
    s.archive = std::move(zip);
    s.format = f;
    val r = success();
    r.set("format", std::string(f == hs::file_format::xlsx ? "xlsx" : "ods"));
    val list = val::array();
    for (std::size_t i = 0; i < sheets.size(); ++i) {
      val o = val::object();
      o.set("name", sheets[i].name);
      o.set("visible", sheets[i].visible);
      o.set("worksheet", sheets[i].worksheet);
      list.set(i, o);
    }
    r.set("sheets", list);
    return r;
  });
}

/// One sheet (options.sheet; none: the first visible worksheet) of the workbook open in session
/// `from`, read into session `name` (another sheet of the scored file is read into staging).
val load_sheet(std::string name, std::string from, val options, val progress) {
  return guarded([&] {
    session& s = session_named(name);
    session& f = session_named(from);
    if (!f.archive) throw hs::input_error(hs::message("engine.no_workbook"));
    if (&s != &f) {
      s.archive = f.archive;
      s.format = f.format;
      s.source = f.source;
    }
    const hs::read_options o = options_in(options, progress, s);
    s.scorer.reset();
    s.table.reset();
    adopt(hs::read_workbook_sheet(*s.archive, s.format, o), s);
    return loaded(s);
  });
}

/// Forgets a session's file, workbook, scorer and kept evidence figures.
void reset(session& s) {
  s.scorer.reset();
  s.table.reset();
  s.archive.reset();
  s.evidence = {};
}

/// The file read into staging becomes the scored file; the previous one is forgotten.
val commit() {
  return guarded([&] {
    session& staged = session_named("staging");
    if (!staged.table) throw hs::input_error(hs::message("engine.no_staged"));
    session& m = state();
    reset(m);
    m.archive = std::move(staged.archive);
    m.format = staged.format;
    m.source = std::move(staged.source);
    m.table = std::move(staged.table);
    reset(staged);
    return loaded(m);
  });
}

/// Forgets the file read into a session (a refused or replaced staging file, the earlier file).
val discard(std::string name) {
  return guarded([&] {
    reset(session_named(name));
    return success();
  });
}

/// The engine's starting model for the loaded table, as JSON text.
val suggest(std::string name) {
  return guarded([&] {
    const session& s = session_named(name);
    if (!s.table) throw hs::input_error(hs::message("engine.no_file"));
    val r = success();
    std::size_t left_out = 0;
    r.set("model", hs::save_model(hs::suggest_model(*s.table, &left_out)));
    // Columns the suggestion had to leave out (past the model's signal limit), as a coded note.
    if (left_out > 0) {
      const hs::message note =
          hs::message("engine.suggest_left_out").count("used", hs::model_max_signals).count("left", left_out);
      r.set("note", val::global("JSON").call<val>("parse", hs::to_json_text(note)));
    }
    return r;
  });
}

/// Validates a model document without a table: {ok, model: normalized JSON} or the first problem.
val check_model(std::string json_text) {
  return guarded([&] {
    val r = success();
    r.set("model", hs::save_model(hs::parse_model(json_text)));
    return r;
  });
}

/// Applies a model to the loaded table (a new scorer, or an update of the current one).
val set_model(std::string json_text, double today) {
  return guarded([&] {
    session& s = state();
    if (!s.table) throw hs::input_error(hs::message("engine.no_file"));
    hs::model m = hs::parse_model(json_text);
    if (s.scorer) {
      s.scorer->update(std::move(m));
    } else {
      hs::score_options o;
      o.today = static_cast<std::int32_t>(today);
      o.allow_missing_columns = true;
      s.scorer = std::make_unique<hs::scorer>(*s.table, std::move(m), o);
    }
    val r = success();
    r.set("as_of", s.scorer->as_of());
    return r;
  });
}

val set_category_weight(double c, double w) {
  return guarded([&] {
    if (!state().scorer) throw hs::input_error(hs::message("engine.no_model"));
    state().scorer->set_category_weight(static_cast<std::size_t>(c), w);
    return success();
  });
}

val set_signal_weight(double c, double s, double w) {
  return guarded([&] {
    if (!state().scorer) throw hs::input_error(hs::message("engine.no_model"));
    state().scorer->set_signal_weight(static_cast<std::size_t>(c), static_cast<std::size_t>(s), w);
    return success();
  });
}

/// A segment group's weight override (the group's slider): rescores that group's accounts only.
val set_group_category_weight(double g, double c, double w) {
  return guarded([&] {
    if (!state().scorer) throw hs::input_error(hs::message("engine.no_model"));
    state().scorer->set_category_weight(static_cast<std::size_t>(g), static_cast<std::size_t>(c), w);
    return success();
  });
}

val set_group_signal_weight(double g, double c, double s, double w) {
  return guarded([&] {
    if (!state().scorer) throw hs::input_error(hs::message("engine.no_model"));
    state().scorer->set_signal_weight(static_cast<std::size_t>(g), static_cast<std::size_t>(c),
                                      static_cast<std::size_t>(s), w);
    return success();
  });
}

/// Band counts, unscored accounts and the histogram (101 counts, one per rounded score): all the
/// band summary draws, a few hundred bytes, so the Worker can post it before the large arrays.
/// One set of accounts' band counts and, with a value column, values: {rows, band_counts, unscored,
/// value: {bands, at_risk, unscored, total, missing} | absent}.
void band_totals_into(val& r, const hs::band_totals& t, bool has_value) {
  r.set("rows", static_cast<double>(t.rows));
  val counts = val::array();
  for (std::size_t i = 0; i < t.band_counts.size(); ++i) counts.set(i, static_cast<double>(t.band_counts[i]));
  r.set("band_counts", counts);
  r.set("unscored", static_cast<double>(t.unscored));
  if (has_value) {
    val v = val::object();
    val bands = val::array();
    for (std::size_t i = 0; i < t.band_values.size(); ++i) bands.set(i, t.band_values[i]);
    v.set("bands", bands);
    v.set("at_risk", t.value_at_risk());
    v.set("unscored", t.unscored_value);
    v.set("total", t.value_total);
    v.set("missing", static_cast<double>(t.value_missing));
    // The value per rounded score: the histogram weighted by value.
    val hv = val::array();
    for (std::size_t i = 0; i < t.histogram_value.size(); ++i) hv.set(i, t.histogram_value[i]);
    v.set("histogram", hv);
    r.set("value", v);
  }
}

val histogram_of(const hs::band_totals& t) {
  val histogram = val::array();
  for (std::size_t i = 0; i < t.histogram.size(); ++i) histogram.set(i, static_cast<double>(t.histogram[i]));
  return histogram;
}

val totals_of(const hs::scorer& sc) {
  const hs::summary& t = sc.totals();
  val r = success();
  band_totals_into(r, t, t.has_value);
  r.set("rows", static_cast<double>(sc.rows()));
  r.set("as_of", sc.as_of());
  r.set("histogram", histogram_of(t));
  r.set("absent_columns", array_of(t.absent_columns));  // the summary's warning, painted with the counts
  if (!t.segments.empty()) {
    val segs = val::array();
    for (std::size_t k = 0; k < t.segments.size(); ++k) {
      val o = val::object();
      o.set("id", t.segments[k].id);
      o.set("label", t.segments[k].label);
      band_totals_into(o, t.segments[k], t.has_value);
      o.set("histogram", histogram_of(t.segments[k]));
      segs.set(k, o);
    }
    r.set("segments", segs);
  }
  return r;
}

val totals() {
  return guarded([&] { return totals_of(current_scorer()); });
}

/// The totals, scores (Float64Array, NaN unscored), bands (Int8Array, -1 unscored), per-category
/// scores when asked, and the summary's missing and absent columns.
val results(bool with_categories) {
  return guarded([&] {
    const hs::scorer& sc = current_scorer();
    val r = totals_of(sc);
    r.set("scores", typed_out("Float64Array", sc.scores().data(), sc.scores().size()));
    r.set("bands", typed_out("Int8Array", sc.bands().data(), sc.bands().size()));
    // Each row's segment (group index, -1 the other segment), only for a model with segments.
    if (!sc.segments().empty()) r.set("segment_of", typed_out("Int8Array", sc.segments().data(), sc.segments().size()));
    if (with_categories) {
      val cats = val::array();
      for (std::size_t c = 0; c < sc.current_model().categories.size(); ++c) {
        const auto& v = sc.category_scores(c);
        cats.set(c, typed_out("Float64Array", v.data(), v.size()));
      }
      r.set("category_scores", cats);
    }
    const hs::summary& t = sc.totals();
    val missing = val::array();
    for (std::size_t i = 0; i < t.missing.size(); ++i) {
      val o = val::object();
      o.set("column", t.missing[i].first);
      o.set("count", static_cast<double>(t.missing[i].second));
      missing.set(i, o);
    }
    r.set("missing", missing);
    r.set("absent_columns", array_of(t.absent_columns));
    return r;
  });
}

/// Every row ordered by health score (category < 0) or by one category's score, NaN last, ties in
/// row order, as a Uint32Array: the table's sort, done here rather than on the page's thread.
val order(double category, bool descending) {
  return guarded([&] {
    const hs::scorer& sc = current_scorer();
    const bool by_score = category < 0;
    if (!by_score && !(category < static_cast<double>(sc.current_model().categories.size())))
      throw hs::input_error(hs::message("engine.no_category"));
    const auto rows =
        hs::order_by(by_score ? sc.scores() : sc.category_scores(static_cast<std::size_t>(category)), descending);
    val r = success();
    r.set("order", typed_out("Uint32Array", rows.data(), rows.size()));
    return r;
  });
}

/// Why one account (0-based row) has its score, and what would lift it a band.
val explain_row(double row) {
  return guarded([&] {
    const hs::scorer& sc = current_scorer();
    if (!(row >= 0 && row < static_cast<double>(sc.rows()))) throw hs::input_error(hs::message("engine.no_row"));
    const hs::explanation e = hs::explain(sc, static_cast<std::size_t>(row));
    val r = success();
    r.set("row", static_cast<double>(e.row));
    r.set("score", e.score);
    r.set("band", e.band);
    // Which scorecard scored it: the segment's label (the other segment's too), absent without segments.
    if (!sc.segments().empty()) {
      const std::int8_t k = sc.segments()[static_cast<std::size_t>(row)];
      const auto& seg = *sc.current_model().segments;
      r.set("segment", k < 0 ? seg.other_label : seg.groups[static_cast<std::size_t>(k)].label);
    }
    val cats = val::array();
    for (std::size_t i = 0; i < e.categories.size(); ++i) {
      const auto& c = e.categories[i];
      val o = val::object();
      o.set("id", c.id);
      o.set("label", c.label);
      o.set("score", c.score);
      o.set("share", c.share);
      o.set("contribution", c.contribution);
      o.set("points_lost", c.points_lost);
      cats.set(i, o);
    }
    r.set("categories", cats);
    val sigs = val::array();
    for (std::size_t i = 0; i < e.signals.size(); ++i) {
      const auto& s = e.signals[i];
      val o = val::object();
      o.set("category", static_cast<double>(s.category));
      o.set("signal", static_cast<double>(s.signal));
      o.set("column", s.column);
      o.set("raw", s.raw);
      o.set("score", s.score);
      o.set("missing", s.missing);
      o.set("share", s.share);
      o.set("contribution", s.contribution);
      o.set("points_lost", s.points_lost);
      sigs.set(i, o);
    }
    r.set("signals", sigs);
    // The lift: one change, or two when no single signal can; null when none lifts it.
    if (e.next_band) {
      const auto& n = *e.next_band;
      val o = val::object();
      o.set("to_band", n.to_band);
      o.set("to_health", n.to_health);
      val changes = val::array();
      for (std::size_t i = 0; i < n.changes.size(); ++i) {
        const auto& c = n.changes[i];
        val x = val::object();
        x.set("category", static_cast<double>(c.category));
        x.set("signal", static_cast<double>(c.signal));
        x.set("column", c.column);
        x.set("signal_id", c.signal_id.empty() ? val::null() : val(c.signal_id));
        x.set("direction", std::string(hs::to_string(c.direction)));
        x.set("kind", std::string(hs::to_string(c.kind)));
        x.set("from_raw", c.from_raw);
        x.set("from_value", std::isnan(c.from_value) ? val::null() : val(c.from_value));
        x.set("to_value", std::isnan(c.to_value) ? val::null() : val(c.to_value));
        x.set("to_text", c.to_text);
        x.set("decimals", c.decimals);
        x.set("percent", c.percent);
        x.set("any_other", c.any_other);
        x.set("bound", std::string(hs::to_string(c.bound)));
        x.set("from_score", c.from_score);
        x.set("to_score", c.to_score);
        changes.set(i, x);
      }
      o.set("changes", changes);
      r.set("next_band", o);
    } else {
      r.set("next_band", val::null());
    }
    return r;
  });
}

/// The scored table as CSV bytes, exactly what the command line writes with `--csv NAME`.
val export_scored_csv(std::string name) {
  return guarded([&] {
    val r = success();
    const auto convention = hs::csv_convention_named(name.empty() ? "standard" : name);
    if (!convention) throw hs::input_error(hs::message("engine.unknown_convention").text("name", name));
    r.set("bytes", bytes_out(hs::export_csv(current_scorer(), *convention)));
    return r;
  });
}

/// The command line's `--format json` document, as text.
val export_scored_json() {
  return guarded([&] {
    val r = success();
    r.set("json", hs::export_json(current_scorer()).dump());
    return r;
  });
}

/// One column's cell texts as UTF-8 bytes plus end offsets (Uint32Array), for the page's own uses
/// (ids and names in the table, distinct values for `map` rules).
val column_text(double index) {
  return guarded([&] {
    const session& s = state();
    if (!s.table) throw hs::input_error(hs::message("engine.no_file"));
    if (!(index >= 0 && index < static_cast<double>(s.table->columns.size())))
      throw hs::input_error(hs::message("engine.no_column"));
    const hs::column& col = s.table->columns[static_cast<std::size_t>(index)];
    std::string bytes;
    std::vector<std::uint32_t> ends(col.size());
    for (std::size_t i = 0; i < col.size(); ++i) {
      bytes.append(col.text(i));
      ends[i] = static_cast<std::uint32_t>(bytes.size());
    }
    val r = success();
    r.set("bytes", bytes_out(bytes));
    r.set("ends", typed_out("Uint32Array", ends.data(), ends.size()));
    return r;
  });
}

// ---- evidence: validation against the outcome, comparison with an earlier file ----------------

int indent_in(const val& o) {
  return !o.isUndefined() && !o.isNull() && o["indent"].isNumber() ? o["indent"].as<int>() : -1;
}

/// A validation whose weight search is still to run, a slice at a time (`validate_step`).
struct pending_validation {
  hs::validation v;
  hs::model m;
  std::optional<hs::weight_search> search;
  int indent = -1;
};
std::optional<pending_validation>& pending() {
  static std::optional<pending_validation> p;
  return p;
}

/// validation_to_json of the current scorer as text (options: suggest, sensitivity, rocForSignals,
/// rocPoints, indent; the weight search and sensitivity are skipped when false). With `stepped`, the
/// weight search is left for `validate_step` and the answer is {ok, pending: true} (unless there is
/// nothing to search): the Worker runs the search in slices and answers a slider between two.
val validate(val options) {
  return guarded([&] {
    pending().reset();
    hs::validation_options o;
    bool stepped = false;
    if (!options.isUndefined() && !options.isNull()) {
      if (options["suggest"].isFalse()) o.suggest = false;
      if (options["sensitivity"].isFalse()) o.sensitivity = false;
      if (options["roc_for_signals"].isTrue()) o.roc_for_signals = true;
      if (options["roc_points"].isNumber()) o.roc_points = options["roc_points"].as<std::size_t>();
      stepped = options["stepped"].isTrue();
    }
    o.cache = &state().evidence;
    const hs::scorer& sc = current_scorer();
    val r = success();
    if (stepped && o.suggest) {
      o.suggest = false;
      pending_validation p;
      p.v = hs::validate_outcome(sc, o);
      p.m = sc.current_model();
      p.search = hs::start_weight_search(sc, hs::label_outcomes(sc.data(), *p.m.outcome));
      p.indent = indent_in(options);
      if (p.search) {
        pending() = std::move(p);
        r.set("pending", true);
        return r;
      }
      r.set("json", hs::validation_to_json(p.v).dump(p.indent));
      return r;
    }
    r.set("json", hs::validation_to_json(hs::validate_outcome(sc, o)).dump(indent_in(options)));
    return r;
  });
}

/// Runs about `work` units of the pending validation's weight search (hs::weight_search_work is
/// the whole budget): {ok, pending: true, spent} until it is over, then {ok, json} as `validate`
/// would have answered in one go.
val validate_step(double work) {
  return guarded([&] {
    auto& p = pending();
    if (!p) throw hs::input_error(hs::message("engine.no_validation"));
    val r = success();
    bool done = false;
    try {
      done = p->search->advance(static_cast<std::uint64_t>(std::max(1.0, work)));
    } catch (...) {
      p.reset();  // a failed search is not resumed
      throw;
    }
    if (!done) {
      r.set("pending", true);
      return r;
    }
    hs::add_suggestion(p->v, p->m, *p->search);
    r.set("json", hs::validation_to_json(p->v).dump(p->indent));
    p.reset();
    return r;
  });
}

/// Drops a pending validation (the model it was for has changed).
void validate_cancel() { pending().reset(); }

/// Scores the earlier file with the current model (weights as they are now) and compares it with the
/// current file: comparison_to_json as text, and comparison_to_csv's bytes when options.csv.
val compare(double today, val options) {
  return guarded([&] {
    session& e = session_named("earlier");
    if (!e.table) throw hs::input_error(hs::message("engine.no_earlier"));
    const hs::scorer& now = current_scorer();
    hs::score_options so;
    so.today = static_cast<std::int32_t>(today);
    so.allow_missing_columns = true;
    e.scorer.reset();
    e.scorer = std::make_unique<hs::scorer>(*e.table, now.current_model(), so);
    const hs::comparison c = hs::compare_scores(*e.scorer, now);
    val r = success();
    r.set("json", hs::comparison_to_json(c).dump(indent_in(options)));
    if (!options.isUndefined() && !options.isNull() && options["csv"].isTrue())
      r.set("csv", bytes_out(hs::comparison_to_csv(c)));
    return r;
  });
}

/// Bytes in use on the wasm heap (for the leak test), and the heap's size.
val memory() {
  val r = val::object();
  r.set("used", static_cast<double>(mallinfo().uordblks));
  r.set("heap", static_cast<double>(__builtin_wasm_memory_size(0)) * 65536.0);
  return r;
}

/// Two scenarios (whole models) scored on the scored file and compared row by row. An empty JSON
/// text stands for the model applied now (its scorer is reused). Answers the migration matrix, the
/// moved rows (Uint32Array), each side's band counts and unscored count, and, when asked, each side's
/// health-score AUC against its outcome (`validate`) and the moved accounts as CSV (`csv`, with
/// `label_a`/`label_b`).
val compare_models(std::string json_a, std::string json_b, double today, val options) {
  return guarded([&] {
    const session& s = state();
    if (!s.table) throw hs::input_error(hs::message("engine.no_file"));
    hs::score_options so;
    so.today = static_cast<std::int32_t>(today);
    so.allow_missing_columns = true;
    std::unique_ptr<hs::scorer> own_a, own_b;
    auto side = [&](const std::string& text, std::unique_ptr<hs::scorer>& own) -> const hs::scorer& {
      if (text.empty()) return current_scorer();
      own = std::make_unique<hs::scorer>(*s.table, hs::parse_model(text), so);
      return *own;
    };
    const hs::scorer& a = side(json_a, own_a);
    const hs::scorer& b = side(json_b, own_b);
    const hs::scenario_comparison c = hs::compare_scenarios(a, b);
    val r = success();
    val matrix = val::array();
    for (std::size_t i = 0; i < c.transitions.size(); ++i) {
      val row = val::array();
      for (std::size_t j = 0; j < c.transitions[i].size(); ++j) row.set(j, static_cast<double>(c.transitions[i][j]));
      matrix.set(i, row);
    }
    r.set("transitions", matrix);
    // With segments: the same matrix per segment (groups, then the other segment).
    if (!c.segments.empty()) {
      val segs = val::array();
      for (std::size_t k = 0; k < c.segments.size(); ++k) {
        val o = val::object();
        o.set("id", c.segments[k].id);
        o.set("label", c.segments[k].label);
        o.set("rows", static_cast<double>(c.segments[k].rows));
        val m = val::array();
        for (std::size_t i = 0; i < c.segments[k].transitions.size(); ++i) {
          val row = val::array();
          for (std::size_t j = 0; j < c.segments[k].transitions[i].size(); ++j)
            row.set(j, static_cast<double>(c.segments[k].transitions[i][j]));
          m.set(i, row);
        }
        o.set("transitions", m);
        segs.set(k, o);
      }
      r.set("segments", segs);
    }
    std::vector<std::uint32_t> moved(c.moved.begin(), c.moved.end());
    r.set("moved", typed_out("Uint32Array", moved.data(), moved.size()));
    std::vector<std::int8_t> moved_a, moved_b;  // each moved row's band on each side (-1 unscored)
    for (const std::size_t row : c.moved) {
      moved_a.push_back(a.bands()[row]);
      moved_b.push_back(b.bands()[row]);
    }
    r.set("moved_a", typed_out("Int8Array", moved_a.data(), moved_a.size()));
    r.set("moved_b", typed_out("Int8Array", moved_b.data(), moved_b.size()));
    const bool want_auc = !options.isUndefined() && !options.isNull() && options["validate"].isTrue();
    auto summary_of = [&](const hs::scorer& sc) {
      val o = totals_of(sc);
      if (want_auc && sc.current_model().outcome) {
        hs::validation_options vo;
        vo.suggest = false;
        vo.sensitivity = false;
        const hs::validation v = hs::validate_outcome(sc, vo);
        o.set("auc", hs::evidence_round(v.health.auc.auc, 3));
        o.set("auc_lo", hs::evidence_round(v.health.auc.lo, 3));
        o.set("auc_hi", hs::evidence_round(v.health.auc.hi, 3));
      }
      return o;
    };
    r.set("a", summary_of(a));
    r.set("b", summary_of(b));
    if (!options.isUndefined() && !options.isNull() && options["csv"].isTrue()) {
      const std::string la = options["label_a"].isString() ? options["label_a"].as<std::string>() : "A";
      const std::string lb = options["label_b"].isString() ? options["label_b"].as<std::string>() : "B";
      r.set("csv", bytes_out(hs::scenario_changes_csv(a, b, c, la, lb)));
    }
    return r;
  });
}

/// The call list of a band (options: band, segment (-2 every segment), limit, csv): {total, value,
/// entries: [{row, value, costs: [{column, points_lost}]}], csv: bytes when asked}.
val call_list(val options) {
  return guarded([&] {
    const hs::scorer& sc = current_scorer();
    hs::call_options o;
    if (options["band"].isNumber()) o.band = options["band"].as<int>();
    if (options["segment"].isNumber()) o.segment = options["segment"].as<int>();
    if (options["limit"].isNumber()) o.limit = options["limit"].as<std::size_t>();
    const hs::call_list list = hs::make_call_list(sc, o);
    val r = success();
    r.set("total", static_cast<double>(list.total));
    r.set("value", list.value);
    val entries = val::array();
    for (std::size_t i = 0; i < list.entries.size(); ++i) {
      const auto& e = list.entries[i];
      val x = val::object();
      x.set("row", static_cast<double>(e.row));
      x.set("value", e.value);
      val costs = val::array();
      for (std::size_t k = 0; k < e.costs.size(); ++k) {
        val c = val::object();
        c.set("column", e.costs[k].column);
        c.set("points_lost", e.costs[k].points_lost);
        costs.set(k, c);
      }
      x.set("costs", costs);
      entries.set(i, x);
    }
    r.set("entries", entries);
    if (options["csv"].isTrue()) r.set("csv", bytes_out(hs::call_list_csv(sc, list)));
    return r;
  });
}

/// Forgets every session's file, workbook and scorer.
void clear() {
  for (const char* name : {"main", "staging", "earlier", "snapshot"}) reset(session_named(name));
}

/// A model as one SQL query for DuckDB, PostgreSQL or Spark (the studio's "Export as SQL"), written
/// by the same compiler as `healthscore sql`. `table` and `asOf` ("yyyy-mm-dd") may be empty or
/// undefined: the table is then "accounts", and recency counts to the model's as_of, else to the
/// database's CURRENT_DATE. {ok: true, sql} or the usual failure.
val model_to_sql(std::string model_json, std::string dialect, val table, val as_of) {
  return guarded([&] {
    const auto d = hs::sql_dialect_from(dialect);
    if (!d) throw hs::input_error(hs::message("engine.unknown_dialect").text("name", dialect));
    hs::sql_options o;
    o.dialect = *d;
    if (table.isString() && !table.as<std::string>().empty()) o.table = table.as<std::string>();
    if (as_of.isString() && !as_of.as<std::string>().empty()) {
      const std::string text = as_of.as<std::string>();
      const std::int32_t day = hs::parse_date(text, hs::date_order::day_first);
      if (day == hs::no_date || !hs::shape_of_date(text).iso) throw hs::input_error(hs::message("engine.bad_as_of"));
      o.as_of = day;
    }
    val r = success();
    r.set("sql", hs::to_sql(hs::parse_model(model_json), o));
    return r;
  });
}

// ---- history: snapshots of the same accounts over time (core/trend.hpp) ------------------------

/// The date a file name shows (the command line's rule): {ok, date: days | null, problem: {code,
/// params} | null}.
val date_in_name(std::string name) {
  return guarded([&] {
    const hs::found_date f = hs::date_in_name(name);
    val r = success();
    r.set("date", f.date == hs::no_date ? val::null() : val(static_cast<double>(f.date)));
    r.set("problem",
          f.problem.code.empty() ? val::null() : val::global("JSON").call<val>("parse", hs::to_json_text(f.problem)));
    return r;
  });
}

val snapshot_info(const snapshot& s) {
  val o = val::object();
  o.set("id", s.id);
  o.set("source", s.table->source);
  o.set("date", s.date == hs::no_date ? val::null() : val(static_cast<double>(s.date)));
  o.set("rows", static_cast<double>(s.table->rows));
  o.set("memory_bytes", static_cast<double>(s.table->memory_bytes()));
  return o;
}

/// The file just read into the `snapshot` session joins the list with its date (days, or null until
/// the user gives one): {ok, snapshot: {id, source, date, rows, memory_bytes}}.
val add_snapshot(val date) {
  return guarded([&] {
    static double next_id = 1;
    session& s = session_named("snapshot");
    if (!s.table) throw hs::input_error(hs::message("engine.no_file"));
    snapshot x;
    x.id = next_id++;
    x.date = date.isNumber() ? static_cast<std::int32_t>(date.as<double>()) : hs::no_date;
    x.table = std::move(s.table);
    reset(s);
    last_trend().reset();
    snapshots().push_back(std::move(x));
    val r = success();
    r.set("snapshot", snapshot_info(snapshots().back()));
    return r;
  });
}

val set_snapshot_date(double id, val date) {
  return guarded([&] {
    snapshot& x = snapshot_with(id);
    x.date = date.isNumber() ? static_cast<std::int32_t>(date.as<double>()) : hs::no_date;
    last_trend().reset();
    val r = success();
    r.set("snapshot", snapshot_info(x));
    return r;
  });
}

val remove_snapshot(double id) {
  return guarded([&] {
    auto& list = snapshots();
    snapshot_with(id);
    list.erase(std::remove_if(list.begin(), list.end(), [&](const snapshot& x) { return x.id == id; }), list.end());
    last_trend().reset();
    return success();
  });
}

val snapshot_list() {
  val r = success();
  val list = val::array();
  for (std::size_t i = 0; i < snapshots().size(); ++i) list.set(i, snapshot_info(snapshots()[i]));
  r.set("snapshots", list);
  return r;
}

/// Scores every snapshot with the model (as_of = the snapshot's date, as `healthscore trend` does)
/// and builds the trend. Answers trend_to_json as text without the per-account series and with the
/// flow lists cut to `list_limit` (their counts are whole), the score series of every account those
/// lists and the movers name (`series`: id -> [score | null per snapshot]), and the heap's size at
/// its peak, and per snapshot id the model's columns its file lacks (`absent_columns`; those signals
/// are missing in every row, as `--allow-missing-columns`). `progress(done, total)` after each
/// snapshot is scored. The scorers are freed before
/// answering; the report is kept for `trendCsv` and `trendMoversCsv`.
val trend(std::string model_json, val options, val progress) {
  return guarded([&] {
    last_trend().reset();
    auto& list = snapshots();
    if (list.empty()) throw hs::input_error(hs::message("engine.no_snapshots"));
    const hs::model m = hs::parse_model(model_json);
    hs::trend_options to;
    hs::trend_json_options jo;
    jo.accounts = false;
    if (!options.isUndefined() && !options.isNull()) {
      if (options["movers"].isNumber()) to.movers = options["movers"].as<std::size_t>();
      if (options["list_limit"].isNumber()) jo.list_limit = options["list_limit"].as<std::size_t>();
      if (options["suggest"].isTrue()) to.suggest = true;
    }
    const bool report = progress.typeOf().as<std::string>() == "function";
    std::vector<std::unique_ptr<hs::scorer>> scored;
    std::vector<hs::trend_input> inputs;
    val absent = val::object();  // snapshot id -> the model's columns the file lacks (as the CLI warns)
    for (std::size_t i = 0; i < list.size(); ++i) {
      if (list[i].date == hs::no_date)
        throw hs::input_error(hs::message("trend.undated_snapshot").text("source", list[i].table->source));
      hs::model at = m;
      at.as_of = list[i].date;  // recency counts to the snapshot's own date
      hs::score_options so;
      so.allow_missing_columns = true;
      scored.push_back(std::make_unique<hs::scorer>(*list[i].table, std::move(at), so));
      inputs.push_back({list[i].date, scored.back().get()});
      const auto& missing = scored.back()->totals().absent_columns;
      if (!missing.empty()) absent.set(std::to_string(static_cast<long long>(list[i].id)), array_of(missing));
      if (report) progress(static_cast<double>(i + 1), static_cast<double>(list.size()));
    }
    auto r = std::make_unique<hs::trend_report>(hs::build_trend(std::move(inputs), to));
    const double peak = static_cast<double>(__builtin_wasm_memory_size(0)) * 65536.0;
    scored.clear();
    // The series the page draws: every account a list of the report names.
    std::vector<std::size_t> named;
    auto take = [&](const std::vector<std::size_t>& v, std::size_t most) {
      for (std::size_t i = 0; i < v.size() && i < most; ++i) named.push_back(v[i]);
    };
    auto lists = [&](const std::optional<hs::trend_movers>& overall, const std::optional<hs::trend_movers>& latest,
                     const std::vector<hs::trend_flow>& flows) {
      for (const auto* mv : {overall ? &*overall : nullptr, latest ? &*latest : nullptr}) {
        if (!mv) continue;
        take(mv->drops, mv->drops.size());
        take(mv->rises, mv->rises.size());
      }
      if (!flows.empty()) {
        take(flows.back().newly_at_risk, jo.list_limit);
        take(flows.back().recovered, jo.list_limit);
      }
    };
    lists(r->overall, r->latest, r->flows);
    for (const hs::trend_segment& ts : r->segments) lists(ts.overall, ts.latest, ts.flows);
    val series = val::object();
    for (const std::size_t a : named) {
      const hs::trend_account& acc = r->accounts[a];
      val points = val::array();
      for (std::size_t i = 0; i < acc.scores.size(); ++i)
        points.set(i, std::isnan(acc.scores[i]) ? val::null() : val(acc.scores[i]));
      series.set(acc.id, points);
    }
    val out = success();
    out.set("json", hs::trend_to_json(*r, jo).dump());
    out.set("series", series);
    out.set("absent_columns", absent);
    out.set("heap_peak", peak);
    last_trend() = std::move(r);
    return out;
  });
}

val trend_csv_of(const std::string& name, bool movers) {
  return guarded([&] {
    if (!last_trend()) throw hs::input_error(hs::message("engine.no_trend"));
    const auto convention = hs::csv_convention_named(name.empty() ? "standard" : name);
    if (!convention) throw hs::input_error(hs::message("engine.unknown_convention").text("name", name));
    val r = success();
    r.set("bytes", bytes_out(movers ? hs::trend_movers_to_csv(*last_trend(), *convention)
                                    : hs::trend_to_csv(*last_trend(), *convention)));
    return r;
  });
}

/// One account of the last trend by id (the Scores step's breakdown draws its chart): per snapshot
/// its score (null when absent or unscored), band index (-1 unscored, -2 absent) and, with
/// segments, its segment (group index, -1 other); the snapshots' dates as ISO text. `found` false
/// when the trend has no such account (or there is no trend).
val trend_account(std::string id) {
  return guarded([&] {
    val r = success();
    const hs::trend_report* t = last_trend().get();
    const std::string key(hs::trim(id));
    const hs::trend_account* acc = nullptr;
    if (t)
      for (const hs::trend_account& a : t->accounts)
        if (a.id == key) {
          acc = &a;
          break;
        }
    r.set("found", acc != nullptr);
    if (!acc) return r;
    val dates = val::array(), scores = val::array(), bands = val::array(), segs = val::array();
    for (std::size_t i = 0; i < acc->scores.size(); ++i) {
      dates.set(i, hs::format_date(t->snapshots[i].date));
      scores.set(i, std::isnan(acc->scores[i]) ? val::null() : val(acc->scores[i]));
      bands.set(i, static_cast<int>(acc->bands[i]));
      if (!acc->segments.empty()) segs.set(i, static_cast<int>(acc->segments[i]));
    }
    r.set("dates", dates);
    r.set("scores", scores);
    r.set("bands", bands);
    if (!acc->segments.empty()) r.set("segments", segs);
    return r;
  });
}

/// The per-account series of the last trend as CSV bytes: `healthscore trend -o` with `--csv NAME`.
val trend_csv(std::string name) { return trend_csv_of(name, false); }
/// The movers of the last trend as CSV bytes: `healthscore trend --movers` with `--csv NAME`.
val trend_movers_csv(std::string name) { return trend_csv_of(name, true); }

}  // namespace

EMSCRIPTEN_BINDINGS(healthscore) {
  emscripten::function("version", &engine_version);
  emscripten::function("loadCsv", &load_csv);
  emscripten::function("csvBegin", &csv_begin);
  emscripten::function("csvFeed", &csv_feed_piece);
  emscripten::function("csvEnd", &csv_end);
  emscripten::function("csvCancel", &csv_cancel);
  emscripten::function("csvShape", &csv_shape);
  emscripten::function("csvHeld", &csv_held);
  emscripten::function("csvRestBegin", &csv_rest_begin);
  emscripten::function("csvRestEnd", &csv_rest_end);
  emscripten::function("csvRestColumn", &csv_rest_column);
  emscripten::function("csvRestDone", &csv_rest_done);
  emscripten::function("csvJoin", &csv_join);
  emscripten::function("csvJoinColumn", &csv_join_column);
  emscripten::function("openWorkbook", &open_workbook);
  emscripten::function("inflateRaw", &inflate_raw);
  emscripten::function("loadSheet", &load_sheet);
  emscripten::function("commit", &commit);
  emscripten::function("discard", &discard);
  emscripten::function("suggest", &suggest);
  emscripten::function("checkModel", &check_model);
  emscripten::function("setModel", &set_model);
  emscripten::function("setCategoryWeight", &set_category_weight);
  emscripten::function("setSignalWeight", &set_signal_weight);
  emscripten::function("setGroupCategoryWeight", &set_group_category_weight);
  emscripten::function("setGroupSignalWeight", &set_group_signal_weight);
  emscripten::function("results", &results);
  emscripten::function("totals", &totals);
  emscripten::function("order", &order);
  emscripten::function("explain", &explain_row);
  emscripten::function("exportCsv", &export_scored_csv);
  emscripten::function("exportJson", &export_scored_json);
  emscripten::function("columnText", &column_text);
  emscripten::function("validate", &validate);
  emscripten::function("validateStep", &validate_step);
  emscripten::function("validateCancel", &validate_cancel);
  emscripten::function("compare", &compare);
  emscripten::function("compareModels", &compare_models);
  emscripten::function("callList", &call_list);
  emscripten::function("memory", &memory);
  emscripten::function("clear", &clear);
  emscripten::function("toSql", &model_to_sql);
  emscripten::function("renderMessage", &render_message);
  emscripten::function("dateInName", &date_in_name);
  emscripten::function("addSnapshot", &add_snapshot);
  emscripten::function("setSnapshotDate", &set_snapshot_date);
  emscripten::function("removeSnapshot", &remove_snapshot);
  emscripten::function("snapshots", &snapshot_list);
  emscripten::function("trend", &trend);
  emscripten::function("trendCsv", &trend_csv);
  emscripten::function("trendAccount", &trend_account);
  emscripten::function("trendMoversCsv", &trend_movers_csv);
}
