#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Tests of `healthscore trend`: the hand-worked snapshots of tests/data/trend (see the table in
tests/core/test_trend.cpp) as text, JSON and CSV, dates from file names and --dates, recency counted
to each snapshot's date, the errors, and the Telco file split into two pseudo-snapshots against
`validate`.

    python3 tests/cli/test_trend.py [path/to/healthscore]
"""
import csv
import io
import json
import os
import shutil
import sys
import tempfile

from cli_tests import BIN, ROOT, run, run_tests

CORPUS = os.path.join(os.path.dirname(ROOT), "shared", "corpus")
DATA = os.path.join(ROOT, "tests", "data")
TREND = os.path.join(DATA, "trend")
MODEL = os.path.join(TREND, "model.json")
FILES = [os.path.join(TREND, f"accounts-{d}.csv") for d in ("2026-09-30", "2026-10-31", "2026-11-30")]
TELCO = os.path.join(CORPUS, "telco-churn", "Telco-Customer-Churn.csv")




def trend_json(*args):
    return json.loads(run("trend", *args, "--format", "json").stdout)


def read_rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def pairwise(churned, stayed):
    """Pairs (churned, stayed) where the churned account scores lower, ties 1/2, over all pairs."""
    wins = sum(1.0 if c < s else 0.5 if c == s else 0.0 for c in churned for s in stayed)
    return wins / (len(churned) * len(stayed))


def test_json_reports_the_hand_worked_flow_movers_and_lagged_auc():
    doc = trend_json(*reversed(FILES), "--model", MODEL)  # any order: sorted by date
    assert [s["date"] for s in doc["snapshots"]] == ["2026-09-30", "2026-10-31", "2026-11-30"]
    assert [s["summary"]["bands"] for s in doc["snapshots"]] == [
        {"red": 2, "yellow": 2, "green": 3}, {"red": 3, "yellow": 2, "green": 2}, {"red": 3, "yellow": 1, "green": 2}]
    assert [s["summary"]["value"]["at_risk"] for s in doc["snapshots"]] == [900, 1500, 900]
    f0, f1 = doc["flows"]
    assert f0["matrix"] == [[1, 1, 0, 0, 0], [0, 1, 0, 0, 1], [1, 0, 2, 0, 0], [0, 0, 0, 0, 0], [1, 0, 0, 0, 0]]
    assert f1["matrix"] == [[2, 0, 1, 0, 0], [1, 0, 1, 0, 0], [0, 0, 0, 1, 1], [0, 0, 0, 0, 0], [0, 1, 0, 0, 0]]
    assert (f0["appeared"], f0["disappeared"]) == (["H"], ["E"])
    assert (f1["appeared"], f1["disappeared"]) == (["I"], ["D"])
    assert [a["id"] for a in f0["newly_at_risk"]] == ["A"] and [a["id"] for a in f0["recovered"]] == ["C"]
    assert [a["id"] for a in f1["newly_at_risk"]] == ["B"] and [a["id"] for a in f1["recovered"]] == ["H"]
    ftl = doc["movers"]["first_to_last"]
    assert [a["id"] for a in ftl["drops"]] == ["A", "B", "F"] and [a["id"] for a in ftl["rises"]] == ["C"]
    assert ftl["mean_change"] == -7.5
    assert [a["id"] for a in doc["movers"]["last_two"]["rises"]] == ["C", "H", "F"]

    # Lagged AUC recomputed here from the files themselves: who is gone by the last date churned.
    last_ids = {r["Account ID"] for r in read_rows(FILES[2])}
    assert doc["lagged"]["outcome"] == "disappeared"
    for lag in doc["lagged"]["lags"]:
        earlier = read_rows(FILES[2 - lag["lag"]])
        churned = [float(r["Health"]) for r in earlier if r["Account ID"] not in last_ids]
        stayed = [float(r["Health"]) for r in earlier if r["Account ID"] in last_ids and r["Health"]]
        assert lag["validation"]["health"]["auc"] == round(pairwise(churned, stayed), 3), lag
    assert doc["lagged"]["lags"][1]["validation"]["health"]["auc"] == 0.25


def test_text_report_shows_the_band_mix_flows_and_lags():
    text = run("trend", *FILES, "--model", MODEL).stdout.decode("utf-8")
    assert "Trend by 'Account ID': 3 snapshots, 9 accounts" in text
    assert "Band flow 2026-09-30 -> 2026-10-31" in text
    assert "newly at risk: 1 (A)" in text and "recovered: 1 (H)" in text
    assert "disappeared (counted as churned): 1 (D)" in text
    lines = [l for l in text.splitlines() if l.strip().startswith("2 ") and "2026-09-30" in l]
    assert lines and "0.250" in lines[0], text
    assert "900.00" in text and "1500.00" in text  # value at risk per snapshot


def test_csv_series_and_movers_files_are_written_in_the_export_conventions():
    with tempfile.TemporaryDirectory() as d:
        series, movers = os.path.join(d, "series.csv"), os.path.join(d, "movers.csv")
        out = run("trend", *FILES, "--model", MODEL, "-o", series, "--movers", movers).stdout.decode()
        assert out.startswith("Trend by")  # the report still goes to stdout
        with open(series, "rb") as f:
            data = f.read()
        assert data == run("trend", *FILES, "--model", MODEL, "--format", "csv").stdout
        rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
        assert rows[0] == ["id", "name", "score_2026-09-30", "band_2026-09-30", "score_2026-10-31", "band_2026-10-31",
                           "score_2026-11-30", "band_2026-11-30"]
        by = {r[0]: r for r in rows[1:]}
        assert by["A"] == ["A", "Acme Corp", "80.00", "Healthy", "45.00", "At risk", "30.00", "At risk"]
        assert by["G"][6:] == ["", ""]
        assert by["I"][1] == "'=HYPERLINK(\"http://x\")"  # defused
        assert data.endswith(b"\r\n")
        with open(movers, newline="", encoding="utf-8") as f:
            mv = list(csv.DictReader(f))
        assert [(m["period"], m["kind"], m["id"]) for m in mv][:4] == [
            ("first_to_last", "drop", "A"), ("first_to_last", "drop", "B"), ("first_to_last", "drop", "F"),
            ("first_to_last", "rise", "C")]
        assert {"period": "last_two", "kind": "rise", "rank": "2", "id": "H", "change": "21.00"}.items() <= \
            next(m for m in mv if m["period"] == "last_two" and m["id"] == "H").items()
        es = run("trend", *FILES, "--model", MODEL, "--format", "csv", "--csv", "excel-es").stdout
        assert es.startswith(b"\xef\xbb\xbfid;name;") and b"A;Acme Corp;80,00;Healthy;45,00;" in es
        top1 = run("trend", *FILES, "--model", MODEL, "--movers", "-", "--top", "1", "--format", "csv", "-o", series).stdout
        assert top1.decode().count("first_to_last,drop") == 1


def test_dates_come_from_file_names_in_several_styles():
    with tempfile.TemporaryDirectory() as d:
        names = ["accounts_20260930.csv", "accounts 31-10-2026.csv", "accounts-2026-11.csv"]
        paths = []
        for src, name in zip(FILES, names):
            paths.append(os.path.join(d, name))
            shutil.copy(src, paths[-1])
        doc = trend_json(*paths, "--model", MODEL)
        assert [s["date"] for s in doc["snapshots"]] == ["2026-09-30", "2026-10-31", "2026-11-30"]
        assert [s["file"] for s in doc["snapshots"]] == names


def test_dates_option_names_each_file_s_date_in_order():
    with tempfile.TemporaryDirectory() as d:
        paths = []
        for i, src in enumerate(FILES):
            paths.append(os.path.join(d, f"export{'abc'[i]}.csv"))
            shutil.copy(src, paths[-1])
        doc = trend_json(*paths, "--model", MODEL, "--dates", "2026-09-30,31/10/2026,2026-11-30")
        assert [s["date"] for s in doc["snapshots"]] == ["2026-09-30", "2026-10-31", "2026-11-30"]
        assert doc["flows"][0]["appeared"] == ["H"]
        # --dates overrides the names, and decides the order.
        doc = trend_json(*FILES, "--model", MODEL, "--dates", "2026-12-31,2026-10-31,2026-11-30")
        assert [s["file"] for s in doc["snapshots"]][-1] == "accounts-2026-09-30.csv"
        p = run("trend", *paths, "--model", MODEL, "--dates", "2026-09-30,2026-10-31", ok=False)
        assert p.returncode == 2 and "--dates gives 2 dates for 3 files" in p.stderr.decode()
        p = run("trend", *paths, "--model", MODEL, "--dates", "2026-09-30,05/06/2026,2026-11-30", ok=False)
        err = p.stderr.decode()
        assert p.returncode == 2 and "exportb.csv" in err and "could be day-first or month-first" in err, err


def test_one_file_without_a_date_takes_the_model_s_as_of():
    with tempfile.TemporaryDirectory() as d:
        plain = os.path.join(d, "accounts.csv")
        shutil.copy(FILES[0], plain)
        p = run("trend", plain, "--model", MODEL, "--format", "json", ok=False)
        assert p.returncode == 2 and "accounts.csv" in p.stderr.decode() and "as_of" in p.stderr.decode()
        doc = trend_json(plain, "--model", MODEL, "--as-of", "2026-08-31")
        assert [s["date"] for s in doc["snapshots"]] == ["2026-08-31"]
        assert doc["flows"] == [] and doc["lagged"]["lags"] == []


def test_each_snapshot_is_scored_with_recency_counted_to_its_own_date():
    with tempfile.TemporaryDirectory() as d:
        model = os.path.join(d, "model.json")
        with open(model, "w") as f:
            json.dump({"version": 1, "id_column": "id", "as_of": "2030-01-01", "categories": [{"id": "u", "signals": [
                {"column": "last_login", "rule": {"type": "recency", "full_days": 0, "zero_days": 100}}]}]}, f)
        for name in ("s-2026-01-11.csv", "s-2026-02-20.csv"):
            with open(os.path.join(d, name), "w") as f:
                f.write("id,last_login\nA,2026-01-01\n")
        doc = trend_json(os.path.join(d, "s-2026-01-11.csv"), os.path.join(d, "s-2026-02-20.csv"), "--model", model)
        # 10 days before the first date: 90; 50 days before the second: 50 (not 2030's 0).
        assert [p["score"] for p in doc["accounts"][0]["series"]] == [90, 50]


def test_errors_name_the_file_no_id_column_same_date_and_no_date():
    with tempfile.TemporaryDirectory() as d:
        no_id = os.path.join(d, "no-id.json")
        with open(MODEL) as f:
            m = json.load(f)
        del m["id_column"]
        with open(no_id, "w") as f:
            json.dump(m, f)
        p = run("trend", *FILES, "--model", no_id, ok=False)
        err = p.stderr.decode()
        assert p.returncode == 2 and "no-id.json" in err and "names no id_column" in err, err

        same = os.path.join(d, "copy-2026-09-30.csv")
        shutil.copy(FILES[0], same)
        p = run("trend", FILES[0], same, "--model", MODEL, ok=False)
        err = p.stderr.decode()
        assert p.returncode == 2 and "same date 2026-09-30" in err and "copy-2026-09-30.csv" in err, err

        undated = os.path.join(d, "latest.csv")
        shutil.copy(FILES[2], undated)
        p = run("trend", FILES[0], undated, "--model", MODEL, ok=False)
        err = p.stderr.decode()
        assert p.returncode == 2 and "latest.csv" in err and "--dates" in err, err

        ambiguous = os.path.join(d, "accounts-05-11-2026.csv")
        shutil.copy(FILES[2], ambiguous)
        p = run("trend", FILES[0], ambiguous, "--model", MODEL, ok=False)
        err = p.stderr.decode()
        assert p.returncode == 2 and "accounts-05-11-2026.csv" in err and "day-first or month-first" in err, err

        no_col = os.path.join(d, "other-2026-12-31.csv")
        with open(no_col, "w") as f:
            f.write("Customer,Health\nA,10\n")
        p = run("trend", FILES[0], no_col, "--model", MODEL, ok=False)
        assert p.returncode == 2 and "not in other-2026-12-31.csv" in p.stderr.decode()

        p = run("trend", *FILES, "--model", MODEL, "--format", "xml", ok=False)
        assert p.returncode == 2 and "--format must be text, json or csv" in p.stderr.decode()
        p = run("trend", *FILES, "--model", MODEL, "-o", os.path.join(d, "missing", "x.csv"), ok=False)
        assert p.returncode == 2 and not os.path.exists(os.path.join(d, "missing"))


def test_telco_split_in_two_snapshots_gives_validate_s_auc_for_the_churned_disappearing():
    with tempfile.TemporaryDirectory() as d:
        with open(TELCO, newline="", encoding="utf-8") as f:
            rows = list(csv.reader(f))
        first, second = os.path.join(d, "telco-2026-10-31.csv"), os.path.join(d, "telco-2026-11-30.csv")
        shutil.copy(TELCO, first)
        with open(second, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(rows[0][:-1])
            w.writerows(r[:-1] for r in rows[1:] if r[-1] == "No")
        model = os.path.join(DATA, "telco_model.json")
        doc = trend_json(first, second, "--model", model)
        val = json.loads(run("validate", TELCO, "--model", model, "--json").stdout)
        lag = doc["lagged"]["lags"][0]["validation"]
        assert lag["health"]["auc"] == val["health"]["auc"], (lag["health"], val["health"])
        for k in ("se", "lo", "hi", "good", "bad"):
            assert lag["health"][k] == val["health"][k], k
        assert [b["positive"] for b in lag["bands"]] == [b["positive"] for b in val["bands"]]
        assert len(doc["flows"][0]["disappeared"]) == 1869



TWO_CATEGORIES = {
    "version": 1, "id_column": "Account ID",
    "categories": [
        {"id": "u", "label": "Usage", "weight": 1,
         "signals": [{"column": "U", "rule": {"type": "linear", "min": 0, "max": 100}}]},
        {"id": "s", "label": "Support", "weight": 1,
         "signals": [{"column": "S", "rule": {"type": "linear", "min": 0, "max": 100}}]}]}


def write_snapshots(d, snapshots, model=TWO_CATEGORIES, header="Account ID,U,S"):
    """Writes {date: [row, ...]} as accounts-DATE.csv and the model; answers (files, model path)."""
    files = []
    for date, rows in snapshots.items():
        path = os.path.join(d, f"accounts-{date}.csv")
        with open(path, "w", encoding="utf-8") as f:
            f.write(header + "\n" + "".join(",".join(map(str, r)) + "\n" for r in rows))
        files.append(path)
    mp = os.path.join(d, "model.json")
    with open(mp, "w", encoding="utf-8") as f:
        json.dump(model, f)
    return files, mp


def combined(weights, u, s):
    """The health score of U and S as the contract computes it in doubles: each linear 0..100 rule
    is 100 * (x - 0) / (100 - 0), then the weighted mean over the weights in percent (the exact
    ties of whole numbers are broken as the engine's doubles break them)."""
    total = weights[0] + weights[1]
    w = [100.0 * x / total for x in weights]
    cu, cs = 100 * ((u - 0) / (100 - 0)), 100 * ((s - 0) / (100 - 0))
    return (w[0] * cu + w[1] * cs) / (w[0] + w[1])


def test_suggest_fits_on_earlier_pairs_and_checks_on_the_last_pair():
    # The case of tests/core/test_trend.cpp: 01-31 fits (A B C stay, D E leave), 02-28 against
    # 03-31 checks (A C stay, B G leave); H appears last and is in no pair.
    snaps = {
        "2026-01-31": [("A", 90, 10), ("B", 80, 20), ("C", 70, 30), ("D", 20, 80), ("E", 10, 90)],
        "2026-02-28": [("A", 85, 40), ("B", 30, 60), ("C", 75, 10), ("G", 15, 70)],
        "2026-03-31": [("A", 50, 50), ("C", 50, 50), ("H", 50, 50)],
    }
    with tempfile.TemporaryDirectory() as d:
        files, mp = write_snapshots(d, snaps)
        assert "suggested_weights" not in trend_json(*files, "--model", mp)
        doc = trend_json(*files, "--model", mp, "--suggest")
        text = run("trend", *files, "--model", mp, "--suggest").stdout.decode()
    sw = doc["suggested_weights"]
    assert sw["outcome"] == "disappeared"
    assert sw["fitted_on"] == {"first": "2026-01-31", "last": "2026-02-28", "pairs": 1}
    assert sw["checked_on"] == {"scored": "2026-02-28", "outcome_at": "2026-03-31"}
    assert (sw["train_rows"], sw["test_rows"]) == (5, 4)
    cur = [c["current"] for c in sw["categories"]]
    sug = [c["suggested"] for c in sw["categories"]]
    assert cur == [50, 50] and sum(sug) == 100 and sug[0] > sug[1]
    # Training: every account has U + S = 100, so the current weights tie them all.
    assert sw["train_auc_current"] == 0.5
    assert sw["train_auc_suggested"] == 1
    stayed, churned = [(85, 40), (75, 10)], [(30, 60), (15, 70)]
    for key, w in (("test_current", cur), ("test_suggested", sug)):
        want = pairwise([combined(w, *x) for x in churned], [combined(w, *x) for x in stayed])
        assert sw[key]["auc"] == round(want, 3), (key, sw[key], want)
        assert (sw[key]["good"], sw[key]["bad"]) == (2, 2)
    assert sw["verdict_message"]["code"] == "evidence.verdict.not_checked"
    assert "Suggested category weights over time" in text
    assert "fitted on snapshots 2026-01-31 .. 2026-02-28 (1 pair of consecutive snapshots, 5 accounts)" in text
    assert "checked on the scores of 2026-02-28 against disappearance at 2026-03-31 (4 accounts)" in text


def test_suggest_checked_on_enough_accounts_against_an_independent_pairwise_count():
    # Four months of 60 accounts; U tells who leaves by the next month, S is noise. Each month the
    # 12 lowest-U accounts leave and 12 new ones arrive.
    snaps, alive, next_id = {}, [], 0
    def new():
        nonlocal next_id
        next_id += 1
        return f"N{next_id:03d}"
    alive = [new() for _ in range(60)]
    dates = ["2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30"]
    values = {}
    for m, date in enumerate(dates):
        rows = []
        for k, a in enumerate(alive):
            u = (k * 37 + m * 11) % 100
            s_ = (k * 53 + m * 29) % 100
            rows.append((a, u, s_))
        snaps[date] = rows
        values[date] = {a: (u, s_) for a, u, s_ in rows}
        leaving = {a for a, u, _ in sorted(rows, key=lambda r: r[1])[:12]}
        alive = [a for a in alive if a not in leaving] + [new() for _ in range(12)]
    with tempfile.TemporaryDirectory() as d:
        files, mp = write_snapshots(d, snaps)
        sw = trend_json(*files, "--model", mp, "--suggest")["suggested_weights"]
    assert sw["fitted_on"]["pairs"] == 2
    assert sw["train_rows"] == 120 and sw["test_rows"] == 60
    last, at = values[dates[2]], values[dates[3]]
    stayed = [v for a, v in last.items() if a in at]
    churned = [v for a, v in last.items() if a not in at]
    assert (len(stayed), len(churned)) == (48, 12)
    sug = [c["suggested"] for c in sw["categories"]]
    for key, w in (("test_current", [1, 1]), ("test_suggested", sug)):
        want = pairwise([combined(w, *x) for x in churned], [combined(w, *x) for x in stayed])
        assert sw[key]["auc"] == round(want, 3), (key, sw[key]["auc"], want)
        assert sw[key]["lo"] <= sw[key]["auc"] <= sw[key]["hi"]
    assert sw["checked"] is True
    # The gain is the difference of the two (each figure rounded on its own: within a thousandth).
    assert abs(sw["test_gain"] - (sw["test_suggested"]["auc"] - sw["test_current"]["auc"])) <= 0.0011


def test_suggest_with_two_snapshots_says_why_there_is_none():
    with tempfile.TemporaryDirectory() as d:
        files, mp = write_snapshots(d, {"2026-01-31": [("A", 1, 2)], "2026-02-28": [("A", 3, 4)]})
        sw = trend_json(*files, "--model", mp, "--suggest")["suggested_weights"]
        es = json.loads(run("--lang", "es", "trend", *files, "--model", mp, "--suggest", "--format", "json").stdout)
    assert sw["problem_message"] == {"code": "trend.suggest_too_few", "params": {"snapshots": 2}}
    assert "three snapshots" in sw["problem"]
    assert "tres instantáneas" in es["suggested_weights"]["problem"]


def test_per_segment_flow_and_movers():
    # Big has its own cut points (red <= 60, yellow <= 80). Hand-worked (tests/core/test_trend.cpp):
    # X big 80 yellow -> 30 red; Y small 40 red -> 45 red; Z small 60 yellow -> big 90 green;
    # W big 55 red -> gone; V appears small 75 green.
    model = json.load(open(MODEL))
    model["segments"] = {"column": "Tier", "groups": [{
        "id": "big", "label": "Big", "values": ["big"],
        "bands": [{"id": "red", "max": 60}, {"id": "yellow", "max": 80}, {"id": "green", "max": 100}]}]}
    snaps = {"2026-01-31": [("X", 80, "big", 1), ("Y", 40, "small", 1), ("Z", 60, "small", 1), ("W", 55, "big", 1)],
             "2026-02-28": [("X", 30, "big", 1), ("Y", 45, "small", 1), ("Z", 90, "big", 1), ("V", 75, "small", 1)]}
    with tempfile.TemporaryDirectory() as d:
        files, mp = write_snapshots(d, snaps, model, header="Account ID,Health,Tier,MRR")
        doc = trend_json(*files, "--model", mp)
        text = run("trend", *files, "--model", mp).stdout.decode()
    big, other = doc["segments"]
    assert (big["id"], big["label"], other["id"], other["label"]) == ("big", "Big", None, "Other")
    assert big["flows"][0]["matrix"] == [[0, 0, 0, 0, 1], [1, 0, 1, 0, 0], [0] * 5, [0] * 5, [0] * 5]
    assert other["flows"][0]["matrix"] == [[1, 0, 0, 0, 0], [0] * 5, [0] * 5, [0] * 5, [0, 0, 1, 0, 0]]
    assert [a["id"] for a in big["flows"][0]["newly_at_risk"]] == ["X"]
    assert big["flows"][0]["disappeared"] == ["W"] and other["flows"][0]["appeared"] == ["V"]
    whole = doc["flows"][0]["matrix"]
    assert [[a + b for a, b in zip(r1, r2)] for r1, r2 in zip(big["flows"][0]["matrix"], other["flows"][0]["matrix"])] == whole
    ftl = big["movers"]["first_to_last"]
    assert [a["id"] for a in ftl["drops"]] == ["X"] and [a["id"] for a in ftl["rises"]] == ["Z"]
    assert ftl["mean_change"] == -10
    assert [a["id"] for a in other["movers"]["first_to_last"]["rises"]] == ["Y"]
    assert "Segment Big" in text and "Band flow in Big 2026-01-31 -> 2026-02-28" in text
    assert "newly at risk: 1 (X)" in text.split("Segment Big")[1]


if __name__ == "__main__":
    sys.exit(run_tests(globals()))
