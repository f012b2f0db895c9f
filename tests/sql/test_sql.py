#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The query of `healthscore sql` run on real engines, against `healthscore score` on the same data.

    build/venv/bin/python tests/sql/test_sql.py [path/to/healthscore]

For each data set (the generated sample at 10,000 rows, IBM's Telco churn corpus, and a table built
here to reach every rule, policy and edge) the typed rows are loaded into DuckDB, a throwaway
PostgreSQL 15 cluster (initdb in a temporary folder, Unix socket only, stopped at the end even on
failure) and Spark in local mode (from Parquet), and written as CSV for the command line. Every
score and category score must agree within 1e-9, every band exactly. An engine that cannot start
fails its tests; nothing is skipped. Ends with `N passed, N failed`.
"""
import csv
import datetime as dt
import io
import json
import math
import os
import pwd
import random
import shutil
import subprocess
import sys
import tempfile
import time
import traceback

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else os.path.join(ROOT, "build", "native", "healthscore")
CORPUS = os.path.join(os.path.dirname(ROOT), "shared", "corpus")
TOLERANCE = 1e-9
PG_BIN = "/usr/lib/postgresql/15/bin"

# ---- typed tables ---------------------------------------------------------------------------


class Table:
    """Rows of Python values (float, int, str, bool, date, datetime or None) under typed columns."""

    def __init__(self, name, columns, rows):
        self.name = name
        self.columns = columns  # [(name, type)], type in double, bigint, text, boolean, date, timestamp
        self.rows = rows


def cell_text(value):
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)  # shortest text that reads back as the same double
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def to_csv(table):
    """Every value quoted, a NULL as an unquoted empty field: the command line reads both as they
    are meant, and PostgreSQL's COPY tells a NULL from an empty text the same way."""
    def field(text):
        return "" if text is None else '"' + text.replace('"', '""') + '"'
    out = [",".join(field(n) for n, _ in table.columns)]
    for row in table.rows:
        out.append(",".join(field(cell_text(v)) for v in row))
    return "\n".join(out) + "\n"


def to_arrow(table):
    import pyarrow as pa
    types = {"double": pa.float64(), "bigint": pa.int64(), "text": pa.string(), "boolean": pa.bool_(),
             "date": pa.date32(), "timestamp": pa.timestamp("us")}
    arrays = [pa.array([r[i] for r in table.rows], type=types[t]) for i, (_, t) in enumerate(table.columns)]
    return pa.Table.from_arrays(arrays, names=[n for n, _ in table.columns])


def qi(name):
    return '"' + name.replace('"', '""') + '"'


# ---- the command line -----------------------------------------------------------------------


def cli(*args):
    p = subprocess.run([BIN, *args], capture_output=True)
    if p.returncode != 0:
        raise AssertionError(f"healthscore {' '.join(args)} exited {p.returncode}: {p.stderr.decode()}")
    return p.stdout.decode()


DEFAULT_BANDS = [{"id": "red", "max": 50}, {"id": "yellow", "max": 70}, {"id": "green", "max": 100}]
MAP_SPACES = " \t\r\n\u00a0"


def fold(text):
    """The engine's folding of map keys and segment values: trimmed, ASCII and U+00C0..U+00DE
    (not U+00D7) lower-cased, nothing else."""
    return "".join(chr(ord(c) + 32) if "A" <= c <= "Z" or (0xC0 <= ord(c) <= 0xDE and ord(c) != 0xD7) else c
                   for c in text.strip(MAP_SPACES))


def segment_of(segments, text):
    """The contract's segment matching, written again here: the first group with a value equal to
    the trimmed cell ignoring case; None (the other segment) for no match or an empty cell."""
    if text is None or text.strip(MAP_SPACES) == "":
        return None
    for g, group in enumerate(segments["groups"]):
        if any(fold(v) == fold(text) for v in group["values"]):
            return g
    return None


