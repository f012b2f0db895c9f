// SPDX-License-Identifier: MIT
// `healthscore`: the engine on the command line, for scheduled scoring and for checking the studio.
// Exit 0 on success, 2 on bad input, a bad model or bad arguments, with one message on stderr.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <sys/stat.h>
#include <unistd.h>
#include <ctime>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <new>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "healthscore/healthscore.hpp"

namespace hs = healthscore;

namespace {

constexpr const char* kUsage = R"(usage:
  healthscore inspect FILE [--sheet NAME] [--json]
  healthscore model init FILE [--sheet NAME]
  healthscore score FILE --model MODEL.json [--sheet NAME] [--format csv|json|summary] [-o OUT]
                    [--as-of YYYY-MM-DD] [--allow-missing-columns]
                    [--csv standard|excel|excel-es|excel-pt|excel-eu]
  healthscore validate FILE --model MODEL.json [--sheet NAME] [--json] [--as-of YYYY-MM-DD]
  healthscore compare OLD NEW --model MODEL.json [--json] [-o CHANGES.csv] [--as-of YYYY-MM-DD]
  healthscore explain FILE --model MODEL.json (--row N | --id ID) [--sheet NAME] [--json]
                      [--as-of YYYY-MM-DD] [--allow-missing-columns]
  healthscore trend FILE... --model MODEL.json [--dates D1,D2,...] [--sheet NAME] [--format text|json|csv]
                    [-o SERIES.csv] [--movers MOVERS.csv] [--top N] [--as-of YYYY-MM-DD]
                    [--allow-missing-columns] [--csv standard|excel|excel-es|excel-pt|excel-eu] [--suggest]
  healthscore sql MODEL.json --dialect duckdb|postgres|spark [--table NAME | --from SQL]
                  [--as-of YYYY-MM-DD] [-o OUT.sql]

FILE is a CSV, TSV, XLSX or ODS spreadsheet. `explain` shows one account's breakdown (--row is the
1-based data row) and the smallest change of its raw values that lifts it into the next band.
`trend` takes one file per date: the snapshot's date comes from --dates, else from the file's name
(accounts-2026-11-30.csv, 20261130, 2026-11 = the month's last day), else, for one file alone, the
model's as_of; each file is scored with recency counted to its own date; --suggest also fits category
weights on the earlier snapshots and checks them on the last two (slow on large files). `sql` prints one query that
scores a table of the model's columns (typed: numbers, dates, booleans) in that database; recency
counts to --as-of, else the model's as_of, else the database's CURRENT_DATE. Messages (errors,
evidence warnings and verdicts) are in English, Spanish or Portuguese: --lang en|es|pt before or
after the command, else the language of the locale (LC_ALL, LC_MESSAGES, LANG). Exit status: 0
success, 2 bad input or model.
)";

/// The language of the messages: --lang, else the locale's (set in main).
hs::language g_lang = hs::language::en;
/// A command asked for JSON (--json, --format json): a refusal is also written to stdout as
/// {"error": {code, params}, "message": text}, so scripts (and the corpus test) read its code.
bool g_json_errors = false;

void report_json_error(const hs::message& m) {
  if (!g_json_errors) return;
  const hs::json j = {{"error", hs::json::parse(hs::to_json_text(m))}, {"message", hs::render(m, g_lang)}};
  std::printf("%s\n", j.dump().c_str());
}

/// Bad arguments: the message is printed with the usage.
struct usage_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct args {
  std::vector<std::string> positional;
  std::map<std::string, std::string> options;  // --name value
  std::map<std::string, bool> flags;  // --name

  bool flag(const std::string& f) const { return flags.count(f) > 0; }
  std::string option(const std::string& o, const std::string& fallback = {}) const {
    auto it = options.find(o);
    return it == options.end() ? fallback : it->second;
  }
};

args parse_args(int argc, char** argv, std::initializer_list<const char*> valued,
                std::initializer_list<const char*> boolean) {
  args a;
  for (int i = 0; i < argc; ++i) {
    std::string s = argv[i];
    if (s.size() > 1 && s[0] == '-') {
      bool known = false;
      for (const char* v : valued) {
        if (s == v) {
          if (i + 1 >= argc) throw usage_error(s + " needs a value");
          a.options[s] = argv[++i];
          known = true;
        }
      }
      for (const char* b : boolean) {
        if (s == b) a.flags[s] = known = true;
      }
      if (!known) throw usage_error("unknown option " + s);
    } else {
      a.positional.push_back(s);
    }
  }
  return a;
}

