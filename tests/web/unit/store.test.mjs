// SPDX-License-Identifier: MIT
// The workspace store, its reversible differences and its persistence, in Node.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { diff, apply, weightChanges } from '../../../dist/lib/jsondiff.js';
import { Store, HISTORY_LIMIT, COALESCE_MS } from '../../../dist/lib/store.js';
import { Persistence, MemoryStorage, KEY_PREFIX } from '../../../dist/lib/persist.js';
import { sample } from '../helpers.mjs';

const sampleModel = () => JSON.parse(readFileSync(sample.model, 'utf8'));

/** A seeded generator (mulberry32), so every run makes the same edits. */
function rng(seed) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One random edit of the kinds the studio makes. */
function randomEdit(m, r) {
  const c = m.categories[Math.floor(r() * m.categories.length)];
  const s = c.signals[Math.floor(r() * c.signals.length)];
  switch (Math.floor(r() * 9)) {
    case 0:
      c.weight = Math.round(r() * 100);
      break;
    case 1:
      s.weight = Math.round(r() * 20) / 2;
      break;
    case 2:
      delete s.weight;
      break;
    case 3:
      s.rule = { type: 'linear', min: 0, max: Math.round(r() * 100) };
      break;
    case 4:
      if (s.rule.direction) delete s.rule.direction;
      else s.rule.direction = 'lower_is_better';
      break;
    case 5:
      m.bands[0].max = 40 + Math.round(r() * 20);
      break;
    case 6:
      m.categories.push({ id: `c${m.categories.length}`, label: 'New', weight: 5, signals: [{ column: 'NPS', rule: { type: 'percentile' } }] });
      break;
    case 7:
      if (m.outcome) delete m.outcome;
      else m.outcome = { column: 'Churned', positive: ['yes'] };
      break;
    default:
      m.name = `name ${Math.round(r() * 1000)}`;
  }
}

test('a difference applied forward and backward gives back both documents, keys in their order', () => {
  const r = rng(7);
  for (let round = 0; round < 200; round++) {
    const a = sampleModel();
    const b = structuredClone(a);
    for (let k = 0; k < 1 + Math.floor(r() * 4); k++) randomEdit(b, r);
    const ops = diff(a, b);
    const forward = apply(structuredClone(a), ops, 'n');
    assert.equal(JSON.stringify(forward), JSON.stringify(b));
    const back = apply(structuredClone(b), ops, 'o');
    assert.equal(JSON.stringify(back), JSON.stringify(a));
  }
});

test('a slider move is one small operation, recognised as a weight change', () => {
  const a = sampleModel();
  const b = structuredClone(a);
  b.categories[1].weight = 33;
  b.categories[0].signals[2].weight = 4.5;
  const ops = diff(a, b);
  assert.equal(ops.length, 2);
  assert.deepEqual(weightChanges(ops), [
    { category: 0, signal: 2, weight: 4.5 },
    { category: 1, weight: 33 },
  ]);
  b.bands[0].max = 40;
  assert.equal(weightChanges(diff(a, b)), null);
});

test("a segment group's weight override moved is a weight change of that group, by index; a new override is not", () => {
  const a = sampleModel();
  const cat = a.categories[0];
  a.segments = {
    column: 'Plan',
    groups: [{ id: 'x', label: 'X', values: ['x'], categories: { [cat.id]: { weight: 5, signals: { [cat.signals[1].column]: { weight: 2 } } } } }],
  };
  const b = structuredClone(a);
  b.segments.groups[0].categories[cat.id].weight = 7;
  b.segments.groups[0].categories[cat.id].signals[cat.signals[1].column].weight = 3;
  const ops = diff(a, b);
  assert.deepEqual(
    weightChanges(ops, b).sort((x, y) => (x.signal ?? -1) - (y.signal ?? -1)),
    [
      { group: 0, category: 0, weight: 7 },
      { group: 0, category: 0, signal: 1, weight: 3 },
    ],
  );
  assert.equal(weightChanges(ops), null, 'without the model the ids cannot be mapped');
  const c = structuredClone(b);
  c.segments.groups[0].categories[cat.id].signals[cat.signals[0].column] = { weight: 1 };
  assert.equal(weightChanges(diff(b, c), c), null, "a first override changes the model's structure");
});

