// SPDX-License-Identifier: MIT
// `healthscore`: the engine on the command line, for scheduled scoring and for checking the studio.
// Exit 0 on success, 2 on bad input, a bad model or bad arguments, with one message on stderr.
#include <cstdio>
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
  healthscore trend FILE... --model MODEL.json [--dates D1,D2,...] [--sheet NAME] [--format text|json|csv]
                    [-o SERIES.csv] [--movers MOVERS.csv] [--top N] [--as-of YYYY-MM-DD]
                    [--allow-missing-columns] [--csv standard|excel|excel-es|excel-pt|excel-eu]
  healthscore sql MODEL.json --dialect duckdb|postgres|spark [--table NAME | --from SQL]
                  [--as-of YYYY-MM-DD] [-o OUT.sql]

FILE is a CSV, TSV, XLSX or ODS spreadsheet. `trend` takes one file per date: the snapshot's date
comes from --dates, else from the file's name (accounts-2026-11-30.csv, 20261130, 2026-11 = the
month's last day), else, for one file alone, the model's as_of; each file is scored with recency
counted to its own date. `sql` prints one query that scores a table of the model's columns (typed:
numbers, dates, booleans) in that database; recency counts to --as-of, else the model's as_of, else
the database's CURRENT_DATE. Exit status: 0 success, 2 bad input or model.
)";

/// Bad arguments: the message is printed with the usage.
struct usage_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct args {
  std::vector<std::string> positional;
  std::map<std::string, std::string> options;  // --name value
  std::map<std::string, bool> flags;           // --name

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
  if (::stat(path.c_str(), &st) != 0) throw hs::input_error("cannot open " + path + ": no such file or not readable");
  if (S_ISDIR(st.st_mode)) throw hs::input_error("cannot read " + path + ": it is a folder, not a file");
  if (!S_ISREG(st.st_mode)) throw hs::input_error("cannot read " + path + ": it is not a regular file (a device, a pipe or a socket)");
}

std::string read_whole_file(const std::string& path) {
  require_regular_file(path);
  std::ifstream in(path, std::ios::binary);
  if (!in) throw hs::input_error("cannot open " + path + ": no such file or not readable");
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
  std::unique_ptr<hs::archive> zip;
  if (bytes.size() >= 4 && bytes.compare(0, 4, "PK\x03\x04") == 0) zip = hs::open_zip(bytes, options.source);
  loaded out;
  switch (hs::detect_format(bytes, zip.get())) {
    case hs::file_format::xlsx:
      out.format = "xlsx";
      // Read first: read_xlsx names the file in its errors, xlsx_sheets (no options) cannot.
      out.table = hs::read_xlsx(*zip, options);
      out.sheets = hs::xlsx_sheets(*zip);
      break;
    case hs::file_format::ods:
      out.format = "ods";
      out.table = hs::read_ods(*zip, options);
      out.sheets = hs::ods_sheets(*zip);
      break;
    case hs::file_format::unknown_zip:
      throw hs::input_error(options.source + " is a zip archive but not an XLSX or ODS spreadsheet");
    case hs::file_format::csv:
      if (!sheet.empty()) throw hs::input_error(options.source + " is a text file: it has no sheets, so --sheet does not apply");
      out.format = "csv";
      out.table = hs::read_csv(bytes, options);
      break;
  }
  return out;
}

hs::model load_model_file(const std::string& path) {
  const std::string text = read_whole_file(path);
  try {
    return hs::parse_model(text);
  } catch (const hs::model_error& e) {
    throw hs::model_error(base_name(path) + ": " + e.what());
  }
}

/// Today's date on this machine, as days since 1970-01-01 (the contract's default `as_of`).
std::int32_t local_today() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  localtime_r(&now, &tm);
  return hs::days_from_civil(tm.tm_year + 1900, static_cast<unsigned>(tm.tm_mon + 1), static_cast<unsigned>(tm.tm_mday));
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
  if (::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) throw hs::input_error("cannot write " + path + ": it is not a regular file");
  const std::string temp = path + ".tmp-" + std::to_string(::getpid());
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    if (!out) throw hs::input_error("cannot write " + path + " (its folder is missing or not writable)");
    out << text;
    out.flush();
    if (!out) {
      std::remove(temp.c_str());
      throw hs::input_error("cannot write " + path + " (the disk may be full)");
    }
  }
  if (std::rename(temp.c_str(), path.c_str()) != 0) {
    std::remove(temp.c_str());
    throw hs::input_error("cannot write " + path);
  }
}