def group_model(model, g):
    """The base model with group g's overrides, as the contract states them: category weights,
    signal weights and whole rules by category id and signal key, band cut points and actions."""
    m = json.loads(json.dumps(model))
    group = m.pop("segments")["groups"][g]
    for cid, co in group.get("categories", {}).items():
        cat = next(c for c in m["categories"] if c["id"] == cid)
        if "weight" in co:
            cat["weight"] = co["weight"]
        for key, so in co.get("signals", {}).items():
            for sig in cat["signals"]:
                if sig.get("id", sig["column"]) == key:
                    sig.update({k: so[k] for k in ("weight", "rule") if k in so})
    if "bands" in group:
        bands = m.get("bands", json.loads(json.dumps(DEFAULT_BANDS)))
        for band, bo in zip(bands, group["bands"]):
            band["max"] = bo["max"]
        m["bands"] = bands
    return m


class Case:
    """One data set scored with one model: the command line's answer, and the query per dialect.
    With segments, each segment's rows are scored by the command line on their own with that
    segment's model (statistics over the segment's accounts, as the contract says)."""

    def __init__(self, name, table, model, as_of=None, sql_table=None):
        self.name, self.table, self.model, self.as_of = name, table, model, as_of
        self.sql_table = sql_table or table.name
        self.dir = tempfile.mkdtemp(prefix="hs-sql-")
        self.model_path = self._write("model.json", json.dumps(model, ensure_ascii=False))
        self.extra = ["--as-of", as_of] if as_of else []
        self.expected = {}
        segments = model.get("segments")
        if not segments:
            self._score(table.rows, model, None)
            return
        col = [n for n, _ in table.columns].index(segments["column"])
        parts = {}
        for row in table.rows:
            parts.setdefault(segment_of(segments, cell_text(row[col])), []).append(row)
        assert len(parts) >= 2, "a segmented case needs rows in more than one segment"
        for g, rows in parts.items():
            if g is None:
                base = {k: v for k, v in model.items() if k != "segments"}
                self._score(rows, base, segments.get("other_label", "Other"))
            else:
                self._score(rows, group_model(model, g), segments["groups"][g]["label"])

    def _write(self, name, text):
        path = os.path.join(self.dir, name)
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        return path

    def _score(self, rows, model, label):
        n = len(self.expected)
        data = self._write(f"part{n}.csv", to_csv(Table(self.table.name, self.table.columns, rows)))
        path = self._write(f"part{n}.json", json.dumps(model, ensure_ascii=False))
        doc = json.loads(cli("score", data, "--model", path, "--format", "json", *self.extra))
        for r in doc["rows"]:
            r["segment"] = label
            assert r["id"] not in self.expected, r["id"]
            self.expected[r["id"]] = r

    def sql(self, dialect, table=None):
        return cli("sql", self.model_path, "--dialect", dialect, "--table", table or self.sql_table, *self.extra)


def output_names(model):
    names = [model["id_column"], "health_score", "health_band"]
    if model.get("segments"):
        names.append("health_segment")
    names += [c["id"] + "_score" for c in model["categories"]]
    if model.get("value_column"):
        names.append(model["value_column"])
    return names


def numeric_outputs(model):
    return {"health_score", model.get("value_column")} | {c["id"] + "_score" for c in model["categories"]}


def compare(case, names, rows):
    """Asserts the engine's rows equal the command line's; returns the largest score difference."""
    model = case.model
    cats = [c["id"] for c in model["categories"]]
    want_names = output_names(model)
    assert names == want_names, f"columns {names} != {want_names}"
    at = {n: i for i, n in enumerate(names)}
    expected = case.expected
    assert len(rows) == len(expected) == len(case.table.rows), (len(rows), len(expected), len(case.table.rows))
    values = {}
    if model.get("value_column"):
        iv = [n for n, _ in case.table.columns].index(model["value_column"])
        values = {r[0]: r[iv] for r in case.table.rows}
    problems, worst = [], 0.0
    scored = banded = 0
    seen = set()
    for row in rows:
        key = row[0] if isinstance(row[0], str) else str(row[0])
        want = expected.get(key.strip(MAP_SPACES))
        if want is None or key in seen:
            problems.append(f"id {row[0]!r} is not in the engine's rows, or twice in the query's")
            continue
        seen.add(key)

        def close(label, got, exp):
            nonlocal worst
            if exp is None or got is None:
                if exp is not None or got is not None:
                    problems.append(f"{key}: {label} {got!r} != {exp!r}")
                return
            d = abs(float(got) - exp)
            worst = max(worst, d)
            if not d <= TOLERANCE:
                problems.append(f"{key}: {label} {got!r} != {exp!r} (differs by {d:.3g})")

        close("health_score", row[at["health_score"]], want["score"])
        band = row[at["health_band"]]
        if band != want["band"]:
            problems.append(f"{key}: health_band {band!r} != {want['band']!r} (score {want['score']!r})")
        if "health_segment" in at and row[at["health_segment"]] != want["segment"]:
            problems.append(f"{key}: health_segment {row[at['health_segment']]!r} != {want['segment']!r}")
        for c in cats:
            close(c + "_score", row[at[c + "_score"]], want["categories"][c])
        if values and row[at[model["value_column"]]] != values[key]:
            problems.append(f"{key}: value {row[at[model['value_column']]]!r} != {values[key]!r}")
        scored += want["score"] is not None
        banded += band is not None
    assert not problems, f"{len(problems)} differences, first: " + "; ".join(problems[:5])
    assert scored > 0 and banded == scored, (scored, banded)
    return worst


