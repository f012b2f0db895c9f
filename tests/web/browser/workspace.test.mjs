// SPDX-License-Identifier: MIT
// The workspace in Debian's Chromium: autosave and restore, undo and redo, the column report, a
// header-only file, share links over saved work, paste, kept files, and what the page stores.
// Every expected number comes from the native command line on the same file and model.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, readFileSync, mkdtempSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStudio } from './studio.mjs';
import { runCli, sample, dist, root } from '../helpers.mjs';

const shots = join(root, 'build', 'screenshots');
const tmp = mkdtempSync(join(tmpdir(), 'hs-workspace-'));
let env, url, log, studio;

before(async () => {
  mkdirSync(shots, { recursive: true });
  env = await startStudio({ dist });
  ({ url, log, studio } = env);
});

after(() => env?.close());

/** Band label -> count from the CLI for a file and a model document. */
function cliCounts(file, model) {
  const path = join(tmp, `model-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, JSON.stringify(model));
  const r = runCli(['score', file, '--model', path, '--format', 'json', '--allow-missing-columns']);
  assert.equal(r.status, 0, r.stderr);
  const counts = {};
  for (const b of model.bands) counts[b.label] = 0;
  let unscored = 0;
  for (const row of JSON.parse(r.stdout.toString()).rows) {
    if (row.band === null) unscored++;
    else counts[model.bands.find((b) => b.id === row.band).label]++;
  }
  if (unscored) counts.Unscored = unscored;
  return counts;
}

const sampleCsv = readFileSync(sample.file, 'utf8');
const sampleRows = sampleCsv
  .trim()
  .split(/\r?\n/)
  .map((l) => l.split(','));

/** The sample with some columns renamed and some dropped (the sample has no quoted cells). */
function variant(name, { rename = {}, drop = [] }) {
  const header = sampleRows[0];
  const keep = header.map((h, i) => (drop.includes(h) ? -1 : i)).filter((i) => i >= 0);
  const lines = sampleRows.map((r, k) => keep.map((i) => (k === 0 ? (rename[r[i]] ?? r[i]) : r[i])).join(','));
  const path = join(tmp, name);
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

async function reload() {
  await studio.page.reload();
  await studio.page.waitForSelector('body[data-engine="ready"]');
  await studio.page.waitForSelector('body[data-started="1"]');
  await studio.settled();
}

/** Everything the page stored for its origin: localStorage, IndexedDB (blobs read as text), cookies, caches. */
async function storedText(page) {
  return page.evaluate(async () => {
    const out = [];
    for (let i = 0; i < localStorage.length; i++) out.push(localStorage.key(i), localStorage.getItem(localStorage.key(i)));
    for (let i = 0; i < sessionStorage.length; i++) out.push(sessionStorage.key(i), sessionStorage.getItem(sessionStorage.key(i)));
    out.push(document.cookie);
    if (self.caches)
      for (const name of await caches.keys()) {
        const cache = await caches.open(name);
        for (const req of await cache.keys()) out.push(req.url, await (await cache.match(req)).text());
      }
    const text = async (v) => {
      if (v instanceof Blob) return v.text();
      if (v && typeof v === 'object') {
        const parts = [];
        for (const x of Object.values(v)) parts.push(await text(x));
        return JSON.stringify(v) + parts.join('\n');
      }
      return String(v);
    };
    for (const { name } of await indexedDB.databases()) {
      const db = await new Promise((res, rej) => {
        const r = indexedDB.open(name);
        r.onsuccess = () => res(r.result);
        r.onerror = () => rej(r.error);
      });
      for (const store of db.objectStoreNames) {
        const values = await new Promise((res, rej) => {
          const r = db.transaction(store).objectStore(store).getAll();
          r.onsuccess = () => res(r.result);
          r.onerror = () => rej(r.error);
        });
        for (const v of values) out.push(await text(v));
      }
      db.close();
    }
    return out.join('\n');
  });
}

test('a reload restores the model, its scenarios and undo history, and asks for the file again', async () => {
  const { page } = studio;
  await studio.loadSample();
  const usage = studio.slider('Product usage');
  await usage.focus();
  for (let i = 0; i < 3; i++) await usage.press('ArrowRight');
  await studio.settled();
  const first = await studio.model();
  await page.getByRole('button', { name: 'New scenario from this one' }).click();
  const support = studio.slider('Support');
  await support.focus();
  await support.press('PageUp');
  await studio.settled();
  const second = await studio.model();
  assert.notDeepEqual(second, first);
  await page.waitForFunction(() => document.body.dataset.savedVersion === document.body.dataset.modelVersion);
  await reload();
  await page.getByText('This workspace belongs to accounts.csv: choose it again to see the scores.').waitFor();
  assert.equal(await page.evaluate(() => document.body.dataset.rows), '');
  assert.deepEqual(await studio.model(), second);
  assert.equal(await page.getByRole('radio').count(), 2);
  // The undo history came back too: one step back is the first scenario's model again.
  await page.getByRole('button', { name: 'Undo' }).click();
  assert.deepEqual(await studio.model(), first);
  await page.getByRole('button', { name: 'Redo' }).click();
  assert.deepEqual(await studio.model(), second);
  await page.screenshot({ path: join(shots, 'restored.png') });
  // Given the file, it scores with the restored model, as the command line does.
  await studio.upload(sample.file, { report: 'none' });
  assert.equal(await page.evaluate(() => document.body.dataset.pending), '0');
  assert.deepEqual(await studio.model(), second);
  assert.deepEqual(await studio.bandCounts(), cliCounts(sample.file, second));
});

test('undo and redo take back and replay every kind of edit, and each step scores as the command line', async () => {
  const { page } = studio;
  const models = [await studio.model()];
  const step = async (edit) => {
    await edit();
    await studio.settled();
    models.push(await studio.model());
    assert.notDeepEqual(models[models.length - 1], models[models.length - 2], 'each edit changes the model');
  };
  await step(async () => {
    const s = studio.slider('Relationship');
    await s.focus();
    await s.press('PageUp');
  });
  await step(async () => {
    const cut = page.getByLabel('Upper limit of band 1');
    await cut.fill('55');
    await cut.press('Tab');
  });
  await step(async () => {
    const l = page.getByLabel('Label of band 2');
    await l.fill('Watch');
    await l.press('Tab');
  });
  await step(async () => {
    await page.locator('#signals summary', { hasText: 'Logins (30d)' }).click();
    await page.getByRole('checkbox', { name: 'Lower is better' }).first().check();
  });
  await step(async () => {
    const n = page.getByLabel('Model name');
    await n.fill('Edited model');
    await n.press('Tab');
  });
  await step(async () => {
    await page.getByLabel('When a value is missing').selectOption('zero');
  });
  await step(async () => {
    await page.getByRole('button', { name: 'Add category' }).click();
  });
  await step(async () => {
    await page.locator('#signals summary', { hasText: /^NPS ·/ }).click();
    await page.getByRole('button', { name: 'Remove signal NPS' }).click();
  });
  assert.deepEqual(await studio.bandCounts(), cliCounts(sample.file, models[models.length - 1]));
  // Ctrl+Z walks back through every step; the scores follow each time.
  await page.locator('#results-h').click();
  for (let i = models.length - 1; i > 0; i--) {
    await page.keyboard.press('Control+z');
    await studio.settled();
    assert.deepEqual(await studio.model(), models[i - 1], `undo to step ${i - 1}`);
  }
  assert.deepEqual(await studio.bandCounts(), cliCounts(sample.file, models[0]));
  for (let i = 1; i < models.length; i++) {
    await page.keyboard.press('Control+Shift+z');
    await studio.settled();
    assert.deepEqual(await studio.model(), models[i], `redo to step ${i}`);
  }
  assert.deepEqual(await studio.bandCounts(), cliCounts(sample.file, models[models.length - 1]));
});

test("a file that lacks some of the model's columns keeps the model and reports which are missing", async () => {
  const { page } = studio;
  await studio.loadSample();
  const model = await studio.model();
  const counts = await studio.bandCounts();
  const renamed = variant('renamed.csv', { rename: { NPS: 'NPS (0-10)' }, drop: ['CSAT'] });
  await studio.upload(renamed, { report: 'none' });
  const report = page.getByRole('region', { name: 'The model’s columns in renamed.csv' });
  await report.waitFor();
  assert.match(await report.innerText(), /has \d+ of the columns the model uses; 2 are not in it/);
  const missing = await page.getByRole('table', { name: 'Columns the model uses that the file lacks' }).getByRole('rowheader').allInnerTexts();
  assert.deepEqual(missing.sort(), ['CSAT', 'NPS']);
  // Nothing changed yet: the previous file is still scored with the same model.
  assert.deepEqual(await studio.model(), model);
  assert.deepEqual(await studio.bandCounts(), counts);
  await page.screenshot({ path: join(shots, 'column-report.png') });
  // Map NPS to its new name, leave CSAT missing.
  await page.getByLabel('Column to use instead of NPS').selectOption('NPS (0-10)');
  await studio.answerColumnReport('map');
  const mapped = await studio.model();
  assert.equal(
    mapped.categories
      .flatMap((c) => c.signals)
      .find((s) => s.rule.type === model.categories.flatMap((c) => c.signals).find((x) => x.column === 'NPS').rule.type && s.column === 'NPS (0-10)')
      .column,
    'NPS (0-10)',
  );
  assert.match(await page.locator('#file-facts').innerText(), /renamed\.csv: 2,000 rows/);
  assert.deepEqual(await studio.bandCounts(), cliCounts(renamed, mapped));
  // The same file again: only CSAT is missing now; keep the model, which switches CSAT off.
  await studio.upload(renamed, { report: 'keep' });
  const kept = await studio.model();
  assert.equal(kept.categories.flatMap((c) => c.signals).find((s) => s.column === 'CSAT').weight, 0);
  // The summary names it, from the totals of this model (painted ahead of the scores) as from its results.
  assert.match(await page.locator('#summary-body').innerText(), /Columns not in the file: CSAT\./);
  // Totals painted ahead of their results (a new model's) name their own absent columns, not the
  // results' still on hand from the model before.
  const early = await page.evaluate(() => {
    const app = window.healthscore;
    app.views.summary.render(app, { ...app.state.results, absent_columns: ['Renewal date'] });
    const text = document.getElementById('summary-body').innerText;
    app.views.summary.render(app);
    return text;
  });
  assert.match(early, /Columns not in the file: Renewal date\./);
  assert.doesNotMatch(early, /CSAT/);
  assert.match(await page.locator('#switched-off').innerText(), /CSAT/);
  assert.deepEqual(await studio.bandCounts(), cliCounts(renamed, kept));
  // "Don't use this file" leaves everything as it was.
  const other = variant('other.csv', { drop: ['Logins (30d)', 'NPS', 'CSAT'] });
  await studio.upload(other, { report: 'cancel' });
  assert.match(await page.locator('#file-facts').innerText(), /renamed\.csv: 2,000 rows/);
  assert.deepEqual(await studio.model(), kept);
  // Undo brings the switched-off signal back.
  await page.getByRole('button', { name: 'Undo' }).click();
  await studio.settled();
  assert.deepEqual(await studio.model(), mapped);
});

test('a file with a header and no data rows is refused, and the file and results stay', async () => {
  const { page } = studio;
  await studio.upload(sample.file);
  const model = await studio.model();
  const counts = await studio.bandCounts();
  await studio.upload({ name: 'empty.csv', mimeType: 'text/csv', buffer: Buffer.from(sampleRows[0].join(',') + '\n\n') });
  assert.match(
    await studio.alert().innerText(),
    /^empty\.csv has a header \(20 columns\) but no data rows, so there is nothing to score; nothing was replaced\. accounts\.csv and its results are kept\.$/,
  );
  assert.match(await page.locator('#file-facts').innerText(), /accounts\.csv: 2,000 rows/);
  assert.deepEqual(await studio.model(), model);
  assert.deepEqual(await studio.bandCounts(), counts);
});

test('rows pasted from a spreadsheet are read like a file', async () => {
  const { page } = studio;
  const model = await studio.model();
  const tsv = sampleRows
    .slice(0, 41)
    .map((r) => r.join('\t'))
    .join('\r\n');
  const path = join(tmp, 'pasted.tsv');
  writeFileSync(path, tsv);
  await page.getByText('Paste data').click();
  await page.getByLabel('Pasted rows').fill(tsv);
  const before = await page.evaluate(() => document.body.dataset.modelVersion);
  await page.getByRole('button', { name: 'Read pasted data' }).click();
  await page.waitForFunction((v) => document.body.dataset.modelVersion !== v, before);
  await studio.settled();
  assert.match(await page.locator('#file-facts').innerText(), /Pasted data\.tsv: 40 rows, 20 columns/);
  assert.deepEqual(await studio.model(), model);
  assert.deepEqual(await studio.bandCounts(), cliCounts(path, model));
  // Ctrl+V outside a text field: the clipboard's text (as a spreadsheet puts it there) is read too.
  const twenty = sampleRows
    .slice(0, 21)
    .map((r) => r.join('\t'))
    .join('\n');
  const version = await page.evaluate(() => document.body.dataset.modelVersion);
  await page.locator('#results-h').click();
  await page.evaluate((text) => {
    const data = new DataTransfer();
    data.setData('text/plain', text);
    document.body.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true }));
  }, twenty);
  await page.waitForFunction((v) => document.body.dataset.modelVersion !== v, version);
  await studio.settled();
  assert.match(await page.locator('#file-facts').innerText(), /Pasted data\.tsv: 20 rows, 20 columns/);
});

test('nothing of the file is stored unless the user asks to keep it on this device', async () => {
  const { page } = studio;
  await studio.upload(sample.file);
  await page.waitForFunction(() => document.body.dataset.savedVersion === document.body.dataset.modelVersion);
  const model = JSON.stringify(await studio.model());
  // Every id and name cell of the file (the model carries none of them).
  const header = sampleRows[0];
  const cells = sampleRows
    .slice(1)
    .flatMap((r) => [r[header.indexOf('Account ID')], r[header.indexOf('Account')]])
    .filter((c) => c && !model.includes(c));
  assert.ok(cells.length > 3000);
  let stored = await storedText(page);
  assert.ok(stored.includes('accounts.csv'), 'the workspace names its file');
  assert.deepEqual(
    cells.filter((c) => stored.includes(c)),
    [],
  );
  // Asked to keep it, the file is in IndexedDB and opens by itself after a reload.
  await page.getByLabel('Keep this file on this device').check();
  await page
    .getByText(/File kept on this device: 237/)
    .first()
    .waitFor();
  stored = await storedText(page);
  assert.ok(stored.includes(sampleCsv), 'the kept file is the file itself');
  await reload();
  await page.waitForFunction(() => document.body.dataset.rows === '2000');
  await studio.settled();
  await page.getByText('accounts.csv was opened from this device.').waitFor();
  assert.deepEqual(await studio.bandCounts(), cliCounts(sample.file, JSON.parse(model)));
  // One click forgets it.
  await page.getByLabel('Keep this file on this device').uncheck();
  await page.waitForFunction(() => !document.querySelector('#load-body').innerText.includes('File kept on this device'));
  stored = await storedText(page);
  assert.equal(stored.includes(sampleCsv), false);
  assert.deepEqual(
    cells.filter((c) => stored.includes(c)),
    [],
  );
});

test('a share link over a saved workspace asks first, and opens in a new workspace only when told to', async () => {
  const { page } = studio;
  const mine = await studio.model();
  const { shareLink } = await import('../../../dist/lib/share.js');
  const theirs = { ...mine, name: 'Their model', categories: mine.categories.map((c, i) => ({ ...c, weight: (i + 1) * 10 })) };
  const link = shareLink(url, theirs);
  await page.goto(link);
  await page.waitForSelector('body[data-started="1"]');
  const offer = page.getByRole('region', { name: 'Shared link' });
  await offer.waitFor();
  assert.match(await offer.innerText(), /This link carries the model “Their model”/);
  assert.deepEqual(await studio.model(), mine);
  await page.getByRole('button', { name: 'Keep my workspace' }).click();
  assert.equal(await offer.count(), 0);
  assert.deepEqual(await studio.model(), mine);
  await page.goto(link);
  await page.waitForSelector('body[data-started="1"]');
  await page.getByRole('button', { name: 'Open it in a new workspace' }).click();
  assert.deepEqual(await studio.model(), theirs);
  const names = await page.getByLabel('Workspace', { exact: true }).locator('option').allInnerTexts();
  assert.ok(names.includes('Their model'), names.join(', '));
  // The saved workspace is still there, as it was.
  const previous = await page
    .getByLabel('Workspace', { exact: true })
    .locator('option')
    .evaluateAll((os) => os.map((o) => o.value));
  await page.getByLabel('Workspace', { exact: true }).selectOption(previous.find((_, i) => names[i] !== 'Their model'));
  await page.waitForFunction(() => document.body.dataset.started === '1');
  await studio.settled();
  assert.deepEqual(await studio.model(), mine);
});

test('workspaces can be renamed and deleted', async () => {
  const { page } = studio;
  const select = page.getByLabel('Workspace', { exact: true });
  const count = await select.locator('option').count();
  await page.getByLabel('Workspace name').fill('Q4 review');
  await page.getByLabel('Workspace name').press('Tab');
  assert.ok((await select.locator('option').allInnerTexts()).includes('Q4 review'));
  await page.getByRole('button', { name: 'New workspace' }).click();
  assert.equal(await select.locator('option').count(), count + 1);
  await page.getByRole('button', { name: 'Delete workspace' }).click();
  await page.getByRole('button', { name: 'Delete', exact: true }).click();
  await page.waitForFunction((n) => document.querySelectorAll('#workspace-select option').length === n, count);
  await page.getByLabel('Workspace', { exact: true }).selectOption({ label: 'Q4 review' });
  await page.getByRole('button', { name: 'Delete workspace' }).click();
  await page.getByRole('button', { name: 'Delete', exact: true }).click();
  await page.waitForFunction((n) => document.querySelectorAll('#workspace-select option').length === n - 1, count);
  assert.equal((await select.locator('option').allInnerTexts()).includes('Q4 review'), false);
});

test('no request left the origin and no console error was logged', () => {
  assert.deepEqual(log.foreign, []);
  assert.deepEqual(log.errors, []);
});
