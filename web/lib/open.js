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
    // The engine asks for parts as its readers need them; a refused part comes back as its coded
    // message in JSON, which the engine throws as its own.
    const readPart = (part) => {
      try {
        return zip.read(part);
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
