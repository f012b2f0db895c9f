// SPDX-License-Identifier: MIT
// The History step: three hand-made snapshots (dates in two of the names, one entered by hand)
// against `healthscore trend` on the same files: band mix (all accounts and per segment), the
// lagged AUC and its interval in the page's number format, and both CSV exports byte for byte;
// the layout at 1366 and 390 px and no English left in Spanish or Portuguese; bars by value, a
// removed snapshot, the snapshots read again by a restarted engine; then twelve monthly snapshots
// of 100,000 accounts read and trended in the page, with the memory shown and the main thread
// never blocked for 200 ms (the test prints its timings).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync, mkdirSync, readFileSync, createWriteStream, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { startStudio } from './studio.mjs';
import { runCli, dist, root, prng as rng } from '../helpers.mjs';

const shots = join(root, 'build', 'screenshots');
const tmp = mkdtempSync(join(tmpdir(), 'hs-history-'));
let env, studio;

before(async () => {
  mkdirSync(shots, { recursive: true });
  // Every long task from the first script on, in milliseconds.
  const init = () => {
    window.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longTasks.push(e.duration);
    }).observe({ type: 'longtask', buffered: true });
  };
  env = await startStudio({ dist, init });
  ({ studio } = env);
});

after(async () => {
  await env?.close();
  rmSync(tmp, { recursive: true, force: true }); // the twelve big files are about 110 MB
});

const MODEL = {
  version: 1,
  name: 'History test',
  id_column: 'Account ID',
  name_column: 'Account',
  value_column: 'MRR',
  categories: [
    { id: 'health', label: 'Health', weight: 2, signals: [{ column: 'Health', weight: 1, rule: { type: 'linear', min: 0, max: 100 } }] },
    { id: 'usage', label: 'Usage', weight: 1, signals: [{ column: 'Logins', weight: 1, rule: { type: 'linear', min: 0, max: 30 } }] },
  ],
  bands: [
    { id: 'red', label: 'At risk', max: 50, color: '#c0392b' },
    { id: 'yellow', label: 'Neutral', max: 70, color: '#d4a017' },
    { id: 'green', label: 'Healthy', max: 100, color: '#2e8b57' },
  ],
  segments: { column: 'Tier', groups: [{ id: 'big', label: 'Big accounts', values: ['big'] }], other_label: 'Small accounts' },
};

// Three months of twelve accounts: some fall, some recover, E leaves after the first, D after the
// second, H and I join; one name is a formula (defused in both exports), one holds a comma.
const HEADER = 'Account ID,Account,Tier,MRR,Health,Logins\n';
const SNAPSHOTS = [
  {
    name: 'accounts-2026-09-30.csv',
    date: '2026-09-30',
    rows: [
      'A,Acme,big,1000,80,20',
      'B,"Beta, Inc",small,200,60,12',
      'C,Ceta,small,300,40,5',
      'D,Delta,big,4000,42,9',
      'E,Epsilon,small,150,25,3',
      'F,Phi,small,120,30,2',
      'G,Gamma,big,2500,75,25',
      'J,Jota,small,90,55,9',
      'K,Kappa,big,1800,45,8',
      'L,Lambda,small,60,66,15',
    ],
  },
  {
    name: 'accounts_20261031.csv',
    date: '2026-10-31',
    rows: [
      'A,Acme,big,1000,45,10',
      'B,"Beta, Inc",small,200,65,14',
      'C,Ceta,small,300,60,12',
      'D,Delta,big,4000,30,5',
      'F,Phi,small,120,20,1',
      'G,Gamma,big,2500,72,22',
      'H,Eta,small,400,50,6',
      'J,Jota,small,90,35,4',
      'K,Kappa,big,1800,62,14',
      'L,Lambda,small,60,70,16',
    ],
  },
  {
    name: 'export-final.csv',
    date: '2026-11-30',
    rows: [
      'A,Acme Corp,big,1000,30,4',
      'B,"Beta, Inc",small,200,40,6',
      'C,Ceta,small,300,85,25',
      'F,Phi,small,120,25,3',
      'G,Gamma,big,2500,,20',
      'H,Eta,small,400,71,18',
      'I,"=HYPERLINK(""http://x"")",small,500,60,11',
      'J,Jota,small,90,20,2',
      'K,Kappa,big,1800,80,24',
      'L,Lambda,small,60,48,7',
    ],
  },
];