/// Text for a terminal: control characters (ESC, BEL, C1 controls...) from a file's cells or names
/// are shown as \xHH instead of being obeyed; tab, CR and line ends stay.
std::string terminal_safe(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  char buf[8];
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    const bool c1 = c == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
                    static_cast<unsigned char>(text[i + 1]) <= 0x9F;  // U+0080..U+009F in UTF-8
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F) {
      std::snprintf(buf, sizeof buf, "\\x%02X", c);
      out += buf;
    } else if (c1) {
      std::snprintf(buf, sizeof buf, "\\u%04X", static_cast<unsigned char>(text[i + 1]));
      out += buf;
      ++i;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

/// Refuses what is not a regular file (a directory, /dev/zero, a FIFO) before reading it.
void require_regular_file(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) throw hs::input_error(hs::message("cli.cannot_open").text("path", path));
  if (S_ISDIR(st.st_mode)) throw hs::input_error(hs::message("cli.is_folder").text("path", path));
  if (!S_ISREG(st.st_mode)) throw hs::input_error(hs::message("cli.not_regular").text("path", path));
}

std::string read_whole_file(const std::string& path) {
  require_regular_file(path);
  std::ifstream in(path, std::ios::binary);
  if (!in) throw hs::input_error(hs::message("cli.cannot_open").text("path", path));
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string base_name(const std::string& path) {
  const auto slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

struct loaded {
  hs::table table;
  std::string format;
  std::vector<hs::sheet_info> sheets;
};

loaded load_table(const std::string& path, const std::string& sheet) {
  const std::string bytes = read_whole_file(path);
  hs::read_options options;
  options.source = base_name(path);
  options.sheet = sheet;
  hs::file_read r = hs::read_file(bytes, options);
  loaded out;
  out.table = std::move(r.data);
  out.format = r.format == hs::file_format::xlsx ? "xlsx" : r.format == hs::file_format::ods ? "ods" : "csv";
  out.sheets = std::move(r.sheets);
  return out;
}

hs::model load_model_file(const std::string& path) {
  const std::string text = read_whole_file(path);
  try {
    return hs::parse_model(text);
  } catch (const hs::model_error& e) {
    throw hs::model_error(hs::message("cli.in_file").text("file", base_name(path)).nested("problem", e.msg()));
  }
}

/// Today's date on this machine, as days since 1970-01-01 (the contract's default `as_of`).
std::int32_t local_today() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  localtime_r(&now, &tm);
  return hs::days_from_civil(tm.tm_year + 1900, static_cast<unsigned>(tm.tm_mon + 1),
                             static_cast<unsigned>(tm.tm_mday));
}

/// Writes to stdout, or to `path` atomically: into a temporary file beside it, then renamed over
/// it, so a failed or interrupted write never leaves a half-written file where the old one was.
/// On a terminal, control characters from the data are shown escaped.
void write_output(const std::string& path, const std::string& text) {
  if (path.empty() || path == "-") {
    const std::string shown = ::isatty(STDOUT_FILENO) ? terminal_safe(text) : std::string();
    const std::string& out = ::isatty(STDOUT_FILENO) ? shown : text;
    std::fwrite(out.data(), 1, out.size(), stdout);
    std::fflush(stdout);
    return;
  }
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode))
    throw hs::input_error(hs::message("cli.cannot_write_special").text("path", path));
  const std::string temp = path + ".tmp-" + std::to_string(::getpid());
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    if (!out) throw hs::input_error(hs::message("cli.cannot_write_folder").text("path", path));
    out << text;
    out.flush();
    if (!out) {
      std::remove(temp.c_str());
      throw hs::input_error(hs::message("cli.cannot_write_full").text("path", path));
    }
  }
  if (std::rename(temp.c_str(), path.c_str()) != 0) {
    std::remove(temp.c_str());
    throw hs::input_error(hs::message("cli.cannot_write").text("path", path));
  }
}

hs::json column_json(const hs::column& c, std::size_t index) {
  hs::json problems = hs::json::array();
  for (const auto& p : c.unreadable_examples()) problems.push_back({{"row", p.row}, {"text", p.text}});
  hs::json j = {{"index", index + 1},
                {"name", c.name()},
                {"type", hs::to_string(c.type())},
                {"empty", c.empty_count()},
                {"unreadable", c.unreadable_count()},
                {"examples", problems}};
  if (c.type() == hs::column_type::number) {
    j["decimal_mark"] = std::string(1, c.decimal_mark());
    j["min"] = c.min_number();
    j["max"] = c.max_number();
  }
  if (c.type() == hs::column_type::date)
    j["date_order"] = c.dates() == hs::date_order::month_first ? "month-first" : "day-first";
  if (c.error_count()) j["errors"] = c.error_count();
  return j;
}

