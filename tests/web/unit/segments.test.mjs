// SPDX-License-Identifier: MIT
// The page's segment helpers (web/lib/segments.js): a group's bands and rules as the contract has
// them (same band ids, only what differs written), the segment shown, and per-band sums of bars.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  effectiveBands,
  bandsOverridden,
  setBandOverride,
  resetBandOverride,
  syncGroupBands,
  setRuleOverride,
  signalOverride,
  resetOverride,
  setCategoryOverride,
  setSignalOverride,
  segmentIndex,
  segmentCode,
  OTHER,
  barsPerBand,
  mixOf,
  movedIn,
  stackedBars,
} from '../../../dist/lib/segments.js';
import { rowOrder } from '../../../dist/lib/view.js';

function model() {
  return {
    version: 1,
    categories: [
      {
        id: 'usage',
        weight: 40,
        signals: [
          { column: 'Logins', weight: 2, rule: { type: 'linear', min: 0, max: 100 } },
          { id: 'seats', column: 'Seats', rule: { type: 'percentile' } },
        ],
      },
    ],
    bands: [
      { id: 'red', label: 'At risk', max: 50, action: 'Call' },
      { id: 'yellow', label: 'Neutral', max: 75 },
      { id: 'green', label: 'Healthy', max: 100 },
    ],
    segments: {
      column: 'Plan',
      groups: [
        { id: 'ent', label: 'Enterprise', values: ['Enterprise'] },
        { id: 'smb', label: 'SMB', values: ['SMB'] },
      ],
    },
  };
}

test('a group without bands bands as the base; its first cut point copies every base band in, same ids', () => {
  const m = model();
  assert.deepEqual(
    effectiveBands(m, 0).map((b) => [b.id, b.max, b.maxChanged]),
    [
      ['red', 50, false],
      ['yellow', 75, false],
      ['green', 100, false],
    ],
  );
  assert.equal(bandsOverridden(m, 0), false);
  setBandOverride(m, 0, 0, { max: 60 });
  assert.deepEqual(m.segments.groups[0].bands, [
    { id: 'red', max: 60 },
    { id: 'yellow', max: 75 },
    { id: 'green', max: 100 },
  ]);
  assert.equal(m.segments.groups[1].bands, undefined, 'the other group is untouched');
  const e = effectiveBands(m, 0);
  assert.equal(e[0].maxChanged, true);
  assert.equal(e[0].base.max, 50);
  assert.equal(e[0].label, 'At risk', "labels and colours are the base model's");
  assert.equal(e[0].action, 'Call', "an action not given is the base band's");
  setBandOverride(m, 0, 1, { action: 'Email' });
  assert.deepEqual(m.segments.groups[0].bands[1], { id: 'yellow', max: 75, action: 'Email' });
  assert.equal(effectiveBands(m, 0)[1].actionChanged, true);
  // Reset each to the base: a group that differs in nothing drops its bands.
  resetBandOverride(m, 0, 0);
  assert.ok(m.segments.groups[0].bands);
  resetBandOverride(m, 0, 1);
  assert.equal(m.segments.groups[0].bands, undefined);
  // An action set back to the base's is not written.
  setBandOverride(m, 1, 1, { max: 70 });
  setBandOverride(m, 1, 0, { action: 'Call' });
  assert.deepEqual(m.segments.groups[1].bands[0], { id: 'red', max: 50 });
});

test("adding or removing a base band keeps each group's bands on the same ids, the last at 100", () => {
  const m = model();
  setBandOverride(m, 0, 0, { max: 30 });
  m.bands.splice(2, 1);
  m.bands[1].max = 100;
  syncGroupBands(m, { removed: 2 });
  assert.deepEqual(m.segments.groups[0].bands, [
    { id: 'red', max: 30 },
    { id: 'yellow', max: 100 },
  ]);
  m.bands.splice(1, 0, { id: 'band_3', max: 70 });
  syncGroupBands(m, { added: 1 });
  assert.deepEqual(m.segments.groups[0].bands, [
    { id: 'red', max: 30 },
    { id: 'band_3', max: 65 },
    { id: 'yellow', max: 100 },
  ]);
});

