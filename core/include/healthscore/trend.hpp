// SPDX-License-Identifier: MIT
// Health over time: several files of the same accounts (snapshots, one per date), each scored with
// the model, matched by `id_column`. Per snapshot the band mix and value at risk; band flow between
// consecutive snapshots; each account's score and band series; the biggest drops and rises; newly
// at risk and recovered; accounts that appeared and disappeared; and the lagged validation: how well
// the score taken N snapshots earlier picked the accounts that churned by the last snapshot. With
// segments, flow and movers per segment too; on request, category weights fitted on the earlier
// snapshots and checked on the last two (`trend_suggestion`).
//
// Conventions (HACKING.md, "Trend"; where the contract is silent):
// - Accounts are matched as `compare` matches them (detail/accounts.hpp): rows with an empty id are
//   left out; an id written on more than one row of any snapshot is left out of every snapshot's
//   matching (counted and named), as compare leaves it out of both files.
// - The lowest band (the model's first) is "red". Newly at risk: present in both snapshots, red
//   now, not red before (unscored before counts as not red, as in compare). Recovered: red before,
//   scored in a higher band now.
// - Lagged validation is against the last snapshot: its outcome column when the model has an
//   outcome and that file has the column (accounts not in the last file are then unknown), else
//   disappearance: an account of the earlier snapshot that is not in the last one churned (bad),
//   one that is still there did not.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "healthscore/evidence.hpp"
#include "healthscore/export.hpp"
#include "healthscore/model.hpp"
#include "healthscore/score.hpp"

