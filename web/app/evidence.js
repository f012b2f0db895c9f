// SPDX-License-Identifier: MIT
// Evidence: the one caller of the engine's validation and two-file comparison. The figures share
// the Worker with scoring, so they run only when the engine is idle and the results are current;
// on a large table even the cheap ones wait until the sliders have been still for a moment. Slider
// moves ask for the cheap figures (AUCs, ROC, bands); a model edit, a slider release or Recompute
// asks for the full validation (the weight search and sensitivity, the slow parts).
import { localDays } from '../lib/format.js';

/**
 * A new scenario, a copy of the current one with the engine's suggested category weights
 * (`categories`: {id, suggested} as `suggested_weights` lists them), set to be compared with the
 * one it came from in Scenarios; that one is never changed. Evidence's and History's "Try these
 * weights". Answers the new scenario.
 */
export function addWeightsScenario(app, categories) {
  const { store } = app;
  const from = store.scenario;
  const model = structuredClone(from.model);
  categories.forEach((s, i) => {
    const c = model.categories.find((x) => x.id === s.id) || model.categories[i];
    if (c) c.weight = s.suggested;
  });
  const sc = store.addScenario(app.t('scenarios.suggestedWeights', { name: from.name }), model, { origin: 'suggested' });
  store.set('compare', { a: from.id, b: sc.id });
  return sc;
}