# ---- engines --------------------------------------------------------------------------------


class DuckDB:
    name = "duckdb"

    def __init__(self):
        import duckdb  # noqa: F401  (fails the DuckDB tests when missing)
        self.duckdb = duckdb

    def run(self, case, sql, table_name):
        con = self.duckdb.connect()
        try:
            src = to_arrow(case.table)  # noqa: F841  (read by name below)
            con.execute(f"CREATE TABLE {table_name} AS SELECT * FROM src")
            cur = con.execute(sql)
            names = [d[0] for d in cur.description]
            return names, [tuple(r) for r in cur.fetchall()]
        finally:
            con.close()

    def close(self):
        pass


class Postgres:
    """A cluster of its own: initdb in a temporary folder, a Unix socket there and no TCP port,
    run as the `postgres` user when this runs as root (the server refuses root)."""
    name = "postgres"

    def __init__(self):
        if not os.path.exists(os.path.join(PG_BIN, "initdb")):
            raise RuntimeError(f"PostgreSQL 15 is not installed ({PG_BIN}/initdb is missing); run scripts/setup")
        self.dir = tempfile.mkdtemp(prefix="hs-pg-")
        self.data = os.path.join(self.dir, "data")
        self.sock = self.dir
        self.as_user = []
        if os.geteuid() == 0:
            user = pwd.getpwnam("postgres")
            os.chown(self.dir, user.pw_uid, user.pw_gid)
            self.as_user = ["runuser", "-u", "postgres", "--"]
        self.started = False
        self._run([f"{PG_BIN}/initdb", "-D", self.data, "-U", "postgres", "-A", "trust", "-E", "UTF8",
                   "--locale=C", "--no-sync"])
        self._run([f"{PG_BIN}/pg_ctl", "-D", self.data, "-l", os.path.join(self.dir, "server.log"), "-w", "-o",
                   f"-c listen_addresses='' -c unix_socket_directories='{self.sock}' -c fsync=off", "start"])
        self.started = True

    def _run(self, cmd, stdin=None):
        p = subprocess.run(self.as_user + cmd, input=stdin, capture_output=True)
        if p.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} exited {p.returncode}: {p.stderr.decode()[-2000:]}")
        return p.stdout

    def psql(self, script, stdin=None):
        """Runs a script file; with `stdin`, one command whose COPY ... FROM STDIN reads it (in a
        script file, FROM STDIN would read the file itself)."""
        cmd = [f"{PG_BIN}/psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", self.sock, "-U", "postgres", "-d",
               "postgres"]
        if stdin is not None:
            return self._run(cmd + ["-c", script], stdin)
        path = os.path.join(self.dir, "script.sql")
        with open(path, "w", encoding="utf-8") as f:
            f.write(script)
        os.chmod(path, 0o644)
        return self._run(cmd + ["-f", path])

    def run(self, case, sql, table_name):
        types = {"double": "DOUBLE PRECISION", "bigint": "BIGINT", "text": "TEXT", "boolean": "BOOLEAN",
                 "date": "DATE", "timestamp": "TIMESTAMP"}
        cols = ", ".join(f"{qi(n)} {types[t]}" for n, t in case.table.columns)
        self.psql(f"DROP TABLE IF EXISTS {table_name}; CREATE TABLE {table_name} ({cols});")
        self.psql(f"COPY {table_name} FROM STDIN WITH (FORMAT csv, HEADER true)",
                  stdin=to_csv(case.table).encode())
        out = self.psql(f"COPY (\n{sql}) TO STDOUT WITH (FORMAT csv, HEADER true)").decode()
        rows = list(csv.reader(io.StringIO(out)))
        names, body = rows[0], rows[1:]
        numeric = [n in numeric_outputs(case.model) for n in names]

        def value(text, is_number):  # COPY writes NULL as nothing; no output here is an empty text
            return None if text == "" else float(text) if is_number else text
        return names, [tuple(value(x, k) for x, k in zip(r, numeric)) for r in body]

    def close(self):
        if self.started:
            try:
                self._run([f"{PG_BIN}/pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop"])
            except Exception:
                self._run([f"{PG_BIN}/pg_ctl", "-D", self.data, "-m", "immediate", "stop"])
        shutil.rmtree(self.dir, ignore_errors=True)