int cmd_inspect(const args& a) {
  if (a.positional.size() != 1) throw usage_error("inspect takes one FILE");
  loaded l = load_table(a.positional[0], a.option("--sheet"));
  const hs::table& t = l.table;
  const std::size_t preview = std::min<std::size_t>(t.rows, 5);
  if (a.flag("--json")) {
    hs::json sheets = hs::json::array();
    for (const auto& s : l.sheets)
      sheets.push_back({{"name", s.name}, {"visible", s.visible}, {"worksheet", s.worksheet}});
    hs::json cols = hs::json::array();
    for (std::size_t i = 0; i < t.columns.size(); ++i) cols.push_back(column_json(t.columns[i], i));
    hs::json first = hs::json::array();
    for (std::size_t r = 0; r < preview; ++r) {
      hs::json row = hs::json::array();
      for (const auto& c : t.columns) row.push_back(std::string(c.text(r)));
      first.push_back(std::move(row));
    }
    hs::json ragged = hs::json::array();
    for (const auto& rr : t.ragged) ragged.push_back({{"row", rr.row}, {"cells", rr.cells}});
    hs::json doc = {{"file", t.source},
                    {"format", l.format},
                    {"sheets", sheets},
                    {"sheet", t.sheet},
                    {"rows", t.rows},
                    {"columns", cols},
                    {"first_rows", first},
                    {"skipped_blank_rows", t.skipped_blank_rows},
                    {"ragged_rows", t.ragged_count},
                    {"ragged_examples", ragged}};
    if (l.format == "csv") {
      doc["encoding"] = t.encoding;
      doc["delimiter"] = std::string(1, t.delimiter);
    }
    write_output("-", doc.dump(2) + "\n");
    return 0;
  }
  std::ostringstream o;
  o << t.source << ": " << l.format;
  if (l.format == "csv") {
    const char* d = t.delimiter == '\t' ? "tab" : nullptr;
    o << ", " << t.encoding << ", delimiter " << (d ? std::string(d) : "'" + std::string(1, t.delimiter) + "'");
  }
  o << "\n";
  if (!l.sheets.empty()) {
    o << "sheets:";
    for (const auto& s : l.sheets)
      o << " " << s.name << (s.name == t.sheet ? " (read)" : "") << (s.visible ? "" : " (hidden)")
        << (s.worksheet ? "" : " (chart)");
    o << "\n";
  }
  o << t.rows << " rows, " << t.columns.size() << " columns";
  if (t.skipped_blank_rows) o << ", " << t.skipped_blank_rows << " blank rows skipped";
  o << "\n";
  if (t.ragged_count) {
    o << t.ragged_count << " rows have a different number of cells than the header, e.g.";
    for (const auto& rr : t.ragged) o << " row " << rr.row << " (" << rr.cells << " cells)";
    o << "\n";
  }
  o << "\ncolumns:\n";
  for (std::size_t i = 0; i < t.columns.size(); ++i) {
    const hs::column& c = t.columns[i];
    o << "  " << (i + 1) << ". " << c.name() << ": " << hs::to_string(c.type());
    if (c.type() == hs::column_type::number)
      o << " (" << hs::format_double(c.min_number()) << " to " << hs::format_double(c.max_number())
        << (c.decimal_mark() == ',' ? ", decimal comma" : "") << ")";
    if (c.type() == hs::column_type::date)
      o << (c.dates() == hs::date_order::month_first ? " (month-first)" : " (day-first)");
    if (c.empty_count()) o << ", " << c.empty_count() << " empty";
    if (c.unreadable_count()) {
      o << ", " << c.unreadable_count() << " unreadable, e.g.";
      for (const auto& p : c.unreadable_examples()) o << " row " << p.row << " \"" << p.text << "\"";
    }
    o << "\n";
  }
  o << "\nfirst rows:\n";
  for (std::size_t r = 0; r < preview; ++r) {
    o << "  " << (r + 1) << ":";
    for (std::size_t i = 0; i < t.columns.size(); ++i) o << (i ? " | " : " ") << t.columns[i].text(r);
    o << "\n";
  }
  write_output("-", o.str());
  return 0;
}

