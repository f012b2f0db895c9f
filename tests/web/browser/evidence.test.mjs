// SPDX-License-Identifier: MIT
// Step 7, Evidence, in Debian's Chromium, driven through roles and accessible names. Every expected
// figure comes from the native command line (`healthscore validate`, `healthscore compare`) run on
// the same file and the model the page downloads.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, readFileSync, mkdtempSync, mkdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '../../../scripts/static-server.mjs';
import { launch, watch, Studio } from './studio.mjs';
import { runCli, sample, dist, root } from '../helpers.mjs';

const shots = join(root, 'build', 'screenshots');
const tmp = mkdtempSync(join(tmpdir(), 'hs-evidence-browser-'));
let server, url, browser, context, log, studio;

before(async () => {
  mkdirSync(shots, { recursive: true });
  ({ server, url } = await serve(dist, 0));
  browser = await launch();
  context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, locale: 'en-US', acceptDownloads: true });
  log = watch(context, url.replace(/\/$/, ''));
  studio = new Studio(await context.newPage());
  await studio.open(url);
});

after(async () => {
  await browser?.close();
  server?.close();
});

function modelFile(model) {
  const path = join(tmp, `model-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, JSON.stringify(model));
  return path;
}

/** The CLI's validation of a file with a model: its text report and its JSON. */
function cliValidate(file, model) {
  const path = modelFile(model);
  const text = runCli(['validate', file, '--model', path, '--allow-missing-columns']);
  assert.equal(text.status, 0, text.stderr);
  const json = runCli(['validate', file, '--model', path, '--allow-missing-columns', '--json']);
  return { text: text.stdout.toString(), json: JSON.parse(json.stdout.toString()) };
}

/** "0.780" and "0.755", "0.805" from the CLI's "Health score  0.780  0.755-0.805" line. */
function cliHealth(text) {
  const m = text.match(/^ {2}Health score\s+(\d\.\d{3})\s+(\d\.\d{3})-(\d\.\d{3})/m);
  assert.ok(m, `no health line in:\n${text}`);
  return { auc: m[1], lo: m[2], hi: m[3] };
}

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

async function healthShown(page) {
  return page.locator('#evidence-health-auc').innerText();
}

test("Evidence on the sample shows the command line's AUC, band rates and suggested weights, digit for digit", async () => {
  const { page } = studio;
  await studio.loadSample();
  await studio.evidenceSettled();
  await page.getByRole('heading', { name: '7. Evidence' }).waitFor();
  const model = await studio.model();
  assert.equal(model.outcome.column, 'Churned');
  const cli = cliValidate(sample.file, model);
  const health = cliHealth(cli.text);
  assert.equal(await healthShown(page), health.auc);
  assert.equal(await page.locator('#evidence-health-ci').innerText(), `(95% CI ${health.lo}–${health.hi})`);
  // Every category and signal row: the CLI's AUC text.
  const aucTable = page.getByRole('table', { name: /Discrimination/ });
  for (const d of [...cli.json.categories, ...cli.json.signals]) {
    const row = aucTable.getByRole('row', { name: new RegExp(`^${escape(d.label)}(\\s|$)`) }).first();
    const cells = await row.getByRole('cell').allInnerTexts();
    assert.equal(cells[0], d.auc.toFixed(3), d.label);
  }
  // Outcome rate and lift per band, with the pass marks beside them.
  const bands = page.getByRole('table', { name: /“Churned” rate by band/ });
  for (const b of cli.json.bands) {
    const cells = await bands
      .getByRole('row', { name: new RegExp(b.label) })
      .getByRole('cell')
      .allInnerTexts();
    assert.equal(cells[4], `${b.rate_pct.toFixed(1)}%`, b.label);
    assert.equal(cells[5], `${b.lift.toFixed(2)}×`, b.label);
  }
  assert.match(await bands.innerText(), /FAIL: 2\.39× \(want 3× or more\)/);
  // The held-out line is the CLI's, figure for figure.
  const sw = cli.json.suggested_weights;
  const line = cli.text.match(/AUC on held-out accounts: (\S+) -> (\S+) \(gain (\S+), 95% CI (\S+) to (\S+)\)/);
  assert.equal(
    await page.locator('#evidence-heldout').innerText(),
    `AUC on held-out accounts: ${line[1]} → ${line[2]} (gain ${line[3]}, 95% CI ${line[4]} to ${line[5]})`,
  );
  assert.match(await page.locator('#evidence-verdict').innerText(), new RegExp(sw.verdict.slice(0, 30).replace(/[().+]/g, '\\$&')));
  // Sensitivity: the CLI's counts.
  const sens = page.getByRole('table', { name: /Sensitivity/ });
  for (const s of cli.json.sensitivity) {
    const cells = await sens
      .getByRole('row', { name: new RegExp(`^${s.label}`) })
      .getByRole('cell')
      .allInnerTexts();
    assert.deepEqual(cells.slice(1).map(Number), [s.changed_minus_10pct, s.changed_plus_10pct], s.label);
  }
  // The ROC curve is drawn: one path per curve, health first in the legend.
  assert.ok((await page.locator('#evidence-roc path').count()) >= 1 + cli.json.categories.length);
  await page.getByRole('img', { name: /ROC curve of the health score \(AUC 0\.780\)/ }).waitFor();
  await page.evaluate(() => {
    document.querySelector('.steps').style.position = 'static';
  });
  await page.locator('#evidence').screenshot({ path: join(shots, 'evidence.png') });
  await page.evaluate(() => {
    document.querySelector('.steps').style.position = '';
  });
});

test('"Try these weights" makes a new scenario beside the user\'s, which it never changes, and "Back to my weights" returns to it', async () => {
  const { page } = studio;
  const before = await studio.model();
  const cli = cliValidate(sample.file, before);
  await page.getByRole('button', { name: 'Try these weights' }).click();
  await studio.evidenceSettled();
  const tried = await studio.model();
  assert.deepEqual(
    tried.categories.map((c) => c.weight),
    cli.json.suggested_weights.categories.map((c) => c.suggested),
  );
  // The two scenarios side by side: the accounts that changed band are the CLI's.
  const base = JSON.parse(runCli(['score', sample.file, '--model', modelFile(before), '--format', 'json']).stdout.toString()).rows;
  const now = JSON.parse(runCli(['score', sample.file, '--model', modelFile(tried), '--format', 'json']).stdout.toString()).rows;
  const changed = base.filter((r, i) => r.band !== now[i].band).length;
  await page.waitForFunction(() => document.body.dataset.scenarioCompare === 'done');
  await page.getByRole('table', { name: /Band migration/ }).waitFor();
  assert.match(await page.locator('#scenario-changed').innerText(), new RegExp(`^${changed} accounts changed band`));
  // Each scenario's AUC is the CLI's for its model.
  const mix = await page.getByRole('table', { name: /Band mix/ }).innerText();
  assert.ok(mix.includes(cliHealth(cli.text).auc) && mix.includes(cliHealth(cliValidate(sample.file, tried).text).auc), mix);
  // The figures follow the weights: the health AUC is now the CLI's for the suggested model.
  assert.equal(await healthShown(page), cliHealth(cliValidate(sample.file, tried).text).auc);
  // Editing the tried scenario leaves the user's untouched.
  const slider = studio.slider('Support');
  await slider.focus();
  await slider.press('ArrowRight');
  await studio.evidenceSettled();
  await page.getByRole('button', { name: 'Back to my weights' }).click();
  await studio.evidenceSettled();
  assert.deepEqual(await studio.model(), before);
  assert.equal(await healthShown(page), cliHealth(cli.text).auc);
  // Trying again makes another scenario; the first tried one is still there.
  const scenarios = await page.getByRole('radio').count();
  assert.equal(scenarios, 2);
});

test("moving a weight updates the figures to the command line's for that model", async () => {
  const { page } = studio;
  const slider = studio.slider('Financial');
  await slider.focus();
  for (let i = 0; i < 3; i++) await slider.press('PageUp');
  await studio.evidenceSettled();
  const model = await studio.model();
  assert.equal(model.categories[3].weight, 50);
  const cli = cliValidate(sample.file, model);
  assert.equal(await healthShown(page), cliHealth(cli.text).auc);
  const sens = page.getByRole('table', { name: /Sensitivity/ });
  const cells = await sens
    .getByRole('row', { name: /^Financial/ })
    .getByRole('cell')
    .allInnerTexts();
  assert.equal(cells[0], '50');
  await slider.press('Home');
  for (let i = 0; i < 2; i++) await slider.press('PageUp');
  await studio.evidenceSettled();
  assert.equal((await studio.model()).categories[3].weight, 20);
});

test('on a table over 50,000 rows a slider updates the AUC at once and leaves the weight search to Recompute', async () => {
  const { page } = studio;
  const big = join(tmp, 'large.csv');
  const gen = spawnSync(join(root, 'scripts', 'generate-sample'), ['--rows', '60000', '--seed', '5', '-o', big]);
  assert.equal(gen.status, 0, String(gen.stderr));
  await studio.upload(big);
  await studio.evidenceSettled(); // the first full validation runs by itself
  const slider = studio.slider('Support');
  await slider.focus();
  await slider.press('PageUp');
  await studio.evidenceSettled({ full: false });
  const model = await studio.model();
  const cli = cliValidate(big, model);
  assert.equal(await healthShown(page), cliHealth(cli.text).auc);
  // The suggestion is marked as computed for the earlier weights and waits for the button.
  await page.waitForTimeout(1500);
  const d = await page.evaluate(() => ({ ...document.body.dataset }));
  assert.notEqual(d.evidenceFullVersion, d.modelVersion);
  assert.match(await page.locator('#evidence-stale').innerText(), /On a table this large the weight search waits for you to ask/);
  await page.locator('#evidence-suggestion').getByRole('button', { name: 'Recompute' }).click();
  await studio.evidenceSettled();
  assert.equal(await page.locator('#evidence-stale').count(), 0);
  const line = cli.text.match(/AUC on held-out accounts: (\S+) -> (\S+) \(gain (\S+), 95% CI (\S+) to (\S+)\)/);
  assert.equal(
    await page.locator('#evidence-heldout').innerText(),
    `AUC on held-out accounts: ${line[1]} → ${line[2]} (gain ${line[3]}, 95% CI ${line[4]} to ${line[5]})`,
  );
  await studio.upload(sample.file);
  await studio.evidenceSettled();
});

test('without an outcome, the user picks the column, its positive values and whether positive is good', async () => {
  const { page } = studio;
  await page.getByText('Change the outcome').click();
  await page.getByRole('button', { name: 'Remove the outcome' }).click();
  await studio.evidenceSettled();
  assert.equal((await studio.model()).outcome, undefined);
  await page.getByLabel('Outcome column').selectOption('Churned');
  // Stayed: "No" is the positive outcome and it is a good one; the AUC is the same as "Churned: yes" is bad.
  await page.getByRole('checkbox', { name: /^No \(/ }).check();
  await page.getByRole('checkbox', { name: 'a positive outcome is good (e.g. renewed)' }).check();
  await page.getByRole('button', { name: 'Validate against this outcome' }).click();
  await studio.evidenceSettled();
  const model = await studio.model();
  assert.deepEqual(model.outcome, { column: 'Churned', positive: ['No'], good: true });
  const cli = cliValidate(sample.file, model);
  assert.equal(cli.json.outcome.positive_is_good, true);
  assert.equal(await healthShown(page), cliHealth(cli.text).auc);
  assert.equal(await healthShown(page), '0.780');
  assert.match(await page.locator('#evidence-outcome').innerText(), /positive: No; a positive outcome is good/);
});

test("an earlier file of the same accounts: matched counts, movers, transitions, newly red and the export are the command line's", async () => {
  const { page } = studio;
  // The earlier file: the first 60 accounts logged in far more a month ago.
  const lines = readFileSync(sample.file, 'utf8').split('\n');
  const header = lines[0].split(',');
  const logins = header.indexOf('Logins (30d)');
  const active = header.indexOf('Active users %');
  for (let i = 1; i <= 60; i++) {
    const cells = lines[i].split(',');
    if (cells.length !== header.length) continue; // a quoted comma: leave the row alone
    cells[logins] = '60';
    cells[active] = '90%';
    lines[i] = cells.join(',');
  }
  const earlier = join(tmp, 'accounts-october.csv');
  writeFileSync(earlier, lines.join('\n'));
  await studio.loadEarlier(earlier);
  const model = await studio.model();
  const csvPath = join(tmp, 'changes.csv');
  const cli = runCli(['compare', earlier, sample.file, '--model', modelFile(model), '--json', '-o', csvPath]);
  assert.equal(cli.status, 0, cli.stderr);
  const c = JSON.parse(cli.stdout.toString());
  assert.match(await page.locator('#compare-matched').innerText(), new RegExp(`${c.accounts.matched.toLocaleString('en-US')} accounts matched`));
  const mean = (c.mean_change > 0 ? '+' : '') + c.mean_change.toFixed(1);
  assert.match(
    await page.locator('#compare-mean').innerText(),
    new RegExp(
      `mean change ${mean.replace('+', '\\+')} points; band up ${c.band_moves.up}, down ${c.band_moves.down}, same ${c.band_moves.same.toLocaleString('en-US')}`,
    ),
  );
  assert.ok(c.movers_down.length > 0 && c.newly_red.length > 0, 'the earlier file should make movers and newly red accounts');
  const down = page.getByRole('table', { name: /Top movers down/ });
  const first = await down.locator('tbody tr').first().allInnerTexts();
  assert.match(first[0], new RegExp(`^${c.movers_down[0].id}`));
  assert.match(first[0], new RegExp(`${c.movers_down[0].change.toFixed(1)}`));
  const matrix = page.getByRole('table', { name: /Band transitions/ });
  for (const [i, b] of c.bands.entries()) {
    const cells = await matrix
      .getByRole('row', { name: new RegExp(`^${b.label}`) })
      .getByRole('cell')
      .allInnerTexts();
    assert.deepEqual(
      cells.map((x) => Number(x.replace(/[^\d]/g, ''))),
      c.transitions[i].slice(0, c.bands.length),
      b.label,
    );
  }
  const red = await page.locator('#compare-newly-red li').allInnerTexts();
  assert.deepEqual(
    red.map((x) => x.split(' ')[0]),
    c.newly_red.map((x) => x.id),
  );
  const { name, bytes } = await studio.download('Export comparison');
  assert.equal(name, 'accounts-changes.csv');
  assert.ok(bytes.equals(readFileSync(csvPath)), 'comparison export differs from `healthscore compare -o`');
  await page.evaluate(() => {
    document.querySelector('.steps').style.position = 'static';
  });
  await page.locator('#evidence-track').screenshot({ path: join(shots, 'evidence-compare.png') });
  await page.evaluate(() => {
    document.querySelector('.steps').style.position = '';
  });
});

test("in Spanish the figures keep the command line's digits with a decimal comma", async () => {
  const { page } = studio;
  await page.getByLabel('Language').selectOption('es');
  await page.getByRole('heading', { name: '7. Evidencia' }).waitFor();
  const model = await studio.model().catch(() => null);
  assert.equal(await healthShown(page), '0,780');
  assert.match(await page.locator('#evidence-health-ci').innerText(), /^\(IC 95 % 0,755–0,805\)$/);
  assert.match(await page.locator('#compare-mean').innerText(), /cambio medio [-+]?\d+,\d puntos/);
  await page.getByLabel('Idioma').selectOption('en');
  await page.getByRole('heading', { name: '7. Evidence' }).waitFor();
  assert.ok(model === null || model.outcome);
});

test('no request left the origin and no console error was logged', () => {
  assert.deepEqual(log.foreign, []);
  assert.deepEqual(log.errors, []);
});