class Spark:
    """Spark in local mode, reading each table from a Parquet file written by pyarrow."""
    name = "spark"

    def __init__(self):
        from pyspark.sql import SparkSession
        os.environ["SPARK_LOCAL_IP"] = "127.0.0.1"  # loopback only
        self.dir = tempfile.mkdtemp(prefix="hs-spark-")
        self.spark = (SparkSession.builder.master("local[2]").appName("healthscore-sql-test")
                      .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
                      .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                      .config("spark.sql.shuffle.partitions", "4")
                      .config("spark.driver.memory", "2g").getOrCreate())
        self.spark.sparkContext.setLogLevel("ERROR")

    def run(self, case, sql, table_name):
        import pyarrow.parquet as pq
        path = os.path.join(self.dir, f"{abs(hash(case.name))}.parquet")
        pq.write_table(to_arrow(case.table), path)
        self.spark.read.parquet(path).createOrReplaceTempView(table_name)
        df = self.spark.sql(sql)
        return df.columns, [tuple(r) for r in df.collect()]

    def close(self):
        self.spark.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


# ---- data sets ------------------------------------------------------------------------------


def sample_table(rows=10000):
    p = subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "generate-sample"), "--rows", str(rows),
                        "--seed", "7"], capture_output=True, check=True)
    reader = csv.reader(io.StringIO(p.stdout.decode()))
    header = next(reader)
    types = {"Account ID": "text", "Account": "text", "Plan": "text", "MRR": "double", "Seats": "bigint",
             "Logins (30d)": "bigint", "Active users %": "double", "Features used": "bigint", "Last login": "date",
             "Open tickets": "bigint", "Tickets (90d)": "bigint", "CSAT": "double", "NPS": "bigint",
             "Exec sponsor": "text", "Last QBR": "date", "Days to renewal": "bigint", "Invoices overdue": "bigint",
             "Payment status": "text", "Contract": "text", "Churned": "text"}

    def typed(text, t):  # the loader's job: the generator writes 1,234.56 and 45.3%
        if text == "":
            return None
        if t == "double":
            return float(text[:-1]) / 100 if text.endswith("%") else float(text.replace(",", ""))
        if t == "bigint":
            return int(text)
        if t == "date":
            return dt.date.fromisoformat(text)
        return text
    data = [tuple(typed(v, types[h]) for v, h in zip(r, header)) for r in reader]
    return Table("accounts", [(h, types[h]) for h in header], data)