namespace healthscore {

// ---- snapshot dates ---------------------------------------------------------------------------

/// A date found in a file name (or in a --dates entry), or why none was.
struct found_date {
  std::int32_t date = no_date;  ///< days since 1970-01-01; no_date when none or ambiguous
  message problem;  ///< when no date: what was seen ("05-11-2026 could be day-first or month-first")
};

/// The one date a file name shows: `2026-11-30` (also with `_` or `.`), `20261130`, `30-11-2026` or
/// `11-30-2026` when the order is unambiguous (a field over 12, or day equal to month), `2026-11` or
/// `11-2026` as the month's last day. Digits next to other digits or a different separator are not
/// part of it. Two different dates, or an ambiguous one, give none (with `problem` set).
found_date date_in_name(std::string_view name);
/// One `--dates` entry: the same forms, also with `/`, and nothing else around it.
found_date parse_snapshot_date(std::string_view text);

// ---- the report -------------------------------------------------------------------------------

/// An account's band in a snapshot where it is not (or is left out): absent.
inline constexpr std::int8_t trend_absent = -2;

struct trend_input {
  std::int32_t date = no_date;
  const scorer* scored = nullptr;  ///< scored with the model (its `as_of` the snapshot's date)
};

struct trend_options {
  std::size_t movers = 10;  ///< drops and rises to list per period
  std::size_t examples = 10;  ///< duplicate ids to name
  bool suggest = false;  ///< fit category weights on the earlier snapshots (`trend_suggestion`; the slow part)
};

struct trend_snapshot {
  std::string source;  ///< the file name
  std::int32_t date = no_date;
  summary totals;  ///< the scorer's band counts, values, value at risk, per segment
  std::size_t accounts = 0;  ///< matched accounts present (left-out ids not counted)
  std::size_t empty_ids = 0, duplicated_ids = 0;  ///< rows without an id; ids on more than one row
};

struct trend_account {
  std::string id, name;  ///< name from the latest snapshot the account is in
  std::vector<double> scores;  ///< per snapshot; NaN when absent or unscored
  std::vector<std::int8_t> bands;  ///< per snapshot: band index, -1 unscored, trend_absent
  /// Per snapshot with segments: group index or `other_segment` (also when absent); empty without.
  std::vector<std::int8_t> segments;
};

/// From one snapshot to the next.
struct trend_flow {
  std::size_t from = 0, to = 0;  ///< snapshot indexes
  /// matrix[from][to]: rows the bands in model order, then "unscored", then "appeared" (not in the
  /// earlier snapshot); columns the bands, "unscored", then "disappeared" (not in the later one).
  std::vector<std::vector<std::size_t>> matrix;
  std::vector<std::size_t> appeared, disappeared, newly_at_risk, recovered;  ///< account indexes
};

/// Score changes over one period, among accounts scored at both ends.
struct trend_movers {
  std::size_t from = 0, to = 0;  ///< snapshot indexes
  std::size_t scored_both = 0;
  double mean_change = std::numeric_limits<double>::quiet_NaN();
  std::vector<std::size_t> drops, rises;  ///< account indexes, biggest first (as compare ranks)
};

/// Band flow and movers of the accounts of one segment (a group, or the other segment). An account
/// belongs to a period's segment by its segment in the later snapshot, or in the earlier one when
/// it is gone by then (the disappeared), as compare counts by the new file's segment. Bands are
/// the segment's own (its cut points), so a matrix row and column are still the model's band ids.
struct trend_segment {
  std::string id;  ///< group id; empty for the other segment
  std::string label;  ///< the group label, or `other_label`
  std::vector<trend_flow> flows;  ///< as `trend_report::flows`, only this segment's accounts
  std::optional<trend_movers> overall, latest;
};

/// Category weights fitted over time and checked later. Each pair of consecutive snapshots (t, t+1)
/// gives one row per account of snapshot t: its category scores at t, its outcome at t+1 (the
/// outcome column of file t+1 when the lagged validation goes by the outcome column, an account
/// absent from t+1 unknown; else disappearance: gone by t+1 is churned). `suggest_weights` fits on
/// the rows of every pair but the last (outcomes known by snapshot k-2, 0-based) and checks current
/// against suggested on the last pair (scores at k-2, outcome at k-1) with the paired DeLong test.
struct trend_suggestion {
  /// Why there is none (fewer than three snapshots, the snapshots' categories differ); empty code
  /// when `weights` holds the fit.
  message problem;
  std::size_t train_pairs = 0;  ///< pairs fitted on: (0,1) .. (k-3,k-2)
  std::size_t test_from = 0, test_to = 0;  ///< the pair checked on: scores at test_from, outcome at test_to
  weight_suggestion weights;  ///< train = the earlier pairs' rows, test = the last pair's
  /// As validate warns: a segment with its own category weights is searched as the base model.
  std::vector<message> warnings;
};

/// The score of snapshot `earlier` against the outcome known at snapshot `later`.
struct trend_lag {
  std::size_t earlier = 0, later = 0, lag = 0;  ///< lag = later - earlier, in snapshots
  validation v;  ///< health AUC (DeLong interval) and band outcome rates of the earlier score
};

struct trend_report {
  std::string id_column, name_column, value_column;
  std::vector<std::string> band_ids, band_labels;
  bool segmented = false;
  std::vector<trend_snapshot> snapshots;  ///< by date
  std::vector<trend_account> accounts;  ///< in order of first appearance
  std::size_t left_out = 0;  ///< ids duplicated in some snapshot, left out
  std::vector<std::string> left_out_ids;  ///< the first `examples` of them
  std::vector<trend_flow> flows;  ///< one per pair of consecutive snapshots
  std::optional<trend_movers> overall;  ///< first to last snapshot (two snapshots or more)
  std::optional<trend_movers> latest;  ///< the last two snapshots
  /// "outcome" (the model's outcome column in the last file) or "disappeared"; empty with one snapshot.
  std::string outcome_source;
  std::vector<trend_lag> lagged;  ///< lag 1, 2, ... against the last snapshot
  /// Groups in model order, then the other segment; empty without segments.
  std::vector<trend_segment> segments;
  std::optional<trend_suggestion> suggestion;  ///< when `trend_options::suggest`
  model base;  ///< the first snapshot's model: band ids, labels and cut points for the reports
};

/// Orders the snapshots by date and builds the report. Throws input_error when the model names no
/// id column, a file lacks it, or two snapshots share a date (naming both files); model_error when
/// the snapshots' models have different bands.
trend_report build_trend(std::vector<trend_input> snapshots, const trend_options& options = {});

/// What `trend_to_json` leaves out, for a reader that does not need every account (the studio
/// shows the band mix, flows and movers of 100k accounts, and takes the series CSV from the engine).
struct trend_json_options {
  bool accounts = true;  ///< the per-account series (`accounts`)
  /// At most this many ids per flow list (appeared, disappeared, newly at risk, recovered); each
  /// flow's `counts` gives the full sizes either way.
  std::size_t list_limit = std::numeric_limits<std::size_t>::max();
};

/// The whole report (per-account series included, unless `options` leave them out).
/// The lagged validations' warnings and verdicts are rendered in `lang` (beside their codes).
json trend_to_json(const trend_report& r, const trend_json_options& options = {}, language lang = language::en);
/// A readable report for the terminal; headings English, the weight suggestion's verdict in `lang`.
std::string trend_to_text(const trend_report& r, language lang = language::en);
/// The per-account series: id, name (with a name column), then `score_DATE` and `band_DATE` per
/// snapshot; written as the scored export is (`csv_convention`, defused cells, two decimals).
std::string trend_to_csv(const trend_report& r, const csv_convention& convention = {});
/// The movers: period (`first_to_last`, `last_two`), kind (`drop`, `rise`), rank, id, name, the two
/// dates, scores and bands, and the change.
std::string trend_movers_to_csv(const trend_report& r, const csv_convention& convention = {});

}  // namespace healthscore
