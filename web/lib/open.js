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
      zip = openZip(data, name, undefined, { inflate: heapInflater(engine) });
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

/**
 * The zip reader's inflater for a part going into the engine's heap: the engine's libdeflate, six
 * times pako's speed on a sheet, with the CRC computed in wasm too (BENCHMARKS.md, "libdeflate").
 * It answers as inflateBounded does; `into` is a view of the heap (its offset is the address), and
 * the bytes answered are a view made after the call, since the call may grow the heap.
 */
export function heapInflater(engine) {
  return (data, size, into) => {
    const at = into.byteOffset; // read before the call: a view detached by growth reads 0
    const r = engine.inflateRaw(data, at, into.length);
    if (r.ok) return { ok: true, bytes: engine.HEAPU8.subarray(at, at + r.produced), crc: r.crc };
    if (r.refused) return { ok: false, error: r.refused };
    throw new RangeError(r.message); // out of memory, as a buffer pako could not get
  };
}

/** A CSV this large or larger is read a piece at a time from its Blob (smaller ones whole). */
export const STREAM_FROM = 1 << 20;
/** Bytes fed at once: the size of the buffer a Blob's byte stream is read into (pieceReader). */
export const PIECE = 4 << 20;
/**
 * A streamed CSV this large or larger is read in two parts at once when the caller has a helper (a
 * second engine in another Worker): the first part here, the rest from a line break past
 * `SPLIT_AT` of the file in the helper, joined when a record starts there.
 */
export const SPLIT_FROM = 16 << 20;
/** Where the rest starts: the first line break from this share of the file on. The rest's Worker
 * starts later (its engine loads) and the first part joins the rest at the end, so the first part
 * takes a little more than half (measured: BENCHMARKS.md, "Two Workers"). */
export const SPLIT_AT = 0.52;

/**
 * Reads a File (or any Blob) as openBytes reads its bytes. A large CSV streams: its pieces go to the
 * engine as they are read (the browser reads ahead of the engine as far as its own buffers go), so
 * the file is never whole in memory beside its table (the engine's csv_stream makes read_csv's
 * table of it); with a `helper` (restHelper in worker.js, localHelper in tests), a very large one
 * has its rest read in the helper's engine meanwhile. Whatever the stream hands back (another encoding, a refusal, whose
 * message must be the whole file's) and every workbook is read whole.
 * @param {Blob} file
 * @param {{piece?: number, streamFrom?: number, helper?: object, splitFrom?: number, splitAt?: number}} [how]
 *   piece size, the smallest file streamed and the smallest split (tests), the helper
 * @returns {Promise<object>} as openBytes, with `read`: 'streamed', 'split' (two parts joined) or 'whole',
 *   and after a split read in a Worker, `restEngine`: 'shared' (it started on this engine's compiled
 *   module) or 'compiled' (its own)
 */
export async function openFile(engine, session, file, name, options, progress = () => undefined, how = {}) {
  const { piece = PIECE, streamFrom = STREAM_FROM } = how;
  if (file.size >= streamFrom && !isZip(new Uint8Array(await file.slice(0, 4).arrayBuffer()))) {
    const r = await streamCsv(engine, session, file, name, options, progress, piece, how);
    if (r) return r;
  }
  const r = openBytes(engine, session, new Uint8Array(await file.arrayBuffer()), name, options, progress);
  return r.ok ? { ...r, read: 'whole' } : r;
}

/** Where the rest of `file` starts: just past the first line break from `at` on (within 1 MiB), or 0. */
async function lineStartFrom(file, at) {
  const look = new Uint8Array(await file.slice(at, Math.min(file.size, at + (1 << 20))).arrayBuffer());
  const i = look.indexOf(10);
  return i < 0 || at + i + 1 >= file.size ? 0 : at + i + 1;
}

/** The stream's table as openBytes's answer, or null when the file is to be read whole. */
async function streamCsv(engine, session, file, name, options, progress, piece, how) {
  // The rest is read in the helper when the file is large enough; not on a device that says it has
  // under 4 GB (Chromium's navigator.deviceMemory): the rest's Worker holds its rows until it sends
  // them, and the peak is about 0.4 of the file more than one Worker's (BENCHMARKS.md).
  const { helper, splitFrom = SPLIT_FROM } = how;
  const roomy = typeof navigator === 'undefined' || !(navigator.deviceMemory < 4);
  if (!helper || !roomy || file.size < splitFrom) return streamParts(engine, session, file, name, options, progress, piece, { ...how, helper: null });
  // Its Worker starts now, so its engine loads while the first MB is read, and it ends with this
  // read whatever happens (sooner when the rest is joined or is to be read here).
  if (helper.start) helper.start();
  try {
    return await streamParts(engine, session, file, name, options, progress, piece, how);
  } finally {
    helper.cancel();
  }
}