const modelPath = join(tmp, 'model.json');
const paths = SNAPSHOTS.map((s) => join(tmp, s.name));
const dates = SNAPSHOTS.map((s) => s.date).join(',');

function cli(args) {
  const r = runCli(['trend', ...paths, '--model', modelPath, '--dates', dates, ...args]);
  assert.equal(r.status, 0, r.stderr);
  return r;
}

const digits = (s) => Number(s.replace(/[^\d]/g, ''));

async function historySettled(page) {
  await page.waitForFunction(() => ['done', 'error', 'none'].includes(document.body.dataset.history));
}

/** Band mix as the page shows it: per snapshot row, band id -> count, plus unscored and rows. */
async function shownMix(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('#history-mix tbody tr')].map((tr) => {
      const out = {};
      for (const td of tr.querySelectorAll('td[data-band]'))
        out[td.dataset.band] = Number((td.querySelector('.count') || td).textContent.replace(/[^\d]/g, ''));
      out.rows = Number(tr.querySelectorAll('td')[1].textContent.replace(/[^\d]/g, ''));
      return out;
    }),
  );
}

/** Nothing in the History card reaches past the card, except inside its own scrolling boxes. */
async function spills(page) {
  return page.evaluate(() => {
    const card = document.getElementById('history').getBoundingClientRect();
    const out = [];
    for (const el of document.querySelectorAll('#history *')) {
      if (el.closest('.wide') && !el.classList.contains('wide')) continue;
      const r = el.getBoundingClientRect();
      if (r.width && (r.right > card.right + 1 || r.left < card.left - 1))
        out.push(`${el.tagName}.${el.className && el.className.baseVal !== undefined ? el.className.baseVal : el.className}#${el.id}`);
    }
    return out;
  });
}

