// SPDX-License-Identifier: MIT
// The page words the engine's messages itself (web/lib/messages.js, over the catalogue copied from
// core/messages/*.json); these tests hold it to the engine's own renderer (core/src/message.cpp,
// through the wasm module), template by template, in every language, and check that a refusal the
// engine gives renders the same on both sides.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { loadEngine } from '../helpers.mjs';

let engine;
let renderMessage;
let failureText;
let catalogue;

before(async () => {
  engine = await loadEngine();
  ({ renderMessage, failureText } = await import('../../../dist/lib/messages.js'));
  ({ default: catalogue } = await import('../../../dist/lib/messages-data.js'));
});

// Parameter values that exercise every formatting rule: grouping at 4 and 5 digits, decimal marks,
// percent signs, lists, nesting and a parameter left out.
const SAMPLES = [
  (name) => 7043,
  (name) => 1234567,
  (name) => ({ fixed: 0.4712, digits: 3 }),
  (name) => ({ fixed: -12.5, digits: 1 }),
  (name) => ({ percent: 0.4213, digits: 1 }),
  (name) => ({ list: ['Enterprise', 'SMB', 'Start-up'] }),
  (name) => ({ list: ['one'] }),
  (name) => ({
    code: 'at.cell',
    params: {
      file: { code: 'at.sheet', params: { source: 'cuentas.xlsx', sheet: 'Hoja 1' } },
      row: { code: 'at.row', params: { row: 12043, line: { code: 'at.line', params: { line: 12050 } } } },
    },
  }),
  (name) => `«${name}» Código`,
  () => undefined,
];

function paramsOf(template) {
  return [...new Set([...template.matchAll(/\{([a-z0-9_]+)\}/g)].map((m) => m[1]))];
}

test('every template renders the same in the page as in the engine, in every language', () => {
  const codes = Object.keys(catalogue);
  assert.ok(codes.length > 200, `the catalogue has ${codes.length} codes`);
  let compared = 0;
  for (const code of codes) {
    const names = paramsOf(catalogue[code].en);
    for (let k = 0; k < SAMPLES.length; k++) {
      const params = {};
      names.forEach((n, i) => {
        const v = SAMPLES[(k + i) % SAMPLES.length](n);
        if (v !== undefined) params[n] = v;
      });
      const m = { code, params };
      for (const lang of ['en', 'es', 'pt']) {
        assert.equal(renderMessage(m, lang), engine.renderMessage(JSON.stringify(m), lang), `${code} in ${lang} with ${JSON.stringify(params)}`);
        compared++;
      }
    }
  }
  assert.ok(compared > 6000);
});

test('an engine refusal carries its code, and the page renders it as the command line would', () => {
  const bytes = new TextEncoder().encode('Código;Plan\n"A1;Pro\n');
  const r = engine.loadCsv('staging', bytes, 'cuentas.csv', {}, undefined);
  assert.equal(r.ok, false);
  assert.equal(r.error.code, 'csv.unclosed_quote');
  assert.equal(failureText(r, 'en'), r.message);
  assert.match(failureText(r, 'es'), /^cuentas\.csv: fila 2, columna 1 \("Código"\): aquí empieza una celda entre comillas/);
  assert.match(failureText(r, 'pt'), /^cuentas\.csv: linha 2, coluna 1 \("Código"\): aqui começa uma célula entre aspas/);
  assert.equal(failureText(r, 'pt'), engine.renderMessage(JSON.stringify(r.error), 'pt'));
});

test('numbers follow the language: grouping, decimal mark, percent sign', () => {
  const m = (params) => ({ code: 'read.too_many_cells', params: { at: { code: 'at.file', params: { source: 'a.csv' } }, ...params } });
  const es = renderMessage(m({ columns: 7043, rows: 70430, limit: 1234567 }), 'es');
  assert.match(es, /tiene 7043 columnas y más de 70\.430 filas de datos: supera el límite de 1\.234\.567 celdas/);
  const pt = renderMessage(m({ columns: 7043, rows: 70430, limit: 1234567 }), 'pt');
  assert.match(pt, /tem 7\.043 colunas e mais de 70\.430 linhas/);
  const en = renderMessage(m({ columns: 7043, rows: 70430, limit: 1234567 }), 'en');
  assert.match(en, /has 7,043 columns and more than 70,430 data rows: over the limit of 1,234,567 cells/);
});
