// SPDX-License-Identifier: MIT
// Account value and segments in the studio: value per band and at risk, a scorecard per segment
// made from a column's values, a weight set for one segment only, each as the command line has it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStudio } from './studio.mjs';
import { runCli, sample, dist, root } from '../helpers.mjs';

const shots = join(root, 'build', 'screenshots');
const tmp = mkdtempSync(join(tmpdir(), 'hs-segments-'));
let env, log, studio;

before(async () => {
  mkdirSync(shots, { recursive: true });
  env = await startStudio({ dist });
  ({ log, studio } = env);
});

after(() => env?.close());

function cli(model) {
  const path = join(tmp, `m-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, JSON.stringify(model));
  const r = runCli(['score', sample.file, '--model', path, '--format', 'json']);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout.toString());
}

const money = (x) => Math.round(x).toLocaleString('en-US');

test('with a value column the band summary shows the value per band and the value at risk, as the command line sums them', async () => {
  const { page } = studio;
  await studio.loadSample();
  await page.getByLabel('Account value column').selectOption('MRR');
  await studio.settled();
  const model = await studio.model();
  assert.equal(model.value_column, 'MRR');
  const want = cli(model).summary;
  const table = page.getByRole('table', { name: /Band summary/ });
  for (const b of model.bands) {
    const row = table.getByRole('row', { name: new RegExp(`^\\W*${b.label}`) });
    assert.ok((await row.innerText()).includes(money(want.value.bands[b.id])), `${b.label}: ${await row.innerText()}`);
  }
  assert.match(
    await page.locator('#value-at-risk').innerText(),
    new RegExp(`Value at risk \\(At risk\\): ${money(want.value.at_risk)} of ${money(want.value.total)}`),
  );
});

test("segments made from a column's values score each group with its own weights, exactly as the command line", async () => {
  const { page } = studio;
  await page.getByLabel('Segment column').selectOption('Plan');
  await page.getByRole('button', { name: 'Make a scorecard per value' }).click();
  await studio.settled();
  let model = await studio.model();
  assert.equal(model.segments.column, 'Plan');
  assert.ok(model.segments.groups.length >= 2);
  // Groups that override nothing still take column statistics (percentile, an omitted min or max)
  // within their own accounts: the counts are the command line's for the segmented model.
  const plain = cli(model);
  const shown = await studio.bandCounts();
  for (const b of model.bands) assert.equal(shown[b.label], plain.summary.bands[b.id], b.label);
  // Weigh Product usage differently for the first group only.
  const first = model.segments.groups[0];
  await page.getByLabel('Scorecard being weighted').selectOption({ label: first.label });
  const usage = studio.slider('Product usage');
  await usage.focus();
  await usage.press('Home');
  await studio.settled();
  model = await studio.model();
  assert.equal(model.segments.groups[0].categories.usage.weight, 0);
  assert.equal(model.categories[0].weight, 40, 'the base model is unchanged');
  const want = cli(model);
  const counts = await studio.bandCounts();
  for (const b of model.bands) assert.equal(counts[b.label], want.summary.bands[b.id], b.label);
  // Per segment, as the command line counts them.
  const seg = page.getByRole('table', { name: 'Accounts per segment and band' });
  for (const s of want.summary.segments) {
    const cells = await seg
      .getByRole('row', { name: new RegExp(`^${s.label}`) })
      .getByRole('cell')
      .allInnerTexts();
    assert.equal(Number(cells[0].replace(/\D/g, '')), s.rows, s.label);
    model.bands.forEach((b, i) => assert.equal(Number(cells[i + 1].replace(/\D/g, '')), s.bands[b.id], `${s.label} ${b.label}`));
  }
  // The table shows each account's segment, and its breakdown says which scorecard scored it.
  const row = want.rows.find((r) => r.segment === first.label);
  await page.getByLabel('Search accounts').fill(row.id);
  await page.getByRole('button', { name: row.id, exact: true }).click();
  await page.getByText(`Scored with the ${first.label} scorecard.`).waitFor();
  await page.locator('#segments-body').screenshot({ path: join(shots, 'segments.png') });
  // The scored export carries health_segment, byte for byte the CLI's.
  const path = join(tmp, 'seg-model.json');
  writeFileSync(path, JSON.stringify(model));
  const { bytes } = await studio.exportCsv();
  assert.ok(bytes.equals(runCli(['score', sample.file, '--model', path, '--format', 'csv']).stdout));
});

test('Act: the call list of a band is every account in it, the most value at risk first, as the command line bands them', async () => {
  const { page } = studio;
  const model = await studio.model();
  const want = cli(model);
  // The sample's MRR cells, read with quotes ("1,102.47"), as numbers.
  const lines = (await import('node:fs'))
    .readFileSync(sample.file, 'utf8')
    .trim()
    .split(/\r?\n/)
    .map((l) => [...l.matchAll(/(?:"([^"]*)"|([^,]*))(?:,|$)/g)].map((m) => m[1] ?? m[2]));
  const mrr = lines[0].indexOf('MRR');
  const red = want.rows.filter((r) => r.band === model.bands[0].id);
  const order = red
    .map((r) => ({ id: r.id, value: Number(String(lines[r.row][mrr]).replace(/,/g, '')) || 0, row: r.row }))
    .sort((a, b) => b.value - a.value || a.row - b.row);
  await page.getByLabel('Band to act on').selectOption({ label: model.bands[0].label });
  await page.waitForFunction(() => document.body.dataset.calls && document.body.dataset.calls.startsWith(document.body.dataset.modelVersion + '|'));
  assert.match(await page.locator('#calls-count').innerText(), new RegExp(`^${red.length.toLocaleString('en-US')} accounts in At risk`));
  const shown = await page.getByRole('table', { name: 'Call list' }).getByRole('rowheader').allInnerTexts();
  assert.deepEqual(
    shown,
    order.slice(0, 100).map((x) => x.id),
  );
  const { bytes } = await studio.download('Export the call list (CSV)');
  const rows = bytes.toString('utf8').trim().split('\r\n');
  assert.equal(rows[0], 'id,name,score,band,action,segment,MRR,signal 1,points lost 1,signal 2,points lost 2,signal 3,points lost 3');
  assert.deepEqual(
    rows.slice(1).map((r) => r.split(',')[0]),
    order.map((x) => x.id),
  );
  await page.locator('#execute').screenshot({ path: join(shots, 'execute.png') });
});

/** Accounts per band of each segment, read from the summary's per-segment table. */
async function segmentRows(page, model) {
  const seg = page.getByRole('table', { name: 'Accounts per segment and band' });
  const out = {};
  for (const row of await seg.locator('tbody tr').all()) {
    const label = (await row.getByRole('rowheader').innerText()).trim();
    const cells = (await row.getByRole('cell').allInnerTexts()).map((c) => Number(c.replace(/\D/g, '')));
    out[label] = { rows: cells[0], bands: Object.fromEntries(model.bands.map((b, i) => [b.id, cells[i + 1]])) };
  }
  return out;
}

function checkSegments(shown, want) {
  for (const s of want.summary.segments) {
    assert.equal(shown[s.label].rows, s.rows, s.label);
    assert.deepEqual(shown[s.label].bands, s.bands, s.label);
  }
}

test("a segment's own cut points and rule score its accounts only, marked where they differ from the base, reset and undone", async () => {
  const { page } = studio;
  let model = await studio.model();
  const first = model.segments.groups[0];
  const red = model.bands[0];
  // The weight the group overrides is marked with the base's, and resets to it; undo brings it back.
  await page.getByLabel('Scorecard being weighted').selectOption({ label: first.label });
  const usageLabel = model.categories[0].label;
  assert.match(await page.locator('#weights-body .override').first().innerText(), new RegExp(`base ${model.categories[0].weight}`));
  await page.getByRole('button', { name: `Reset ${usageLabel} to the base weight` }).click();
  await studio.settled();
  let reset = await studio.model();
  assert.equal(reset.segments.groups[0].categories, undefined, 'nothing left to override: the group says nothing');
  checkSegments(await segmentRows(page, reset), cli(reset));
  await page.getByRole('button', { name: 'Undo', exact: true }).click();
  await studio.settled();
  reset = await studio.model();
  assert.equal(reset.segments.groups[0].categories.usage.weight, 0);
  await page.getByLabel('Scorecard whose bands and rules you edit').selectOption({ label: first.label });
  const limit = page.getByLabel(`Upper limit of ${red.label} for ${first.label}`);
  await limit.fill('62');
  await limit.press('Tab');
  await studio.settled();
  model = await studio.model();
  assert.deepEqual(
    model.segments.groups[0].bands,
    model.bands.map((b, i) => ({ id: b.id, max: i === 0 ? 62 : b.max })),
  );
  assert.equal(model.bands[0].max, red.max, 'the base model keeps its cut point');
  let want = cli(model);
  checkSegments(await segmentRows(page, model), want);
  const counts = await studio.bandCounts();
  for (const b of model.bands) assert.equal(counts[b.label], want.summary.bands[b.id], b.label);
  const bandsTable = page.getByRole('table', { name: `Bands of ${first.label}` });
  assert.match(await bandsTable.locator('tr[data-band="0"]').innerText(), new RegExp(`base ${red.max}`));
  assert.equal(await bandsTable.locator('tr[data-differs="1"]').count(), 1, 'only the band that differs is marked');

  // Its own rule for one signal: a copy of the base rule, then edited; the other segments keep the base rule.
  const usage = model.categories[0];
  await page.locator('#group-rule-signal').selectOption({ label: `${usage.label}: Logins (30d)` });
  await page.getByRole('button', { name: 'Give it its own rule' }).click();
  await studio.settled();
  const own = page.locator('.group-rule[data-signal="usage/Logins (30d)"]');
  const max = own.getByLabel('Maximum (empty: column maximum)');
  await max.fill('20');
  await max.press('Tab');
  await studio.settled();
  model = await studio.model();
  assert.deepEqual(model.segments.groups[0].categories.usage.signals['Logins (30d)'].rule, { ...usage.signals[0].rule, max: 20 });
  assert.equal(model.categories[0].signals[0].rule.max, usage.signals[0].rule.max);
  want = cli(model);
  checkSegments(await segmentRows(page, model), want);
  await page.locator('#bands').screenshot({ path: join(shots, 'segment-bands.png') });

  // Reset the cut point: the group's bands are the base's again (not written); undo brings it back.
  await page.getByRole('button', { name: `Reset ${red.label} to the base cut point and action` }).click();
  await studio.settled();
  model = await studio.model();
  assert.equal(model.segments.groups[0].bands, undefined);
  checkSegments(await segmentRows(page, model), cli(model));
  await page.getByRole('button', { name: 'Undo', exact: true }).click();
  await studio.settled();
  model = await studio.model();
  assert.equal(model.segments.groups[0].bands[0].max, 62);
  checkSegments(await segmentRows(page, model), cli(model));
  assert.equal(await bandsTable.locator('tr[data-differs="1"]').count(), 1);
});

test("a group's weight sliders, once overridden, take the engine's fast path and still score as the command line", async () => {
  const { page } = studio;
  let model = await studio.model();
  const first = model.segments.groups[0];
  await page.getByLabel('Scorecard being weighted').selectOption({ label: first.label });
  await page.evaluate(() => {
    const engine = window.healthscore.engine;
    const call = engine.call.bind(engine);
    window.__weights = [];
    engine.call = (op, args, ...rest) => {
      if (op === 'weights') window.__weights.push(...args.changes);
      return call(op, args, ...rest);
    };
  });
  const usage = studio.slider(model.categories[0].label);
  await usage.focus();
  await usage.press('ArrowRight');
  await studio.settled();
  // A signal's slider: the group already has an object for it (its own rule), so even the first
  // move, which adds the weight beside the rule, is only a number.
  await page.locator('#weights-body details[data-category="0"] summary').click();
  const logins = studio.slider('Logins (30d)');
  await logins.focus();
  await logins.press('ArrowRight');
  await studio.settled();
  await logins.press('ArrowRight');
  await studio.settled();
  const sent = await page.evaluate(() => window.__weights);
  assert.deepEqual(
    sent.map((c) => [c.group, c.category, c.signal]),
    [
      [0, 0, undefined],
      [0, 0, 0],
      [0, 0, 0],
    ],
  );
  assert.equal((await studio.model()).segments.groups[0].categories.usage.signals['Logins (30d)'].weight, 3);
  model = await studio.model();
  assert.equal(model.segments.groups[0].categories.usage.weight, 1);
  const want = cli(model);
  checkSegments(await segmentRows(page, model), want);
  const counts = await studio.bandCounts();
  for (const b of model.bands) assert.equal(counts[b.label], want.summary.bands[b.id], b.label);
  await page.evaluate(() => {
    delete window.healthscore.engine.call;
  });
});

/** Bars of the summary histogram, each band of a bar its own rect: {score, band, figure}. */
async function bars(page, attr) {
  return page
    .locator(`#summary-body svg.histogram rect[${attr}]`)
    .evaluateAll(
      (rs, a) => rs.map((r) => ({ score: Number(r.dataset.score), band: Number(r.dataset.band), figure: Number(r.getAttribute(a)) })),
      attr,
    );
}

/** The bars' figures summed per band id; each part lies in the band its segment's cut points give it. */
function perBand(list, bands) {
  const out = Object.fromEntries(bands.map((b) => [b.id, 0]));
  for (const { band, figure } of list) out[bands[band].id] += figure;
  return out;
}

const cents = (x) => Math.round(x * 100);

test("the histogram weighted by value: each band's bars add up to its value, overall and in a segment", async () => {
  const { page } = studio;
  const model = await studio.model();
  const want = cli(model);
  const counted = perBand(await bars(page, 'data-count'), model.bands);
  for (const b of model.bands) assert.equal(counted[b.id], want.summary.bands[b.id], b.label);
  await page.getByLabel('Weight bars by MRR').check();
  await page.locator('figure.chart[data-weighted="value"]').waitFor();
  const valued = perBand(await bars(page, 'data-value'), model.bands);
  for (const b of model.bands) assert.equal(cents(valued[b.id]), cents(want.summary.value.bands[b.id]), b.label);
  // A segment shown: its own accounts, values and bars, on its own cut points.
  const first = model.segments.groups[0];
  await page.locator('#summary-segment').selectOption({ label: first.label });
  await page.locator('#summary-accounts').filter({ hasText: first.label }).waitFor();
  const seg = want.summary.segments[0];
  const counts = await studio.bandCounts();
  for (const b of model.bands) assert.equal(counts[b.label], seg.bands[b.id], b.label);
  const segBars = await bars(page, 'data-value');
  const own = model.segments.groups[0].bands;
  for (const { score, band } of segBars)
    assert.ok(score <= own[band].max && (band === 0 || score > own[band - 1].max), `bar ${score} in band ${band}`);
  const segValued = perBand(segBars, model.bands);
  for (const b of model.bands) assert.equal(cents(segValued[b.id]), cents(seg.value.bands[b.id]), b.label);
  assert.match(await page.locator('#value-at-risk').innerText(), new RegExp(money(seg.value.at_risk)));
  await page.locator('aside.summary').screenshot({ path: join(shots, 'summary-segment-value.png') });
});

test('the results table shows the segment picked, as many rows as the command line puts in it', async () => {
  const { page } = studio;
  const model = await studio.model();
  const want = cli(model);
  const first = model.segments.groups[0];
  // The segment picked in the summary is the one the table shows.
  assert.equal(await page.locator('#results-segment').inputValue(), first.id);
  await page.getByLabel('Search accounts').fill('');
  const count = page.locator('#results-count');
  await count.filter({ hasText: `Showing ${want.summary.segments[0].rows.toLocaleString('en-US')} of` }).waitFor();
  const inRed = want.rows.filter((r) => r.segment === first.label && r.band === model.bands[0].id).length;
  await page.locator('#results-band').selectOption({ label: model.bands[0].label });
  await count.filter({ hasText: `Showing ${inRed.toLocaleString('en-US')} of` }).waitFor();
  const segCells = await page.locator('#results-grid tbody tr:not(.spacer) td:nth-child(5)').allInnerTexts();
  assert.ok(segCells.length > 0 && segCells.every((c) => c.trim() === first.label), 'every row shown is in the segment');
  const other = model.segments.other_label;
  await page.locator('#results-segment').selectOption({ label: other });
  await page.locator('#results-band').selectOption('all');
  const others = want.rows.filter((r) => r.segment === other).length;
  await count.filter({ hasText: `Showing ${others.toLocaleString('en-US')} of` }).waitFor();
  await page.locator('#results-segment').selectOption({ label: first.label });
});

test('evidence for one segment: its AUC and band outcome rates, as validate computes them per segment', async () => {
  const { page } = studio;
  await studio.evidenceSettled({ full: false });
  const model = await studio.model();
  const path = join(tmp, 'ev-model.json');
  writeFileSync(path, JSON.stringify(model));
  const r = runCli(['validate', sample.file, '--model', path, '--json']);
  assert.equal(r.status, 0, r.stderr.toString());
  const v = JSON.parse(r.stdout.toString());
  const sv = v.segments.find((s) => s.id === model.segments.groups[0].id);
  assert.equal(await page.locator('#evidence-segment').inputValue(), sv.id);
  await page.locator('#evidence-segment-view').waitFor();
  assert.equal(await page.locator('#evidence-health-auc').innerText(), sv.health.auc.toFixed(3));
  assert.match(
    await page.locator('#evidence-accounts').innerText(),
    new RegExp(`^${sv.label}: ${sv.accounts.rows.toLocaleString('en-US')} accounts`),
  );
  const rows = await page.locator('#evidence-bands tbody tr').all();
  assert.equal(rows.length, sv.bands.length);
  for (const [i, b] of sv.bands.entries()) {
    const cells = await rows[i].getByRole('cell').allInnerTexts();
    assert.equal(Number(cells[0].replace(/\D/g, '')), b.accounts, b.label);
    if (b.rate_pct !== null) assert.equal(cells[4], `${b.rate_pct.toFixed(1)}%`, b.label);
  }
  await page.locator('#evidence').screenshot({ path: join(shots, 'evidence-segment.png') });
  // Every account again: the overall figures.
  await page.locator('#evidence-segment').selectOption('');
  assert.equal(await page.locator('#evidence-health-auc').innerText(), v.health.auc.toFixed(3));
  await page.locator('#evidence-segment').selectOption(sv.id);
});

test('two scenarios compared for one segment: its share of the migration, as the command line bands both', async () => {
  const { page } = studio;
  const baseModel = await studio.model();
  await page.getByRole('button', { name: 'New scenario from this one' }).click();
  await page.getByLabel('Scenario name').fill('Support first');
  await page.getByLabel('Scenario name').press('Tab');
  await page.getByLabel('Scorecard being weighted').selectOption('-1');
  const slider = studio.slider('Support');
  await slider.focus();
  for (let i = 0; i < 6; i++) await slider.press('PageUp');
  await studio.settled();
  const nowModel = await studio.model();
  await page.waitForFunction(() => document.body.dataset.scenarioCompare === 'done');
  const first = baseModel.segments.groups[0];
  assert.equal(await page.locator('#scenario-segment').inputValue(), first.id);
  const a = cli(baseModel).rows,
    b = cli(nowModel).rows;
  const inSeg = a.map((r, i) => [r, b[i]]).filter(([r]) => r.segment === first.label);
  const matrix = page.getByRole('table', { name: /Band migration/ });
  await matrix.waitFor();
  for (const from of baseModel.bands) {
    const cells = await matrix
      .getByRole('row', { name: new RegExp(`^${from.label}`) })
      .getByRole('cell')
      .allInnerTexts();
    for (const [j, to] of nowModel.bands.entries()) {
      const want = inSeg.filter(([x, y]) => x.band === from.id && y.band === to.id).length;
      assert.equal(Number(cells[j].replace(/[^\d]/g, '')), want, `${from.label} -> ${to.label}`);
    }
  }
  const changed = inSeg.filter(([x, y]) => x.band !== y.band).length;
  assert.match(await page.locator('#scenario-changed').innerText(), new RegExp(`^${changed.toLocaleString('en-US')} accounts changed band`));
  const listed = await page.locator('#scenarios ul.changed li').count();
  assert.equal(listed, Math.min(changed, 100));
  await page.locator('#scenarios').screenshot({ path: join(shots, 'scenarios-segment.png') });
});

test('at 390 px the per-segment editors and views stay inside their cards and the page never scrolls sideways', async () => {
  const { page } = studio;
  const model = await studio.model();
  await page.getByLabel('Scorecard whose bands and rules you edit').selectOption({ label: model.segments.groups[0].label });
  await page.setViewportSize({ width: 390, height: 900 });
  await page.evaluate(() => {
    for (const d of document.querySelectorAll('details')) d.open = true;
  });
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  const wide = await page.evaluate(() =>
    [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > 391 && !el.closest('.wide, .scroll, .grid'))
      .slice(0, 5)
      .map(
        (el) =>
          `${el.tagName}#${el.id}.${el.className} in ${el.parentElement.tagName}.${el.parentElement.className}: ${Math.round(el.getBoundingClientRect().right)}`,
      ),
  );
  assert.ok(width <= 390, `the page is ${width} px wide: ${wide.join('; ')}`);
  // No control sticks out of its card (tables may scroll inside theirs).
  const spill = await page.evaluate(() => {
    const out = [];
    for (const card of document.querySelectorAll('section, aside.summary')) {
      const box = card.getBoundingClientRect();
      for (const el of card.querySelectorAll('input, select, button, .badge, h3, p')) {
        if (el.closest('.wide, .scroll, .grid')) continue;
        const r = el.getBoundingClientRect();
        if (r.width && (r.right > box.right + 1 || r.left < box.left - 1)) out.push(`${card.id || card.className}: ${el.outerHTML.slice(0, 80)}`);
      }
    }
    return out;
  });
  assert.deepEqual(spill, []);
  for (const id of ['bands', 'results', 'scenarios', 'evidence'])
    await page.locator(`#${id}`).screenshot({ path: join(shots, `segment-${id}-390.png`) });
  await page.locator('aside.summary').screenshot({ path: join(shots, 'segment-summary-390.png') });
  await page.setViewportSize({ width: 1366, height: 1000 });
});

test('no request left the origin and no console error was logged', () => {
  assert.deepEqual(log.foreign, []);
  assert.deepEqual(log.errors, []);
});
