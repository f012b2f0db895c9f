#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Times `healthscore sql` on DuckDB and Spark against `healthscore score`; run by scripts/bench-sql.

Each size is generated once (scripts/generate-sample, seed 42), loaded typed into Parquet by DuckDB
(the loader's job: "1,234.56" and "45.3%" become numbers), and written back from the Parquet as CSV
for the command line, so every side reads the same values. Timed, each run from its input file to
a written output: the CLI (CSV in, CSV out), DuckDB (Parquet in, Parquet out), Spark local[2] and a
standalone Spark cluster of two one-core workers (Parquet in, Parquet out; session start-up timed
apart). Medians over the runs. Scores are then compared: the CLI's JSON against DuckDB's at the
sizes the CLI reads, and both Sparks against DuckDB at every size.
"""
import argparse
import json
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "bench", "out", "sql")
BIN = os.path.join(ROOT, "build", "native", "healthscore")
MODEL = os.path.join(ROOT, "web", "sample", "model.json")
CLI_ROW_LIMIT = 5_000_000  # README "Limits": data rows per file
SPARK_HOME = os.path.join(os.path.dirname(__import__("pyspark").__file__))

import duckdb  # noqa: E402

TYPED = """SELECT "Account ID", "Account", "Plan",
  CAST(replace("MRR", ',', '') AS DOUBLE) AS "MRR", CAST("Seats" AS BIGINT) AS "Seats",
  CAST("Logins (30d)" AS BIGINT) AS "Logins (30d)",
  CAST(rtrim("Active users %", '%') AS DOUBLE) / 100 AS "Active users %",
  CAST("Features used" AS BIGINT) AS "Features used", CAST("Last login" AS DATE) AS "Last login",
  CAST("Open tickets" AS BIGINT) AS "Open tickets", CAST("Tickets (90d)" AS BIGINT) AS "Tickets (90d)",
  CAST(NULLIF("CSAT", '') AS DOUBLE) AS "CSAT", CAST(NULLIF("NPS", '') AS BIGINT) AS "NPS",
  "Exec sponsor", CAST(NULLIF("Last QBR", '') AS DATE) AS "Last QBR",
  CAST("Days to renewal" AS BIGINT) AS "Days to renewal", CAST("Invoices overdue" AS BIGINT) AS "Invoices overdue",
  "Payment status", "Contract", "Churned"
FROM read_csv('{csv}', all_varchar = true, header = true)"""


def log(msg):
    print(msg, flush=True)


def timed(fn):
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def prepare(n):
    raw = os.path.join(OUT, f"raw-{n}.csv")
    parquet = os.path.join(OUT, f"accounts-{n}.parquet")
    canon = os.path.join(OUT, f"accounts-{n}.csv")
    if not os.path.exists(raw):
        log(f"generating {n:,} accounts")
        subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "generate-sample"), "--rows", str(n), "--seed",
                        "42", "-o", raw + ".tmp"], check=True)
        os.replace(raw + ".tmp", raw)
    if not os.path.exists(parquet):
        con = duckdb.connect()
        con.execute(f"COPY ({TYPED.format(csv=raw)}) TO '{parquet}.tmp' (FORMAT parquet)")
        os.replace(parquet + ".tmp", parquet)
    if n <= CLI_ROW_LIMIT and not os.path.exists(canon):
        duckdb.connect().execute(f"COPY (SELECT * FROM '{parquet}') TO '{canon}.tmp' (HEADER, DELIMITER ',')")
        os.replace(canon + ".tmp", canon)
    return parquet, canon if n <= CLI_ROW_LIMIT else None


def sql_for(dialect, source=None):
    args = [BIN, "sql", MODEL, "--dialect", dialect]
    args += ["--from", source] if source else ["--table", "accounts"]
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def run_cli(canon, out):
    subprocess.run([BIN, "score", canon, "--model", MODEL, "-o", out], check=True)


def run_duckdb(parquet, out):
    con = duckdb.connect()
    con.execute("SET threads = 2")
    con.execute(f"COPY ({sql_for('duckdb', f'read_parquet({chr(39)}{parquet}{chr(39)})')}) TO '{out}' (FORMAT parquet)")
    con.close()


class Cluster:
    """A standalone Spark master and two one-core workers, on 127.0.0.1 only."""

    def __init__(self):
        self.procs = []
        env = dict(os.environ, SPARK_HOME=SPARK_HOME, SPARK_LOCAL_IP="127.0.0.1", SPARK_NO_DAEMONIZE="1")
        cls = os.path.join(SPARK_HOME, "bin", "spark-class")
        self.port = free_port()
        self.url = f"spark://127.0.0.1:{self.port}"
        logs = os.path.join(OUT, "cluster-logs")
        os.makedirs(logs, exist_ok=True)
        self._start([cls, "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port", str(self.port),
                     "--webui-port", str(free_port())], env, os.path.join(logs, "master.log"))
        wait_for_port(self.port)
        for i in range(2):
            self._start([cls, "org.apache.spark.deploy.worker.Worker", self.url, "--host", "127.0.0.1", "--cores", "1",
                         "--memory", "3g", "--webui-port", str(free_port()), "--work-dir", os.path.join(logs, f"work{i}")],
                        env, os.path.join(logs, f"worker{i}.log"))

    def _start(self, cmd, env, log_path):
        self.procs.append(subprocess.Popen(cmd, env=env, stdout=open(log_path, "w"), stderr=subprocess.STDOUT,
                                           start_new_session=True))

    def stop(self):
        for p in reversed(self.procs):
            try:
                os.killpg(p.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        for p in self.procs:
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port, timeout=60):
    end = time.time() + timeout
    while time.time() < end:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.5)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port} after {timeout} s")


def spark_session(master):
    from pyspark.sql import SparkSession
    os.environ["SPARK_LOCAL_IP"] = "127.0.0.1"
    b = (SparkSession.builder.master(master).appName("healthscore-bench-sql")
         .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
         .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
         .config("spark.sql.shuffle.partitions", "8").config("spark.driver.memory", "4g"))
    if master.startswith("spark://"):
        b = b.config("spark.executor.memory", "2g").config("spark.executor.cores", "1").config("spark.cores.max", "2")
    spark = b.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def run_spark(spark, parquet, out):
    spark.read.parquet(parquet).createOrReplaceTempView("accounts")
    spark.sql(sql_for("spark")).write.mode("overwrite").parquet(out)


def compare_parquet(a, b):
    """Rows, the largest score difference and the band mismatches between two SQL outputs."""
    files = f"{a}/*.parquet" if os.path.isdir(a) else a
    r = duckdb.connect().execute(f"""SELECT count(*), max(abs(x.health_score - y.health_score)),
        count(*) FILTER (WHERE x.health_band IS DISTINCT FROM y.health_band)
        FROM read_parquet('{files}') x JOIN read_parquet('{b}') y USING ("Account ID")""").fetchone()
    return {"rows": r[0], "max_diff": r[1], "band_mismatches": r[2]}


def compare_cli(canon, duck_out):
    doc = json.loads(subprocess.run([BIN, "score", canon, "--model", MODEL, "--format", "json"], check=True,
                                    capture_output=True).stdout)
    con = duckdb.connect()
    got = {r[0]: (r[1], r[2]) for r in con.execute(
        f"""SELECT "Account ID", health_score, health_band FROM read_parquet('{duck_out}')""").fetchall()}
    worst, mismatches = 0.0, 0
    for row in doc["rows"]:
        s, b = got[row["id"]]
        if (s is None) != (row["score"] is None):
            mismatches += 1
            continue
        if s is not None:
            worst = max(worst, abs(s - row["score"]))
        mismatches += b != row["band"]
    return {"rows": len(doc["rows"]), "max_diff": worst, "band_mismatches": mismatches}


def median(xs):
    return statistics.median(xs) if xs else None


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--sizes", default="1000000 10000000")
    p.add_argument("--runs", type=int, default=3)
    a = p.parse_args()
    sizes = [int(s) for s in a.sizes.split()]
    os.makedirs(OUT, exist_ok=True)
    results = {n: {} for n in sizes}
    checks = {n: {} for n in sizes}
    data = {}
    for n in sizes:
        data[n] = prepare(n)
        log(f"{n:,} accounts: Parquet {os.path.getsize(data[n][0]) / 1e6:.0f} MB")

    for n in sizes:
        parquet, canon = data[n]
        if canon:
            results[n]["cli"] = [timed(lambda: run_cli(canon, os.path.join(OUT, f"cli-{n}.csv"))) for _ in range(a.runs)]
            log(f"cli {n:,}: {results[n]['cli']}")
        duck_out = os.path.join(OUT, f"duckdb-{n}.parquet")
        results[n]["duckdb"] = [timed(lambda: run_duckdb(parquet, duck_out)) for _ in range(a.runs)]
        log(f"duckdb {n:,}: {results[n]['duckdb']}")
        if canon:
            checks[n]["cli vs duckdb"] = compare_cli(canon, duck_out)
            log(f"cli vs duckdb {n:,}: {checks[n]['cli vs duckdb']}")

    startup = {}
    for label, slug, master_of in (("spark local[2]", "spark-local", lambda: ("local[2]", None)),
                                   ("spark cluster (2 workers)", "spark-cluster", lambda: (None, Cluster()))):
        master, cluster = master_of()
        try:
            t0 = time.perf_counter()
            spark = spark_session(master or cluster.url)
            if cluster:  # the executors have registered once a job runs on them
                spark.range(4).repartition(2).count()
            startup[label] = time.perf_counter() - t0
            for n in sizes:
                out = os.path.join(OUT, f"{slug}-{n}")
                results[n][label] = [timed(lambda: run_spark(spark, data[n][0], out)) for _ in range(a.runs)]
                log(f"{label} {n:,}: {results[n][label]}")
                checks[n][f"{label} vs duckdb"] = compare_parquet(out, os.path.join(OUT, f"duckdb-{n}.parquet"))
                log(f"{label} vs duckdb {n:,}: {checks[n][label + ' vs duckdb']}")
            spark.stop()
        finally:
            if cluster:
                cluster.stop()

    # The summary.
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    log(f"\nmachine: {os.cpu_count()} cores ({cpu}), {platform.platform()}; duckdb {duckdb.__version__}, "
        f"pyspark {__import__('pyspark').__version__}; median of {a.runs} runs")
    log("session start-up: " + ", ".join(f"{k} {v:.1f} s" for k, v in startup.items()))
    engines = ["cli", "duckdb", "spark local[2]", "spark cluster (2 workers)"]
    head = "| engine | " + " | ".join(f"{n:,} accounts" for n in sizes) + (" | growth |" if len(sizes) > 1 else " |")
    log(head)
    log("|" + "---|" * (len(sizes) + 1 + (len(sizes) > 1)))
    for e in engines:
        cells = [median(results[n].get(e, [])) for n in sizes]
        row = f"| {e} | " + " | ".join(f"{c:.2f} s" if c is not None else "not run" for c in cells)
        if len(sizes) > 1:
            row += f" | {cells[-1] / cells[0]:.1f}x |" if cells[0] and cells[-1] else " | |"
        else:
            row += " |"
        log(row)
    for n in sizes:
        for k, v in checks[n].items():
            log(f"{n:,} {k}: {v['rows']:,} rows, largest score difference {v['max_diff']:.3g}, "
                f"{v['band_mismatches']} bands differ")
    with open(os.path.join(OUT, "results.json"), "w") as f:
        json.dump({"results": results, "checks": checks, "startup": startup}, f, indent=1)


if __name__ == "__main__":
    main()
