// SPDX-License-Identifier: MIT
// Property tests ("fuzzing" with a seeded PRNG, so every run is the same) of the share-link codec in
// web/lib/share.js. The engine has no C++ share-link decoder: the page decodes the link in JS and
// hands the model JSON to the engine, whose loader (parse_model) is fuzzed natively by
// fuzz/fuzz_model.cpp. What this file checks:
//   1. decodeModel(encodeModel(m)) gives m back, for random models (unicode, nesting, numbers);
//   2. decodeModel never throws, whatever the string, and answers ok:true only with a plain object;
//   3. a link cut anywhere short of its end is refused, never half-read;
//   4. an edited link is refused or gives back exactly the original model (never another one);
//   5. a deflate bomb (a small link that inflates past MAX_MODEL_BYTES) is refused as too_large, fast;
//   6. readFragment never throws.
// Runs against the built page (dist/, made by scripts/build-web), like tests/web/unit/share.test.mjs.
//   node --test tests/web/fuzz_share_link.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { prng } from './helpers.mjs';

const shareUrl = new URL('../../dist/lib/share.js', import.meta.url);
const fflateUrl = new URL('../../node_modules/fflate/esm/browser.js', import.meta.url);
const built = existsSync(shareUrl) && existsSync(fflateUrl);
const skip = built ? false : 'dist/ is not built (run scripts/build-web)';
const share = built ? await import(shareUrl) : {};
const fflate = built ? await import(fflateUrl) : {};

// The error codes decodeModel documents ("error is one of: ..."): an undocumented one fails.
// The documented error codes, from the source's comment (the built file is minified).
const ERRORS = new Set(
  (readFileSync(new URL('../../web/lib/share.js', import.meta.url), 'utf8').match(/error is one of: ([a-z0-9_, ]+)/)?.[1] ?? '').split(/,\s*/),
);
assert.ok(ERRORS.size >= 5, 'the error codes are documented in web/lib/share.js');

const int = (r, n) => Math.floor(r() * n);
const pick = (r, xs) => xs[int(r, xs.length)];
const SAMPLES = ['a', 'Z', '0', ' ', '"', '\\', '/', '<', '&', 'é', 'ñ', '—', '🚀', '\u202e', '\u0000', '\n', '\t', '\uffff'];

function randomString(r, max = 12) {
  let s = '';
  for (let i = int(r, max); i > 0; i--) s += pick(r, SAMPLES);
  return s;
}

function randomValue(r, depth) {
  const k = int(r, depth > 3 ? 4 : 6);
  if (k === 0) return randomString(r);
  if (k === 1) return pick(r, [0, -0.5, 1e308, -1e-300, 42, 3.14159, Number.MAX_SAFE_INTEGER]);
  if (k === 2) return pick(r, [true, false, null]);
  if (k === 3) return int(r, 1000);
  if (k === 4) return Array.from({ length: int(r, 4) }, () => randomValue(r, depth + 1));
  const o = {};
  for (let i = int(r, 4); i > 0; i--) o[randomString(r, 6) || 'k'] = randomValue(r, depth + 1);
  return o;
}

/** A model-shaped document with random content. */
function randomModel(r) {
  const cats = Array.from({ length: 1 + int(r, 4) }, (_, i) => ({
    id: `c${i}`,
    label: randomString(r, 20),
    weight: int(r, 100),
    signals: Array.from({ length: 1 + int(r, 3) }, () => ({
      column: randomString(r, 10) || 'col',
      weight: r() * 10,
      rule: { type: 'linear', min: int(r, 10), max: 10 + int(r, 1000) },
    })),
  }));
  return { version: 1, name: randomString(r, 30), categories: cats, x_extra: randomValue(r, 0) };
}

test('a random model survives encode then decode exactly', { skip }, () => {
  const r = prng(1);
  for (let i = 0; i < 300; i++) {
    const m = randomModel(r);
    const d = share.decodeModel(share.encodeModel(m));
    assert.equal(d.ok, true, `case ${i}: ${d.error}`);
    assert.deepEqual(d.model, JSON.parse(JSON.stringify(m)), `case ${i}`);
  }
});

