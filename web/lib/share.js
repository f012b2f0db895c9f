// SPDX-License-Identifier: MIT
// Share links: the model (never the data) in the URL fragment as deflated JSON in base64url, with a
// CRC-32 so that a link cut short or edited is recognised instead of half-read.
//   #model=1.<base64url(deflate(utf8(JSON)))>.<crc32 of the JSON bytes, 8 hex digits>
import { deflateSync, Inflate, strToU8, strFromU8 } from '../vendor/fflate.js';

export const FRAGMENT_KEY = 'model';
const VERSION = '1';
/** A model document larger than this once inflated is refused (a hostile link). */
export const MAX_MODEL_BYTES = 1 << 20;
/** Compressed bytes handed to the inflater at a time: the work between two checks is bounded. */
export const INFLATE_SLICE = 4096;
/** A link that takes longer than this to inflate is refused as damaged (deflate data that declares
 * invalid codes can keep an inflater busy for minutes). */
export const INFLATE_BUDGET_MS = 1000;

/**
 * Inflates `packed` a slice at a time, stopping at the first byte past `max` and when `budgetMs`
 * has passed, so neither a link that inflates to gigabytes nor one built to be slow costs more
 * than the bound. Answers {ok, bytes} or {ok: false, error: 'too_large' | 'slow' | 'inflate',
 * produced} (`produced`: bytes inflated before stopping).
 */
export function inflateBounded(packed, max = MAX_MODEL_BYTES, { budgetMs = INFLATE_BUDGET_MS, now = () => performance.now() } = {}) {
  const chunks = [];
  let produced = 0;
  let error = '';
  const inflater = new Inflate((chunk) => {
    produced += chunk.length;
    if (produced > max) {
      error = 'too_large';
      throw new Error(error);
    }
    chunks.push(chunk);
  });
  const start = now();
  try {
    if (!packed.length) inflater.push(packed, true);
    for (let i = 0; i < packed.length; i += INFLATE_SLICE) {
      const end = Math.min(packed.length, i + INFLATE_SLICE);
      inflater.push(packed.subarray(i, end), end === packed.length);
      if (now() - start > budgetMs) return { ok: false, error: 'slow', produced };
    }
  } catch {
    return { ok: false, error: error || 'inflate', produced };
  }
  const out = new Uint8Array(produced);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return { ok: true, bytes: out };
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(bytes) {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export function toBase64Url(bytes) {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64Url(text) {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) throw new Error('base64');
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((text.length + 3) % 4);
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** The fragment value for a model document (a plain object). */
export function encodeModel(model) {
  const json = strToU8(JSON.stringify(model));
  const crc = crc32(json).toString(16).padStart(8, '0');
  return `${VERSION}.${toBase64Url(deflateSync(json, { level: 9 }))}.${crc}`;
}

/**
 * Reads a fragment value back. Never throws. The page runs it in the engine Worker, so even the
 * bounded inflation never holds up the page's thread.
 * @returns {{ok: true, model: object, json: string} | {ok: false, error: string}}
 *   error is one of: empty, version, format, truncated, base64, inflate, checksum, too_large, json
 */
export function decodeModel(value, budget = {}) {
  if (!value) return { ok: false, error: 'empty' };
  const parts = value.split('.');
  // A link cut short loses its checksum part; a value without our version prefix is not ours.
  if (parts.length !== 3) return { ok: false, error: parts.length < 3 && parts[0] === VERSION ? 'truncated' : 'format' };
  const [version, data, crcText] = parts;
  if (version !== VERSION) return { ok: false, error: 'version' };
  if (!/^[0-9a-f]{8}$/.test(crcText)) return { ok: false, error: 'checksum' };
  let packed;
  try {
    packed = fromBase64Url(data);
  } catch {
    return { ok: false, error: 'base64' };
  }
  const inflated = inflateBounded(packed, MAX_MODEL_BYTES, budget);
  if (!inflated.ok) return { ok: false, error: inflated.error === 'too_large' ? 'too_large' : 'inflate' };
  const json = inflated.bytes;
  if (crc32(json) !== parseInt(crcText, 16)) return { ok: false, error: 'checksum' };
  const text = strFromU8(json);
  try {
    const model = JSON.parse(text);
    if (!model || typeof model !== 'object' || Array.isArray(model)) return { ok: false, error: 'json' };
    return { ok: true, model, json: text };
  } catch {
    return { ok: false, error: 'json' };
  }
}

/** The fragment value of `#model=...` in a location hash, or null when there is none. */
export function readFragment(hash) {
  const h = (hash || '').replace(/^#/, '');
  for (const part of h.split('&')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq) === FRAGMENT_KEY) return part.slice(eq + 1);
  }
  return null;
}

/** The page URL (without any fragment) with the model in its fragment. */
export function shareLink(pageUrl, model) {
  const base = pageUrl.split('#')[0];
  return `${base}#${FRAGMENT_KEY}=${encodeModel(model)}`;
}
