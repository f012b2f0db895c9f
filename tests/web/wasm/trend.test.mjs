// SPDX-License-Identifier: MIT
// The bindings' History calls against `healthscore trend` on the hand-worked snapshots of
// tests/data/trend: dates from file names, the report (band mix, flows, movers, lagged AUC) and both
// CSV exports byte for byte, and the snapshot list's bookkeeping.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, loadEngine, root } from '../helpers.mjs';

const dir = join(root, 'tests', 'data', 'trend');
const names = ['accounts-2026-11-30.csv', 'accounts-2026-09-30.csv', 'accounts-2026-10-31.csv']; // out of order
const modelPath = join(dir, 'model.json');
let engine, openBytes;

before(async () => {
  engine = await loadEngine();
  ({ openBytes } = await import('../../../dist/lib/open.js'));
});

function cli(args) {
  const r = runCli(['trend', ...names.map((n) => join(dir, n)), '--model', modelPath, ...args]);
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

test("a file name's date is the command line's, and an unclear one says why", () => {
  const day = (y, m, d) => Math.round(Date.UTC(y, m - 1, d) / 86400000);
  assert.equal(engine.dateInName('accounts-2026-11-30.csv').date, day(2026, 11, 30));
  assert.equal(engine.dateInName('export_20261031.xlsx').date, day(2026, 10, 31));
  assert.equal(engine.dateInName('accounts-2026-02.csv').date, day(2026, 2, 28));
  const unclear = engine.dateInName('accounts-05-11-2026.csv');
  assert.equal(unclear.date, null);
  assert.equal(unclear.problem.code, 'trend.name_unclear');
  assert.equal(engine.dateInName('accounts.csv').problem.code, 'trend.name_no_date');
});

test("snapshots read through the one read path make the command line's trend and CSV bytes", () => {
  const ids = [];
  for (const n of names) {
    const r = openBytes(engine, 'snapshot', new Uint8Array(readFileSync(join(dir, n))), n, {});
    assert.ok(r.ok, r.message);
    const added = engine.addSnapshot(engine.dateInName(n).date);
    assert.ok(added.ok, added.message);
    assert.equal(added.snapshot.source, n);
    assert.ok(added.snapshot.memory_bytes > 0);
    ids.push(added.snapshot.id);
  }
  assert.equal(engine.snapshots().snapshots.length, 3);
  const model = readFileSync(modelPath, 'utf8');
  const seen = [];
  const r = engine.trend(model, { list_limit: 1 }, (done, total) => seen.push([done, total]));
  assert.ok(r.ok, r.message);
  assert.deepEqual(seen, [
    [1, 3],
    [2, 3],
    [3, 3],
  ]);
  const got = JSON.parse(r.json);
  const want = JSON.parse(cli(['--format', 'json']).toString());
  assert.equal(got.accounts, undefined, "no per-account series in the page's report");
  for (const k of ['snapshots', 'movers', 'lagged', 'bands', 'left_out']) assert.deepEqual(got[k], want[k], k);
  got.flows.forEach((f, i) => {
    assert.deepEqual(f.matrix, want.flows[i].matrix);
    assert.deepEqual(f.counts, want.flows[i].counts);
    assert.deepEqual(f.newly_at_risk, want.flows[i].newly_at_risk.slice(0, 1));
  });
  // The series of every account the movers name.
  const a = want.accounts.find((x) => x.id === 'A');
  assert.deepEqual(
    [...r.series.A],
    a.series.map((p) => (p && p.score !== null ? p.score : null)),
  );
  for (const convention of ['standard', 'excel', 'excel-es']) {
    const bytes = cli(['--format', 'csv', '--csv', convention]);
    assert.ok(Buffer.from(engine.trendCsv(convention).bytes).equals(bytes), `series CSV (${convention})`);
  }
  // The movers CSV: the command line writes it only to a file.
  const tmp = join(root, 'build', `trend-movers-${process.pid}.csv`);
  cli(['--format', 'json', '--movers', tmp]);
  const movers = readFileSync(tmp);
  rmSync(tmp);
  assert.ok(Buffer.from(engine.trendMoversCsv('standard').bytes).equals(movers), 'movers CSV');
  // Changing a date or removing a snapshot forgets the report; the exports then refuse.
  assert.ok(engine.setSnapshotDate(ids[0], null).ok);
  assert.equal(engine.trendCsv('standard').error.code, 'engine.no_trend');
  const undated = engine.trend(model, {}, undefined);
  assert.equal(undated.error.code, 'trend.undated_snapshot');
  for (const id of ids) assert.ok(engine.removeSnapshot(id).ok);
  assert.equal(engine.removeSnapshot(ids[0]).error.code, 'engine.no_snapshot');
  assert.equal(engine.trend(model, {}, undefined).error.code, 'engine.no_snapshots');
});

test("the weights fitted over time, the per-segment flow and one account's series are the command line's", () => {
  // Three months of two categories and a segment with its own cut points; some accounts leave.
  const tmp = mkdtempSync(join(tmpdir(), 'hs-trend-wasm-'));
  const model = {
    version: 1,
    id_column: 'Account ID',
    categories: [
      { id: 'u', label: 'Usage', weight: 1, signals: [{ column: 'U', rule: { type: 'linear', min: 0, max: 100 } }] },
      { id: 's', label: 'Support', weight: 1, signals: [{ column: 'S', rule: { type: 'linear', min: 0, max: 100 } }] },
    ],
    segments: {
      column: 'Tier',
      groups: [
        {
          id: 'big',
          label: 'Big',
          values: ['big'],
          bands: [
            { id: 'red', max: 60 },
            { id: 'yellow', max: 80 },
            { id: 'green', max: 100 },
          ],
        },
      ],
    },
  };
  const months = ['2026-01-31', '2026-02-28', '2026-03-31'];
  const files = months.map((date, m) => {
    const rows = [];
    for (let k = 0; k < 40; k++) {
      if ((k * 7 + m) % 9 === 0 && m > 0) continue; // gone this month
      rows.push(`A${k},${(k * 37 + m * 11) % 100},${(k * 53 + m * 29) % 100},${k % 3 ? 'small' : 'big'}`);
    }
    const path = join(tmp, `accounts-${date}.csv`);
    writeFileSync(path, `Account ID,U,S,Tier\n${rows.join('\n')}\n`);
    return path;
  });
  const modelFile = join(tmp, 'model.json');
  writeFileSync(modelFile, JSON.stringify(model));
  try {
    for (const f of files) {
      const name = f.slice(tmp.length + 1);
      assert.ok(openBytes(engine, 'snapshot', new Uint8Array(readFileSync(f)), name, {}).ok);
      assert.ok(engine.addSnapshot(engine.dateInName(name).date).ok);
    }
    const r = engine.trend(JSON.stringify(model), { suggest: true }, undefined);
    assert.ok(r.ok, r.message);
    const got = JSON.parse(r.json);
    const out = runCli(['trend', ...files, '--model', modelFile, '--suggest', '--format', 'json']);
    assert.equal(out.status, 0, out.stderr);
    const want = JSON.parse(out.stdout.toString());
    assert.ok(want.suggested_weights.categories, 'the command line fitted weights');
    assert.deepEqual(got.suggested_weights, want.suggested_weights);
    assert.deepEqual(got.segments, want.segments);
    // Not asked: none.
    assert.equal(JSON.parse(engine.trend(JSON.stringify(model), {}, undefined).json).suggested_weights, undefined);
    // One account's series for the breakdown's chart: the command line's scores and bands.
    const a = want.accounts.find((x) => x.series.some((p) => p === null));
    const s = engine.trendAccount(` ${a.id} `);
    assert.ok(s.found);
    assert.deepEqual([...s.dates], months);
    const bandIds = want.bands.map((b) => b.id);
    a.series.forEach((p, i) => {
      assert.equal(s.scores[i], p === null ? null : p.score);
      assert.equal(s.bands[i], p === null ? -2 : p.band === null ? -1 : bandIds.indexOf(p.band));
    });
    assert.equal(s.segments.length, 3);
    assert.equal(engine.trendAccount('nobody').found, false);
    for (const x of engine.snapshots().snapshots) assert.ok(engine.removeSnapshot(x.id).ok);
    assert.equal(engine.trendAccount(a.id).found, false, 'no trend, no account');
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