/** streamCsv's read, with the rest in `how.helper` if there is one. */
async function streamParts(engine, session, file, name, options, progress, piece, how) {
  const { helper, splitAt = SPLIT_AT } = how;
  // The engine counts the first part's bytes and rows; a rest's, read meanwhile, are added to them.
  const report = progress('reading');
  const part = { bytes: 0, rows: 0 };
  const rest = { bytes: 0, rows: 0 };
  const post = () => report && report(part.bytes + rest.bytes, part.rows + rest.rows);
  const mine = report ? (bytes, rows) => ((part.bytes = bytes), (part.rows = rows), post()) : undefined;
  const begun = engine.csvBegin(session, name, file.size, options || {}, mine);
  if (!begun.ok) return null;
  const size = file.size;
  // The whole read takes over after a refusal or an input error (its message is the whole file's);
  // any other failure (out of memory) is the answer: reading the file whole would need more.
  const handBack = (r) => (r.ok || r.kind === 'input' ? null : r);
  // Feeds bytes [from, to) from the Blob's stream, `piece` at a time: null when all went in, else
  // the engine's answer.
  const feed = (from, to) => feedStream(engine, file.slice(from, to), piece, () => engine.csvCancel());
  // The first MB or more alone: past the 64 kB head and the first batch of rows, the columns know
  // how they read their cells (the rest's Worker reads as they do).
  const first = Math.min(size, Math.max(piece, 1 << 20));
  let stop = await feed(0, first);
  if (stop) return handBack(stop);
  // The rest in the helper, from a line break past the split share; the first part up to there here.
  const shape = helper ? engine.csvShape() : null;
  let split = 0;
  try {
    if (shape) split = await lineStartFrom(file, Math.max(first, Math.floor(size * splitAt)));
  } catch (e) {
    engine.csvCancel(); // the file went away or changed
    throw e;
  }
  let read = 'streamed';
  let restEngine; // how the rest's engine started (worker.js), when the rest was joined
  if (split > 0) {
    const reading = helper.readRest(file, split, shape, options || {}, (bytes, rows) => {
      rest.bytes = bytes;
      rest.rows = rows;
      post();
    });
    const settled = reading.catch(() => null);
    let joined;
    try {
      joined = await joinRest(engine, helper, shape, settled, () => feed(first, split));
    } finally {
      helper.cancel(); // its Worker and the rest's rows go now, whatever happened
    }
    if (joined.stop) return handBack(joined.stop);
    if (joined.again) {
      // The join failed (the rest's Worker went away, or memory ran out while joining): the file is
      // read again, in this Worker alone.
      engine.csvCancel();
      return streamParts(engine, session, file, name, options, progress, piece, { ...how, helper: null });
    }
    // Joined, the engine's row count holds the rest's rows (its bytes stay the first part's);
    // otherwise the engine reads the rest from here.
    rest.bytes = joined.done ? size - split : 0;
    rest.rows = 0;
    if (joined.done) {
      read = 'split';
      restEngine = joined.engine;
    } else {
      // Held back (the split fell in a quoted cell), or the rest met bad input or a limit: the rest
      // is read here, so any message names its row.
      stop = await feed(split, size);
      if (stop) return handBack(stop);
    }
  } else {
    if (helper) helper.cancel(); // no split: its Worker goes before the rest is read here
    stop = await feed(first, size);
    if (stop) return handBack(stop);
  }
  const r = engine.csvEnd();
  if (!r.ok || !r.streaming) return handBack(r);
  return { ok: true, info: r.info, format: 'csv', sheets: [], read, ...(restEngine && { restEngine }) };
}

/**
 * The first part's side of a split read: feeds the first part (`feedFirst`), then joins the rest
 * if a record starts at the split and the rest was read. Answers {stop} (the engine's answer to a
 * piece), {again} (a join that failed: read the file again alone), {done} (joined), or {} (the
 * rest is to be read here).
 */