int cmd_model_init(const args& a) {
  if (a.positional.size() != 1) throw usage_error("model init takes one FILE");
  loaded l = load_table(a.positional[0], a.option("--sheet"));
  std::size_t left_out = 0;
  const hs::model m = hs::suggest_model(l.table, &left_out);
  if (left_out > 0)
    std::cerr
        << hs::render(
               hs::message("engine.suggest_left_out").count("used", hs::model_max_signals).count("left", left_out),
               g_lang)
        << "\n";
  write_output("-", hs::save_model(m) + "\n");
  return 0;
}

/// The --as-of date, if given.
std::optional<std::int32_t> as_of_from_args(const args& a) {
  if (!a.options.count("--as-of")) return std::nullopt;
  const std::int32_t d = hs::parse_date(a.option("--as-of"), hs::date_order::day_first);
  if (d == hs::no_date || !hs::shape_of_date(a.option("--as-of")).iso)
    throw usage_error("--as-of must be a date like 2026-11-25");
  return d;
}

/// The model of --model, with --as-of applied.
hs::model model_from_args(const args& a, const char* command) {
  const std::string model_path = a.option("--model");
  if (model_path.empty())
    throw usage_error(std::string(command) + " needs --model MODEL.json (make one with: healthscore model init FILE)");
  hs::model m = load_model_file(model_path);
  if (const auto d = as_of_from_args(a)) m.as_of = d;
  return m;
}

/// Scores a loaded table; absent signal columns are refused unless allowed, and warned about.
hs::scorer score_table(const hs::table& t, hs::model m, bool allow_missing_columns) {
  hs::score_options options;
  options.today = local_today();
  options.allow_missing_columns = allow_missing_columns;
  hs::scorer s(t, std::move(m), options);
  for (const std::string& col : s.totals().absent_columns)
    std::fprintf(stderr, "healthscore: warning: column \"%s\" is not in %s; its signal is missing in every row\n",
                 terminal_safe(col).c_str(), terminal_safe(t.source).c_str());
  return s;
}

int cmd_score(const args& a) {
  if (a.positional.size() != 1) throw usage_error("score takes one FILE");
  const std::string format = a.option("--format", "csv");
  if (format != "csv" && format != "json" && format != "summary")
    throw usage_error("--format must be csv, json or summary");
  const auto convention = hs::csv_convention_named(a.option("--csv", "standard"));
  if (!convention) throw usage_error("--csv must be standard, excel, excel-es, excel-pt or excel-eu");
  hs::model m = model_from_args(a, "score");
  loaded l = load_table(a.positional[0], a.option("--sheet"));
  const hs::scorer s = score_table(l.table, std::move(m), a.flag("--allow-missing-columns"));
  if (format == "json")
    write_output(a.option("-o"), hs::export_json(s).dump() + "\n");
  else if (format == "summary")
    write_output(a.option("-o"), hs::summary_to_text(s));
  else
    write_output(a.option("-o"), hs::export_csv(s, *convention));
  return 0;
}

int cmd_validate(const args& a) {
  if (a.positional.size() != 1) throw usage_error("validate takes one FILE");
  hs::model m = model_from_args(a, "validate");
  if (!m.outcome) throw hs::model_error(hs::message("cli.no_outcome"));
  loaded l = load_table(a.positional[0], a.option("--sheet"));
  const hs::scorer s = score_table(l.table, std::move(m), a.flag("--allow-missing-columns"));
  const hs::validation v = hs::validate_outcome(s);
  write_output("-",
               a.flag("--json") ? hs::validation_to_json(v, g_lang).dump(2) + "\n" : hs::validation_to_text(v, g_lang));
  return 0;
}

int cmd_compare(const args& a) {
  if (a.positional.size() != 2) throw usage_error("compare takes two files: OLD NEW");
  hs::model m = model_from_args(a, "compare");
  loaded older = load_table(a.positional[0], a.option("--sheet"));
  loaded newer = load_table(a.positional[1], a.option("--sheet"));
  const bool allow = a.flag("--allow-missing-columns");
  const hs::scorer s_old = score_table(older.table, m, allow);
  const hs::scorer s_new = score_table(newer.table, std::move(m), allow);
  const hs::comparison c = hs::compare_scores(s_old, s_new);
  if (a.options.count("-o")) write_output(a.option("-o"), hs::comparison_to_csv(c));
  write_output("-", a.flag("--json") ? hs::comparison_to_json(c).dump(2) + "\n" : hs::comparison_to_text(c));
  return 0;
}

