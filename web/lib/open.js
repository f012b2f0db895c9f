// SPDX-License-Identifier: MIT
// Reading a file's bytes with the engine: CSV/TSV directly, XLSX/ODS after unzipping with guards.
// Shared by the Worker and the Node tests of the wasm module, so both take the same path.
import { isZip, openZip, ZipError } from './zip.js';

/**
 * @param {object} engine the wasm module's exports
 * @param {string} session the engine session to read into ('staging', 'earlier', or 'main' in tests)
 * @param {Uint8Array} data the whole file
 * @param {string} name file name, for messages
 * @param {object} options {sheet, header_row, month_first, delimiter}
 * @param {(phase: string) => Function|undefined} [progress] gives the engine's progress callback
 * @returns {object} {ok, info, format, sheets} or {ok: false, kind, message | code, detail}
 */
export function openBytes(engine, session, data, name, options, progress = () => undefined) {
  if (isZip(data)) {
    progress('unzipping');
    let zip;
    try {
      zip = openZip(data, name);
    } catch (e) {
      if (e instanceof ZipError) return { ok: false, kind: 'input', code: e.code, message: e.message, error: e.coded };
      throw e;
    }
    // The engine asks for parts as its readers need them: first the buffer a part needs, then the
    // part inflated into that buffer, which the engine allocated in its own memory at `at` (so a
    // sheet part is never held in JavaScript as well); the answer is the part's length. The view of
    // the heap is made here, after any growth. A refused part comes back as its coded message in
    // JSON, which the engine throws as its own.
    const readPart = (part, at, length) => {
      try {
        return at === undefined ? zip.size(part) : zip.read(part, engine.HEAPU8.subarray(at, at + length)).length;
      } catch (e) {
        if (e instanceof ZipError) return JSON.stringify(e.coded);
        throw e;
      }
    };
    const book = engine.openWorkbook(session, data.subarray(0, 4096), zip.names, readPart, name);
    if (!book.ok) return book;
    // No sheet chosen: the engine picks the first visible worksheet, as the command line does, and
    // when that one is empty its message names the sheets that hold data.
    const sheet = options && options.sheet ? options.sheet : undefined;
    const r = engine.loadSheet(session, session, { ...options, sheet }, progress('reading'));
    return { ...r, format: book.format, sheets: book.sheets };
  }
  const r = engine.loadCsv(session, data, name, options || {}, progress('reading'));
  return r.ok ? { ...r, format: 'csv', sheets: [] } : r;
}

/** A CSV this large or larger is read a piece at a time from its Blob (smaller ones whole). */
export const STREAM_FROM = 1 << 20;
/** Bytes per piece: the file's bytes in memory at once are about two pieces (one read ahead). */
export const PIECE = 4 << 20;

/**
 * Reads a File (or any Blob) as openBytes reads its bytes. A large CSV streams: its pieces go to the
 * engine as they are read, the next one read while the engine parses this one, so the file is never
 * whole in memory beside its table (the engine's csv_stream makes read_csv's table of it). Whatever
 * the stream hands back (another encoding, a refusal, whose message must be the whole file's) and
 * every workbook is read whole.
 * @param {Blob} file
 * @param {{piece?: number, streamFrom?: number}} [how] piece size and the smallest file streamed (tests)
 * @returns {Promise<object>} as openBytes, with `read`: 'streamed' or 'whole'
 */
export async function openFile(engine, session, file, name, options, progress = () => undefined, { piece = PIECE, streamFrom = STREAM_FROM } = {}) {
  if (file.size >= streamFrom && !isZip(new Uint8Array(await file.slice(0, 4).arrayBuffer()))) {
    const r = await streamCsv(engine, session, file, name, options, progress, piece);
    if (r) return r;
  }
  const r = openBytes(engine, session, new Uint8Array(await file.arrayBuffer()), name, options, progress);
  return r.ok ? { ...r, read: 'whole' } : r;
}

/** The stream's table as openBytes's answer, or null when the file is to be read whole. */
async function streamCsv(engine, session, file, name, options, progress, piece) {
  const begun = engine.csvBegin(session, name, file.size, options || {}, progress('reading'));
  if (!begun.ok) return null;
  const size = file.size;
  const read = (at) => file.slice(at, Math.min(size, at + piece)).arrayBuffer();
  // The whole read takes over after a refusal or an input error (its message is the whole file's);
  // any other failure (out of memory) is the answer: reading the file whole would need more.
  const handBack = (r) => (r.ok || r.kind === 'input' ? null : r);
  let next = read(0);
  for (let at = 0; at < size; at += piece) {
    let bytes;
    try {
      bytes = new Uint8Array(await next);
    } catch (e) {
      engine.csvCancel(); // the file went away or changed: its partial table goes now, not at the next read
      throw e;
    }
    if (at + piece < size) next = read(at + piece);
    const fed = engine.csvFeed(bytes);
    if (!fed.ok || !fed.streaming) {
      next.catch(() => {}); // the piece read ahead is not wanted
      return handBack(fed);
    }
  }
  const r = engine.csvEnd();
  if (!r.ok || !r.streaming) return handBack(r);
  return { ok: true, info: r.info, format: 'csv', sheets: [], read: 'streamed' };
}
