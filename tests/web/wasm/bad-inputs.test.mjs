// SPDX-License-Identifier: MIT
// The bad-input catalog (tests/data/bad/MANIFEST.json) through the page's read path, with the
// command line as the oracle: the page refuses exactly what the CLI refuses, with the same message,
// reads the rest into the same rows, columns and types, and never aborts.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadEngine, localToday, root, runCli } from '../helpers.mjs';

const dir = join(root, 'tests', 'data', 'bad');
const manifest = existsSync(join(dir, 'MANIFEST.json')) ? JSON.parse(readFileSync(join(dir, 'MANIFEST.json'), 'utf8')) : [];
let engine, openBytes;

before(async () => {
  engine = await loadEngine();
  ({ openBytes } = await import('../../../dist/lib/open.js'));
});

function open(file, sheet) {
  return openBytes(engine, 'main', new Uint8Array(readFileSync(join(dir, file))), file, sheet ? { sheet } : {});
}

const seen = new Set();
for (const e of manifest) {
  // Large files are generated on demand by the catalog's script; test those present.
  if (!existsSync(join(dir, e.file)) || (e.model && !existsSync(join(dir, e.model)))) continue;
  const args = e.args || [];
  const sheet = args.includes('--sheet') ? args[args.indexOf('--sheet') + 1] : undefined;
  if (e.command === 'inspect') {
    const key = `${e.file}|${sheet}`;
    if (seen.has(key)) continue;
    seen.add(key);
    test(`${e.file}${sheet ? ` sheet ${sheet}` : ''}: read as the command line reads it (${e.why})`, () => {
      const cli = runCli(['inspect', join(dir, e.file), '--json', ...(sheet ? ['--sheet', sheet] : [])]);
      const r = open(e.file, sheet);
      if (cli.status !== 0) {
        assert.equal(r.ok, false, `the CLI refuses it (${cli.stderr.trim()}); the page read it`);
        assert.equal(cli.stderr.trim(), `healthscore: ${r.message}`);
        return;
      }
      assert.ok(r.ok, `the CLI reads it; the page says: ${r.message}`);
      const want = JSON.parse(cli.stdout.toString());
      assert.equal(r.info.rows, want.rows);
      assert.deepEqual(
        r.info.columns.map((c) => [c.name, c.type, c.empty, c.unreadable]),
        want.columns.map((c) => [c.name, c.type, c.empty, c.unreadable]),
      );
    });
  } else if (e.command === 'score' && e.model) {
    test(`${e.file} with ${e.model}: the model is accepted or refused as the command line does (${e.why})`, () => {
      const modelText = readFileSync(join(dir, e.model), 'utf8');
      const cli = runCli(['score', join(dir, e.file), '--model', join(dir, e.model), '--format', 'csv', '--allow-missing-columns']);
      const r = open(e.file, sheet);
      assert.ok(r.ok, r.message);
      const set = engine.setModel(modelText, localToday());
      if (cli.status !== 0) {
        assert.equal(set.ok, false, `the CLI refuses the model (${cli.stderr.trim()}); the page took it`);
        assert.ok(cli.stderr.trim().endsWith(set.message), `CLI: ${cli.stderr.trim()}\npage: ${set.message}`);
        assert.equal(engine.checkModel(modelText).ok, false);
        return;
      }
      assert.ok(set.ok, set.message);
      assert.ok(Buffer.from(engine.exportCsv('standard').bytes).equals(cli.stdout), 'export differs from the CLI');
    });
  }
}
