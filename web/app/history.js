// SPDX-License-Identifier: MIT
// History: the one caller of the engine's snapshot list and trend. Files are added as snapshots
// (read by the Worker's one read path into the engine's `snapshot` session, then kept in its list
// with a date from the file name or entered by the user); once every snapshot has a date, the
// trend is built for the current model in the Worker, when scoring is idle and the model has been
// still for a moment (a trend over twelve files of 100k accounts takes seconds, and the Worker runs
// one operation at a time, so it must not sit in front of each slider move). The page keeps each
// snapshot's File, so after the Worker is restarted (a cancelled read, a crash) they are read again.
import { daysOfIso } from '../lib/format.js';
import { MAX_FILE_BYTES } from './files.js';
import { failureText } from '../lib/messages.js';
import { download } from '../ui/dom.js';
import { addWeightsScenario } from './evidence.js';

/** Ids listed per flow list (newly at risk, recovered, ...); the counts are always whole. */
export const LIST_LIMIT = 50;
/** How long the model must be still before the trend is built again. */
const SETTLE_MS = 400;

export function createHistory(app) {
  const { state, store } = app;
  const hs = state.history;
  let running = false;
  let again = false;
  let timer = 0;

  const render = () => app.views.history.render(app);

  /** What the trend shown is for: the snapshots, their dates and the model. */
  function keyOf() {
    return `${hs.snapshots.map((s) => `${s.id}@${s.date}`).join(',')}|${hs.suggest ? 'suggest' : ''}|${JSON.stringify(store.model)}`;
  }

  const ready = () =>
    hs.snapshots.length > 0 && hs.snapshots.every((s) => s.date !== null) && store.model && (store.model.categories || []).length > 0;

  /**
   * Adds files as snapshots, one after another; a file the engine refuses is named and skipped
   * (`errors`: {name, failure | tooBig: bytes | noRows: columns}, worded by the view in the
   * language of the moment).
   */
  async function addFiles(files) {
    const list = [...files];
    if (!list.length) return;
    hs.errors = [];
    for (const file of list) {
      if (file.size > MAX_FILE_BYTES) {
        hs.errors.push({ name: file.name, tooBig: file.size });
        continue;
      }
      hs.adding = { name: file.name, bytes: 0, total: file.size, phase: 'reading' };
      publish();
      render();
      const found = await app.engine.call('dateInName', { name: file.name });
      const date = found.ok ? found.date : null;
      const r = await app.engine.call('addSnapshot', { file, name: file.name, date, options: readOptions() }, [], { onProgress: progress });
      hs.adding = null;
      if (r.kind === 'cancelled') break;
      if (!r.ok) hs.errors.push({ name: file.name, failure: r });
      else if (r.empty) hs.errors.push({ name: file.name, noRows: r.info.columns.length });
      else hs.snapshots.push({ ...r.snapshot, file, problem: found.ok ? found.problem : null });
    }
    hs.adding = null;
    sortSnapshots();
    await refreshMemory();
    render();
    schedule(0);
  }

  /** As the earlier file of Evidence is read: a header on the first row, the workspace's date order. */
  function readOptions() {
    return { header_row: 0, month_first: !!(store.workspace.read_options && store.workspace.read_options.month_first) };
  }

  function progress(msg) {
    if (!hs.adding && !hs.running) return;
    if (msg.phase === 'trend') hs.progress = { done: msg.bytes, total: msg.total };
    else if (hs.adding) Object.assign(hs.adding, { phase: msg.phase, bytes: msg.bytes, total: msg.total || hs.adding.total, rows: msg.rows });
    app.views.history.updateProgress(app);
  }

  function sortSnapshots() {
    // By date, undated last, as the trend orders them.
    hs.snapshots.sort((a, b) => (a.date ?? Infinity) - (b.date ?? Infinity) || a.id - b.id);
  }

  /** The user's date for a snapshot (a date input's yyyy-mm-dd; empty takes it away). */
  async function setDate(id, iso) {
    const days = daysOfIso(iso);
    const r = await app.engine.call('setSnapshotDate', { snapshot: id, date: days });
    if (!r.ok) return;
    const s = hs.snapshots.find((x) => x.id === id);
    if (s) s.date = r.snapshot.date;
    sortSnapshots();
    render();
    schedule(0);
  }

  async function remove(id) {
    const r = await app.engine.call('removeSnapshot', { snapshot: id });
    if (!r.ok) return;
    hs.snapshots = hs.snapshots.filter((x) => x.id !== id);
    if (!hs.snapshots.length) {
      hs.trend = null;
      hs.key = '';
      hs.error = null;
    }
    await refreshMemory();
    render();
    app.views.results.renderBreakdownHistory(app); // no trend left: the breakdown's chart goes
    schedule(0);
  }

  async function refreshMemory() {
    const m = await app.engine.call('memory');
    if (m.ok) hs.memory = { used: m.used, heap: m.heap };
  }

  /** Builds the trend again when what it is for has changed, once the model is still. */
  function schedule(delay = SETTLE_MS) {
    clearTimeout(timer);
    if (!ready()) {
      publish();
      return;
    }
    if (keyOf() === hs.key) {
      publish();
      return;
    }
    publish('pending');
    timer = setTimeout(start, delay);
  }

  function start() {
    // The scored file comes first: its scoring, and the figures waiting on it, run before this.
    if (state.file && (app.scoring.busy() || state.scoredVersion !== store.version)) return; // afterScoring calls again
    if (!ready() || keyOf() === hs.key) return publish();
    if (running) {
      again = true;
      return;
    }
    run();
  }

  async function run() {
    running = true;
    hs.running = true;
    hs.progress = { done: 0, total: hs.snapshots.length };
    const key = keyOf();
    publish('running');
    app.views.history.updateProgress(app);
    const started = performance.now();
    const r = await app.engine.call('trend', { json: JSON.stringify(store.model), options: { list_limit: LIST_LIMIT, suggest: !!hs.suggest } }, [], {
      onProgress: progress,
    });
    running = false;
    hs.running = false;
    hs.progress = null;
    if (r.kind === 'cancelled' || r.kind === 'crash') {
      publish();
      return;
    }
    hs.key = key;
    hs.ms = performance.now() - started;
    if (r.ok) {
      hs.trend = r.trend;
      hs.series = r.series;
      hs.absent = r.absent_columns || {};
      hs.error = null;
      hs.memory = { used: r.memory.used, heap: r.memory.heap };
    } else {
      hs.trend = null;
      hs.series = null;
      hs.absent = {};
      hs.error = r;
    }
    render();
    app.views.results.renderBreakdownHistory(app); // the open breakdown's chart follows the trend
    publish();
    if (again || keyOf() !== hs.key) {
      again = false;
      schedule();
    }
  }

  /** For tests and assistive tools: body[data-history] none | pending | running | done | error, and the snapshot count. */
  function publish(phase) {
    const d = document.body.dataset;
    d.snapshots = String(hs.snapshots.length);
    if (hs.adding) d.history = 'adding';
    else if (phase) d.history = phase;
    else if (!ready()) d.history = 'none';
    else if (keyOf() === hs.key) d.history = hs.error ? 'error' : 'done';
    else d.history = 'pending';
  }

  /** The CSV exports, written by the engine from the trend shown (built again first if stale). */
  async function exportCsv(which, convention) {
    if (keyOf() !== hs.key || running) return;
    const op = which === 'movers' ? 'trendMoversCsv' : 'trendCsv';
    const base = `history-${hs.trend.snapshots[0].date}-${hs.trend.snapshots[hs.trend.snapshots.length - 1].date}`;
    const r = await app.engine.call(op, { convention });
    if (!r.ok) return app.showError(failureText(r, state.lang));
    download(`${base}-${which === 'movers' ? 'movers' : 'series'}.csv`, r.bytes, 'text/csv');
  }

  /**
   * Asks for the weights fitted on the earlier snapshots and checked on the last two (the weight
   * search: about 1.4 s more at 12 x 100k accounts, so only when asked; then with every trend).
   */
  function fitWeights() {
    hs.suggest = true;
    render();
    schedule(0);
  }

  /** "Try these weights" of the fit over time: a new scenario, as Evidence makes one. */
  function trySuggestedWeights() {
    const sw = hs.trend && hs.trend.suggested_weights;
    if (!sw || !sw.categories || !store.scenario) return;
    const from = store.scenario;
    const sc = addWeightsScenario(app, sw.categories);
    hs.tried = { from: from.id, scenario: sc.id };
    app.setStatus(app.t('trend.tryingStatus'));
    render();
  }

  /** Back to the scenario "Try these weights" started from (the tried one stays, to compare). */
  function backToMyWeights() {
    const tried = hs.tried;
    if (!tried) return;
    hs.tried = null;
    store.activate(tried.from);
    app.setStatus(app.t('evidence.backStatus'));
    render();
  }

  /**
   * One account's scores over the snapshots of the trend shown (the breakdown's chart), or null:
   * no trend, a stale one, or an account it does not have.
   */
  async function accountSeries(id) {
    if (!hs.trend || keyOf() !== hs.key || running) return null;
    const r = await app.engine.call('trendAccount', { id });
    return r.ok && r.found ? r : null;
  }

  /** A new Worker has none of the snapshots: each is read again from the File the page kept. */
  async function afterRestart() {
    const kept = hs.snapshots;
    if (!kept.length) return;
    hs.snapshots = [];
    hs.key = '';
    for (const s of kept) {
      const r = await app.engine.call('addSnapshot', { file: s.file, name: s.source, date: s.date, options: readOptions() });
      if (r.ok && !r.empty) hs.snapshots.push({ ...r.snapshot, file: s.file, problem: s.problem });
    }
    sortSnapshots();
    await refreshMemory();
    render();
    schedule(0);
  }

  store.subscribe((change) => {
    if (change.kind === 'model' || change.full) schedule();
  });

  return { addFiles, setDate, remove, schedule, exportCsv, afterRestart, publish, fitWeights, trySuggestedWeights, backToMyWeights, accountSeries };
}
