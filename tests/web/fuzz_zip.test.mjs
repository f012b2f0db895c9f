// SPDX-License-Identifier: MIT
// Property tests ("fuzzing" with a seeded PRNG, so every run is the same) of the page's zip reader,
// web/lib/zip.js with web/lib/inflate.js, against Node's zlib (the inflater the command line's
// libzip uses) and a model of libzip's checks (`reference`: sizes, CRC, local headers, encryption,
// each checked against the command line by hand), so a differential test of the page's unzip.
// Inputs: real workbooks from other writers (tests/corpus) and zips written here by fflate, mutated
// as structures (directory fields, compressed bytes, hostile deflate streams, truncation) and as
// bytes. What every input must satisfy:
//   1. openZip and read throw nothing but ZipError, with a zip.* code of the engine's catalogue;
//   2. a part read is exactly what zlib inflates from its bytes, within its declared size, with its CRC;
//   3. a part zlib inflates within its declared size and to its CRC is read (no false refusal);
//   4. a hostile stream (invalid Huffman codes, a bomb declaring a small size) is refused, and the
//      bytes produced before refusing never pass the declared size.
//   node --test tests/web/fuzz_zip.test.mjs   (runs against dist/, made by scripts/build-web)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import zlib from 'node:zlib';
import { zipSync, deflateSync } from '../../node_modules/fflate/esm/browser.js';
import { invalidCodeBlocks, loadEngine, prng } from './helpers.mjs';

const zipUrl = new URL('../../dist/lib/zip.js', import.meta.url);
const built = existsSync(zipUrl);
const skip = built ? false : 'dist/ is not built (run scripts/build-web)';
const zipjs = built ? await import(zipUrl) : {};
const share = built ? await import(new URL('../../dist/lib/share.js', import.meta.url)) : {};
const inflate = built ? await import(new URL('../../dist/lib/inflate.js', import.meta.url)) : {};
// The page's other inflater: the engine's libdeflate, for parts that go into its heap (open.js).
const { heapInflater } = built ? await import(new URL('../../dist/lib/open.js', import.meta.url)) : {};
const engine = built ? await loadEngine() : null;
const viaEngine = built ? { inflate: heapInflater(engine) } : {};

/** A part read into a buffer in the engine's heap, as the engine's reader asks for it. */
function readIntoHeap(z, name) {
  const size = z.size(name);
  const at = engine._malloc(size);
  try {
    return z.read(name, engine.HEAPU8.subarray(at, at + size)).slice();
  } finally {
    engine._free(at);
  }
}
const CODES = new Set(
  Object.keys(JSON.parse(readFileSync(new URL('../../core/messages/read.json', import.meta.url), 'utf8'))).filter((c) => c.startsWith('zip.')),
);

const int = (r, n) => Math.floor(r() * n);
const u16 = (b, i) => b[i] | (b[i + 1] << 8);
const u32 = (b, i) => (b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24)) >>> 0;
const put32 = (b, i, v) => {
  b[i] = v & 0xff;
  b[i + 1] = (v >>> 8) & 0xff;
  b[i + 2] = (v >>> 16) & 0xff;
  b[i + 3] = (v >>> 24) & 0xff;
};

/** Where each central-directory record is, with its entry's fields. */
function records(zip) {
  let e = zip.length - 22;
  while (e > 0 && u32(zip, e) !== 0x06054b50) e--;
  const out = [];
  let at = u32(zip, e + 16);
  for (let i = 0; i < u16(zip, e + 10) && at + 46 <= zip.length && u32(zip, at) === 0x02014b50; i++) {
    const nameLen = u16(zip, at + 28);
    const local = u32(zip, at + 42);
    const dataAt = local + 30 + u16(zip, local + 26) + u16(zip, local + 28);
    out.push({ at, local, dataAt, compressed: u32(zip, at + 20) });
    at += 46 + nameLen + u16(zip, at + 30) + u16(zip, at + 32);
  }
  return out;
}

/** What zlib makes of a part: its bytes, or null when zlib, the size or the CRC refuses it. */
function reference(zip, name) {
  for (const r of records(zip)) {
    const nameLen = u16(zip, r.at + 28);
    if (new TextDecoder('latin1').decode(zip.subarray(r.at + 46, r.at + 46 + nameLen)) !== name) continue;
    const method = u16(zip, r.at + 10),
      size = u32(zip, r.at + 24),
      crc = u32(zip, r.at + 16);
    // Encrypted, cut short, or without its local header's signature (libzip checks it too).
    if (u16(zip, r.at + 8) & 1 || r.dataAt + r.compressed > zip.length || u32(zip, r.local) !== 0x04034b50) return null;
    const data = zip.subarray(r.dataAt, r.dataAt + r.compressed);
    let out;
    try {
      if (method === 0) out = data;
      else if (method === 8) out = zlib.inflateRawSync(data, { maxOutputLength: size + 1 });
      else return null;
    } catch {
      return null;
    }
    // libzip (checked with the command line) takes a deflated part shorter than declared when its CRC
    // matches, refuses one longer, and refuses a stored part of any other length than declared.
    const fits = method === 0 ? out.length === size : out.length <= size;
    return fits && zlib.crc32(out) === crc ? new Uint8Array(out) : null;
  }
  return null;
}