test('undo and redo walk every kind of edit back and forth exactly', () => {
  const store = new Store();
  store.addScenario('Mine', sampleModel());
  const r = rng(11);
  const texts = [JSON.stringify(store.model)];
  for (let i = 0; i < 60; i++) {
    randomEdit(store.model, r);
    if (store.commit(`edit ${i}`)) texts.push(JSON.stringify(store.model));
  }
  const steps = texts.length - 1;
  assert.ok(steps > 40);
  for (let i = steps; i > 0; i--) {
    assert.ok(store.canUndo());
    store.undo();
    assert.equal(JSON.stringify(store.model), texts[i - 1], `undo to step ${i - 1}`);
  }
  assert.equal(store.canUndo(), false);
  for (let i = 1; i <= steps; i++) {
    store.redo();
    assert.equal(JSON.stringify(store.model), texts[i], `redo to step ${i}`);
  }
  assert.equal(store.canRedo(), false);
});

test('every change bumps the version synchronously, and a new edit clears redo', () => {
  const store = new Store();
  const seen = [];
  store.subscribe((c) => seen.push(c.version));
  store.addScenario('Mine', sampleModel());
  const v0 = store.version;
  store.edit('w', (m) => {
    m.categories[0].weight = 1;
  });
  assert.equal(store.version, v0 + 1);
  store.undo();
  assert.equal(store.version, v0 + 2);
  assert.ok(store.canRedo());
  store.edit('w', (m) => {
    m.categories[0].weight = 2;
  });
  assert.equal(store.canRedo(), false);
  assert.deepEqual(seen.slice(-3), [v0 + 1, v0 + 2, v0 + 3]);
  assert.equal(store.commit('nothing'), null, 'no change, no step');
});

test('a slider drag is one undo step; a pause longer than the coalescing window starts another', () => {
  let now = 1000;
  const store = new Store({ now: () => now });
  store.addScenario('Mine', sampleModel());
  const start = store.model.categories[0].weight;
  for (const w of [41, 42, 43, 44]) {
    now += 50;
    store.edit(
      'weight',
      (m) => {
        m.categories[0].weight = w;
      },
      { coalesce: 'w0' },
    );
  }
  assert.equal(store.scenario.past.length, 1);
  now += COALESCE_MS + 1;
  store.edit(
    'weight',
    (m) => {
      m.categories[0].weight = 50;
    },
    { coalesce: 'w0' },
  );
  assert.equal(store.scenario.past.length, 2);
  store.undo();
  assert.equal(store.model.categories[0].weight, 44);
  store.undo();
  assert.equal(store.model.categories[0].weight, start);
});

test('at most the history limit of steps is kept, and at least 100', () => {
  const store = new Store();
  store.addScenario('Mine', sampleModel());
  for (let i = 0; i < HISTORY_LIMIT + 30; i++)
    store.edit(`e${i}`, (m) => {
      m.name = `n${i}`;
    });
  assert.ok(HISTORY_LIMIT >= 100);
  assert.equal(store.scenario.past.length, HISTORY_LIMIT);
  let undone = 0;
  while (store.canUndo()) {
    store.undo();
    undone++;
  }
  assert.equal(undone, HISTORY_LIMIT);
  assert.equal(store.model.name, 'n29');
});

