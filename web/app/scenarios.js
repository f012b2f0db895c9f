// SPDX-License-Identifier: MIT
// Scenarios side by side: the one caller of the engine's two-model comparison. With two or more
// scenarios, the pair the user picked (default: the first against the newest) is scored
// on the file and compared once the engine is idle: band mix, migration matrix, moved accounts,
// and each side's AUC when its model has an outcome.
import { localDays } from '../lib/format.js';

export function createScenarios(app) {
  const { state, store } = app;
  let running = false;
  let again = false;

  const find = (id) => store.workspace.scenarios.find((s) => s.id === id);

  /** The two scenarios to compare, {a, b} ids, or null with fewer than two. */
  function pair() {
    const w = store.workspace;
    if (w.scenarios.length < 2) return null;
    const c = w.compare;
    if (c && find(c.a) && find(c.b) && c.a !== c.b) return c;
    // Until the user picks, the first scenario against the newest: a pair that stays put while
    // the user switches which one to edit.
    return { a: w.scenarios[0].id, b: w.scenarios[w.scenarios.length - 1].id };
  }

  function setPair(a, b) {
    store.set('compare', { a, b });
    schedule();
  }

  /** The engine's text for a side: '' is the model it has applied (no second scoring). */
  function sideJson(sc) {
    return sc.id === store.workspace.active && state.scoredVersion === store.version && !state.modelError ? '' : JSON.stringify(sc.model);
  }

  function keyOf(p) {
    return `${state.fileSerial || 0}|${p.a}|${p.b}|${JSON.stringify(find(p.a).model)}|${JSON.stringify(find(p.b).model)}`;
  }

  function schedule() {
    const p = pair();
    const sc = state.scenarioCompare;
    if (!p) {
      if (sc.result) {
        state.scenarioCompare = { key: '', result: null, error: null };
        app.views.scenarios.render(app);
      }
      publish();
      return;
    }
    if (!state.file || !state.results || app.scoring.busy() || state.scoredVersion !== store.version) return;
    if (keyOf(p) === sc.key) {
      publish();
      return;
    }
    if (running) {
      again = true;
      return;
    }
    run(p);
  }

  async function run(p) {
    running = true;
    const key = keyOf(p);
    const a = find(p.a),
      b = find(p.b);
    const r = await app.engine.call('compareModels', { a: sideJson(a), b: sideJson(b), today: localDays(), options: { validate: true } });
    running = false;
    if (r.kind === 'cancelled' || r.kind === 'crash') return;
    state.scenarioCompare = r.ok ? { key, result: r, a: p.a, b: p.b, error: null } : { key, result: null, a: p.a, b: p.b, error: r };
    app.views.scenarios.render(app);
    publish();
    if (again) {
      again = false;
      schedule();
    }
  }

  /** For tests and assistive tools: the comparison shown is the current pair's. */
  function publish() {
    const p = pair();
    document.body.dataset.scenarioCompare = !p ? 'none' : state.scenarioCompare.key === keyOf(p) ? 'done' : 'pending';
  }

  async function exportMoved() {
    const p = pair();
    if (!p || !state.file) return;
    const a = find(p.a),
      b = find(p.b);
    await app.downloadCsv(
      'compareModels',
      { a: JSON.stringify(a.model), b: JSON.stringify(b.model), today: localDays(), options: { csv: true, label_a: a.name, label_b: b.name } },
      'moved',
      (r) => r.csv,
    );
  }

  return { pair, setPair, schedule, exportMoved };
}