export function createEvidence(app) {
  const { state, store } = app;
  let frame = 0;
  let timer = 0;
  let running = false;
  let fullWanted = true;
  let lastWeightInput = -Infinity;

  /** Over 50,000 rows even the cheap figures take a noticeable moment in the Worker. */
  const largeTable = () => !!state.file && state.file.info.rows > 50_000;
  const quietMs = () => (largeTable() ? 400 : 0);

  function noteWeightInput() {
    lastWeightInput = performance.now();
  }

  function schedule() {
    if (frame || timer) return;
    const wait = lastWeightInput + quietMs() - performance.now();
    if (wait > 0) {
      timer = setTimeout(() => {
        timer = 0;
        schedule();
      }, wait);
      return;
    }
    frame = requestAnimationFrame(() => {
      frame = 0;
      run();
    });
  }

  /** Asks for the figures again; `full` also recomputes the suggested weights and sensitivity. */
  function refresh(full = false) {
    if (full) fullWanted = true;
    schedule();
  }

  /** Any model change makes the slow figures stale. */
  function modelChanged(change) {
    const sliderOnly = change && change.ops && change.ops.every((op) => op.p[op.p.length - 1] === 'weight');
    if (!sliderOnly) fullWanted = true;
  }

  async function run() {
    const ev = state.evidence;
    if (running || app.scoring.busy()) return; // scoring reschedules when it ends
    if (!state.file || !state.results || !store.model) {
      app.views.evidence.render(app);
      return;
    }
    const version = state.scoredVersion;
    if (version !== store.version) return;
    const m = store.model;
    const wantFull = fullWanted || (ev.fullVersion !== version && !!m.outcome && !ev.full);
    const needCheap = ev.version !== version;
    const needCompare = ev.earlier && ev.compareVersion !== version && (wantFull || !ev.comparison);
    if (!needCheap && !wantFull && !needCompare) {
      app.scenarios.schedule();
      return;
    }
    running = true;
    let superseded = false;
    try {
      if (m.outcome && (needCheap || wantFull)) {
        fullWanted = false;
        ev.fullRunning = wantFull;
        ev.fullRunningVersion = version;
        app.markVersions();
        const r = await app.engine.call('validate', { options: { suggest: wantFull, sensitivity: wantFull } });
        ev.fullRunning = false;
        if (r.ok) {
          ev.validation = r.validation;
          ev.error = null;
          if (wantFull) {
            ev.full = r.validation;
            ev.fullVersion = version;
          }
        } else if (r.kind === 'cancelled') {
          superseded = true;
          if (wantFull) fullWanted = true; // asked again for the newer model
        } else if (r.kind !== 'crash') {
          ev.validation = null;
          ev.error = r;
        }
      } else if (!m.outcome) {
        fullWanted = false;
        ev.validation = ev.full = null;
        ev.error = null;
        if (wantFull) ev.fullVersion = version;
      }
      if (!superseded) ev.version = version;
      if (needCompare && !superseded) await compareEarlier(version);
    } finally {
      running = false;
      app.views.evidence.render(app);
      app.markVersions();
    }
    // Something moved meanwhile: catch up.
    if (state.scoredVersion !== version || fullWanted) schedule();
    else app.scenarios.schedule();
  }

  /** A new file (or a restarted engine): the figures are recomputed; `earlier` also forgets the earlier file. */
  function reset(earlier) {
    const ev = state.evidence;
    Object.assign(ev, { validation: null, version: -1, full: null, fullVersion: -1, error: null, draft: null, compareVersion: -1 });
    if (earlier) Object.assign(ev, { earlier: null, comparison: null, compareError: null, earlierLoading: null });
    fullWanted = true;
  }

  function setOutcome(outcome) {
    if (!store.model) return;
    const ev = state.evidence;
    ev.draft = null;
    ev.editing = false;
    ev.full = null;
    ev.validation = null;
    fullWanted = true;
    store.edit(app.t('history.outcome'), (m) => {
      if (outcome) {
        const o = { ...(m.outcome || {}), column: outcome.column, positive: outcome.positive };
        if (outcome.good) o.good = true;
        else delete o.good;
        m.outcome = o;
      } else {
        delete m.outcome;
      }
    });
    app.views.evidence.render(app);
  }

  /**
   * "Try these weights": a new scenario, a copy of the current one with the suggested category
   * weights; the scenario it came from is never changed, and the two are compared in Scenarios.
   */
  function trySuggestedWeights() {
    const full = state.evidence.full;
    const sw = full && full.suggested_weights;
    const from = store.scenario;
    if (!sw || !from || !state.results) return;
    const sc = addWeightsScenario(app, sw.categories);
    state.evidence.tried = { from: from.id, scenario: sc.id };
    fullWanted = true;
    app.setStatus(app.t('evidence.tryingStatus'));
    app.views.evidence.render(app);
  }

  /** Back to the scenario "Try these weights" started from (the tried one stays, to compare). */
  function backToMyWeights() {
    const tried = state.evidence.tried;
    if (!tried) return;
    state.evidence.tried = null;
    store.activate(tried.from);
    fullWanted = true;
    app.setStatus(app.t('evidence.backStatus'));
    app.views.evidence.render(app);
  }

  async function compareEarlier(version) {
    const ev = state.evidence;
    if (!ev.earlier) return;
    const r = await app.engine.call('compare', { today: localDays() });
    ev.compareVersion = version;
    if (r.ok) {
      ev.comparison = r.comparison;
      ev.compareError = null;
    } else if (r.kind !== 'cancelled' && r.kind !== 'crash') {
      ev.comparison = null;
      ev.compareError = r;
    }
    document.body.dataset.compareVersion = String(version);
  }

  async function exportComparison() {
    if (!state.evidence.earlier) return;
    await app.downloadCsv('compare', { today: localDays(), csv: true }, 'changes', (r) => r.csv);
  }

  async function forgetEarlier() {
    const ev = state.evidence;
    ev.earlier = null;
    ev.comparison = null;
    ev.compareError = null;
    await app.engine.call('discard', { session: 'earlier' });
    app.views.evidence.render(app);
  }

  return {
    schedule,
    refresh,
    reset,
    noteWeightInput,
    modelChanged,
    largeTable,
    setOutcome,
    trySuggestedWeights,
    backToMyWeights,
    compareEarlier,
    exportComparison,
    forgetEarlier,
  };
}
