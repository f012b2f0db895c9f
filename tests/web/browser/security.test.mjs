// SPDX-License-Identifier: MIT
// Hostile inputs against the page: the main thread is never blocked for more than 200 ms (a
// long-task observer watches from the first script on), band colours cannot make requests, a model
// without bands gets the contract's defaults, and the server sends the hosting headers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, HOSTING_HEADERS } from '../../../scripts/static-server.mjs';
import { startStudio } from './studio.mjs';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dist, root, wideSampleModel } from '../helpers.mjs';

let env, url, context, log, studio, fflate, share;

before(async () => {
  fflate = await import('../../../node_modules/fflate/esm/browser.js');
  share = await import('../../../dist/lib/share.js');
  // Every long task from the first script on, in milliseconds.
  const init = () => {
    window.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longTasks.push(e.duration);
    }).observe({ type: 'longtask', buffered: true });
  };
  env = await startStudio({ dist, viewport: { width: 1366, height: 900 }, init });
  ({ url, context, log, studio } = env);
});

after(() => env?.close());

async function longestTask(page) {
  return page.evaluate(() => Math.max(0, ...window.__longTasks));
}

test('a share link that inflates to 256 MB is refused without blocking the page', async () => {
  const { page } = studio;
  const packed = fflate.deflateSync(new Uint8Array(256 << 20), { level: 9 });
  const link = `${url}#model=1.${share.toBase64Url(packed)}.00000000`;
  await page.goto(link);
  await page.waitForSelector('body[data-started="1"]');
  await studio.alert().waitFor();
  assert.match(await studio.alert().innerText(), /could not be used/);
  const longest = await longestTask(page);
  assert.ok(longest < 200, `the main thread was blocked for ${longest} ms`);
});