/// A number for the terminal: the shortest text that reads back as it (at most 6 decimals).
std::string short_number(double x) { return hs::format_double(std::round(x * 1e6) / 1e6); }

/// `x` with `digits` decimals, for the terminal.
std::string fixed(double x, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, x);
  return buf;
}

/// One change of a lift as the coded message the page's breakdown words too
/// (core/messages/explain.json), with the values as the file has them: "reduce Open tickets from 6
/// to 2 or fewer", "move Last login from 2026-08-17 to 2026-10-07 or later".
hs::message change_message(const hs::lift_change& c) {
  const bool date = c.kind == hs::raw_kind::date;
  hs::message to = c.any_other ? hs::message("explain.other_value") : hs::message("plain").text("text", c.to_text);
  if (c.bound == hs::lift_bound::or_more)
    to = hs::message(date ? "explain.or_later" : "explain.or_more").nested("to", to);
  if (c.bound == hs::lift_bound::or_fewer)
    to = hs::message(date ? "explain.or_earlier" : "explain.or_fewer").nested("to", to);
  const char* code = c.direction == hs::lift_direction::set ? (c.from_raw.empty() ? "explain.fill" : "explain.change")
                     : date                                 ? "explain.move"
                     : c.direction == hs::lift_direction::raise ? "explain.raise"
                                                                : "explain.reduce";
  return hs::message(code).text("column", c.column).text("from", c.from_raw).nested("to", to);
}

hs::json change_json(const hs::lift_change& c) {
  auto num = [](double x) { return std::isnan(x) ? hs::json(nullptr) : hs::json(x); };
  return {{"category", c.category},
          {"signal", c.signal},
          {"column", c.column},
          {"signal_id", c.signal_id.empty() ? hs::json(nullptr) : hs::json(c.signal_id)},
          {"direction", hs::to_string(c.direction)},
          {"kind", hs::to_string(c.kind)},
          {"from_raw", c.from_raw},
          {"from_value", num(c.from_value)},
          {"to_value", num(c.to_value)},
          {"to_text", c.to_text},
          {"decimals", c.decimals},
          {"percent", c.percent},
          {"any_other", c.any_other},
          {"bound", hs::to_string(c.bound)},
          {"from_score", num(c.from_score)},
          {"to_score", c.to_score}};
}