test('scenarios are independent: editing one leaves the others, and each keeps its own history', () => {
  const store = new Store();
  const a = store.addScenario('A', sampleModel());
  store.edit('w', (m) => {
    m.categories[0].weight = 11;
  });
  const b = store.duplicate(a.id, 'B');
  assert.equal(store.workspace.active, b.id);
  store.edit('w', (m) => {
    m.categories[0].weight = 99;
  });
  assert.equal(store.workspace.scenarios.find((s) => s.id === a.id).model.categories[0].weight, 11);
  store.activate(a.id);
  assert.equal(store.model.categories[0].weight, 11);
  store.undo();
  assert.equal(store.model.categories[0].weight, sampleModel().categories[0].weight);
  assert.equal(store.workspace.scenarios.find((s) => s.id === b.id).model.categories[0].weight, 99);
  store.rename(b.id, '  Heavier usage ');
  assert.equal(store.workspace.scenarios.find((s) => s.id === b.id).name, 'Heavier usage');
  assert.ok(store.remove(b.id));
  assert.equal(store.remove(a.id), false, 'the last scenario stays');
});

test('a saved workspace comes back whole: scenarios, undo history, read options, file name', () => {
  const storage = new MemoryStorage();
  const p = new Persistence(storage);
  const store = new Store();
  store.addScenario('A', sampleModel());
  store.edit('w', (m) => {
    m.categories[1].weight = 7;
  });
  store.set('file', { name: 'cuentas.csv', size: 1234, columns: ['Account ID', 'NPS'] });
  store.set('read_options', { header_row: 2, month_first: true });
  assert.ok(p.save(store.workspace).ok);
  p.setCurrent(store.workspace.id);
  const saved = JSON.parse(JSON.stringify(store.workspace));
  const back = new Store();
  back.load(p.load(p.current()));
  assert.deepEqual({ ...back.workspace, updated: 0 }, { ...saved, updated: 0 });
  back.undo();
  assert.equal(back.model.categories[1].weight, sampleModel().categories[1].weight);
  assert.deepEqual(
    p.list().map((e) => e.file.name),
    ['cuentas.csv'],
  );
  p.remove(store.workspace.id);
  assert.equal(p.list().length, 0);
  assert.equal(storage.getItem(KEY_PREFIX + store.workspace.id), null);
});

test('when the browser storage is full, the oldest undo steps go first and the model is kept', () => {
  const store = new Store();
  store.addScenario('A', sampleModel());
  for (let i = 0; i < 150; i++)
    store.edit('e', (m) => {
      m.name = `a long model name to take room ${i}`.repeat(3);
    });
  const full = JSON.stringify(store.workspace).length;
  const p = new Persistence(new MemoryStorage(Math.floor(full * 0.6)));
  const r = p.save(store.workspace);
  assert.ok(r.ok);
  assert.equal(r.trimmed, true);
  const back = p.load(store.workspace.id);
  assert.equal(back.scenarios[0].model.name, store.model.name);
  assert.ok(back.scenarios[0].past.length < 150 && back.scenarios[0].past.length > 0);
  const tiny = new Persistence(new MemoryStorage(100));
  assert.deepEqual(tiny.save(store.workspace), { ok: false, error: 'quota' });
});

test('map values named like object internals (__proto__, constructor, valueOf) are data through edits and undo', () => {
  const store = new Store();
  const m = sampleModel();
  store.addScenario('A', m);
  const rule = store.model.categories[3].signals[0].rule;
  store.edit('add', (model) => {
    const map = model.categories[3].signals[0].rule.map;
    for (const k of ['__proto__', 'constructor', 'valueOf'])
      Object.defineProperty(map, k, { value: 7, enumerable: true, writable: true, configurable: true });
  });
  const map = store.model.categories[3].signals[0].rule.map;
  assert.deepEqual(Object.keys(map).slice(-3), ['__proto__', 'constructor', 'valueOf']);
  assert.equal(Object.getPrototypeOf(map), Object.prototype);
  const text = JSON.stringify(store.model);
  store.undo();
  assert.equal(Object.hasOwn(store.model.categories[3].signals[0].rule.map, '__proto__'), false);
  store.redo();
  assert.equal(JSON.stringify(store.model), text);
  assert.equal(Object.getPrototypeOf(store.model.categories[3].signals[0].rule.map), Object.prototype);
  assert.ok(rule);
});