function seeds() {
  const r = prng(7);
  const files = ['poi/63934.xlsx', 'poi/Themes.xlsx', 'poi/49273.xlsx', 'sheetjs/cell_style_simple.ods', 'sheetjs/AutoFilter.ods'].map(
    (f) => new Uint8Array(readFileSync(new URL(`../corpus/${f}`, import.meta.url))),
  );
  for (let k = 0; k < 4; k++) {
    const parts = {};
    for (let p = int(r, 4) + 1; p > 0; p--) {
      const text = Array.from({ length: int(r, 400) }, () => `<c r="A${int(r, 99)}"><v>${int(r, 1e6)}</v></c>`).join('');
      parts[`xl/worksheets/sheet${p}.xml`] = [new TextEncoder().encode(text), { level: int(r, 10) }];
    }
    parts['[Content_Types].xml'] = new TextEncoder().encode('<Types/>');
    files.push(zipSync(parts));
  }
  return files;
}

// Hostile streams, made once: invalid codes (a few hundred to a few thousand blocks) and bombs of
// zeros from 4 kB to 8 MB.
const HOSTILE = {
  invalid: [200, 900, 2000, 5000].map(invalidCodeBlocks),
  bombs: [4 << 10, 300 << 10, 2 << 20, 8 << 20].map((n) => deflateSync(new Uint8Array(n), { level: 9 })),
};

function mutate(r, seed) {
  const z = seed.slice();
  const recs = records(z);
  const rec = recs.length ? recs[int(r, recs.length)] : null;
  const k = int(r, 8);
  if (k === 0 || !rec) {
    for (let n = int(r, 8) + 1; n > 0; n--) z[int(r, z.length)] = int(r, 256);
    return z;
  }
  if (k === 1) return z.subarray(0, int(r, z.length));
  if (k === 2) {
    // A directory field: flags, method, crc, compressed size, size or local offset.
    const field = [8, 10, 16, 20, 24, 42][int(r, 6)];
    if (field === 8 || field === 10) z[rec.at + field] = int(r, 16);
    else put32(z, rec.at + field, r() < 0.5 ? int(r, 1 << 20) : (u32(z, rec.at + field) + int(r, 5) - 2) >>> 0);
    return z;
  }
  if (k === 3) {
    // A byte of the compressed data.
    if (rec.compressed) z[rec.dataAt + int(r, rec.compressed)] ^= 1 << int(r, 8);
    return z;
  }
  // The entry's data replaced by a hostile stream (invalid codes, or a bomb), keeping its declared
  // size; rebuilt as one archive so the rest of the structure stays valid.
  const hostile = (k === 4 ? HOSTILE.invalid : HOSTILE.bombs)[int(r, 4)];
  const out = new Uint8Array(z.length + hostile.length);
  out.set(z.subarray(0, rec.dataAt));
  out.set(hostile, rec.dataAt);
  out.set(z.subarray(rec.dataAt + rec.compressed), rec.dataAt + hostile.length);
  const shift = hostile.length - rec.compressed;
  // Fix up the moved records: the compressed size, the method (deflate) and later offsets.
  let e = out.length - 22;
  while (e > 0 && u32(out, e) !== 0x06054b50) e--;
  put32(out, e + 16, u32(out, e + 16) + shift);
  for (const q of recs) {
    const at = q.at + shift;
    if (q === rec) (put32(out, at + 20, hostile.length), (out[at + 10] = 8), (out[at + 11] = 0));
    if (q.local > rec.local) put32(out, at + 42, q.local + shift);
  }
  return out;
}

/** Checks one archive read by pako into new buffers, or (`heap`) by libdeflate into the engine's heap. */
function check(zip, heap = false) {
  let z;
  try {
    z = zipjs.openZip(zip, 'f.xlsx', undefined, heap ? viaEngine : {});
  } catch (e) {
    assert.ok(e instanceof zipjs.ZipError, `openZip threw ${e}`);
    assert.ok(CODES.has(e.code), e.code);
    return 'refused';
  }
  let refused = 0;
  for (const name of z.names) {
    const want = reference(zip, name);
    let got = null;
    try {
      got = heap ? readIntoHeap(z, name) : z.read(name);
    } catch (e) {
      assert.ok(e instanceof zipjs.ZipError, `read(${name}) threw ${e}`);
      assert.ok(CODES.has(e.code), e.code);
      // zlib reads it fine: only the page's zip-bomb limits may refuse it (as the command line's do).
      refused++;
      if (want)
        assert.ok(
          ['zip.ratio', 'zip.too_large', 'zip.part_too_large', 'zip.missing_part', 'zip.password'].includes(e.code),
          `${name}: ${e.code} for a part zlib reads`,
        );
      continue;
    }
    assert.ok(want, `${name}: read ${got.length} bytes of a part zlib, its size or its CRC refuses`);
    assert.deepEqual(Buffer.from(got), Buffer.from(want));
  }
  return refused ? 'refused' : 'read';
}

