// SPDX-License-Identifier: MIT
// Issue 17: a large CSV is read from its Blob a piece at a time (web/lib/open.js openFile, the
// engine's csv_stream), never whole in the wasm heap. What the page then holds is what reading the
// whole file gives: the same table facts, the same column text, the same scored CSV bytes; files the
// stream hands back (another encoding, a refusal) are read whole, with the whole file's message.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdtempSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { corpusFiles, loadEngine, localToday, root, sample } from '../helpers.mjs';

let engine, openBytes, openFile;
const tmp = mkdtempSync(join(tmpdir(), 'hs-stream-'));
const model = readFileSync(sample.model, 'utf8');

before(async () => {
  engine = await loadEngine();
  ({ openBytes, openFile } = await import('../../../dist/lib/open.js'));
});

function generated(rows, locale, seed) {
  const out = join(tmp, `accounts-${locale}-${rows}.csv`);
  const r = spawnSync(join(root, 'scripts', 'generate-sample'), ['--rows', String(rows), '--seed', String(seed), '--locale', locale, '-o', out]);
  assert.equal(r.status, 0, String(r.stderr));
  return out;
}

/** What a session holds after a read: its info, every column's text bytes, and (with the sample's columns) the scored CSV. */
function held(r) {
  assert.ok(r.ok, JSON.stringify(r));
  const texts = r.info.columns.map((_, i) => {
    const t = engine.columnText(i);
    return [Buffer.from(t.bytes).toString('base64'), Array.from(t.ends)];
  });
  const scored = engine.setModel(model, localToday()).ok ? Buffer.from(engine.exportCsv('standard').bytes).toString('base64') : null;
  return { info: r.info, format: r.format, texts, scored };
}

test('a CSV streamed in pieces holds what reading it whole holds: info, column text and scored CSV bytes', async () => {
  const files = [generated(20000, 'en', 3), generated(20000, 'es', 4), ...corpusFiles().filter((f) => f.endsWith('.csv'))];
  let streamed = 0;
  for (const file of files) {
    const bytes = readFileSync(file);
    const whole = held(openBytes(engine, 'main', new Uint8Array(bytes), basename(file), {}));
    // Pieces of 4 kB and of an odd size past the 64 kB head, and every file streamed whatever its size.
    for (const piece of [4096, 70001]) {
      const r = await openFile(engine, 'main', new Blob([bytes]), basename(file), {}, undefined, { piece, streamFrom: 0 });
      if (bytes.length > 65539) assert.equal(r.read, 'streamed', `${basename(file)} streamed`);
      if (r.read === 'streamed') streamed++;
      assert.deepEqual(held(r), whole, `${basename(file)} in pieces of ${piece}`);
    }
  }
  assert.ok(streamed >= 6, `${streamed} reads streamed`);
});

test('the page streams a CSV from 1 MB on; a smaller one and every workbook are read whole', async () => {
  const big = readFileSync(generated(20000, 'en', 5));
  assert.ok(big.length > 1 << 20);
  assert.equal((await openFile(engine, 'main', new Blob([big]), 'big.csv', {})).read, 'streamed');
  assert.equal((await openFile(engine, 'main', new Blob([readFileSync(sample.file)]), 'accounts.csv', {})).read, 'whole');
  const xlsx = corpusFiles().find((f) => f.endsWith('.xlsx'));
  const r = await openFile(engine, 'main', new Blob([readFileSync(xlsx)]), basename(xlsx), {}, undefined, { streamFrom: 0 });
  assert.equal(r.format, 'xlsx');
  assert.equal(r.read, 'whole');
});

test('a file the stream hands back is read whole: windows-1252 further on, a NUL, an unclosed quote', async () => {
  const base = readFileSync(generated(5000, 'en', 6));
  const cases = {
    'windows-1252 in the last row': Buffer.concat([base, Buffer.from('Z1,Jos\xe9,1\n', 'latin1')]),
    'a NUL in the middle': Buffer.concat([base.subarray(0, base.length >> 1), Buffer.from([0]), base.subarray(base.length >> 1)]),
    'an unclosed quote': Buffer.concat([base, Buffer.from('Z2,"never closed,1\n')]),
  };
  for (const [what, bytes] of Object.entries(cases)) {
    const whole = openBytes(engine, 'staging', new Uint8Array(bytes), 'odd.csv', {});
    const r = await openFile(engine, 'staging', new Blob([bytes]), 'odd.csv', {}, undefined, { piece: 8192, streamFrom: 0 });
    if (whole.ok) {
      assert.equal(r.read, 'whole', what);
      assert.deepEqual(r.info, whole.info, what);
    } else {
      assert.equal(r.ok, false, what);
      assert.deepEqual(r.error, whole.error, what);
    }
  }
});

test('a streamed file is never whole in the wasm heap: the memory in use while it is read stays below a whole read’s by half the file or more', async () => {
  const bytes = readFileSync(generated(300000, 'en', 7));
  // The bytes malloc'd in the wasm heap, sampled as the engine reports progress (about every megabyte).
  const peakWhile = async (read) => {
    engine.discard('staging');
    let peak = 0;
    const progress = () => () => {
      peak = Math.max(peak, engine.memory().used);
    };
    const r = await read(progress);
    assert.ok(r.ok);
    engine.discard('staging');
    return peak;
  };
  const whole = await peakWhile((p) => openBytes(engine, 'staging', new Uint8Array(bytes), 'a.csv', {}, p));
  const streamed = await peakWhile((p) => openFile(engine, 'staging', new Blob([bytes]), 'a.csv', {}, p));
  assert.ok(whole - streamed > bytes.length * 0.5, `in use at most ${whole} whole, ${streamed} streamed, file ${bytes.length}`);
});
