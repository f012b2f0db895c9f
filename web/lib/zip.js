// SPDX-License-Identifier: MIT
// Unzipping a workbook in the Worker, with the same zip-bomb guards and the same messages as the
// command line's libzip host (core/src/archive_libzip.cpp). The central directory is read here so
// that each entry is inflated with its declared size as the bound: an entry that lies about its
// size is caught at the first byte past it instead of being walked to its end, and nothing larger
// is ever allocated. Invalid deflate codes are refused at their block (web/lib/inflate.js), and a
// part must match the CRC its directory records, as libzip checks for the command line.

import { crc32 } from './crc32.js';
import { inflateBounded } from './inflate.js';
import { renderMessage } from './messages.js';

/** Mirrors healthscore::zip_limits (core/include/healthscore/archive.hpp). */
export const ZIP_LIMITS = Object.freeze({
  maxEntryBytes: 1024 * 1024 * 1024,
  maxTotalBytes: 1536 * 1024 * 1024,
  maxRatio: 200,
  ratioFromBytes: 1024 * 1024,
});

/**
 * A zip problem: `coded` is the engine's message for it (the same code and parameters as
 * core/src/archive_libzip.cpp), `message` its English text and `code` the message's code.
 */
export class ZipError extends Error {
  constructor(coded) {
    super(renderMessage(coded, 'en'));
    this.code = coded.code;
    this.coded = coded;
  }
}

/** True for the bytes of a zip file (local header or empty archive). */
export function isZip(bytes) {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 3 || bytes[2] === 5);
}

/** Entries a workbook reader can need: XML parts, relationships and the ODS mimetype. */
export function wantedEntry(name) {
  return name === 'mimetype' || /\.(xml|rels)$/i.test(name);
}

const megabytes = (n) =>
  n < 1 << 20 ? { code: 'size.bytes', params: { n } } : { code: 'size.mb', params: { n: Math.floor((n + (1 << 19)) / (1 << 20)) } };
const u16 = (b, i) => b[i] | (b[i + 1] << 8);
const u32 = (b, i) => (b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24)) >>> 0;
const u64 = (b, i) => u32(b, i) + u32(b, i + 4) * 2 ** 32;
const utf8 = new TextDecoder();
const cp437ish = new TextDecoder('latin1');

/** The central directory: [{name, method, flags, crc, compressed, size, offset}]. */
function directory(bytes, damaged) {
  let e = bytes.length - 22;
  const stop = Math.max(0, bytes.length - 22 - 65535);
  while (e >= stop && u32(bytes, e) !== 0x06054b50) e--;
  if (e < stop) damaged();
  let count = u16(bytes, e + 10);
  let at = u32(bytes, e + 16);
  if (e >= 20 && u32(bytes, e - 20) === 0x07064b50) {
    const z = u64(bytes, e - 12);
    if (z + 56 > bytes.length || u32(bytes, z) !== 0x06064b50) damaged();
    count = u64(bytes, z + 32);
    at = u64(bytes, z + 48);
  }
  const entries = [];
  for (let i = 0; i < count; i++) {
    if (at + 46 > bytes.length || u32(bytes, at) !== 0x02014b50) damaged();
    const flags = u16(bytes, at + 8);
    const method = u16(bytes, at + 10);
    const crc = u32(bytes, at + 16);
    let compressed = u32(bytes, at + 20);
    let size = u32(bytes, at + 24);
    const nameLen = u16(bytes, at + 28),
      extraLen = u16(bytes, at + 30),
      commentLen = u16(bytes, at + 32);
    let offset = u32(bytes, at + 42);
    const nameBytes = bytes.subarray(at + 46, at + 46 + nameLen);
    const name = (flags & 0x800 ? utf8 : cp437ish).decode(nameBytes);
    // ZIP64 sizes and offset live in extra field 0x0001, in this order, only where marked.
    let x = at + 46 + nameLen;
    const xEnd = x + extraLen;
    while (x + 4 <= xEnd) {
      const id = u16(bytes, x),
        len = u16(bytes, x + 2);
      if (id === 1) {
        let p = x + 4;
        if (size === 0xffffffff) {
          size = u64(bytes, p);
          p += 8;
        }
        if (compressed === 0xffffffff) {
          compressed = u64(bytes, p);
          p += 8;
        }
        if (offset === 0xffffffff) offset = u64(bytes, p);
      }
      x += 4 + len;
    }
    entries.push({ name, method, flags, crc, compressed, size, offset });
    at = xEnd + commentLen;
  }
  return entries;
}