test('the seeds read exactly as zlib reads them', { skip }, () => {
  for (const s of seeds()) {
    assert.equal(check(s), 'read');
    assert.equal(check(s, true), 'read');
  }
});

test('mutated archives: only coded refusals, and every part read equals what zlib reads', { skip }, () => {
  const r = prng(11);
  const all = seeds();
  const seen = { read: 0, refused: 0 };
  for (let i = 0; i < 1500; i++) {
    const z = mutate(r, all[int(r, all.length)]);
    const how = check(z);
    // libdeflate into the heap agrees with zlib as pako does, archive by archive.
    assert.equal(check(z, true), how, `archive ${i}: pako and libdeflate disagree`);
    seen[how]++;
  }
  // The mutations must exercise both ways (every part read; some part refused), or the test proves little.
  assert.ok(seen.read > 30 && seen.refused > 300, JSON.stringify(seen));
});

test('a part of deflate blocks with invalid codes is refused as damaged at its first block', { skip }, () => {
  const evil = invalidCodeBlocks(100000);
  assert.throws(() => zlib.inflateRawSync(evil), /invalid/);
  const zip = zipSync({ 'xl/workbook.xml': [new Uint8Array(1000), { level: 0 }] });
  // Put the hostile blocks in place of the stored part, declared as deflated.
  const recs = records(zip);
  const rec = recs[0];
  const built = new Uint8Array(zip.length - rec.compressed + evil.length);
  built.set(zip.subarray(0, rec.dataAt));
  built.set(evil, rec.dataAt);
  built.set(zip.subarray(rec.dataAt + rec.compressed), rec.dataAt + evil.length);
  const cd = rec.at + evil.length - rec.compressed;
  put32(built, cd + 20, evil.length);
  built[cd + 10] = 8;
  put32(built, built.length - 22 + 16, rec.at + evil.length - rec.compressed);
  const z = zipjs.openZip(built, 'evil.xlsx');
  assert.throws(
    () => z.read('xl/workbook.xml'),
    (e) => e.code === 'zip.damaged_part',
  );
  const t = performance.now();
  assert.throws(
    () => readIntoHeap(zipjs.openZip(built, 'evil.xlsx', undefined, viaEngine), 'xl/workbook.xml'),
    (e) => e.code === 'zip.damaged_part',
  );
  // Refused at the first block, not after decoding them all (fflate took 1.4 s for 1.4 MB).
  assert.ok(performance.now() - t < 1000, `libdeflate took ${performance.now() - t} ms to refuse`);
  // The share link's inflater says the same of such data, as damaged, not as slow.
  assert.equal(share.inflateBounded(evil).error, 'inflate');
});

test('hostile streams: what is inflated before a refusal never passes the bound', { skip }, () => {
  for (const bomb of HOSTILE.bombs)
    for (const max of [0, 1000, 65536, 1 << 20]) {
      const r = inflate.inflateBounded(bomb, max);
      if (r.ok) assert.ok(r.bytes.length <= max);
      else assert.ok(r.produced <= max + 1, `${r.produced} bytes for a bound of ${max}`);
    }
  for (const evil of HOSTILE.invalid) {
    const r = inflate.inflateBounded(evil, 1 << 20);
    assert.equal(r.error, 'inflate');
    assert.equal(r.produced, 0);
  }
  // libdeflate writes nothing past the buffer it is given (the declared size + 1), bomb or not:
  // a guard of bytes after it stays as it was. Invalid codes are refused as such at every bound.
  const inflateHeap = heapInflater(engine);
  for (const data of [...HOSTILE.bombs, ...HOSTILE.invalid])
    for (const max of [0, 1000, 65536, 1 << 20]) {
      const at = engine._malloc(max + 1 + 64);
      try {
        engine.HEAPU8.fill(0xa5, at, at + max + 1 + 64);
        const r = inflateHeap(data, max, engine.HEAPU8.subarray(at, at + max + 1));
        if (HOSTILE.invalid.includes(data)) assert.equal(r.error, 'inflate');
        else if (r.ok) assert.ok(r.bytes.length <= max);
        else assert.equal(r.error, 'too_large');
        assert.ok(
          engine.HEAPU8.subarray(at + max + 1, at + max + 1 + 64).every((b) => b === 0xa5),
          `written past ${max + 1} bytes`,
        );
      } finally {
        engine._free(at);
      }
    }
});