int cmd_explain(const args& a) {
  if (a.positional.size() != 1) throw usage_error("explain takes one FILE");
  if (a.options.count("--row") == a.options.count("--id"))
    throw usage_error("explain needs --row N or --id ID (one of them)");
  hs::model m = model_from_args(a, "explain");
  loaded l = load_table(a.positional[0], a.option("--sheet"));
  const hs::scorer s = score_table(l.table, std::move(m), a.flag("--allow-missing-columns"));
  const hs::model& base = s.current_model();
  const hs::table& t = s.data();
  std::size_t row = 0;
  if (a.options.count("--row")) {
    const std::string n = a.option("--row");
    char* end = nullptr;
    const long long v = std::strtoll(n.c_str(), &end, 10);
    if (n.empty() || *end || v < 1 || static_cast<unsigned long long>(v) > t.rows)
      throw usage_error("--row must be a data row from 1 to " + std::to_string(t.rows));
    row = static_cast<std::size_t>(v - 1);
  } else {
    const std::ptrdiff_t ic = base.id_column.empty() ? -1 : t.find(base.id_column);
    if (ic < 0) throw hs::input_error(hs::message("cli.explain_no_id").text("source", t.source));
    const hs::column& ids = t.columns[static_cast<std::size_t>(ic)];
    const std::string want(hs::trim(a.option("--id")));
    row = t.rows;
    for (std::size_t r = 0; r < t.rows && r < ids.size(); ++r)
      if (hs::trim(ids.text(r)) == want) {
        row = r;
        break;
      }
    if (row == t.rows)
      throw hs::input_error(hs::message("cli.explain_no_account").text("id", want).text("source", t.source));
  }
  const hs::explanation e = hs::explain(s, row);
  const hs::model& rm = s.row_model(row);
  const std::ptrdiff_t ic = base.id_column.empty() ? -1 : t.find(base.id_column);
  const std::string id = ic < 0 ? "" : std::string(hs::trim(t.columns[static_cast<std::size_t>(ic)].text(row)));
  const std::string band_label = e.band < 0 ? "" : rm.bands[static_cast<std::size_t>(e.band)].label;
  if (a.flag("--json")) {
    auto num = [](double x) { return std::isnan(x) ? hs::json(nullptr) : hs::json(x); };
    hs::json cats = hs::json::array(), sigs = hs::json::array();
    for (const auto& c : e.categories)
      cats.push_back({{"id", c.id},
                      {"label", c.label},
                      {"score", num(c.score)},
                      {"share", c.share},
                      {"contribution", c.contribution},
                      {"points_lost", c.points_lost}});
    for (const auto& x : e.signals)
      sigs.push_back({{"category", x.category},
                      {"signal", x.signal},
                      {"column", x.column},
                      {"raw", x.raw},
                      {"score", num(x.score)},
                      {"missing", x.missing},
                      {"share", x.share},
                      {"contribution", x.contribution},
                      {"points_lost", x.points_lost}});
    hs::json next = nullptr;
    if (e.next_band) {
      hs::json changes = hs::json::array();
      for (const auto& c : e.next_band->changes) changes.push_back(change_json(c));
      next = {{"to_band", e.next_band->to_band}, {"to_health", e.next_band->to_health}, {"changes", changes}};
    }
    hs::json doc = {{"row", row + 1},
                    {"id", id.empty() ? hs::json(nullptr) : hs::json(id)},
                    {"score", num(e.score)},
                    {"band", e.band < 0 ? hs::json(nullptr) : hs::json(rm.bands[static_cast<std::size_t>(e.band)].id)},
                    {"categories", cats},
                    {"signals", sigs},
                    {"next_band", next}};
    write_output("-", doc.dump(2) + "\n");
    return 0;
  }
  std::ostringstream o;
  o << "Account " << (id.empty() ? "row " + std::to_string(row + 1) : id + " (row " + std::to_string(row + 1) + ")")
    << ": ";
  if (std::isnan(e.score)) {
    o << "unscored: no signal has a usable value\n";
  } else {
    // The score shown is the one the band is decided on (rounded half away from zero).
    o << "health " << short_number(hs::round_half_away(e.score)) << " (exactly " << fixed(e.score, 2) << "), "
      << band_label << "\n";
  }
  if (!s.segments().empty()) {
    const std::int8_t k = s.segments()[row];
    o << "scored with the "
      << (k < 0 ? base.segments->other_label : base.segments->groups[static_cast<std::size_t>(k)].label)
      << " scorecard\n";
  }
  o << "\ncategories (score, share, points, points lost):\n";
  for (const auto& c : e.categories)
    o << "  " << (c.label.empty() ? c.id : c.label) << ": " << (std::isnan(c.score) ? "missing" : fixed(c.score, 1))
      << ", " << fixed(c.share * 100, 1) << "%, " << fixed(c.contribution, 1) << ", " << fixed(c.points_lost, 1)
      << "\n";
  o << "\nsignals (value, score, share, points, points lost):\n";
  for (const auto& x : e.signals)
    o << "  " << x.column << ": " << (x.raw.empty() ? "(empty)" : std::string(hs::trim(x.raw))) << ", "
      << (x.missing ? "missing" : fixed(x.score, 1)) << ", " << fixed(x.share * 100, 1) << "%, "
      << fixed(x.contribution, 1) << ", " << fixed(x.points_lost, 1) << "\n";
  o << "\n";
  if (e.next_band) {
    const auto& n = *e.next_band;
    hs::message lift(n.changes.size() == 1 ? "explain.lift" : "explain.lift_two");
    const hs::band& to = rm.bands[static_cast<std::size_t>(n.to_band)];
    lift.text("band", to.label.empty() ? to.id : to.label)
        .text("score", short_number(hs::round_half_away(n.to_health)));
    if (n.changes.size() == 1)
      lift.nested("change", change_message(n.changes[0]));
    else
      lift.nested("first", change_message(n.changes[0])).nested("second", change_message(n.changes[1]));
    o << hs::render(lift, g_lang) << "\n";
  } else if (e.band >= 0 && static_cast<std::size_t>(e.band) + 1 >= rm.bands.size()) {
    o << hs::render(hs::message("explain.top"), g_lang) << "\n";
  } else if (e.band >= 0) {
    o << hs::render(hs::message("explain.no_lift"), g_lang) << "\n";
  }
  write_output("-", o.str());
  return 0;
}