def telco_table():
    with open(os.path.join(CORPUS, "telco-churn", "Telco-Customer-Churn.csv"), encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        raw = list(reader)
    types = {h: "text" for h in header}
    types.update({"SeniorCitizen": "bigint", "tenure": "bigint", "MonthlyCharges": "double", "TotalCharges": "double"})

    def typed(text, t):
        if text.strip() == "":  # 11 rows hold a single space in TotalCharges
            return None
        return float(text) if t == "double" else int(text) if t == "bigint" else text
    return Table("telco", [(h, types[h]) for h in header], [tuple(typed(v, types[h]) for v, h in zip(r, header)) for r in raw])


# Names and texts that would be SQL if they were not quoted.
ID = 'Account "ID"; --'
LIN = 'n "lin"'
LOG = "n_log\\"
STEPS = "steps; DROP TABLE accounts; --"
PLAN = "Plan ✓ Ünïcødé 名前 '"
FLAG = "flag `native`"
WORDS = "flag words\\'"
SEEN = "last seen"
AT = "seen at"
TICKETS = "tickets"
USAGE = "usage -- x"
GOAL = "goal */ /*"
EDGE = "edge"
TIER = "Tier ' \\ \" --"
TIER_VALUES = ["Enterprise", " enterprise ", "ENTERPRISE PLUS", "Enterprise\u00a0Plus", "élite", "ÉLITE", "Elite",
               "smb", "Small", "", "   ", None, "unknown", "--"]
PLAN_KEYS = {"Gold": 100, "GOLD": 5, "  silver  ": 60, "O'Brien \"x\"": 40, "a\\b": 30, "--": 20,
             "; DROP TABLE accounts; --": 10, "\\'": 15, "Ärger": 25, "Ωmega": 45, "ÉLITE": 90,
             "tab\there": 55, "line\nbreak": 65, "日本語": 75, "": 99}
PLAN_VALUES = ["Gold", "gold", " GOLD ", "\u00a0gold\u00a0", "\tGold", "silver", "SILVER", "O'Brien \"x\"",
               "o'brien \"X\"", "a\\b", "A\\B", "--", "; drop table accounts; --", "\\'", "ärger", "ÄRGER",
               "ΩMEGA", "ωmega", "élite", "Élite", "TAB\there", "line\nbreak", "日本語", "platinum", "", "   ",
               None]
WORD_VALUES = ["Yes", " no ", "SÍ", "NÃO", "x", "X", "1", "0", "T", "f", "verdadero", "FALSO", "sim", "nao", "maybe",
               "", "\u00a0yes\u00a0", "\u2009no\u2009", "\u202fy", None, "true", "FALSE", "ye s", "Sí", "não"]
EDGE_SCORES = {"a": 50.5, "b": 70.5, "c": 0.49999999999999994, "d": 50.49999999999999, "e": 0.5, "f": 100, "g": 0}
AS_OF = dt.date(2026, 11, 25)


def edge_table():
    rnd = random.Random(13)
    cols = [(ID, "text"), (LIN, "double"), (LOG, "double"), (STEPS, "bigint"), (PLAN, "text"), (FLAG, "boolean"),
            (WORDS, "text"), (SEEN, "date"), (AT, "timestamp"), (TICKETS, "bigint"), (USAGE, "double"), (GOAL, "double"),
            (EDGE, "text"), (TIER, "text")]
    rows = []

    def maybe(v, p=0.1):
        return None if rnd.random() < p else v
    for i in range(600):
        lin = maybe(rnd.choice([round(rnd.uniform(-20, 120), 1), 0.0, 100.0, 50.0, 33.3]))
        log = maybe(rnd.choice([rnd.lognormvariate(3, 2), 0.0, -1.5, 1000.0, 1e-9]))
        days_ago = rnd.randint(-30, 400)
        seen = maybe(AS_OF - dt.timedelta(days=days_ago))
        at = maybe(dt.datetime(2026, 11, 25, 23, 59, 59) - dt.timedelta(days=rnd.randint(-5, 60), seconds=rnd.randint(0, 86399)))
        rows.append((f"E-{i:04d}", lin, log, maybe(rnd.randint(-2, 12)), rnd.choice(PLAN_VALUES),
                     maybe(rnd.random() < 0.5), rnd.choice(WORD_VALUES), seen, at, maybe(rnd.randint(0, 8)),
                     maybe(round(rnd.uniform(-10, 120), 2)), maybe(rnd.choice([50.0, 100.0, 0.0, -5.0, 80.0, 0.001])),
                     maybe(rnd.choice(list(EDGE_SCORES) + ["zz"]), 0.5), rnd.choice(TIER_VALUES)))
    # Rows where only the edge map is present, so the health score is exactly its value (renormalize):
    # 50.5 and 70.5 round up, 0.49999999999999994 does not, and an unscored row with nothing at all.
    for j, key in enumerate(list(EDGE_SCORES) * 2):
        rows.append((f"X-{j:02d}", None, None, None, None, None, None, None, None, None, None, None, key, None))
    rows.append(("X-none", None, None, None, None, None, None, None, None, None, None, None, None, None))
    return Table("accounts", cols, rows)


def edge_model(policy, as_of=True):
    m = {
        "version": 1, "name": "every rule", "id_column": ID, "missing": policy,
        "categories": [
            {"id": 'use"; --', "label": "Use ' \" \\", "weight": 30, "signals": [
                {"column": LIN, "weight": 2, "rule": {"type": "linear", "min": 0, "max": 100}},
                {"column": LIN, "id": "lin omitted", "weight": 1,
                 "rule": {"type": "linear", "direction": "lower_is_better"}},
                {"column": LIN, "id": "lin min", "weight": 0.7, "rule": {"type": "linear", "min": 10}},
                {"column": LIN, "id": "flat", "weight": 1, "rule": {"type": "linear", "min": 50, "max": 50}},
                {"column": LOG, "weight": 1, "rule": {"type": "log", "min": 0, "max": 1000}},
                {"column": LOG, "id": "log omitted", "weight": 1.5, "rule": {"type": "log"}},
                {"column": STEPS, "weight": 1, "rule": {"type": "steps", "steps": [
                    {"max": 0, "score": 100}, {"max": 3, "score": 50.5}, {"score": 20}, {"max": 9, "score": 1}]}},
                {"column": STEPS, "id": "no rest", "weight": 1,
                 "rule": {"type": "steps", "direction": "lower_is_better", "steps": [
                     {"max": 2, "score": 90}, {"max": 5.5, "score": 30}]}},
                {"column": "no such column", "weight": 0, "rule": {"type": "linear", "min": 0, "max": 1}},
            ]},
            {"id": "Tëxt", "label": "Tëxt", "weight": 20, "signals": [
                {"column": PLAN, "weight": 2, "rule": {"type": "map", "map": PLAN_KEYS, "default": 35}},
                {"column": PLAN, "id": "no default", "weight": 1,
                 "rule": {"type": "map", "map": PLAN_KEYS, "direction": "lower_is_better"}},
                {"column": FLAG, "weight": 1, "rule": {"type": "boolean", "true_score": 90, "false_score": 10}},
                {"column": WORDS, "weight": 1, "rule": {"type": "boolean"}},
            ]},
            {"id": "time", "weight": 15, "signals": [
                {"column": SEEN, "weight": 1, "rule": {"type": "recency", "full_days": 7, "zero_days": 90}},
                {"column": AT, "weight": 1, "rule": {"type": "recency", "full_days": 0, "zero_days": 30.5,
                                                     "direction": "lower_is_better"}},
            ]},
            {"id": "rank", "weight": 10, "signals": [
                {"column": TICKETS, "weight": 1, "rule": {"type": "percentile"}},
                {"column": LIN, "weight": 1, "rule": {"type": "percentile", "direction": "lower_is_better"}},
            ]},
            {"id": "goal", "weight": 25, "signals": [
                {"column": USAGE, "weight": 1, "rule": {"type": "target", "target": 50}},
                {"column": USAGE, "id": "per goal", "weight": 2, "rule": {"type": "target", "target_column": GOAL}},
                {"column": USAGE, "id": "zero goal", "weight": 1, "rule": {"type": "target", "target": 0}},
                {"column": USAGE, "id": "low", "weight": 1,
                 "rule": {"type": "target", "target": 80, "direction": "lower_is_better"}},
            ]},
            {"id": "edge", "weight": 5, "signals": [
                {"column": EDGE, "rule": {"type": "map", "map": EDGE_SCORES}}]},
            {"id": "off", "weight": 0, "signals": [
                {"column": LIN, "rule": {"type": "linear", "min": 0, "max": 200}}]},
            {"id": "nothing", "weight": 10, "signals": [
                {"column": LIN, "weight": 0, "rule": {"type": "linear", "min": 0, "max": 200}},
                {"column": "absent too", "weight": 0, "rule": {"type": "percentile"}}]},
        ],
        "bands": [
            {"id": "zero'; --", "max": 0}, {"id": "red\\", "max": 50}, {"id": 'yel"low', "max": 70.7},
            {"id": "grün", "max": 100}],
    }
    if as_of:
        m["as_of"] = AS_OF.isoformat()
    return m


def edge_segments(m):
    """Segments over an adversarial column, overriding every kind of thing a group can."""
    m = dict(m, value_column=LIN)
    m["segments"] = {"column": TIER, "other_label": "Other ' label", "groups": [
        {"id": "ent", "label": 'Enterprise "quoted"; --', "values": ["Enterprise", "Enterprise Plus"],
         "categories": {
             'use"; --': {"weight": 50, "signals": {
                 LIN: {"rule": {"type": "linear", "min": 0, "max": 600}},
                 "lin omitted": {"weight": 0},
                 "log omitted": {"weight": 4, "rule": {"type": "log", "max": 50}}}},
             "rank": {"weight": 0}},
         "bands": [{"id": "zero'; --", "max": 10}, {"id": "red\\", "max": 60.5},
                   {"id": 'yel"low', "max": 80, "action": "call"}, {"id": "grün", "max": 100}]},
        {"id": "elite", "label": "Élite \\ x", "values": ["élite"],
         "categories": {
             "Tëxt": {"signals": {"no default": {"rule": {"type": "map", "map": {"gold": 1, "ärger": 99}, "default": 50}},
                                 FLAG: {"weight": 3}}},
             "goal": {"weight": 0}}},
        {"id": "smb", "label": "SMB", "values": ["smb", "small", "--"],
         "categories": {"rank": {"signals": {TICKETS: {"rule": {"type": "linear"}}}},
                        "nothing": {"signals": {LIN: {"weight": 1}}}}},
        {"id": "empty", "label": "no rows", "values": ["nobody has this"], "categories": {"edge": {"weight": 1}}},
    ]}
    return m


def sample_segments(m):
    m = dict(m, value_column="MRR")
    m["segments"] = {"column": "Plan", "groups": [
        {"id": "enterprise", "label": "Enterprise", "values": ["Enterprise"],
         "categories": {"usage": {"weight": 30, "signals": {"Logins (30d)": {"rule": {"type": "linear"}}}},
                        "support": {"weight": 30}},
         "bands": [{"id": "red", "max": 60}, {"id": "yellow", "max": 80}, {"id": "green", "max": 100}]},
        {"id": "starter", "label": "Starter", "values": ["Starter"],
         "categories": {"financial": {"signals": {"Seats": {"weight": 3}, "MRR": {"rule": {"type": "log"}}}}}},
        {"id": "growth", "label": "Growth", "values": ["growth"]}]}
    return m


# ---- the tests ------------------------------------------------------------------------------


def load_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def build_cases():
    sample = sample_table()
    telco = telco_table()
    edge = edge_table()
    odd_table = 'tbl "x"; --'
    sample_model = load_json(os.path.join(ROOT, "web", "sample", "model.json"))
    return [
        Case("sample 10,000 rows, sample model", sample, sample_model),
        Case("Telco corpus, telco model", telco, load_json(os.path.join(ROOT, "tests", "data", "telco_model.json"))),
        Case("every rule, renormalize", edge, edge_model("renormalize"), sql_table=odd_table),
        Case("every rule, zero, as_of from CURRENT_DATE", edge, edge_model("zero", as_of=False), sql_table=odd_table),
        Case("every rule, neutral, --as-of overrides the model", edge, edge_model("neutral"), as_of="2026-12-31",
             sql_table=odd_table),
        Case("every rule with segments and a value column, renormalize", edge, edge_segments(edge_model("renormalize")),
             sql_table=odd_table),
        Case("every rule with segments, zero", edge, edge_segments(edge_model("zero")), sql_table=odd_table),
        Case("sample 10,000 rows with segments by plan and MRR as value", sample, sample_segments(sample_model)),
    ]


def engine_tests(engine_class, cases):
    """One test per case on one engine; the engine starts once and is stopped at the end."""
    tests = []
    state = {}

    def engine():
        if "error" in state:
            raise RuntimeError(f"{engine_class.name} could not start: {state['error']}")
        if "engine" not in state:
            try:
                state["engine"] = engine_class()
            except Exception as e:  # reported by every test of this engine, never skipped
                state["error"] = f"{type(e).__name__}: {e}"
                raise
        return state["engine"]

    for case in cases:
        def test(case=case):
            e = engine()
            name = case.sql_table if engine_class is not Spark else "accounts"
            table_sql = qi(name) if engine_class is not Spark else name
            names, rows = e.run(case, case.sql(engine_class.name, name), table_sql)
            worst = compare(case, list(names), rows)
            return f"largest difference {worst:.3g}"
        tests.append((f"{engine_class.name}: {case.name}", test))

    def stop():
        if "engine" in state:
            state["engine"].close()
    return tests, stop


def command_tests(cases):
    edge = cases[2]

    def sql_refuses_an_unknown_dialect():
        p = subprocess.run([BIN, "sql", edge.model_path, "--dialect", "oracle"], capture_output=True)
        assert p.returncode == 2 and b"--dialect must be duckdb, postgres or spark" in p.stderr, p.stderr

    def sql_refuses_output_columns_that_clash():
        m = dict(edge.model, categories=[dict(edge.model["categories"][0], id="HEALTH")])
        path = os.path.join(edge.dir, "clash.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(m, f)
        p = subprocess.run([BIN, "sql", path, "--dialect", "duckdb"], capture_output=True)
        assert p.returncode == 2, p
        assert b'two columns named "health_score" and "HEALTH_score"' in p.stderr, p.stderr

    def sql_names_the_table_and_the_from_clause_as_given():
        q = cli("sql", edge.model_path, "--dialect", "spark", "--table", "analytics.acc`ounts")
        assert "FROM `analytics`.`acc``ounts`" in q, q[-400:]
        q = cli("sql", edge.model_path, "--dialect", "postgres", "--from", "{{ ref('accounts') }}")
        assert "FROM {{ ref('accounts') }}\n" in q
        assert not q.rstrip().endswith(";"), "a trailing semicolon breaks dbt"

    def sql_without_as_of_uses_current_date_and_with_it_a_date_literal():
        assert "CURRENT_DATE" in cases[3].sql("duckdb") and "DATE '" not in cases[3].sql("duckdb")
        q = cases[4].sql("postgres")
        assert "DATE '2026-12-31'" in q and "2026-11-25" not in q and "CURRENT_DATE" not in q

    return [(f"cli: {f.__name__.replace('_', ' ')}", f) for f in (
        sql_refuses_an_unknown_dialect, sql_refuses_output_columns_that_clash,
        sql_names_the_table_and_the_from_clause_as_given, sql_without_as_of_uses_current_date_and_with_it_a_date_literal)]


def main():
    started = time.time()
    passed = failed = 0

    def run(name, fn):
        nonlocal passed, failed
        t0 = time.time()
        try:
            note = fn()
            passed += 1
            print(f"ok   {name} ({time.time() - t0:.1f} s{', ' + note if note else ''})", flush=True)
        except Exception:
            failed += 1
            print(f"FAIL {name} ({time.time() - t0:.1f} s)", flush=True)
            traceback.print_exc()

    try:
        cases = build_cases()
    except Exception:
        traceback.print_exc()
        print("0 passed, 1 failed")
        return 1
    print(f"data sets and engine scores ready ({time.time() - started:.1f} s)", flush=True)
    for name, fn in command_tests(cases):
        run(name, fn)
    for engine_class in (DuckDB, Postgres, Spark):
        tests, stop = engine_tests(engine_class, cases)
        t0 = time.time()
        try:
            for name, fn in tests:
                run(name, fn)
        finally:
            try:
                stop()
            except Exception:
                failed += 1
                print(f"FAIL stopping {engine_class.name}")
                traceback.print_exc()
        print(f"{engine_class.name}: {time.time() - t0:.1f} s", flush=True)
    for case in cases:
        shutil.rmtree(case.dir, ignore_errors=True)
    print(f"total {time.time() - started:.1f} s")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