hs::json column_json(const hs::column& c, std::size_t index) {
  hs::json problems = hs::json::array();
  for (const auto& p : c.unreadable_examples()) problems.push_back({{"row", p.row}, {"text", p.text}});
  hs::json j = {{"index", index + 1}, {"name", c.name()}, {"type", hs::to_string(c.type())},
                {"empty", c.empty_count()}, {"unreadable", c.unreadable_count()}, {"examples", problems}};
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
    hs::json doc = {{"file", t.source}, {"format", l.format}, {"sheets", sheets}, {"sheet", t.sheet},
                    {"rows", t.rows}, {"columns", cols}, {"first_rows", first},
                    {"skipped_blank_rows", t.skipped_blank_rows}, {"ragged_rows", t.ragged_count},
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
  write_output("-", hs::save_model(hs::suggest_model(l.table)) + "\n");
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
  if (!m.outcome) throw hs::model_error("the model names no \"outcome\" column to validate against");
  loaded l = load_table(a.positional[0], a.option("--sheet"));
  const hs::scorer s = score_table(l.table, std::move(m), a.flag("--allow-missing-columns"));
  const hs::validation v = hs::validate_outcome(s);
  write_output("-", a.flag("--json") ? hs::validation_to_json(v).dump(2) + "\n" : hs::validation_to_text(v));
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

/// The snapshot date of each file: --dates, else its name, else (one file alone) the model's as_of.
std::vector<std::int32_t> snapshot_dates(const args& a, const std::vector<std::string>& files, const hs::model& m) {
  std::vector<std::int32_t> dates;
  if (a.options.count("--dates")) {
    std::vector<std::string> given;
    std::string rest = a.option("--dates");
    for (std::size_t at; (at = rest.find(',')) != std::string::npos; rest.erase(0, at + 1)) given.push_back(rest.substr(0, at));
    given.push_back(rest);
    if (given.size() != files.size())
      throw usage_error("--dates gives " + std::to_string(given.size()) + " dates for " + std::to_string(files.size()) +
                        " files: give one date per file, in the order of the files");
    for (std::size_t i = 0; i < given.size(); ++i) {
      const hs::found_date d = hs::parse_snapshot_date(given[i]);
      if (d.date == hs::no_date) throw usage_error("--dates, the date for " + files[i] + ": " + d.problem);
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
      throw hs::input_error("cannot tell the date of the snapshot " + f + ": " + d.problem +
                            "; put the date in its name (accounts-2026-11-30.csv) or give --dates D1,D2,..." +
                            (files.size() == 1 ? " (or as_of in the model, or --as-of)" : ""));
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
  const hs::model m = model_from_args(a, "trend");
  if (m.id_column.empty())
    throw hs::model_error(base_name(a.option("--model")) +
                          ": the model names no id_column: a trend over snapshots needs it to match accounts");
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
  write_output("-", format == "json" ? hs::trend_to_json(r).dump(2) + "\n" : hs::trend_to_text(r));
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
    throw hs::model_error(base_name(a.positional[0]) + ": " + e.what());
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
    return cmd_validate(parse_args(argc - 2, argv + 2, {"--model", "--sheet", "--as-of"},
                                   {"--json", "--allow-missing-columns"}));
  if (cmd == "compare")
    return cmd_compare(parse_args(argc - 2, argv + 2, {"--model", "--sheet", "--as-of", "-o"},
                                  {"--json", "--allow-missing-columns"}));
  if (cmd == "trend")
    return cmd_trend(parse_args(argc - 2, argv + 2,
                                {"--model", "--sheet", "--as-of", "--dates", "--format", "-o", "--movers", "--top", "--csv"},
                                {"--allow-missing-columns"}));
  if (cmd == "sql")
    return cmd_sql(parse_args(argc - 2, argv + 2, {"--dialect", "--table", "--from", "--as-of", "-o"}, {}));
  throw usage_error("unknown command " + cmd);
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const usage_error& e) {
    std::fprintf(stderr, "healthscore: %s\n\n%s", terminal_safe(e.what()).c_str(), kUsage);
  } catch (const hs::input_error& e) {
    std::fprintf(stderr, "healthscore: %s\n", terminal_safe(e.what()).c_str());
  } catch (const hs::model_error& e) {
    std::fprintf(stderr, "healthscore: invalid model: %s\n", terminal_safe(e.what()).c_str());
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "healthscore: out of memory: the file is too large for this machine\n");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "healthscore: %s\n", terminal_safe(e.what()).c_str());
  }
  return 2;
}