test("three snapshots: band mix, lagged AUC and both exports are the command line's", async () => {
  const { page } = studio;
  writeFileSync(modelPath, JSON.stringify(MODEL));
  SNAPSHOTS.forEach((s, i) => writeFileSync(paths[i], HEADER + s.rows.join('\n') + '\n'));
  await page
    .getByLabel('Open a model (JSON)')
    .setInputFiles({ name: 'model.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(MODEL)) });
  await studio.settled();

  await page.getByLabel('Add snapshot files').setInputFiles(paths);
  await page.waitForFunction(() => document.body.dataset.snapshots === '3' && document.body.dataset.history !== 'adding');
  // Two names show their date; the third asks for one.
  assert.equal(await page.getByLabel('Date of accounts-2026-09-30.csv').inputValue(), '2026-09-30');
  assert.equal(await page.getByLabel('Date of accounts_20261031.csv').inputValue(), '2026-10-31');
  assert.equal(await page.getByLabel('Date of export-final.csv').inputValue(), '');
  assert.match(await page.locator('#history-body').innerText(), /Every snapshot needs a date/);
  await page.getByLabel('Date of export-final.csv').fill('2026-11-30');
  // Not historySettled: before the date's change is handled the state is still 'none' (a date
  // missing), which it accepts; the run the date starts ends in 'done' or 'error'.
  await page.waitForFunction(() => ['done', 'error'].includes(document.body.dataset.history));
  assert.equal(await page.evaluate(() => document.body.dataset.history), 'done');

  // Each snapshot's rows and memory.
  const list = page.getByRole('table', { name: 'Snapshots' });
  for (const s of SNAPSHOTS) {
    const cells = await list
      .getByRole('row', { name: new RegExp(s.name.replace('.', '\\.')) })
      .getByRole('cell')
      .allInnerTexts();
    assert.equal(digits(cells[1]), s.rows.length, s.name);
    assert.match(cells[2], /\d+(\.\d)? (B|KB|MB)/, s.name);
  }
  assert.match(await page.locator('#history-memory').innerText(), /3 snapshots use [\d.,]+ (KB|MB) of memory; the engine’s memory is [\d.,]+ MB/);

  const want = JSON.parse(cli(['--format', 'json']).stdout.toString());
  const mix = await shownMix(page);
  assert.equal(mix.length, 3);
  want.snapshots.forEach((s, i) => {
    for (const b of MODEL.bands) assert.equal(mix[i][b.id], s.summary.bands[b.id], `${s.date} ${b.id}`);
    assert.equal(mix[i].unscored, s.summary.unscored, `${s.date} unscored`);
    assert.equal(mix[i].rows, s.summary.rows, `${s.date} rows`);
  });
  // Value at risk per snapshot, as the engine sums it.
  const atRisk = await page.locator('#history-mix tbody td.at-risk').allInnerTexts();
  assert.deepEqual(
    atRisk.map(digits),
    want.snapshots.map((s) => Math.round(s.summary.value.at_risk)),
  );
  // Per segment: the picker (the segment shown in every step) shows the segment's own band mix.
  await page.locator('#history').getByLabel('Segment shown', { exact: true }).selectOption({ label: 'Big accounts' });
  const big = await shownMix(page);
  want.snapshots.forEach((s, i) => {
    const g = s.segments.find((x) => x.label === 'Big accounts');
    for (const b of MODEL.bands) assert.equal(big[i][b.id], g.bands[b.id], `${s.date} big ${b.id}`);
  });
  await page.locator('#history').getByLabel('Segment shown', { exact: true }).selectOption({ label: 'Every account' });

  // Flow between the last two and its counts.
  const last = want.flows[want.flows.length - 1];
  assert.match(
    await page.locator('#history-counts').innerText(),
    new RegExp(
      `^${last.counts.appeared} appeared, ${last.counts.disappeared} disappeared, ${last.counts.newly_at_risk} newly at risk, ${last.counts.recovered} recovered`,
    ),
  );
  const flowCells = await page.locator('#history-flow tbody td').allInnerTexts();
  assert.equal(
    flowCells.map(digits).reduce((a, b) => a + b, 0),
    last.matrix.flat().reduce((a, b) => a + b, 0),
  );
  // Movers with a sparkline each.
  const drops = page.getByRole('table', { name: 'Biggest drops' });
  assert.equal(await drops.locator('tbody tr').count(), want.movers.first_to_last.drops.length);
  assert.equal(await drops.locator('tbody tr').first().getByRole('rowheader').locator('.who').innerText(), want.movers.first_to_last.drops[0].id);
  assert.equal(await drops.locator('svg.sparkline').count(), want.movers.first_to_last.drops.length);
  // The scores shown beside the bands are the ones the bands were decided on (rounded half away
  // from zero), so a shown score never contradicts its band; the exact one is the cell's title.
  const first = want.movers.first_to_last.drops[0];
  const cells = drops.locator('tbody tr').first().locator('td.num');
  assert.equal(await cells.nth(0).innerText(), String(first.from_health));
  assert.equal(await cells.nth(1).innerText(), String(first.to_health));
  assert.equal(await cells.nth(1).getAttribute('title'), (Math.round(first.to_score * 100) / 100).toFixed(2));
  const series = want.accounts.find((x) => x.id === want.movers.first_to_last.drops[0].id).series;
  assert.equal(
    await drops.locator('svg.sparkline').first().getAttribute('aria-label'),
    `Scores of ${want.movers.first_to_last.drops[0].id}: ` +
      ['Sep 30, 2026', 'Oct 31, 2026', 'Nov 30, 2026']
        .map((d, i) => `${d} ${series[i] && series[i].score !== null ? (Math.round(series[i].score * 100) / 100).toFixed(2) : '—'}`)
        .join(', '),
  );

  // Lagged validation: the AUC and interval the command line prints, digit for digit.
  for (const lag of want.lagged.lags) {
    const row = page.locator(`#history-lagged tr[data-lag="${lag.lag}"]`);
    const a = lag.validation.health;
    assert.equal(await row.locator('td.auc').innerText(), a.auc.toFixed(3));
    assert.equal(await row.locator('td.ci').innerText(), a.lo === null ? '—' : `${a.lo.toFixed(3)}–${a.hi.toFixed(3)}`);
  }

  // Exports: the engine's bytes, as `healthscore trend -o` and `--movers` write them.
  for (const convention of ['standard', 'excel-es']) {
    await page.locator('#history').getByLabel('CSV for').selectOption(convention);
    const series = await studio.download('Export score series (CSV)');
    const movers = await studio.download('Export movers (CSV)');
    const out = join(tmp, `series-${convention}.csv`),
      mv = join(tmp, `movers-${convention}.csv`);
    cli(['--format', 'json', '-o', out, '--movers', mv, '--csv', convention]);
    assert.ok(series.bytes.equals(readFileSync(out)), `series CSV (${convention}) differs from the command line's`);
    assert.ok(movers.bytes.equals(readFileSync(mv)), `movers CSV (${convention}) differs from the command line's`);
    assert.match(series.name, /^history-2026-09-30-2026-11-30-series\.csv$/);
  }

  // Layout: nothing spills out of its card; at 390 px no page-level sideways scroll.
  // (Tall viewports, so the sticky step bar does not sit over the card in the pictures.)
  const toCard = () => page.evaluate(() => window.scrollTo(0, document.getElementById('history').offsetTop - 80));
  await page.setViewportSize({ width: 1366, height: 2400 });
  await toCard();
  await page.locator('#history').screenshot({ path: join(shots, 'history-1366.png') });
  assert.deepEqual(await spills(page), []);
  await page.setViewportSize({ width: 390, height: 4000 });
  await toCard();
  await page.locator('#history').screenshot({ path: join(shots, 'history-390.png') });
  assert.deepEqual(await spills(page), []);
  assert.ok(
    await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth),
    'the page scrolls sideways at 390 px',
  );
  await page.setViewportSize({ width: 1366, height: 1000 });

  // In Spanish and Portuguese: the AUC with the decimal comma, and no English text left in the step.
  const { MESSAGES } = await import('../../../dist/lib/i18n.js');
  const lag2 = want.lagged.lags[1].validation.health;
  for (const lang of ['es', 'pt']) {
    await page.locator('#lang').selectOption(lang);
    assert.equal(await page.locator('#history-lagged tr[data-lag="2"] td.auc').innerText(), lag2.auc.toFixed(3).replace('.', ','));
    assert.equal(
      await page.locator('#history-lagged tr[data-lag="2"] td.ci').innerText(),
      `${lag2.lo.toFixed(3)}–${lag2.hi.toFixed(3)}`.replaceAll('.', ','),
    );
    const text = await page.locator('#history').innerText();
    for (const [key, en] of Object.entries(MESSAGES.en)) {
      if (!/^(trend|step)\./.test(key) || en === MESSAGES[lang][key]) continue;
      for (const piece of en.split(/\{\w+\}/))
        if (piece.trim().length >= 12) assert.ok(!text.includes(piece.trim()), `${lang}: "${piece.trim()}" (${key}) is shown in English`);
    }
  }
  assert.match(await page.locator('#history-body').innerText(), /Distribuição por faixa em cada retrato/);
  await page.locator('#lang').selectOption('en');
});

test("weights fitted over time, per-segment flow and movers, and the breakdown chart are the command line's", async () => {
  const { page } = studio;
  const want = JSON.parse(cli(['--format', 'json', '--suggest']).stdout.toString());
  const sw = want.suggested_weights;
  assert.ok(sw.categories, 'the command line fitted weights');
  // Asked for: fitted on snapshots 1-2, checked on 2-3, each AUC and interval as the CLI prints it.
  await page.getByRole('button', { name: 'Fit weights on earlier snapshots' }).click();
  await page.locator('#history-suggest-auc').waitFor();
  await historySettled(page);
  assert.match(await page.locator('#history-suggest-span').innerText(), /^Fitted on snapshots 1–2 \(Sep 30, 2026 to Oct 31, 2026: 10 accounts/);
  assert.match(
    await page.locator('#history-suggest-span').innerText(),
    /checked on snapshots 2–3: 10 accounts scored on Oct 31, 2026, churned if gone by Nov 30, 2026\.$/,
  );
  for (const [which, a] of [
    ['current', sw.test_current],
    ['suggested', sw.test_suggested],
  ]) {
    const row = page.locator(`#history-suggest-auc tr[data-weights="${which}"]`);
    assert.equal(await row.locator('td.auc').innerText(), a.auc.toFixed(3), which);
    assert.equal(await row.locator('td.ci').innerText(), a.lo === null ? '—' : `${a.lo.toFixed(3)}–${a.hi.toFixed(3)}`, which);
  }
  await page.locator('#history-suggestion').screenshot({ path: join(shots, 'history-suggestion.png') });
  // At 390 px the card stays inside the step; in Spanish and Portuguese it has no English left.
  await page.setViewportSize({ width: 390, height: 4000 });
  assert.deepEqual(await spills(page), []);
  await page.setViewportSize({ width: 1366, height: 1000 });
  const { MESSAGES } = await import('../../../dist/lib/i18n.js');
  for (const lang of ['es', 'pt']) {
    await page.locator('#lang').selectOption(lang);
    const text = await page.locator('#history-suggestion').innerText();
    for (const [key, en] of Object.entries(MESSAGES.en)) {
      if (!/^(trend|evidence)\./.test(key) || en === MESSAGES[lang][key]) continue;
      for (const piece of en.split(/\{\w+\}/))
        if (piece.trim().length >= 12) assert.ok(!text.includes(piece.trim()), `${lang}: "${piece.trim()}" (${key}) is shown in English`);
    }
  }
  await page.locator('#lang').selectOption('en');
  const suggestedCells = await page.locator('#history-weights tbody tr td:nth-child(3)').allInnerTexts();
  assert.deepEqual(
    suggestedCells.map(Number),
    sw.categories.map((c) => c.suggested),
  );
  assert.equal(await page.locator('#history-suggest-verdict').innerText(), sw.verdict);
  // "Try these weights": a new scenario with the suggested weights; the user's is unchanged.
  const mine = await studio.model();
  const from = await page.evaluate(() => window.healthscore.store.scenario.id);
  if (sw.categories.some((c) => c.suggested !== c.current)) {
    await page.locator('#history-suggestion').getByRole('button', { name: 'Try these weights' }).click();
    const tried = await studio.model();
    assert.deepEqual(
      tried.categories.map((c) => c.weight),
      sw.categories.map((c) => c.suggested),
    );
    assert.match(await page.evaluate(() => window.healthscore.store.scenario.name), /, suggested weights$/);
    assert.notEqual(await page.evaluate(() => window.healthscore.store.scenario.id), from);
    await page.locator('#history-suggestion').getByRole('button', { name: 'Back to my weights' }).click();
    assert.equal(await page.evaluate(() => window.healthscore.store.scenario.id), from);
    assert.deepEqual(await studio.model(), mine);
    await historySettled(page);
  }

  // The segment shown follows the other steps' choice: its own flow and movers.
  await page.locator('#history').getByLabel('Segment shown', { exact: true }).selectOption({ label: 'Big accounts' });
  const big = want.segments.find((g) => g.label === 'Big accounts');
  const f = big.flows[big.flows.length - 1];
  assert.match(await page.locator('#history-segment-shown').innerText(), /Big accounts/);
  assert.match(
    await page.locator('#history-counts').innerText(),
    new RegExp(
      `^${f.counts.appeared} appeared, ${f.counts.disappeared} disappeared, ${f.counts.newly_at_risk} newly at risk, ${f.counts.recovered} recovered`,
    ),
  );
  const cells = await page.locator('#history-flow tbody td').allInnerTexts();
  assert.equal(
    cells.map(digits).reduce((a, b) => a + b, 0),
    f.matrix.flat().reduce((a, b) => a + b, 0),
  );
  const drops = page.getByRole('table', { name: 'Biggest drops' });
  const shownDrops = await drops.locator('tbody tr th .who').allInnerTexts();
  assert.deepEqual(
    shownDrops,
    big.movers.first_to_last.drops.map((a) => a.id),
  );
  assert.equal(await drops.locator('svg.sparkline path[d^="M"]').count(), big.movers.first_to_last.drops.length, 'each mover has its series');
  // One choice for every step: the page's segment shown.
  assert.equal(await page.evaluate(() => window.healthscore.state.segmentView), 'big');
  await page.locator('#history').getByLabel('Segment shown', { exact: true }).selectOption({ label: 'Every account' });
  assert.equal(await page.locator('#history-segment-shown').count(), 0);

  // The last snapshot as the scored file: an account's breakdown charts its score over the snapshots.
  await studio.upload(paths[2]);
  await historySettled(page);
  await page.getByRole('button', { name: 'A', exact: true }).first().click();
  const chart = page.locator('#breakdown-history svg#breakdown-chart');
  await chart.waitFor();
  await page.locator('#breakdown').screenshot({ path: join(shots, 'breakdown-history.png') });
  const series = want.accounts.find((x) => x.id === 'A').series;
  assert.equal(await chart.locator('title').textContent(), 'Score over the snapshots');
  const label = (p, i) => {
    const b = MODEL.bands.find((x) => x.id === p.band);
    return `${['Sep 30, 2026', 'Oct 31, 2026', 'Nov 30, 2026'][i]} ${(Math.round(p.score * 100) / 100).toFixed(2)} (${b.label})`;
  };
  assert.equal(
    await chart.locator('desc').textContent(),
    `Health score of A at each snapshot, with the band zones: ${series.map(label).join(', ')}.`,
  );
  assert.equal(await chart.getAttribute('role'), 'img');
  assert.equal(await chart.locator('circle.dot').count(), series.filter((p) => p && p.score !== null).length);
  // A is a big account: the zones are its segment's bands, one per band, in the bands' colours.
  assert.deepEqual(
    await chart.locator('rect.zone').evaluateAll((els) => els.map((e) => e.getAttribute('data-band'))),
    MODEL.bands.map((b) => b.id),
  );
  assert.deepEqual(
    await chart.locator('rect.zone').evaluateAll((els) => els.map((e) => e.getAttribute('fill'))),
    MODEL.bands.map((b) => b.color),
  );
  assert.deepEqual(await chart.locator('text.date').allTextContents(), ['Sep 30, 2026', 'Oct 31, 2026', 'Nov 30, 2026']);
  // Higher scores sit higher: the dots' heights are in the order of the scores.
  const ys = await chart.locator('circle.dot').evaluateAll((els) => els.map((e) => Number(e.getAttribute('cy'))));
  const scores = series.map((p) => p.score);
  for (let i = 1; i < ys.length; i++) assert.equal(Math.sign(ys[i - 1] - ys[i]), Math.sign(scores[i] - scores[i - 1]), `dots ${i - 1}, ${i}`);
  // In Spanish the chart speaks Spanish.
  await page.locator('#lang').selectOption('es');
  await page.locator('#breakdown-history svg#breakdown-chart').waitFor();
  assert.equal(await page.locator('#breakdown-chart title').textContent(), 'Puntuación en las instantáneas');
  await page.locator('#lang').selectOption('en');
});

test('bars by value, removing a snapshot, and a restarted engine reading the snapshots again', async () => {
  const { page } = studio;
  const want = JSON.parse(cli(['--format', 'json']).stdout.toString());
  // Bars by value: each bar's shares are the value per band over the snapshot's total value.
  await page.locator('#history').getByLabel('Bars by').selectOption('value');
  const s0 = want.snapshots[0].summary.value;
  const label = await page.locator('#history-mix tbody tr').first().locator('svg.stacked').getAttribute('aria-label');
  assert.equal(label, MODEL.bands.map((b) => `${b.label} ${((100 * s0.bands[b.id]) / s0.total).toFixed(1)}%`).join(', '));
  await page.locator('#history').getByLabel('Bars by').selectOption('accounts');
  const before = await shownMix(page);
  // The Worker restarts (a cancelled read does this): the page reads its snapshots again.
  await page.evaluate(async () => {
    await window.healthscore.engine.restart();
    await window.healthscore.history.afterRestart();
  });
  await historySettled(page);
  assert.equal(await page.evaluate(() => document.body.dataset.snapshots), '3');
  assert.deepEqual(await shownMix(page), before);
  // Removing the middle snapshot: two left, one flow, one lag.
  await page.getByRole('button', { name: 'Remove accounts_20261031.csv' }).click();
  await page.waitForFunction(() => document.body.dataset.snapshots === '2');
  await historySettled(page);
  assert.equal(await page.locator('#history-mix tbody tr').count(), 2);
  assert.equal(await page.locator('#history-lagged tbody tr').count(), 1);
  assert.match(await page.locator('#history-memory').innerText(), /^2 snapshots use/);
  // A file with a header and no rows is named and not added.
  await page.getByLabel('Add snapshot files').setInputFiles({ name: 'empty-2026-12-31.csv', mimeType: 'text/csv', buffer: Buffer.from(HEADER) });
  await page.waitForFunction(() => document.body.dataset.history !== 'adding' && /not added/.test(document.getElementById('history-body').innerText));
  assert.match(
    await page.locator('#history-body .warn').first().innerText(),
    /^empty-2026-12-31\.csv has a header \(6 columns\) but no data rows; it was not added\.$/,
  );
  assert.equal(await page.evaluate(() => document.body.dataset.snapshots), '2');
  // A scored file and its model: the trend follows the new model once the file's scoring is done.
  await studio.loadSample();
  await historySettled(page);
  assert.equal(await page.evaluate(() => document.body.dataset.history), 'done', await page.locator('#history-body').innerText());
  // The sample's model has no value column and no segments: no value at risk, no segment picker.
  assert.equal(await page.evaluate(() => window.healthscore.state.history.trend.value_column), null);
  assert.equal(await page.locator('#history-mix td.at-risk').count(), 0);
  assert.equal(await page.locator('#history-segment').count(), 0);
  // The snapshots lack most of the sample's columns: each row says which (those signals are missing).
  assert.match(
    await page
      .getByRole('table', { name: 'Snapshots' })
      .getByRole('row', { name: /accounts-2026-09-30\.csv/ })
      .innerText(),
    /Lacks Logins \(30d\), Active users %/,
  );
});

// ---- twelve monthly snapshots of 100,000 accounts -----------------------------------------------

const BIG = 100_000;
const MONTHS = 12;
const PLANS = ['Starter', 'Growth', 'Enterprise'];
const CONTRACTS = ['Monthly', 'Annual', 'Two year'];

/** The sample's kind of scorecard over an export of twelve columns: usage, recency, support, contract. */
const BIG_MODEL = {
  ...MODEL,
  name: 'History at scale',
  categories: [
    ...MODEL.categories,
    {
      id: 'engagement',
      label: 'Engagement',
      weight: 1,
      signals: [
        { column: 'Last login', weight: 1, rule: { type: 'recency', full_days: 7, zero_days: 60 } },
        { column: 'CSAT', weight: 1, rule: { type: 'linear', min: 1, max: 5 } },
        { column: 'Open tickets', weight: 1, rule: { type: 'steps', steps: [{ max: 0, score: 100 }, { max: 2, score: 70 }, { score: 20 }] } },
        { column: 'Contract', weight: 1, rule: { type: 'map', map: { Monthly: 30, Annual: 70, 'Two year': 100 } } },
      ],
    },
  ],
};

/**
 * Twelve month-end exports of the same 100k accounts (twelve columns, about 8 MB each): health
 * drifts, about 1% leave (the less healthy more often) and 1,000 join each month.
 */
async function writeBigSnapshots() {
  const random = rng(12);
  const health = new Float64Array(BIG + MONTHS * 2000);
  const alive = new Uint8Array(health.length);
  for (let i = 0; i < BIG; i++) {
    health[i] = 20 + random() * 75;
    alive[i] = 1;
  }
  let next = BIG;
  const files = [];
  for (let m = 0; m < MONTHS; m++) {
    const y = 2025 + Math.floor((m + 11) / 12),
      mo = ((m + 11) % 12) + 1;
    const name = join(tmp, `big-${y}-${String(mo).padStart(2, '0')}.csv`);
    const out = createWriteStream(name);
    out.write('Account ID,Account,Tier,MRR,Health,Logins,Plan,Last login,CSAT,Open tickets,Contract,Seats\n');
    const monthEnd = Date.UTC(y, mo, 0);
    let chunk = '';
    for (let i = 0; i < next; i++) {
      if (!alive[i]) continue;
      if (m > 0 && random() < 0.01 * (1 + (100 - health[i]) / 50)) {
        alive[i] = 0;
        continue;
      } // the less healthy leave more
      health[i] = Math.min(100, Math.max(0, health[i] + (random() - 0.5) * 12));
      const last = new Date(monthEnd - Math.floor(random() * (110 - health[i])) * 86400000).toISOString().slice(0, 10);
      chunk +=
        `ACC-${String(i).padStart(7, '0')},Account ${i},${i % 5 ? 'small' : 'big'},${(100 + (i % 97) * 13).toFixed(2)},${health[i].toFixed(1)},${Math.floor(health[i] / 4)},` +
        `${PLANS[i % 3]},${last},${(1 + health[i] / 25).toFixed(1)},${Math.floor(random() * 4)},${CONTRACTS[(i >> 2) % 3]},${1 + (i % 40)}\n`;
      if (chunk.length > 1 << 20) {
        if (!out.write(chunk)) await once(out, 'drain');
        chunk = '';
      }
    }
    for (let k = 0; k < 1000 && m > 0; k++, next++) {
      health[next] = 40 + random() * 50;
      alive[next] = 1;
    }
    out.end(chunk);
    await once(out, 'finish');
    files.push(name);
  }
  return files;
}

test('twelve monthly snapshots of 100,000 accounts fit in the page, with the memory shown, and never block it', async (t) => {
  const { page } = studio;
  const t0 = Date.now();
  const files = await writeBigSnapshots();
  const generated = Date.now() - t0;
  await page.reload();
  await page.waitForSelector('body[data-engine="ready"]');
  await studio.settled();
  await page
    .getByLabel('Open a model (JSON)')
    .setInputFiles({ name: 'model.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(BIG_MODEL)) });
  await studio.settled();
  await page.evaluate(() => {
    window.__longTasks.length = 0;
  });
  const t1 = Date.now();
  await page.getByLabel('Add snapshot files').setInputFiles(files);
  await page.waitForFunction((n) => document.body.dataset.snapshots === String(n) && document.body.dataset.history !== 'adding', MONTHS, {
    timeout: 120_000,
  });
  const read = Date.now() - t1;
  await page.waitForFunction(() => ['done', 'error'].includes(document.body.dataset.history), null, { timeout: 120_000 });
  const built = Date.now() - t1 - read;
  assert.equal(await page.evaluate(() => document.body.dataset.history), 'done', await page.locator('#history-body').innerText());
  const longest = await page.evaluate(() => Math.max(0, ...window.__longTasks));
  const memory = await page.locator('#history-memory').innerText();
  const m = /(\d+) snapshots use ([\d.,]+) (MB|GB) of memory; the engine’s memory is ([\d.,]+) (MB|GB)/.exec(memory);
  assert.ok(m, memory);
  assert.equal(Number(m[1]), MONTHS);
  const mb = (x, unit) => Number(x.replace(/,/g, '')) * (unit === 'GB' ? 1024 : 1);
  const heap = await page.evaluate(() => window.healthscore.state.history.memory.heap);
  t.diagnostic(
    `generate ${generated} ms, read ${read} ms, trend ${built} ms (engine ${Math.round(await page.evaluate(() => window.healthscore.state.history.ms))} ms); snapshots ${m[2]} ${m[3]}, heap ${m[4]} ${m[5]}; longest task ${Math.round(longest)} ms`,
  );
  assert.ok(mb(m[4], m[5]) >= mb(m[2], m[3]), 'the heap holds the snapshots');
  assert.ok(heap < 2 * 1024 ** 3, `the engine's heap grew to ${heap} bytes`);
  assert.ok(longest < 200, `the main thread was blocked for ${longest} ms`);
  // The page answers while it holds them, and the report is whole.
  assert.equal(await page.locator('#history-mix tbody tr').count(), MONTHS);
  assert.equal(await page.locator('#history-lagged tbody tr').count(), MONTHS - 1);
  const auc = Number(await page.locator('#history-lagged tr[data-lag="1"] td.auc').innerText());
  assert.ok(auc > 0.5, `lag-1 AUC ${auc}: the less healthy leave more`);
  // The weights fitted over time at this size: ten pairs fitted on (about a million rows, the
  // search on an even sample), checked on the last pair, the page still never blocked.
  const t2 = Date.now();
  await page.getByRole('button', { name: 'Fit weights on earlier snapshots' }).click();
  await page.locator('#history-suggest-auc').waitFor({ timeout: 120_000 });
  await page.waitForFunction(() => document.body.dataset.history === 'done', null, { timeout: 120_000 });
  const fitted = Date.now() - t2;
  const sw = await page.evaluate(() => window.healthscore.state.history.trend.suggested_weights);
  assert.equal(sw.fitted_on.pairs, MONTHS - 2);
  assert.ok(sw.search_sampled && sw.train_rows > 900_000, `${sw.train_rows} training rows, sampled ${sw.search_sampled}`);
  assert.ok(sw.checked, 'enough accounts of both kinds in the last pair to judge');
  assert.match(await page.locator('#history-suggest-span').innerText(), new RegExp(`^Fitted on snapshots 1–${MONTHS - 1} `));
  const heapAfter = await page.evaluate(() => window.healthscore.state.history.memory.heap);
  const longestAfter = await page.evaluate(() => Math.max(0, ...window.__longTasks));
  t.diagnostic(
    `trend with the weights fitted over time ${fitted} ms; heap ${Math.round(heapAfter / 1024 ** 2)} MB; longest task ${Math.round(longestAfter)} ms`,
  );
  assert.ok(heapAfter < 2 * 1024 ** 3, `the engine's heap grew to ${heapAfter} bytes`);
  assert.ok(longestAfter < 200, `the main thread was blocked for ${longestAfter} ms`);
});
