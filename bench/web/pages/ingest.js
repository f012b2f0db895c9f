// SPDX-License-Identifier: MIT
// File ingest, bytes already in memory -> table ready, one contender per page (so each page's
// memory is its own): ours (the shipped wasm module, through the Worker's own read path for
// workbooks: web/lib/open.js with pako) and the peers as their docs show them producing numbers.
// The driver calls prepare(contender, url), then run(), then after().
const NM = '/bench/web/node_modules';
let bytes = null;
let blob = null;
let run = null;
let kept = null;

function script(src) {
  return new Promise((ok, fail) => {
    const s = document.createElement('script');
    s.src = src;
    s.onload = ok;
    s.onerror = () => fail(new Error(`cannot load ${src}`));
    document.head.append(s);
  });
}

const decode = (u8) => new TextDecoder().decode(u8);

// The engine as the engine's Worker starts it (web/worker.js): compiled here, and the compiled
// module handed to the rest's Worker.
async function blobReader(split) {
  const { default: create } = await import('/dist/healthscore.mjs');
  const { openFile } = await import('/dist/lib/open.js');
  const { restHelper } = await import('/dist/lib/rest.js');
  const { compileEngine, engineOn } = await import('/dist/lib/boot.js');
  const module = await compileEngine('/dist/healthscore.wasm');
  const engine = await engineOn(create, module);
  window.engine = engine;
  return async () => {
    const how = split ? { helper: restHelper(module) } : {};
    const r = await openFile(engine, 'main', blob, 'bench.csv', {}, undefined, how);
    if (!r.ok) throw new Error(r.message);
    return {
      rows: r.info.rows,
      columns: r.info.columns.length,
      wasmHeap: engine.memory().heap,
      wasmUsed: engine.memory().used,
      read: r.read,
      restEngine: r.restEngine,
    };
  };
}

const contenders = {
  async ours() {
    const { default: create } = await import('/dist/healthscore.mjs');
    const { openBytes } = await import('/dist/lib/open.js');
    const engine = await create();
    window.engine = engine;
    return () => {
      const r = openBytes(engine, 'main', bytes, 'bench', {});
      if (!r.ok) throw new Error(r.message);
      return { rows: r.info.rows, columns: r.info.columns.length, wasmHeap: engine.memory().heap, wasmUsed: engine.memory().used };
    };
  },
  // The page's path for a file: the Blob read a piece at a time into the engine (a CSV of 1 MB or
  // more streams; web/lib/open.js openFile), so the file's bytes are never whole in the wasm heap;
  // from 16 MB on its rest is read at once in a second Worker (web/lib/rest.js) and joined.
  async oursBlob() {
    return blobReader(true);
  },
  // The same with one engine only (no second Worker): the path before the rest was read apart.
  async oursBlobOne() {
    return blobReader(false);
  },
  // DuckDB-wasm's CSV reader into a table, as its docs show it: the file registered as a buffer,
  // then CREATE TABLE ... AS SELECT * FROM read_csv_auto (types sniffed as ours are inferred).
  async duckdb() {
    const duckdb = await import(`${NM}/@duckdb/duckdb-wasm/dist/duckdb-browser.mjs`);
    const root = new URL(`${NM}/@duckdb/duckdb-wasm/dist/`, location.href).href;
    const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), new Worker(root + 'duckdb-browser-eh.worker.js'));
    await db.instantiate(root + 'duckdb-eh.wasm');
    const conn = await db.connect();
    kept = db;
    return async () => {
      await db.registerFileBuffer('bench.csv', bytes.slice()); // a copy: the buffer is transferred
      await conn.query("CREATE OR REPLACE TABLE t AS SELECT * FROM read_csv_auto('bench.csv')");
      const n = (await conn.query('SELECT count(*)::INTEGER AS n FROM t')).toArray()[0].n;
      const cols = (await conn.query('SELECT * FROM t LIMIT 0')).schema.fields.length;
      return { rows: n, columns: cols };
    };
  },
  async papaparse() {
    await script(`${NM}/papaparse/papaparse.min.js`);
    return () => {
      const r = window.Papa.parse(decode(bytes), { dynamicTyping: true, skipEmptyLines: true });
      kept = r.data;
      return { rows: r.data.length - 1, columns: r.data[0].length };
    };
  },
  async udsv() {
    const { inferSchema, initParser } = await import(`${NM}/udsv/dist/uDSV.mjs`);
    return () => {
      const text = decode(bytes);
      const parser = initParser(inferSchema(text));
      const cols = parser.typedCols(text);
      kept = cols;
      return { rows: cols[0].length, columns: cols.length };
    };
  },
  async d3() {
    const d3 = await import(`${NM}/d3-dsv/dist/d3-dsv.mjs`);
    return () => {
      const rows = d3.csvParse(decode(bytes), d3.autoType);
      kept = rows;
      return { rows: rows.length, columns: rows.columns.length };
    };
  },
  async sheetjs() {
    const XLSX = await import(`${NM}/xlsx/xlsx.mjs`);
    return () => {
      const wb = XLSX.read(bytes, { type: 'array' });
      const rows = XLSX.utils.sheet_to_json(wb.Sheets[wb.SheetNames[0]], { header: 1 });
      kept = rows;
      return { rows: rows.length - 1, columns: rows[0].length };
    };
  },
  async exceljs() {
    await script(`${NM}/exceljs/dist/exceljs.min.js`);
    return async () => {
      const wb = new window.ExcelJS.Workbook();
      await wb.xlsx.load(bytes);
      const rows = wb.worksheets[0].getSheetValues(); // 1-based rows of 1-based values
      kept = rows;
      return { rows: rows.length - 2, columns: rows[1].length - 1 };
    };
  },
};

window.prepare = async function prepare(name, url) {
  run = await contenders[name]();
  blob = await (await fetch(url)).blob();
  bytes = new Uint8Array(await blob.arrayBuffer());
  if (window.gc) window.gc();
  return { bytes: bytes.length, jsHeap: performance.memory.usedJSHeapSize };
};

window.run = async function runOnce() {
  const t = performance.now();
  const r = await run();
  r.ms = performance.now() - t;
  return r;
};

/** Heap held once the table is ready (after a full GC): JS heap, plus the wasm memory for ours. */
window.after = function after() {
  if (window.gc) window.gc();
  return { jsHeap: performance.memory.usedJSHeapSize, kept: kept !== null };
};
window.ready = true;