test("a group's own rule is a copy of the base rule, and resetting overrides removes the objects left empty", () => {
  const m = model();
  const rule = setRuleOverride(m, 0, 0, 1, m.categories[0].signals[1].rule);
  rule.type = 'linear';
  assert.equal(m.categories[0].signals[1].rule.type, 'percentile', 'the base rule is not changed');
  assert.deepEqual(signalOverride(m, 0, 0, 1), { rule: { type: 'linear' } });
  assert.deepEqual(Object.keys(m.segments.groups[0].categories.usage.signals), ['seats'], 'keyed by the signal id');
  setSignalOverride(m, 0, 0, 1, 3);
  resetOverride(m, 0, 0, 1, 'rule');
  assert.deepEqual(m.segments.groups[0].categories.usage.signals.seats, { weight: 3 });
  resetOverride(m, 0, 0, 1, 'weight');
  assert.equal(m.segments.groups[0].categories, undefined);
  setCategoryOverride(m, 1, 0, 10);
  setSignalOverride(m, 1, 0, 0, 4);
  resetOverride(m, 1, 0);
  assert.deepEqual(m.segments.groups[1].categories, { usage: { signals: { Logins: { weight: 4 } } } });
});

test("the segment shown is found among the engine's segments by id, the other one last, and as the per-row code", () => {
  const list = [{ id: 'ent' }, { id: 'smb' }, { id: '' }];
  assert.equal(segmentIndex(list, 'smb'), 1);
  assert.equal(segmentIndex(list, OTHER), 2);
  assert.equal(segmentIndex([{ id: 'ent' }, { id: null }], OTHER), 1, 'the evidence JSON has null for the other segment');
  assert.equal(segmentIndex(list, null), -1);
  assert.equal(segmentIndex(list, 'gone'), -1);
  const m = model();
  assert.equal(segmentCode(m, 'smb'), 1);
  assert.equal(segmentCode(m, OTHER), -1);
  assert.equal(segmentCode(m, null), undefined);
  assert.equal(segmentCode({ bands: [] }, 'smb'), undefined);
});

test('bars add up per band by the rounded score, counts or value alike', () => {
  const bars = new Array(101).fill(0);
  bars[0] = 1.5;
  bars[50] = 2;
  bars[51] = 4;
  bars[75] = 8;
  bars[100] = 16;
  assert.deepEqual(barsPerBand(bars, model().bands), [3.5, 12, 16]);
});

test("a migration matrix gives each side's band mix and the accounts that changed band", () => {
  // Three bands on each side, then unscored.
  const t = [
    [5, 1, 0, 0],
    [2, 7, 1, 0],
    [0, 0, 9, 1],
    [0, 0, 0, 3],
  ];
  assert.deepEqual(mixOf(t), { a: [6, 10, 10, 3], b: [7, 8, 10, 4] });
  assert.equal(movedIn(t), 1 + 2 + 1 + 1);
});

test('the table keeps only the rows of the segment asked for', () => {
  const scores = new Float64Array([10, 20, 30, 40]);
  const bands = new Int8Array([0, 0, 1, 2]);
  const segments = new Int8Array([0, -1, 0, 1]);
  assert.deepEqual([...rowOrder({ scores, bands, segments, segment: 0 })], [0, 2]);
  assert.deepEqual([...rowOrder({ scores, bands, segments, segment: -1 })], [1]);
  assert.deepEqual([...rowOrder({ scores, bands, segments, segment: 0, band: 1 })], [2]);
  assert.deepEqual([...rowOrder({ scores, bands, segments, segment: undefined })], [0, 1, 2, 3]);
});

test('with cut points that differ by segment, one rounded score stacks in different bands', () => {
  const bars = new Array(101).fill(0);
  bars[55] = 3;
  bars[80] = 2;
  const base = model().bands;
  const own = base.map((b, i) => ({ ...b, max: [60, 75, 100][i] }));
  const stacks = stackedBars(
    [
      { bars, bands: base },
      { bars, bands: own },
    ],
    3,
  );
  assert.deepEqual(stacks[55], [3, 3, 0]);
  assert.deepEqual(stacks[80], [0, 0, 4]);
  assert.deepEqual(stacks[10], [0, 0, 0]);
});