async function joinRest(engine, helper, shape, settled, feedFirst) {
  const stop = await feedFirst();
  if (stop) return { stop };
  // A record starts at the split when the first part holds nothing back; the rest then joins.
  const r = engine.csvHeld() === 0 ? await settled : null;
  if (!r || !r.ok || !engine.csvJoin(r.summary)) return {};
  // The next column is packed and sent while this one joins.
  let coming = r.column(0);
  for (let j = 0; j < shape.columns; ++j) {
    let packed;
    try {
      packed = await coming;
    } catch {
      return { again: true }; // the rest's Worker went away
    }
    if (j + 1 < shape.columns) coming = r.column(j + 1);
    const joined = engine.csvJoinColumn(j, packed);
    if (!joined.ok) {
      coming.catch(() => {});
      return { again: true };
    }
  }
  return { done: true, engine: r.engine };
}

/**
 * Feeds `blob` to the engine's stream (csvFeed) as pieceReader gives it, at most `piece` bytes a
 * call: null when all went in, else the engine's answer (the rest of the Blob is not read). A read
 * that fails (the file went away or changed) calls `failed` and throws.
 */
async function feedStream(engine, blob, piece, failed) {
  const reader = pieceReader(blob, piece);
  for (;;) {
    let bytes;
    try {
      bytes = await reader.next();
    } catch (e) {
      failed(); // its partial table goes now, not at the next read
      throw e;
    }
    if (!bytes) return null;
    for (let at = 0; at < bytes.length; at += piece) {
      const fed = engine.csvFeed(at === 0 && bytes.length <= piece ? bytes : bytes.subarray(at, at + piece));
      if (!fed.ok || !fed.streaming) {
        reader.cancel();
        return fed;
      }
    }
  }
}

/**
 * A Blob's bytes in pieces: next() answers the next piece (a view valid until the following call)
 * or null at the end. Where the browser's Blob stream is a byte stream, each piece is read into one
 * buffer of `piece` bytes, reused: no new memory per piece (a fresh page cost 3.5 us on the test
 * machine), and two parts of a file stream at once (BENCHMARKS.md, "Two byte streams"). Elsewhere
 * the pieces are the stream's chunks as they come.
 */
export function pieceReader(blob, piece) {
  const stream = blob.stream();
  let reader = null;
  try {
    reader = stream.getReader({ mode: 'byob' });
  } catch {
    // not a byte stream in this browser
  }
  const cancel = () => reader.cancel().catch(() => {});
  if (!reader) {
    reader = stream.getReader();
    return { next: async () => (await reader.read()).value || null, cancel };
  }
  let buffer = new ArrayBuffer(Math.max(1, Math.min(piece, blob.size)));
  let done = false;
  return {
    async next() {
      let filled = 0;
      while (!done && filled < buffer.byteLength) {
        const r = await reader.read(new Uint8Array(buffer, filled));
        // The buffer comes back (transferred) with each answer, also the last one's empty view; a
        // stream cancelled meanwhile gives none, and nothing is read after that.
        if (!r.value) return ((done = true), null);
        buffer = r.value.buffer;
        if (r.done) done = true;
        else filled += r.value.byteLength;
      }
      return filled ? new Uint8Array(buffer, 0, filled) : null;
    },
    cancel,
  };
}

/**
 * The helper's side: reads `file` from `start` (a line break) to its end as the rest of a file whose
 * first part has `shape`, in `engine` (the helper's own). Answers {ok, summary} (then csvRestColumn
 * for each column) or a failure, after which the first part reads the rest itself.
 */
export async function readRest(engine, file, start, shape, options, onProgress, piece = PIECE) {
  const size = file.size - start;
  const begun = engine.csvRestBegin(size, shape, options || {}, onProgress);
  if (!begun.ok) return begun;
  const stop = await feedStream(engine, file.slice(start), piece, () => engine.csvCancel());
  if (stop) return stop.ok ? { ok: false, kind: 'refused' } : stop;
  const r = engine.csvRestEnd();
  return r.ok && !r.streaming ? { ok: false, kind: 'refused' } : r;
}

/** A helper whose engine is in this thread (the tests; no parallelism, the same joins). */
export function localHelper(restEngine, piece = PIECE) {
  return {
    async readRest(file, start, shape, options, onProgress) {
      const r = await readRest(restEngine, file, start, shape, options, onProgress, piece);
      return r.ok ? { ...r, column: async (j) => restEngine.csvRestColumn(j) } : r;
    },
    cancel() {
      restEngine.csvCancel();
      restEngine.csvRestDone();
    },
  };
}
