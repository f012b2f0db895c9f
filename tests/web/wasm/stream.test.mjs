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

// ---- a large CSV read in two parts at once: the rest in a second engine (the page's second Worker) ----

/** A CSV of `rows` rows whose notes are quoted and span two lines, so a line break may fall inside a cell. */
function quotedLines(rows) {
  let f = 'Account ID,Plan,MRR,Notes\n';
  for (let i = 0; i < rows; i++)
    f += `A${i},${['Basic', 'Pro', 'Team'][i % 3]},${(i * 7919) % 10007}.5,"first ${i % 13}\nsecond line, ${'-'.repeat(i % 97)}"\n`;
  return Buffer.from(f);
}

test('a CSV read in two parts, its rest in a second engine, holds what reading it whole holds, wherever the split falls', async () => {
  const restEngine = await loadEngine();
  const { localHelper } = await import('../../../dist/lib/open.js');
  const files = [
    ['en.csv', readFileSync(generated(20000, 'en', 3))],
    ['es.csv', readFileSync(generated(20000, 'es', 4))],
    ['quoted.csv', quotedLines(30000)],
  ];
  const reads = { split: 0, streamed: 0 };
  for (const [name, bytes] of files) {
    const whole = held(openBytes(engine, 'main', new Uint8Array(bytes), name, {}));
    for (const splitAt of [0.3, 0.5, 0.77, 0.91]) {
      const how = { piece: 70001, streamFrom: 0, splitFrom: 0, splitAt, helper: localHelper(restEngine, 70001) };
      const r = await openFile(engine, 'main', new Blob([bytes]), name, {}, undefined, how);
      reads[r.read]++;
      assert.deepEqual(held(r), whole, `${name} split at ${splitAt} (${r.read})`);
    }
  }
  // The generated files split at every share; the quoted file's two-line cells hold some splits back
  // (the first line break past the share is inside a cell) and not others.
  assert.ok(reads.split >= 9 && reads.streamed >= 1, JSON.stringify(reads));
});

test('a rest the second engine cannot read, or a second engine that fails, leaves the rest to the first: the whole read’s table or message', async () => {
  const restEngine = await loadEngine();
  const { localHelper } = await import('../../../dist/lib/open.js');
  const base = readFileSync(generated(20000, 'en', 8));
  const cases = {
    'an unclosed quote in the rest': Buffer.concat([base, Buffer.from('Z2,"never closed,1\n')]),
    'windows-1252 in the rest': Buffer.concat([base, Buffer.from('Z1,Jos\xe9,1\n', 'latin1')]),
    'windows-1252 in the last byte, no line break after it': Buffer.concat([base, Buffer.from('Z1,Jos\xe9', 'latin1')]),
    'a NUL in the rest': Buffer.concat([base.subarray(0, base.length - 100), Buffer.from([0]), base.subarray(base.length - 100)]),
    'a ragged row in the rest': Buffer.concat([base, Buffer.from('Z3,short\n')]),
  };
  const calls = [];
  const failing = {
    'a second engine that cannot start': {
      // Started ahead of the read, so its engine loads while the first part is read.
      start: () => calls.push('start'),
      readRest: async () => (calls.push('readRest'), { ok: false, kind: 'crash', message: 'no Worker' }),
    },
    'a second engine that goes away while joining': {
      async readRest(...args) {
        const r = await localHelper(restEngine, 70001).readRest(...args);
        return { ...r, column: async (j) => (j < 3 ? restEngine.csvRestColumn(j) : Promise.reject(new Error('gone'))) };
      },
    },
    'a column the first engine cannot take': {
      async readRest(...args) {
        const r = await localHelper(restEngine, 70001).readRest(...args);
        return { ...r, column: async (j) => (j === 5 ? new Uint8Array(7) : restEngine.csvRestColumn(j)) };
      },
    },
  };
  const cancelled = new Set();
  for (const [what, helper] of Object.entries(failing)) helper.cancel = () => cancelled.add(what);
  const how = (helper) => ({ piece: 70001, streamFrom: 0, splitFrom: 0, splitAt: 0.5, helper });
  for (const [what, bytes] of Object.entries(cases)) {
    const whole = openBytes(engine, 'staging', new Uint8Array(bytes), 'odd.csv', {});
    const r = await openFile(engine, 'staging', new Blob([bytes]), 'odd.csv', {}, undefined, how(localHelper(restEngine, 70001)));
    if (whole.ok) {
      assert.deepEqual(r.info, whole.info, what);
      if (what.includes('ragged')) assert.equal(r.read, 'split', what);
    } else {
      assert.equal(r.ok, false, what);
      assert.deepEqual(r.error, whole.error, what);
    }
  }
  const whole = held(openBytes(engine, 'main', new Uint8Array(base), 'a.csv', {}));
  for (const [what, helper] of Object.entries(failing)) {
    const r = await openFile(engine, 'main', new Blob([base]), 'a.csv', {}, undefined, how(helper));
    assert.equal(r.read, 'streamed', what);
    assert.deepEqual(held(r), whole, what);
  }
  // Each second engine was let go (its Worker would be ended).
  assert.deepEqual([...cancelled], Object.keys(failing));
  assert.deepEqual(calls, ['start', 'readRest']);
});

test('a Blob is read in whole pieces into one reused buffer where its stream is a byte stream, and as its chunks are otherwise', async () => {
  const { pieceReader } = await import('../../../dist/lib/open.js');
  const bytes = new Uint8Array(10_007).map((_, i) => (i * 31 + 7) & 255);
  // A byte stream that gives small, uneven chunks (as a file's stream may), and a plain one.
  const blobOf = (byteStream) => ({
    size: bytes.length,
    stream() {
      let at = 0;
      const chunk = () => Math.min(bytes.length - at, 1 + ((at * 7) % 613));
      return byteStream
        ? new ReadableStream({
            type: 'bytes',
            pull(c) {
              if (at >= bytes.length) return (c.close(), c.byobRequest?.respond(0));
              const n = chunk();
              c.enqueue(bytes.slice(at, (at += n)));
            },
          })
        : new ReadableStream({
            pull(c) {
              if (at >= bytes.length) return c.close();
              const n = chunk();
              c.enqueue(bytes.slice(at, (at += n)));
            },
          });
    },
  });
  for (const byteStream of [true, false]) {
    const reader = pieceReader(blobOf(byteStream), 4096);
    const got = [];
    const sizes = [];
    for (let p; (p = await reader.next());) {
      got.push(p.slice());
      sizes.push(p.length);
    }
    assert.deepEqual(Buffer.concat(got), Buffer.from(bytes), `byte stream: ${byteStream}`);
    if (byteStream)
      assert.deepEqual(sizes, [4096, 4096, 1815]); // whole pieces, the last what is left
    else assert.ok(sizes.length > 10 && Math.max(...sizes) <= 613, String(sizes)); // the stream's chunks
    assert.equal(await reader.next(), null); // and stays at its end
  }
  // A real Blob whose stream is a byte stream (Node's, Chromium's): the pieces are the file's bytes.
  const reader = pieceReader(new Blob([bytes]), 1000);
  const got = [];
  for (let p; (p = await reader.next());) got.push(p.slice());
  assert.deepEqual(Buffer.concat(got), Buffer.from(bytes));
  assert.equal(got.length, 11);
});