/**
 * Opens a zip for a workbook reader: the part names now, each part inflated when the reader asks,
 * with the limits checked before inflating and the total counted over what is read (as the
 * command line's libzip host does).
 * @param {Uint8Array} bytes the whole file
 * @param {string} source the file name, for messages
 * @param {object} [limits]
 * @param {{inflate?: Function}} [how] `inflate(data, size, into)`: inflates a part's raw deflate
 *   bytes into `into` (`size` + 1 bytes) as inflateBounded does, answering {ok, bytes, crc?} or
 *   {ok: false, error: 'too_large' | 'inflate'}; the engine's libdeflate (web/lib/open.js) where
 *   `into` is the wasm heap, else pako (inflateBounded)
 * @returns {{names: string[], size: (name: string) => number, read: (name: string, into?: Uint8Array) => Uint8Array}}
 *   `size(name)`: the buffer `read` needs for the part, its declared size + 1 (the limits checked);
 *   `read(name, into)`: the part inflated into `into` (a buffer of `size(name)` bytes, the wasm heap
 *   for the engine) or a new buffer; a view of its bytes. Both throw ZipError.
 */
export function openZip(bytes, source = 'input', limits = ZIP_LIMITS, { inflate } = {}) {
  const at = { code: 'at.file', params: { source } };
  const fail = (code, params = {}) => {
    throw new ZipError({ code, params: { at, ...params } });
  };
  const damaged = (part) => (part ? fail('zip.damaged_part', { part }) : fail('zip.damaged'));
  const entries = directory(bytes, damaged);
  const byName = new Map(entries.map((f) => [f.name, f]));
  let total = 0;
  const checked = (name) => {
    const f = byName.get(name);
    if (!f) fail('zip.missing_part', { part: name });
    if (f.flags & 1) fail('zip.password');
    if (f.size > limits.maxEntryBytes) fail('zip.part_too_large', { part: f.name, size: megabytes(f.size), limit: megabytes(limits.maxEntryBytes) });
    if (total + f.size > limits.maxTotalBytes)
      fail('zip.too_large', { part: f.name, size: megabytes(total + f.size), limit: megabytes(limits.maxTotalBytes) });
    if (f.size > limits.ratioFromBytes && f.size > limits.maxRatio * Math.max(1, f.compressed))
      fail('zip.ratio', { part: f.name, from: megabytes(f.compressed), to: megabytes(f.size), limit: limits.maxRatio });
    return f;
  };
  const size = (name) => checked(name).size + 1;
  const read = (name, into) => {
    const f = checked(name);
    if (into && into.length !== f.size + 1) throw new RangeError(`zip read: a buffer of ${into.length} bytes for ${f.size}`);
    const h = f.offset;
    if (h + 30 > bytes.length || u32(bytes, h) !== 0x04034b50) damaged(f.name);
    const start = h + 30 + u16(bytes, h + 26) + u16(bytes, h + 28);
    if (start + f.compressed > bytes.length) damaged(f.name);
    const data = bytes.subarray(start, start + f.compressed);
    let out;
    let sum; // the inflater's CRC of `out`, when it gives one
    if (f.method === 0) {
      // As libzip: stored bytes past the declared size are a lie, fewer are a damaged part.
      if (data.length > f.size) fail('zip.lies', { part: f.name, size: megabytes(f.size) });
      if (data.length < f.size) damaged(f.name);
      if (into) {
        into.set(data);
        out = into.subarray(0, data.length);
      } else out = data.slice();
    } else if (f.method === 8) {
      const r = inflate && into ? inflate(data, f.size, into) : inflateBounded(data, f.size, { output: into });
      if (!r.ok && r.error === 'too_large') fail('zip.lies', { part: f.name, size: megabytes(f.size) });
      if (!r.ok) damaged(f.name);
      out = r.bytes;
      sum = r.crc;
    } else {
      damaged(f.name);
    }
    // A part that inflates but not to what was zipped (libzip checks the same for the command line).
    if ((sum ?? crc32(out)) !== f.crc) damaged(f.name);
    total += out.length;
    return out;
  };
  return { names: entries.map((f) => f.name), size, read };
}

/** Every part a workbook reader can need, inflated now (tests and small tools). */
export function unzipWorkbook(bytes, source = 'input', limits = ZIP_LIMITS) {
  const zip = openZip(bytes, source, limits);
  const names = zip.names.filter(wantedEntry);
  return { names, entries: names.map((n) => zip.read(n)) };
}