test('a CSV of 3,000 columns loads and scores without blocking the page for 200 ms', async () => {
  const { page } = studio;
  await page.goto(url);
  await page.waitForSelector('body[data-started="1"]');
  // Named like a usage metric, so the suggestion makes a signal of each: 3,000 signals to show.
  const header = Array.from({ length: 3000 }, (_, i) => `Logins ${i + 1}`);
  const rows = Array.from({ length: 40 }, (_, r) => header.map((_, c) => String((r * 7 + c * 13) % 97)).join(','));
  const csv = [header.join(','), ...rows].join('\n') + '\n';
  await page.evaluate(() => {
    window.__longTasks.length = 0;
  });
  await page.getByRole('button', { name: 'New workspace' }).click();
  await studio.upload({ name: 'wide.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  assert.match(await page.locator('#file-facts').innerText(), /wide\.csv: 40 rows, 3,000 columns/);
  const longest = await longestTask(page);
  assert.ok(longest < 200, `the main thread was blocked for ${longest} ms`);
  // Past 300 columns a column picker is a text field over one list of them, filled on first focus,
  // that takes only a column of the file (trimmed to its name).
  const outcome = page.locator('#outcome-column');
  assert.equal(await outcome.evaluate((e) => e.tagName), 'INPUT');
  assert.equal(await page.locator('#file-columns option').count(), 0);
  await outcome.focus();
  assert.equal(await page.locator('#file-columns option').count(), 3000);
  await outcome.fill('  Logins 7 ');
  await outcome.blur();
  await page.locator('.outcome-values label').first().waitFor();
  assert.equal(await page.locator('#outcome-column').inputValue(), 'Logins 7');
  await page.locator('#outcome-column').fill('Logins 3001');
  await page.locator('#outcome-column').blur();
  assert.equal(await page.locator('#outcome-column').inputValue(), 'Logins 7');
  const value = page.locator('#value-column');
  await value.fill('Logins 3');
  await value.blur();
  await studio.settled();
  assert.equal((await studio.model()).value_column, 'Logins 3');
});

test('a band colour that is not a plain colour never reaches a style, and a model without bands gets the defaults', async () => {
  const { page } = studio;
  await studio.loadSample();
  const model = await studio.model();
  const hostile = { ...model, bands: model.bands.map((b, i) => ({ ...b, color: i ? 'url(/canary-colour)' : 'var(--x, url(/canary-var))' })) };
  await page
    .getByLabel('Open a model (JSON)')
    .setInputFiles({ name: 'hostile.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(hostile)) });
  await studio.settled();
  const styles = await page.evaluate(() => [...document.querySelectorAll('[style]')].map((e) => e.getAttribute('style')).join('\n'));
  assert.equal(/url\(|var\(/.test(styles), false, styles.slice(0, 300));
  assert.equal(
    log.requests.some((u) => u.includes('canary')),
    false,
  );
  const { bands, ...noBands } = model;
  await page
    .getByLabel('Open a model (JSON)')
    .setInputFiles({ name: 'no-bands.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(noBands)) });
  await page
    .getByText('Model “Sample health score” opened.')
    .or(page.getByText(/opened\./))
    .first()
    .waitFor();
  await studio.settled();
  const adopted = await studio.model();
  assert.deepEqual(
    adopted.bands.map((b) => [b.id, b.max]),
    [
      ['red', 50],
      ['yellow', 70],
      ['green', 100],
    ],
  );
  assert.ok(bands.length === 3);
});

test('the server sends the hosting headers: no framing, no referrer, the policy with frame-ancestors', async () => {
  const r = await fetch(url);
  for (const [name, value] of Object.entries(HOSTING_HEADERS)) assert.equal(r.headers.get(name), value, name);
  assert.match(r.headers.get('content-security-policy'), /frame-ancestors 'none'/);
  // Framed by another origin, the studio does not load.
  const other = await serve(dist, 0);
  const framer = await context.newPage();
  const host = other.url.replace('127.0.0.1', 'localhost');
  await framer.route(`${host}framer.html`, (route) =>
    route.fulfill({ contentType: 'text/html', body: `<iframe id="f" src="${url}" onload="this.dataset.loaded = 1"></iframe>` }),
  );
  await framer.goto(`${host}framer.html`);
  await framer.waitForFunction(() => document.getElementById('f').dataset.loaded === '1');
  const frame = framer.frames().find((f) => f.url().startsWith(url));
  const loaded = frame ? await frame.evaluate(() => !!document.querySelector('#main')).catch(() => false) : false;
  assert.equal(loaded, false);
  await framer.close();
  other.server.close();
});

test('a link never carries values from the data without saying so, and can leave them out', async () => {
  const { page } = studio;
  await page.goto(url);
  await page.waitForSelector('body[data-started="1"]');
  await studio.loadSample();
  const model = await studio.model();
  const values = model.categories
    .flatMap((c) => c.signals)
    .filter((s) => s.rule.type === 'map')
    .flatMap((s) => Object.keys(s.rule.map));
  assert.ok(values.length > 0, 'the sample has map rules');
  await page.getByRole('button', { name: 'Copy link' }).click();
  const ask = page.getByRole('region', { name: 'Values from your data in the link' });
  await ask.waitFor();
  for (const v of values) assert.ok((await ask.innerText()).includes(v), v);
  await page.getByRole('button', { name: 'Copy the link without these values' }).click();
  await page.waitForFunction(() => document.getElementById('share-link').value.includes('#model='));
  const link = await page.getByLabel('Share link').inputValue();
  const d = share.decodeModel(share.readFragment(new URL(link).hash));
  assert.ok(d.ok);
  for (const v of values) assert.equal(d.json.includes(JSON.stringify(v)), false, v);
  assert.deepEqual(
    d.model.categories.map((c) => c.weight),
    model.categories.map((c) => c.weight),
  );
});

test('no request left the origin', () => {
  assert.deepEqual(
    log.foreign.filter((u) => !u.startsWith('http://localhost')),
    [],
  );
});

test('issue 15: a slider is answered while a long weight search runs, which starts again after it', async () => {
  const { page } = studio;
  // 100,000 generated accounts and a model of 12 categories: the weight search takes seconds of
  // wasm, run a slice at a time; a slider move must not wait for it.
  const file = join(mkdtempSync(join(tmpdir(), 'hs-search-')), 'accounts.csv');
  execFileSync(join(root, 'scripts', 'generate-sample'), ['--rows', '100000', '--seed', '42', '-o', file]);
  const wide = wideSampleModel(12);
  await page.goto(url);
  await page.waitForSelector('body[data-started="1"]');
  await page.getByRole('button', { name: 'New workspace' }).click();
  await studio.upload(file);
  await page
    .getByLabel('Open a model (JSON)')
    .setInputFiles({ name: 'wide.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(wide)) });
  await studio.slider('Group 0').waitFor();
  await studio.settled();
  // The full figures of the 12 categories are being worked out.
  await page.waitForFunction(() => document.body.dataset.evidenceFull === document.body.dataset.modelVersion);
  const searched = await page.evaluate(() => {
    window.__longTasks.length = 0;
    return document.body.dataset.modelVersion;
  });
  const slider = studio.slider('Group 0');
  await slider.focus();
  await slider.press('ArrowRight');
  await studio.settled();
  // The slider was answered by ending the search it found running (a Worker that waited for the
  // search would have finished the figures of the model before the move), and the figures of the
  // moved weights come after.
  const d = await page.evaluate(() => ({ ...document.body.dataset }));
  assert.notEqual(d.modelVersion, searched);
  assert.notEqual(d.evidenceFullVersion, searched, 'the search ran to its end before the slider was answered');
  await studio.evidenceSettled({ full: true });
  const longest = await longestTask(page);
  assert.ok(longest < 200, `the main thread was blocked for ${longest} ms`);
});
