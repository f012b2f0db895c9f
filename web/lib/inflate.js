// SPDX-License-Identifier: MIT
// Raw deflate (zip parts, share links) inflated with a bound, by pako, the port of zlib: like the
// command line's zlib it refuses a block whose Huffman codes are invalid at that block. fflate, which
// the page used before, accepts such codes, and a file built of blocks that declare them kept it
// busy for a second per megabyte (BENCHMARKS.md, "Inflating hostile deflate data").
import { Inflate } from '../vendor/pako.js';

/** Compressed bytes handed to the inflater at a time: the work between two checks is bounded. */
export const INFLATE_SLICE = 64 * 1024;

/**
 * Inflates `packed` (raw deflate) a slice at a time into one buffer, stopping at the first byte
 * past `max` and, when `budgetMs` is given, once that time has passed between slices. Answers
 * {ok: true, bytes} or {ok: false, error: 'too_large' | 'slow' | 'inflate', produced} (`produced`:
 * bytes inflated before stopping). Never throws for bad data.
 * @param {Uint8Array} packed
 * @param {number} max the most bytes the output may have
 * @param {{budgetMs?: number, now?: () => number, slice?: number, output?: Uint8Array}} [options]
 *   `output`: the buffer to inflate into, `max` + 1 bytes (the wasm heap, for a workbook part);
 *   `bytes` is then a view of it
 */
export function inflateBounded(packed, max, { budgetMs = Infinity, now = () => performance.now(), slice = INFLATE_SLICE, output } = {}) {
  // zlib's stream inflates straight into one buffer of `max` + 1 bytes (no chunks to join): filling
  // it means the data is larger than `max`; otherwise the end of the stream hands back its prefix.
  const inflater = new Inflate({ raw: true });
  const strm = inflater.strm;
  if (output && output.length !== max + 1) throw new RangeError(`inflateBounded: output of ${output.length} bytes for ${max}`);
  strm.output = output || new Uint8Array(max + 1);
  strm.next_out = 0;
  strm.avail_out = strm.output.length;
  let bytes = null;
  inflater.onData = (chunk) => {
    if (chunk.length > max) throw new RangeError('too_large');
    bytes = chunk;
  };
  let ended = false;
  inflater.onEnd = (status) => {
    ended = status === 0;
  };
  const start = now();
  try {
    for (let i = 0; ; i += slice) {
      const end = Math.min(packed.length, i + slice);
      const last = end === packed.length;
      if (!inflater.push(packed.subarray(i, end), last) && !ended)
        return { ok: false, error: 'inflate', produced: bytes ? bytes.length : strm.next_out };
      if (last || ended) break;
      if (now() - start > budgetMs) return { ok: false, error: 'slow', produced: strm.next_out };
    }
  } catch (e) {
    if (e instanceof RangeError && e.message === 'too_large') return { ok: false, error: 'too_large', produced: max + 1 };
    throw e;
  }
  // A stream that stops before its final block is damaged, not short.
  if (!ended) return { ok: false, error: 'inflate', produced: bytes ? bytes.length : strm.next_out };
  return { ok: true, bytes: bytes || new Uint8Array(0) };
}
