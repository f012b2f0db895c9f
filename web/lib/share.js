// SPDX-License-Identifier: MIT
// Share links: the model (never the data) in the URL fragment as deflated JSON in base64url, with a
// CRC-32 so that a link cut short or edited is recognised instead of half-read.
//   #model=1.<base64url(deflate(utf8(JSON)))>.<crc32 of the JSON bytes, 8 hex digits>
import { deflateRaw } from '../vendor/pako.js';
import { crc32 } from './crc32.js';
import { inflateBounded as inflateInto } from './inflate.js';

export const FRAGMENT_KEY = 'model';
const VERSION = '1';
/** A model document larger than this once inflated is refused (a hostile link). */
export const MAX_MODEL_BYTES = 1 << 20;
/** Compressed bytes handed to the inflater at a time: the work between two checks is bounded. */
export const INFLATE_SLICE = 4096;
/** A link that takes longer than this to inflate is refused as damaged. Invalid deflate codes are
 * refused at once since the inflater is zlib's port; the budget stays as a bound on the rest. */
export const INFLATE_BUDGET_MS = 1000;

/**
 * Inflates `packed` a slice at a time, stopping at the first byte past `max` and when `budgetMs`
 * has passed, so neither a link that inflates to gigabytes nor one built to be slow costs more
 * than the bound. Answers {ok, bytes} or {ok: false, error: 'too_large' | 'slow' | 'inflate',
 * produced} (`produced`: bytes inflated before stopping).
 */
export function inflateBounded(packed, max = MAX_MODEL_BYTES, { budgetMs = INFLATE_BUDGET_MS, now = () => performance.now() } = {}) {
  return inflateInto(packed, max, { budgetMs, now, slice: INFLATE_SLICE });
}

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

export { crc32 };

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
  const json = utf8.encode(JSON.stringify(model));
  const crc = crc32(json).toString(16).padStart(8, '0');
  return `${VERSION}.${toBase64Url(deflateRaw(json, { level: 9 }))}.${crc}`;
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
  const text = fromUtf8.decode(json);
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