test('decodeModel never throws and answers ok only with a plain object', { skip }, () => {
  const r = prng(2);
  const alphabets = ['1.', 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.', '0123456789abcdef.', '.=+/%#&é🚀\u0000 '];
  for (let i = 0; i < 5000; i++) {
    const alpha = pick(r, alphabets);
    let s = r() < 0.5 ? '1.' : '';
    for (let n = int(r, 80); n > 0; n--) s += alpha[int(r, alpha.length)];
    if (r() < 0.3) s += '.' + int(r, 0xffffffff).toString(16).padStart(8, '0');
    let d;
    assert.doesNotThrow(
      () => {
        d = share.decodeModel(s);
      },
      `input ${JSON.stringify(s)}`,
    );
    if (d.ok) assert.ok(d.model && typeof d.model === 'object' && !Array.isArray(d.model), JSON.stringify(s));
    else assert.ok(ERRORS.has(d.error), `unknown error ${d.error}`);
  }
});

test('a link cut anywhere short of its end is refused, never half-read', { skip }, () => {
  const r = prng(3);
  for (let i = 0; i < 20; i++) {
    const v = share.encodeModel(randomModel(r));
    for (let cut = 0; cut < v.length; cut++) {
      const d = share.decodeModel(v.slice(0, cut));
      assert.equal(d.ok, false, `model ${i} cut at ${cut} of ${v.length}`);
      assert.ok(ERRORS.has(d.error), `undocumented error ${d.error}`);
    }
  }
});

test('an edited link is refused or gives back exactly the original model', { skip }, () => {
  const r = prng(4);
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.';
  for (let i = 0; i < 2000; i++) {
    const m = randomModel(r);
    const v = share.encodeModel(m);
    const at = int(r, v.length);
    const edited = v.slice(0, at) + pick(r, chars) + v.slice(at + (r() < 0.8 ? 1 : 0));
    if (edited === v) continue;
    const d = share.decodeModel(edited);
    if (d.ok) assert.deepEqual(d.model, JSON.parse(JSON.stringify(m)), `edit at ${at} decoded to another model`);
  }
});

test('a deflate bomb is refused as too large, quickly', { skip }, () => {
  const json = fflate.strToU8(`{"version":1,"name":"${' '.repeat(share.MAX_MODEL_BYTES * 8)}"}`);
  const crc = share.crc32(json).toString(16).padStart(8, '0');
  const link = `1.${share.toBase64Url(fflate.deflateSync(json, { level: 9 }))}.${crc}`;
  assert.ok(link.length < 20000, `the bomb link is ${link.length} characters`);
  const start = performance.now();
  const d = share.decodeModel(link);
  assert.equal(d.ok, false);
  assert.equal(d.error, 'too_large');
  assert.ok(performance.now() - start < 2000, 'took over 2 s');
});

test('readFragment never throws on random hashes', { skip }, () => {
  const r = prng(5);
  for (let i = 0; i < 2000; i++) {
    let h = r() < 0.5 ? '#' : '';
    for (let n = int(r, 40); n > 0; n--) h += pick(r, ['model', '=', '&', '#', 'x', '1.', '%', 'é']);
    assert.doesNotThrow(() => share.readFragment(h));
  }
});

test('a link that inflates to hundreds of megabytes stops at the first slice past the limit', { skip }, () => {
  // 256 MB of zeros deflate to about 250 kB; inflating it whole would allocate and walk it all.
  const big = new Uint8Array(256 << 20);
  const packed = fflate.deflateSync(big, { level: 9 });
  const r = share.inflateBounded(packed, share.MAX_MODEL_BYTES);
  assert.equal(r.ok, false);
  assert.equal(r.error, 'too_large');
  // Deflate expands at most 1032:1, so one slice past the limit bounds the work done.
  assert.ok(r.produced <= share.MAX_MODEL_BYTES + share.INFLATE_SLICE * 1032 + 65536, `inflated ${r.produced} bytes before stopping`);
  const crc = share.crc32(big.subarray(0, 16)).toString(16).padStart(8, '0');
  assert.deepEqual(share.decodeModel(`1.${share.toBase64Url(packed)}.${crc}`), { ok: false, error: 'too_large' });
});

test('inflating a link stops when its time budget is spent, between slices', { skip }, () => {
  const m = {
    version: 1,
    categories: Array.from({ length: 400 }, (_, i) => ({ id: `c${i}`, signals: [{ column: `Column number ${i}`, rule: { type: 'percentile' } }] })),
  };
  const packed = fflate.deflateSync(fflate.strToU8(JSON.stringify(m)), { level: 0 });
  assert.ok(packed.length > 3 * share.INFLATE_SLICE);
  let clock = 0;
  const slow = share.inflateBounded(packed, share.MAX_MODEL_BYTES, { budgetMs: 10, now: () => (clock += 6) });
  assert.equal(slow.ok, false);
  assert.equal(slow.error, 'slow');
  assert.ok(slow.produced < JSON.stringify(m).length, 'it stopped before the end');
  const fine = share.inflateBounded(packed, share.MAX_MODEL_BYTES, { budgetMs: 10, now: () => 0 });
  assert.equal(fflate.strFromU8(fine.bytes), JSON.stringify(m));
});
