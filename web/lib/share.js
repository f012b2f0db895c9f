// SPDX-License-Identifier: MIT
// Share links: the model (never the data) in the URL fragment as deflated JSON in base64url, with a
// CRC-32 so that a link cut short or edited is recognised instead of half-read.
//   #model=1.<base64url(deflate(utf8(JSON)))>.<crc32 of the JSON bytes, 8 hex digits>
import { deflateSync, inflateSync, strToU8, strFromU8 } from '../vendor/fflate.js';

export const FRAGMENT_KEY = 'model';
const VERSION = '1';
/** A model document larger than this once inflated is refused (a hostile link). */
export const MAX_MODEL_BYTES = 1 << 20;

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
 * Reads a fragment value back. Never throws.
 * @returns {{ok: true, model: object, json: string} | {ok: false, error: string}}
 *   error is one of: empty, version, format, truncated, base64, inflate, checksum, too_large, json
 */
export function decodeModel(value) {
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
  let json;
  try {
    // The output buffer bounds what a hostile link can make us allocate.
    const out = new Uint8Array(MAX_MODEL_BYTES + 1);
    json = inflateSync(packed, { out });
    if (json.length > MAX_MODEL_BYTES) return { ok: false, error: 'too_large' };
  } catch {
    return { ok: false, error: 'inflate' };
  }
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
