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
  assert.match(await page.locator('#value-at-risk').innerText(), new RegExp(`Value at risk \\(At risk\\): ${money(want.value.at_risk)} of ${money(want.value.total)}`));
});

test('segments made from a column\'s values score each group with its own weights, exactly as the command line', async () => {
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
    const cells = await seg.getByRole('row', { name: new RegExp(`^${s.label}`) }).getByRole('cell').allInnerTexts();
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
  const lines = (await import('node:fs')).readFileSync(sample.file, 'utf8').trim().split(/\r?\n/).map((l) => [...l.matchAll(/(?:"([^"]*)"|([^,]*))(?:,|$)/g)].map((m) => m[1] ?? m[2]));
  const mrr = lines[0].indexOf('MRR');
  const red = want.rows.filter((r) => r.band === model.bands[0].id);
  const order = red.map((r) => ({ id: r.id, value: Number(String(lines[r.row][mrr]).replace(/,/g, '')) || 0, row: r.row })).sort((a, b) => b.value - a.value || a.row - b.row);
  await page.getByLabel('Band to act on').selectOption({ label: model.bands[0].label });
  await page.waitForFunction(() => document.body.dataset.calls && document.body.dataset.calls.startsWith(document.body.dataset.modelVersion + '|'));
  assert.match(await page.locator('#calls-count').innerText(), new RegExp(`^${red.length.toLocaleString('en-US')} accounts in At risk`));
  const shown = await page.getByRole('table', { name: 'Call list' }).getByRole('rowheader').allInnerTexts();
  assert.deepEqual(shown, order.slice(0, 100).map((x) => x.id));
  const { bytes } = await studio.download('Export the call list (CSV)');
  const rows = bytes.toString('utf8').trim().split('\r\n');
  assert.equal(rows[0], 'id,name,score,band,action,segment,MRR,signal 1,points lost 1,signal 2,points lost 2,signal 3,points lost 3');
  assert.deepEqual(rows.slice(1).map((r) => r.split(',')[0]), order.map((x) => x.id));
  await page.locator('#execute').screenshot({ path: join(shots, 'execute.png') });
});

test('no request left the origin and no console error was logged', () => {
  assert.deepEqual(log.foreign, []);
  assert.deepEqual(log.errors, []);
});