/// The snapshot date of each file: --dates, else its name, else (one file alone) the model's as_of.
std::vector<std::int32_t> snapshot_dates(const args& a, const std::vector<std::string>& files, const hs::model& m) {
  std::vector<std::int32_t> dates;
  if (a.options.count("--dates")) {
    std::vector<std::string> given;
    std::string rest = a.option("--dates");
    for (std::size_t at; (at = rest.find(',')) != std::string::npos; rest.erase(0, at + 1))
      given.push_back(rest.substr(0, at));
    given.push_back(rest);
    if (given.size() != files.size())
      throw usage_error("--dates gives " + std::to_string(given.size()) + " dates for " + std::to_string(files.size()) +
                        " files: give one date per file, in the order of the files");
    for (std::size_t i = 0; i < given.size(); ++i) {
      const hs::found_date d = hs::parse_snapshot_date(given[i]);
      if (d.date == hs::no_date)
        throw usage_error("--dates, the date for " + files[i] + ": " + hs::render(d.problem, g_lang));
      dates.push_back(d.date);
    }
    return dates;
  }
  for (const std::string& f : files) {
    const hs::found_date d = hs::date_in_name(base_name(f));
    if (d.date != hs::no_date) {
      dates.push_back(d.date);
    } else if (files.size() == 1 && m.as_of) {
      dates.push_back(*m.as_of);
    } else {
      throw hs::input_error(hs::message(files.size() == 1 ? "trend.undated_file_one" : "trend.undated_file")
                                .text("file", f)
                                .nested("problem", d.problem));
    }
  }
  return dates;
}

int cmd_trend(const args& a) {
  if (a.positional.empty()) throw usage_error("trend takes one or more files, one per date");
  const std::string format = a.option("--format", "text");
  if (format != "text" && format != "json" && format != "csv") throw usage_error("--format must be text, json or csv");
  const auto convention = hs::csv_convention_named(a.option("--csv", "standard"));
  if (!convention) throw usage_error("--csv must be standard, excel, excel-es, excel-pt or excel-eu");
  hs::trend_options options;
  if (a.options.count("--top")) {
    const std::string n = a.option("--top");
    if (n.empty() || n.size() > 6 || n.find_first_not_of("0123456789") != std::string::npos)
      throw usage_error("--top must be a whole number of accounts, like 10");
    options.movers = static_cast<std::size_t>(std::stoul(n));
  }
  options.suggest = a.flag("--suggest");
  const hs::model m = model_from_args(a, "trend");
  if (m.id_column.empty())
    throw hs::model_error(hs::message("cli.in_file")
                              .text("file", base_name(a.option("--model")))
                              .nested("problem", hs::message("trend.no_id_column")));
  const std::vector<std::int32_t> dates = snapshot_dates(a, a.positional, m);
  std::vector<std::unique_ptr<loaded>> files;  // the scorers point into the tables: keep them put
  std::vector<hs::scorer> scored;
  scored.reserve(a.positional.size());
  const bool allow = a.flag("--allow-missing-columns");
  for (std::size_t i = 0; i < a.positional.size(); ++i) {
    files.push_back(std::make_unique<loaded>(load_table(a.positional[i], a.option("--sheet"))));
    hs::model at = m;
    at.as_of = dates[i];  // recency counts to the snapshot's own date
    scored.push_back(score_table(files.back()->table, std::move(at), allow));
  }
  std::vector<hs::trend_input> inputs;
  for (std::size_t i = 0; i < scored.size(); ++i) inputs.push_back({dates[i], &scored[i]});
  const hs::trend_report r = hs::build_trend(std::move(inputs), options);
  if (a.options.count("--movers")) write_output(a.option("--movers"), hs::trend_movers_to_csv(r, *convention));
  if (format == "csv") {
    write_output(a.option("-o"), hs::trend_to_csv(r, *convention));
    return 0;
  }
  if (a.options.count("-o")) write_output(a.option("-o"), hs::trend_to_csv(r, *convention));
  write_output("-", format == "json" ? hs::trend_to_json(r, {}, g_lang).dump(2) + "\n" : hs::trend_to_text(r, g_lang));
  return 0;
}

int cmd_sql(const args& a) {
  if (a.positional.size() != 1) throw usage_error("sql takes one MODEL.json");
  if (!a.options.count("--dialect")) throw usage_error("sql needs --dialect duckdb, postgres or spark");
  const auto dialect = hs::sql_dialect_from(a.option("--dialect"));
  if (!dialect) throw usage_error("--dialect must be duckdb, postgres or spark");
  if (a.options.count("--table") && a.options.count("--from")) throw usage_error("give --table or --from, not both");
  hs::sql_options o;
  o.dialect = *dialect;
  if (a.options.count("--table")) o.table = a.option("--table");
  o.from = a.option("--from");
  if (a.options.count("--from") && o.from.empty()) throw usage_error("--from must not be empty");
  o.as_of = as_of_from_args(a);
  const hs::model m = load_model_file(a.positional[0]);
  std::string query;
  try {
    query = hs::to_sql(m, o);
  } catch (const hs::model_error& e) {
    throw hs::model_error(
        hs::message("cli.in_file").text("file", base_name(a.positional[0])).nested("problem", e.msg()));
  }
  write_output(a.option("-o"), query);
  return 0;
}

