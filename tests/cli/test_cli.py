#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Tests of the `healthscore` command line: scores checked against values worked out by hand and
against an independent Python implementation of the contract, exports byte by byte, exit codes.

    python3 tests/cli/test_cli.py [path/to/healthscore]
"""
import csv
import io
import json
import math
import os
import subprocess
import sys
import tempfile

from cli_tests import BIN, ROOT, run, run_tests

CORPUS = os.path.join(os.path.dirname(ROOT), "shared", "corpus")
DATA = os.path.join(ROOT, "tests", "data")
TELCO = os.path.join(CORPUS, "telco-churn", "Telco-Customer-Churn.csv")




def score_json(path, model, *extra):
    return json.loads(run("score", path, "--model", model, "--format", "json", *extra).stdout)


def round_half_away(x):
    return math.floor(abs(x) + 0.5) * (1 if x >= 0 else -1)


def band_of(score):
    if score is None:
        return None
    r = round_half_away(score)
    return "red" if r <= 50 else "yellow" if r <= 70 else "green"


# ---- worked by hand --------------------------------------------------------------------------
# tests/data/es_accounts.csv: `;`, decimal commas, day-first dates, € amounts; as_of 2026-11-25.
# C-1: usage (2*50 + 1*100)/3 = 200/3; support 100; NPS 50 -> 75; financial (100 + 30.0125)/2
#      health = (40*200/3 + 20*100 + 20*75 + 20*65.00625)/100 = 74.6679166...
# C-2: logins 12 -> 20; last login 55 days ago -> (67-55)/60 -> 20; usage 20; 3 tickets -> 20;
#      NPS -20 -> 40; financial (40 + 21.25)/2 = 30.625; health = (800+400+800+612.5)/100 = 26.125
# C-3: logins empty: missing, renormalized away; usage = recency 0 days = 100; 1 ticket -> 70;
#      NPS 10 -> 55; financial (100 + 50)/2 = 75; health = (4000+1400+1100+1500)/100 = 80
# C-4: usage (2*100 + 275/3)/3 = 875/9; support 100; NPS 90 -> 95; financial (0 + 85.01875)/2
#      health = (40*875/9 + 2000 + 1900 + 850.1875)/100 = 86.3907638...
HAND = {
    "C-1": (40 * 200 / 3 + 20 * 100 + 20 * 75 + 20 * 65.00625) / 100,
    "C-2": 26.125,
    "C-3": 80.0,
    "C-4": (40 * 875 / 9 + 2000 + 1900 + 20 * 42.509375) / 100,
}


def test_spanish_csv_scores_equal_the_hand_computed_values():
    doc = score_json(os.path.join(DATA, "es_accounts.csv"), os.path.join(DATA, "es_model.json"))
    assert doc["model"] == "Salud (prueba a mano)"
    got = {r["id"]: r for r in doc["rows"]}
    assert sorted(got) == sorted(HAND)
    for acc, want in HAND.items():
        assert abs(got[acc]["score"] - want) < 1e-9, (acc, got[acc]["score"], want)
        assert got[acc]["band"] == band_of(want), acc
    assert [r["row"] for r in doc["rows"]] == [1, 2, 3, 4]
    assert got["C-3"]["categories"]["usage"] == 100
    assert doc["summary"]["bands"] == {"red": 1, "yellow": 0, "green": 3}
    assert doc["summary"]["unscored"] == 0
    assert doc["summary"]["missing"]["Accesos (30d)"] == 1


def test_csv_export_rounds_to_two_decimals_and_defuses_formulas():
    out = run("score", os.path.join(DATA, "es_accounts.csv"), "--model", os.path.join(DATA, "es_model.json")).stdout
    text = out.decode("utf-8")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0][-6:] == ["health_score", "health_band", "Uso score", "Soporte score", "Relación score",
                            "Finanzas score"]
    assert rows[0][:3] == ["ID cuenta", "Cuenta", "Accesos (30d)"]
    by_id = {r[0]: r for r in rows[1:]}
    assert by_id["C-1"][8:10] == ["74.67", "Healthy"]
    assert by_id["C-2"][8:10] == ["26.13", "At risk"]  # 26.125 rounds half away from zero
    assert by_id["C-3"][8:10] == ["80.00", "Healthy"]
    assert by_id["C-3"][10] == "100.00"
    assert by_id["C-4"][8] == "86.39"
    assert by_id["C-2"][1] == "Beta; Ltda."
    assert by_id["C-4"][1] == "'=cmd|' /C calc'!A0", by_id["C-4"][1]
    assert by_id["C-2"][3] == "-20"  # a plain negative number is data, not a formula
    assert text.endswith("\r\n")


def test_output_file_option_writes_the_same_bytes_as_stdout():
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "out.csv")
        args = ("score", os.path.join(DATA, "es_accounts.csv"), "--model", os.path.join(DATA, "es_model.json"))
        run(*args, "-o", path)
        with open(path, "rb") as f:
            assert f.read() == run(*args).stdout


# ---- an independent implementation of the contract, for the Telco test model ------------------
# The base model of tests/data/telco_model.json as parameters, so a segment can change them.
TELCO_BASE = {
    "cat_weights": [30, 30, 20, 20],
    "tenure_w": 2, "contract_w": 1, "paperless_w": 1,
    "monthly": (18, 119),
    "bands": [("red", 50), ("yellow", 70), ("green", 100)],
}


def read_telco():
    with open(TELCO, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def num(v):
    v = v.strip()
    try:
        x = float(v)
    except ValueError:
        return None
    return x if math.isfinite(x) else None


def independent_scores(rows, p):
    """(score, category scores) per row of `rows`, column statistics taken over `rows` only."""
    import bisect

    totals = [num(r["TotalCharges"]) for r in rows]
    tot = [x for x in totals if x is not None and x >= 0]
    tmin, tmax = (min(tot), max(tot)) if tot else (None, None)
    tenures = sorted(x for x in (num(r["tenure"]) for r in rows) if x is not None)

    def percentile(x):
        if x is None:
            return None
        lo = bisect.bisect_left(tenures, x)
        hi = bisect.bisect_right(tenures, x)
        return 100 * (lo + 0.5 * (hi - lo)) / len(tenures)

    def linear(x, lo, hi):
        if x is None:
            return None
        if lo == hi:
            return 100.0 if x >= hi else 0.0
        return 100 * min(1.0, max(0.0, (x - lo) / (hi - lo)))

    def boolean(v, t=100, f=0):
        v = v.strip().lower()
        if v in ("true", "yes", "y", "1", "x", "sí", "si", "sim", "verdadero", "t"):
            return t
        if v in ("false", "no", "n", "0", "não", "nao", "falso", "f"):
            return f
        return None

    def mapping(v, table, default=None):
        v = v.strip().lower()
        if not v:
            return None
        for k, s in table.items():
            if k.strip().lower() == v:
                return s
        return default

    def category(parts):
        parts = [(w, s) for w, s in parts if w > 0]
        ws = sum(w for w, s in parts if s is not None)
        return None if ws == 0 else sum(w * s for w, s in parts if s is not None) / ws

    out = []
    for r, total in zip(rows, totals):
        tenure = num(r["tenure"])
        log_total = None if total is None or total < 0 else linear(math.log1p(total), math.log1p(tmin), math.log1p(tmax))
        mc = linear(num(r["MonthlyCharges"]), *p["monthly"])
        cats = [
            category([(p["tenure_w"], linear(tenure, 0, 72)),
                      (p["contract_w"], mapping(r["Contract"], {"Month-to-month": 20, "One year": 70, "Two year": 100}))]),
            category([(1, None if mc is None else 100 - mc), (1, log_total),
                      (0.5, mapping(r["PaymentMethod"], {"Electronic check": 30}, 80))]),
            category([(1, boolean(r["TechSupport"])), (1, mapping(r["OnlineSecurity"], {"yes": 100, "NO": 30}))]),
            category([(1, percentile(tenure)), (p["paperless_w"], boolean(r["PaperlessBilling"], 40, 80))]),
        ]
        out.append((category(list(zip(p["cat_weights"], cats))), cats))
    return out


def band_with(score, bands):
    if score is None:
        return None
    r = round_half_away(score)
    return next(b for b, mx in bands if r <= mx)


def independent_telco_scores(model):
    rows = read_telco()
    scores = independent_scores(rows, TELCO_BASE)
    out = [(r["customerID"], s, cats) for r, (s, cats) in zip(rows, scores)]
    return out, sum(1 for r in rows if num(r["TotalCharges"]) is None)


def test_telco_scores_equal_an_independent_implementation_of_the_contract():
    model = os.path.join(DATA, "telco_model.json")
    doc = score_json(TELCO, model)
    want, blank_totals = independent_telco_scores(model)
    assert len(doc["rows"]) == 7043 == len(want)
    assert blank_totals == 11
    assert doc["summary"]["missing"]["TotalCharges"] == 11
    counts = {"red": 0, "yellow": 0, "green": 0}
    worst = 0.0
    for got, (acc, score, cats) in zip(doc["rows"], want):
        assert got["id"] == acc
        worst = max(worst, abs(got["score"] - score))
        assert got["band"] == band_of(score), (acc, got["score"], score)
        counts[band_of(score)] += 1
        for cid, c in zip(["relationship", "financial", "support", "usage"], cats):
            assert (got["categories"][cid] is None) == (c is None)
            if c is not None:
                assert abs(got["categories"][cid] - c) < 1e-9
    assert worst < 1e-9, worst
    assert doc["summary"]["bands"] == counts
    assert sum(counts.values()) == 7043


def test_a_bad_model_exits_2_naming_the_json_path():
    with tempfile.TemporaryDirectory() as d:
        with open(os.path.join(DATA, "es_model.json"), encoding="utf-8") as f:
            m = json.load(f)
        m["categories"][1]["signals"][0]["rule"] = {"type": "linear", "max": "lots"}
        path = os.path.join(d, "bad.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(m, f)
        p = run("score", os.path.join(DATA, "es_accounts.csv"), "--model", path, ok=False)
        assert p.returncode == 2
        assert b"categories[1].signals[0].rule.max must be a number" in p.stderr, p.stderr
        assert p.stdout == b""


def test_a_missing_column_is_refused_unless_allowed():
    with tempfile.TemporaryDirectory() as d:
        with open(os.path.join(DATA, "es_model.json"), encoding="utf-8") as f:
            m = json.load(f)
        m["categories"][0]["signals"][0]["column"] = "Logins that do not exist"
        path = os.path.join(d, "m.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(m, f)
        p = run("score", os.path.join(DATA, "es_accounts.csv"), "--model", path, ok=False)
        assert p.returncode == 2 and b"Logins that do not exist" in p.stderr, p.stderr
        p = run("score", os.path.join(DATA, "es_accounts.csv"), "--model", path, "--allow-missing-columns",
                "--format", "json")
        assert p.returncode == 0
        assert b"warning" in p.stderr
        assert len(json.loads(p.stdout)["rows"]) == 4


def test_bad_files_and_arguments_exit_2_with_one_message():
    p = run("score", "/nonexistent.csv", "--model", os.path.join(DATA, "es_model.json"), ok=False)
    assert p.returncode == 2 and b"/nonexistent.csv" in p.stderr
    p = run("frobnicate", ok=False)
    assert p.returncode == 2 and b"unknown command" in p.stderr
    with tempfile.TemporaryDirectory() as d:
        junk = os.path.join(d, "report.csv")
        with open(junk, "wb") as f:
            f.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\x00\x00\x01\x02<< /Type /Catalog >>\x00\n" * 20)
        p = run("inspect", junk, ok=False)
        assert p.returncode == 2 and b"report.csv" in p.stderr, p.stderr
        assert len(p.stderr.decode().strip().splitlines()) == 1


def test_inspect_json_reports_types_and_missing_cells_of_the_telco_file():
    doc = json.loads(run("inspect", TELCO, "--json").stdout)
    assert doc["rows"] == 7043 and doc["format"] == "csv" and doc["delimiter"] == ","
    cols = {c["name"]: c for c in doc["columns"]}
    assert cols["TotalCharges"]["type"] == "number" and cols["TotalCharges"]["empty"] == 11
    assert cols["TotalCharges"]["unreadable"] == 0
    assert cols["tenure"]["type"] == "number" and cols["Churn"]["type"] == "boolean"
    assert doc["first_rows"][0][0] == "7590-VHVEG"


def test_inspect_lists_the_sheets_of_a_workbook():
    doc = json.loads(run("inspect", os.path.join(CORPUS, "xlsx", "issues.xlsx"), "--json").stdout)
    assert [s["name"] for s in doc["sheets"]] == ["datatypes", "Sheet1", "issue2", "issue5", "issue6", "spc_chrs"]
    doc = json.loads(run("inspect", os.path.join(CORPUS, "xlsx", "issues.xlsx"), "--sheet", "spc_chrs", "--json").stdout)
    assert doc["sheet"] == "spc_chrs"
    p = run("inspect", os.path.join(CORPUS, "xlsx", "issues.xlsx"), "--sheet", "nope", ok=False)
    assert p.returncode == 2 and b"nope" in p.stderr


def test_model_init_suggests_a_valid_model_that_scores_the_sample():
    sample = os.path.join(ROOT, "web", "sample", "accounts.csv")
    if not os.path.exists(sample):
        sample = os.path.join(DATA, "es_accounts.csv")
    text = run("model", "init", sample).stdout
    m = json.loads(text)
    assert m["version"] == 1 and m["categories"], m
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "m.json")
        with open(path, "wb") as f:
            f.write(text)
        doc = score_json(sample, path)
        scored = [r for r in doc["rows"] if r["score"] is not None]
        assert scored and all(0 <= r["score"] <= 100 for r in scored)


def test_model_init_recognises_spanish_headers():
    m = json.loads(run("model", "init", os.path.join(DATA, "es_accounts.csv")).stdout)
    assert m["id_column"] == "ID cuenta"
    cols = {s["column"]: c["id"] for c in m["categories"] for s in c["signals"]}
    assert cols.get("Accesos (30d)") == "usage"
    assert cols.get("Último acceso") == "usage"
    assert cols.get("Tickets abiertos") == "support"
    assert cols.get("NPS") == "relationship"
    assert cols.get("MRR") == "financial"
    rules = {s["column"]: s["rule"] for c in m["categories"] for s in c["signals"]}
    assert rules["Tickets abiertos"].get("direction") == "lower_is_better"
    assert rules["Último acceso"]["type"] == "recency"


def pairwise_auc(scores, bad):
    """Chance that a random good account scores above a random bad one, ties half: by counting."""
    good_s = [x for x, b in zip(scores, bad) if not b]
    bad_s = [x for x, b in zip(scores, bad) if b]
    wins = sum((g > b) + 0.5 * (g == b) for g in good_s for b in bad_s)
    return wins / (len(good_s) * len(bad_s))


def test_validate_reports_the_auc_a_pairwise_count_gives():
    model = os.path.join(DATA, "telco_model.json")
    v = json.loads(run("validate", TELCO, "--model", model, "--json").stdout)
    doc = score_json(TELCO, model)
    with open(TELCO, newline="", encoding="utf-8") as f:
        churn = [r["Churn"] == "Yes" for r in csv.DictReader(f)]
    scores = [r["score"] for r in doc["rows"]]
    want = pairwise_auc(scores, churn)
    assert v["health"]["auc"] == round(want, 3), (v["health"]["auc"], want)
    assert run("validate", TELCO, "--model", model).stdout.decode().count(f"{want:.3f}") >= 1
    p = run("validate", TELCO, "--model", os.path.join(DATA, "es_model.json"), "--allow-missing-columns", ok=False)
    assert p.returncode == 2 and b"outcome" in p.stderr


def test_compare_matches_accounts_by_id_and_exports_the_changes():
    with tempfile.TemporaryDirectory() as d:
        with open(os.path.join(DATA, "es_accounts.csv"), encoding="utf-8", newline="") as f:
            old_text = f.read()
        new_text = old_text.replace("C-1;Ácme S.A.;30;50;0", "C-1;Ácme S.A.;3;-90;6").replace(
            "C-3;Gamma SL;;10;1;25/11/2026;2.000,00 €;Al día\r\n", "")
        new = os.path.join(d, "new.csv")
        with open(new, "w", encoding="utf-8", newline="") as f:
            f.write(new_text)
        out = os.path.join(d, "changes.csv")
        model = os.path.join(DATA, "es_model.json")
        c = json.loads(run("compare", os.path.join(DATA, "es_accounts.csv"), new, "--model", model, "--json",
                           "-o", out).stdout)
        assert c["accounts"]["matched"] == 3 if "accounts" in c else c["matched"] == 3, c
        new_scores = {r["id"]: r["score"] for r in score_json(new, model)["rows"]}
        with open(out, encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f))
        by_id = {r[0]: r for r in rows[1:]}
        assert rows[0][:7] == ["id", "name", "old_score", "new_score", "change", "old_band", "new_band"], rows[0]
        assert set(by_id) == {"C-1", "C-2", "C-4"}
        assert by_id["C-4"][1] == "'=cmd|' /C calc'!A0"
        assert abs(float(by_id["C-1"][2]) - HAND["C-1"]) <= 0.05  # printed with one decimal
        assert abs(float(by_id["C-1"][3]) - new_scores["C-1"]) <= 0.05
        assert by_id["C-2"][4] in ("0", "0.0", "0.00"), by_id["C-2"]


# ---- segments and account value, against the same independent implementation -----------------
# Fiber accounts: relationship weight 50, a MonthlyCharges rule of their own, their own cut points;
# "dsl" (any case) accounts: PaperlessBilling weight 3 and Contract off; everyone else ("No"
# internet service) is Other and scored by the base model. TotalCharges is each account's value.
TELCO_SEGMENTS = {
    "column": "InternetService",
    "other_label": "No internet",
    "groups": [
        {"id": "fiber", "label": "Fiber", "values": ["Fiber optic"],
         "categories": {"relationship": {"weight": 50},
                        "financial": {"signals": {"MonthlyCharges": {"rule": {
                            "type": "linear", "min": 60, "max": 119, "direction": "lower_is_better"}}}}},
         "bands": [{"id": "red", "max": 40}, {"id": "yellow", "max": 65, "action": "Call"}, {"id": "green", "max": 100}]},
        {"id": "dsl", "label": "DSL", "values": ["dsl"],
         "categories": {"usage": {"signals": {"PaperlessBilling": {"weight": 3}}},
                        "relationship": {"signals": {"Contract": {"weight": 0}}}}},
    ],
}
SEGMENT_PARAMS = {
    "Fiber": dict(TELCO_BASE, cat_weights=[50, 30, 20, 20], monthly=(60, 119),
                  bands=[("red", 40), ("yellow", 65), ("green", 100)]),
    "DSL": dict(TELCO_BASE, paperless_w=3, contract_w=0),
    "No internet": TELCO_BASE,
}


def segmented_telco_model(d):
    with open(os.path.join(DATA, "telco_model.json"), encoding="utf-8") as f:
        m = json.load(f)
    m["value_column"] = "TotalCharges"
    m["segments"] = TELCO_SEGMENTS
    path = os.path.join(d, "segmented.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(m, f)
    return path


def segment_label(service):
    s = service.strip().lower()
    return "Fiber" if s == "fiber optic" else "DSL" if s == "dsl" else "No internet"


def independent_segmented_telco():
    """Per row: (id, segment label, score, band, value or None), each segment scored as its own table."""
    rows = read_telco()
    out = [None] * len(rows)
    for label, p in SEGMENT_PARAMS.items():
        idx = [i for i, r in enumerate(rows) if segment_label(r["InternetService"]) == label]
        for i, (score, _) in zip(idx, independent_scores([rows[i] for i in idx], p)):
            out[i] = (rows[i]["customerID"], label, score, band_with(score, p["bands"]), num(rows[i]["TotalCharges"]))
    return out, rows


def test_segmented_telco_scores_equal_an_independent_implementation_scoring_each_segment_alone():
    with tempfile.TemporaryDirectory() as d:
        doc = score_json(TELCO, segmented_telco_model(d))
    want, _ = independent_segmented_telco()
    assert len(doc["rows"]) == len(want) == 7043
    worst = 0.0
    for got, (acc, label, score, band, _) in zip(doc["rows"], want):
        assert got["id"] == acc and got["segment"] == label, (got, acc, label)
        worst = max(worst, abs(got["score"] - score))
        assert got["band"] == band, (acc, got["score"], score, band)
    assert worst < 1e-9, worst
    # Counts and values per band, per segment and overall (overall = the segments' sums by band id).
    summary = doc["summary"]
    labels = [s["label"] for s in summary["segments"]]
    assert labels == ["Fiber", "DSL", "No internet"]
    overall_counts = {"red": 0, "yellow": 0, "green": 0}
    overall_values = {"red": 0.0, "yellow": 0.0, "green": 0.0}
    for seg in summary["segments"]:
        mine = [w for w in want if w[1] == seg["label"]]
        counts = {b: sum(1 for w in mine if w[3] == b) for b in overall_counts}
        values = {b: sum(w[4] or 0 for w in mine if w[3] == b) for b in overall_counts}
        assert seg["rows"] == len(mine)
        assert seg["bands"] == counts, (seg["label"], seg["bands"], counts)
        for b in counts:
            assert abs(seg["value"]["bands"][b] - values[b]) <= 1e-6 * max(1.0, values[b]), (seg["label"], b)
            overall_counts[b] += counts[b]
            overall_values[b] += values[b]
        assert seg["value"]["missing"] == sum(1 for w in mine if w[4] is None)
    assert summary["bands"] == overall_counts
    assert summary["value"]["missing"] == 11
    assert abs(summary["value"]["at_risk"] - overall_values["red"]) <= 1e-6 * overall_values["red"]
    assert abs(summary["value"]["total"] - sum(overall_values.values())) <= 1e-6 * summary["value"]["total"]


def test_segmented_csv_export_names_each_row_s_segment_after_its_band():
    with tempfile.TemporaryDirectory() as d:
        out = run("score", TELCO, "--model", segmented_telco_model(d)).stdout.decode("utf-8")
    rows = list(csv.reader(io.StringIO(out, newline="")))
    header = rows[0]
    at = header.index("health_band")
    assert header[at + 1] == "health_segment" and header[at + 2] == "Relationship score", header
    want, _ = independent_segmented_telco()
    assert [r[at + 1] for r in rows[1:]] == [w[1] for w in want]
    plain = run("score", TELCO, "--model", os.path.join(DATA, "telco_model.json")).stdout.decode("utf-8")
    assert "health_segment" not in plain.splitlines()[0]


def test_validate_gives_each_segment_the_auc_of_its_own_accounts_and_value_weighted_rates():
    with tempfile.TemporaryDirectory() as d:
        model = segmented_telco_model(d)
        v = json.loads(run("validate", TELCO, "--model", model, "--json").stdout)
        text = run("validate", TELCO, "--model", model).stdout.decode("utf-8")
    want, rows = independent_segmented_telco()
    churn = [r["Churn"] == "Yes" for r in rows]
    assert [s["label"] for s in v["segments"]] == ["Fiber", "DSL", "No internet"]
    for seg in v["segments"]:
        idx = [i for i, w in enumerate(want) if w[1] == seg["label"]]
        auc = pairwise_auc([want[i][2] for i in idx], [churn[i] for i in idx])
        assert seg["health"]["auc"] == round(auc, 3), (seg["label"], seg["health"]["auc"], auc)
        assert seg["accounts"]["rows"] == len(idx)
        red = [i for i in idx if want[i][3] == "red"]
        rate = sum(churn[i] for i in red) / len(red)
        assert seg["bands"][0]["rate_pct"] == round(100 * rate, 1), (seg["label"], seg["bands"][0], rate)
        assert f"  {seg['label']}: {len(idx)} rows" in text
    red = [i for i, w in enumerate(want) if w[3] == "red"]
    value = [w[4] or 0 for w in want]
    value_rate = sum(value[i] for i in red if churn[i]) / sum(value[i] for i in red)
    assert v["bands"][0]["value_rate_pct"] == round(100 * value_rate, 1), (v["bands"][0], value_rate)
    assert "Value at risk (TotalCharges in 'At risk')" in text


def test_compare_of_a_file_with_itself_counts_every_segment_unchanged():
    with tempfile.TemporaryDirectory() as d:
        model = segmented_telco_model(d)
        c = json.loads(run("compare", TELCO, TELCO, "--model", model, "--json").stdout)
        text = run("compare", TELCO, TELCO, "--model", model).stdout.decode("utf-8")
    want, _ = independent_segmented_telco()
    assert c["changed_segment"] == 0
    for seg in c["segments"]:
        n = sum(1 for w in want if w[1] == seg["label"])
        assert seg["matched"] == n and seg["moved_in"] == 0 and seg["band_moves"]["same"] == n, seg
        assert seg["mean_change"] == 0
    assert "By segment (in the new file; 0 accounts changed segment)" in text


def test_a_bad_segment_exits_2_naming_its_json_path():
    with tempfile.TemporaryDirectory() as d:
        path = segmented_telco_model(d)
        with open(path, encoding="utf-8") as f:
            m = json.load(f)
        m["segments"]["groups"][1]["categories"]["usage"]["signals"]["Paperless"] = {"weight": 1}
        with open(path, "w", encoding="utf-8") as f:
            json.dump(m, f)
        p = run("score", TELCO, "--model", path, ok=False)
        assert p.returncode == 2 and p.stdout == b""
        assert b"segments.groups[1].categories.usage.signals.Paperless names no signal" in p.stderr, p.stderr
        m["segments"]["groups"][1]["categories"]["usage"]["signals"].pop("Paperless")
        m["segments"]["column"] = "Internet"
        with open(path, "w", encoding="utf-8") as f:
            json.dump(m, f)
        p = run("score", TELCO, "--model", path, ok=False)
        assert p.returncode == 2 and b'column "Internet" named by segments.column' in p.stderr, p.stderr


def test_score_summary_prints_counts_and_values_per_band_and_segment_as_the_json_has_them():
    with tempfile.TemporaryDirectory() as d:
        model = segmented_telco_model(d)
        text = run("score", TELCO, "--model", model, "--format", "summary").stdout.decode("utf-8")
        doc = score_json(TELCO, model)
    s = doc["summary"]
    assert text.startswith("Telco churn (test model): 7043 accounts of Telco-Customer-Churn.csv, 7043 scored\n"), text
    assert f"Value at risk (TotalCharges in 'At risk'): {s['value']['at_risk']:.2f} of {s['value']['total']:.2f}" in text
    assert "11 accounts have an empty or unreadable value, counted as 0" in text
    for seg in s["segments"]:
        assert f"  {seg['label']}: {seg['rows']} accounts, value at risk {seg['value']['at_risk']:.2f}" in text, seg["label"]
    assert "    At risk (<= 40)" in text  # Fiber's own cut point
    lines = [l.split() for l in text.splitlines() if l.startswith("  At risk")]
    assert int(lines[0][4]) == s["bands"]["red"], lines[0]
    plain = run("score", TELCO, "--model", os.path.join(DATA, "telco_model.json"), "--format", "summary").stdout.decode()
    assert "By segment" not in plain and "Value at risk" not in plain and "value" not in plain.splitlines()[1]


def test_model_init_proposes_the_value_column():
    m = json.loads(run("model", "init", os.path.join(DATA, "es_accounts.csv")).stdout)
    assert m.get("value_column") == "MRR", m.get("value_column")


def test_regression_inputs_that_are_not_regular_files_are_refused_with_a_message():
    for path, says in (("/tmp", "it is a folder, not a file"), ("/dev/zero", "it is not a regular file")):
        p = run("inspect", path, ok=False)
        assert p.returncode == 2, p.returncode
        assert says in p.stderr.decode(), p.stderr


def test_regression_output_is_written_atomically_and_never_half_written():
    sample = os.path.join(ROOT, "web", "sample", "accounts.csv")
    model = os.path.join(ROOT, "web", "sample", "model.json")
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "scored.csv")
        with open(out, "w") as f:
            f.write("the previous export\n")
        run("score", sample, "--model", model, "-o", out)
        assert open(out, "rb").read() == run("score", sample, "--model", model).stdout
        assert os.listdir(d) == ["scored.csv"], os.listdir(d)  # no temporary file left behind
        # A failing write (a folder where the file should go) names the file and leaves nothing.
        os.mkdir(os.path.join(d, "taken"))
        p = run("score", sample, "--model", model, "-o", os.path.join(d, "taken"), ok=False)
        assert p.returncode == 2 and "cannot write" in p.stderr.decode(), p.stderr
        assert sorted(os.listdir(d)) == ["scored.csv", "taken"], os.listdir(d)


def test_regression_control_characters_from_a_file_reach_the_terminal_escaped():
    with tempfile.TemporaryDirectory() as d:
        data = os.path.join(d, "esc.csv")
        with open(data, "wb") as f:
            f.write(b"id,x\n1,2\n")
        model = os.path.join(d, "m.json")
        with open(model, "w") as f:
            json.dump({"version": 1, "categories": [{"id": "c", "signals": [{"column": "gone\u001b]0;pwned\u0007", "rule": {"type": "percentile"}}]}]}, f)
        p = run("score", data, "--model", model, "--allow-missing-columns")
        err = p.stderr.decode()
        assert "\x1b" not in err and "\x07" not in err, repr(err)
        assert "gone\\x1B]0;pwned\\x07" in err, repr(err)


def test_regression_a_model_nested_40000_levels_deep_in_an_unknown_field_is_refused_without_a_crash():
    deep = os.path.join(DATA, "bad", "model_deep_unknown_field.json")
    p = run("score", os.path.join(ROOT, "web", "sample", "accounts.csv"), "--model", deep, ok=False)
    assert p.returncode == 2, p.returncode
    assert "more than 64 levels deep" in p.stderr.decode(), p.stderr


def test_excel_conventions_write_semicolons_decimal_commas_and_a_bom():
    sample = os.path.join(ROOT, "web", "sample", "accounts.csv")
    model = os.path.join(ROOT, "web", "sample", "model.json")
    plain = run("score", sample, "--model", model).stdout.decode("utf-8")
    es = run("score", sample, "--model", model, "--csv", "excel-es").stdout
    assert es.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(es[3:].decode("utf-8")), delimiter=";"))
    std = list(csv.reader(io.StringIO(plain)))
    assert len(rows) == len(std) and rows[0] == std[0]
    i = std[0].index("health_score")
    for a, b in zip(std[1:], rows[1:]):
        assert b[i] == a[i].replace(".", ","), (a[i], b[i])
    p = run("score", sample, "--model", model, "--csv", "excel-fr", ok=False)
    assert p.returncode == 2 and "--csv must be" in p.stderr.decode()


def test_lang_renders_errors_in_spanish_and_portuguese_from_the_flag_or_the_locale():
    with tempfile.TemporaryDirectory() as d:
        bad = os.path.join(d, "cuentas.csv")
        with open(bad, "w", encoding="utf-8") as f:
            f.write("Código;Plan\n\"A1;Pro\n")
        en = run("inspect", bad, ok=False).stderr.decode()
        es = run("inspect", bad, "--lang", "es", ok=False).stderr.decode()
        pt = run("--lang=pt", "inspect", bad, ok=False).stderr.decode()
        assert "cuentas.csv: row 2, column 1 (\"Código\"): a quoted cell starts here" in en, en
        assert "cuentas.csv: fila 2, columna 1 (\"Código\"): aquí empieza una celda entre comillas" in es, es
        assert "cuentas.csv: linha 2, coluna 1 (\"Código\"): aqui começa uma célula entre aspas" in pt, pt
        # No flag: the locale decides (LC_ALL first, as setlocale does); "C" is English.
        env = {k: v for k, v in os.environ.items() if not k.startswith("LC_") and k != "LANG"}
        for locale_env, want in [({"LANG": "pt_BR.UTF-8"}, pt), ({"LC_ALL": "es_ES.UTF-8", "LANG": "pt_BR"}, es),
                                 ({"LC_ALL": "C", "LANG": "es_ES"}, en), ({"LC_MESSAGES": "es_MX"}, es)]:
            p = subprocess.run([BIN, "inspect", bad], capture_output=True, env={**env, **locale_env})
            assert p.stderr.decode() == want, (locale_env, p.stderr.decode())
        # --json also gives the refusal's code and parameters on stdout.
        p = run("inspect", bad, "--json", "--lang", "es", ok=False)
        doc = json.loads(p.stdout)
        assert doc["error"]["code"] == "csv.unclosed_quote" and doc["message"] in es, doc
        p = run("inspect", bad, "--lang", "fr", ok=False)
        assert p.returncode == 2 and "--lang must be en, es or pt" in p.stderr.decode()


def test_validate_and_trend_word_their_verdicts_in_the_chosen_language():
    sample = os.path.join(ROOT, "web", "sample", "accounts.csv")
    model = os.path.join(ROOT, "web", "sample", "model.json")
    en = json.loads(run("validate", sample, "--model", model, "--json").stdout)
    pt = json.loads(run("validate", sample, "--model", model, "--json", "--lang", "pt").stdout)
    es_text = run("validate", sample, "--model", model, "--lang", "es").stdout.decode()
    assert en["suggested_weights"]["verdict_message"] == pt["suggested_weights"]["verdict_message"]
    assert en["suggested_weights"]["verdict"] != pt["suggested_weights"]["verdict"]
    assert "contas reservadas" in pt["suggested_weights"]["verdict"], pt["suggested_weights"]["verdict"]
    assert "cuentas reservadas" in es_text and "Keep the current weights" not in es_text, es_text
    for c in pt["checks"]:
        assert c["text"] and "rate in the lowest band" not in c["text"], c


def test_explain_says_the_lift_in_the_signal_s_own_values_and_it_holds_when_written_into_the_file():
    # Tickets 6 scores 20 and logins 60 score 100: (20 + 100) / 2 = 60, yellow. Green needs 70.5,
    # so tickets must score 41 or more: the step "<= 2" (70), health (70 + 100) / 2 = 85.
    model = {"version": 1, "id_column": "Account ID", "categories": [{"id": "support", "label": "Support", "weight": 1,
             "signals": [{"column": "Open tickets", "rule": {"type": "steps", "steps": [
                 {"max": 0, "score": 100}, {"max": 2, "score": 70}, {"score": 20}]}},
                 {"column": "Logins (30d)", "rule": {"type": "linear", "min": 0, "max": 60}}]}]}
    rows = "Account ID,Open tickets,Logins (30d)\nA-1,6,60\nA-2,0,12\n"
    with tempfile.TemporaryDirectory() as d:
        mp, fp = os.path.join(d, "m.json"), os.path.join(d, "a.csv")
        with open(mp, "w") as f:
            json.dump(model, f)
        with open(fp, "w") as f:
            f.write(rows)
        text = run("explain", fp, "--model", mp, "--id", "A-1").stdout.decode()
        assert "health 60 (exactly 60.00), Neutral" in text, text
        assert "To reach Healthy (health 85): reduce Open tickets from 6 to 2 or fewer." in text, text
        doc = json.loads(run("explain", fp, "--model", mp, "--row", "1", "--json").stdout)
        (c,) = doc["next_band"]["changes"]
        assert (c["direction"], c["from_raw"], c["to_text"], c["bound"]) == ("reduce", "6", "2", "or_fewer")
        assert doc["next_band"]["to_band"] == 2 and doc["band"] == "yellow"
        with open(fp, "w") as f:
            f.write(rows.replace("A-1,6,", "A-1," + c["to_text"] + ","))
        assert score_json(fp, mp)["rows"][0]["band"] == "green"
        # logins 12 scores 20, tickets 0 score 100: 60; green needs a logins score of 41, which
        # is 24.6 logins: 25 in a column of whole numbers.
        text = run("explain", fp, "--model", mp, "--row", "2").stdout.decode()
        assert "raise Logins (30d) from 12 to 25 or more." in text, text
        p = run("explain", fp, "--model", mp, ok=False)
        assert p.returncode == 2 and "--row N or --id ID" in p.stderr.decode()
        p = run("explain", fp, "--model", mp, "--row", "3", ok=False)
        assert p.returncode == 2 and "--row must be" in p.stderr.decode()



if __name__ == "__main__":
    sys.exit(run_tests(globals()))