int run(int argc, char** argv) {
  if (argc < 2) throw usage_error("no command given");
  const std::string cmd = argv[1];
  if (cmd == "-h" || cmd == "--help" || cmd == "help") {
    std::fputs(kUsage, stdout);
    return 0;
  }
  if (cmd == "inspect") return cmd_inspect(parse_args(argc - 2, argv + 2, {"--sheet"}, {"--json"}));
  if (cmd == "model") {
    if (argc < 3 || std::string(argv[2]) != "init") throw usage_error("the model command is: model init FILE");
    return cmd_model_init(parse_args(argc - 3, argv + 3, {"--sheet"}, {}));
  }
  if (cmd == "score")
    return cmd_score(parse_args(argc - 2, argv + 2, {"--model", "--sheet", "--format", "-o", "--as-of", "--csv"},
                                {"--allow-missing-columns"}));
  if (cmd == "validate")
    return cmd_validate(
        parse_args(argc - 2, argv + 2, {"--model", "--sheet", "--as-of"}, {"--json", "--allow-missing-columns"}));
  if (cmd == "compare")
    return cmd_compare(
        parse_args(argc - 2, argv + 2, {"--model", "--sheet", "--as-of", "-o"}, {"--json", "--allow-missing-columns"}));
  if (cmd == "explain")
    return cmd_explain(parse_args(argc - 2, argv + 2, {"--model", "--sheet", "--as-of", "--row", "--id"},
                                  {"--json", "--allow-missing-columns"}));
  if (cmd == "trend")
    return cmd_trend(
        parse_args(argc - 2, argv + 2,
                   {"--model", "--sheet", "--as-of", "--dates", "--format", "-o", "--movers", "--top", "--csv"},
                   {"--allow-missing-columns", "--suggest"}));
  if (cmd == "sql")
    return cmd_sql(parse_args(argc - 2, argv + 2, {"--dialect", "--table", "--from", "--as-of", "-o"}, {}));
  throw usage_error("unknown command " + cmd);
}

}  // namespace

int main(int argc, char** argv) {
  try {
    // --lang is taken out of the arguments wherever it is, so every command accepts it.
    g_lang = hs::environment_language();
    std::vector<char*> rest;
    for (int i = 0; i < argc; ++i) {
      const std::string_view arg = argv[i];
      std::string_view value;
      if (arg == "--lang") {
        if (i + 1 >= argc) throw usage_error("--lang needs a value: en, es or pt");
        value = argv[++i];
      } else if (arg.substr(0, 7) == "--lang=") {
        value = arg.substr(7);
      } else {
        if (arg == "--json" || (arg == "--format" && i + 1 < argc && std::string_view(argv[i + 1]) == "json"))
          g_json_errors = true;
        rest.push_back(argv[i]);
        continue;
      }
      const auto l = hs::language_named(value);
      if (!l || value.size() != 2) throw usage_error("--lang must be en, es or pt");
      g_lang = *l;
    }
    rest.push_back(nullptr);
    return run(static_cast<int>(rest.size() - 1), rest.data());
  } catch (const usage_error& e) {
    std::fprintf(stderr, "healthscore: %s\n\n%s", terminal_safe(e.what()).c_str(), kUsage);
    report_json_error(hs::message("cli.usage").text("text", e.what()));
  } catch (const hs::input_error& e) {
    std::fprintf(stderr, "healthscore: %s\n", terminal_safe(hs::render(e.msg(), g_lang)).c_str());
    report_json_error(e.msg());
  } catch (const hs::model_error& e) {
    const hs::message m = hs::message("cli.invalid_model").nested("problem", e.msg());
    std::fprintf(stderr, "healthscore: %s\n", terminal_safe(hs::render(m, g_lang)).c_str());
    report_json_error(m);
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "healthscore: %s\n", hs::render(hs::message("cli.out_of_memory"), g_lang).c_str());
    report_json_error(hs::message("cli.out_of_memory"));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "healthscore: %s\n", terminal_safe(e.what()).c_str());
  }
  return 2;
}
