// SPDX-License-Identifier: MIT
// The studio's start: one workspace store (lib/store.js) that views render from and change the
// model through, and small modules that each own one kind of engine work: files (app/files.js),
// scoring (app/scoring.js), evidence (app/evidence.js), scenario comparison (app/scenarios.js) and
// saved workspaces (app/workspace.js). This file wires them, holds the page-only state (the file,
// results, what is loading) and publishes the readiness signals the tests wait for.
import { Engine } from './engine.js';
import { Store } from './lib/store.js';
import { translator, pickLanguage, LANGUAGES, localeOf } from './lib/i18n.js';
import { formatInt, warmFormats } from './lib/format.js';
import { shareLink } from './lib/share.js';
import { setCategoryOverride, setSignalOverride, resetOverride } from './lib/segments.js';
import { createFiles, MAX_FILE_BYTES } from './app/files.js';
import { createScoring } from './app/scoring.js';
import { createEvidence } from './app/evidence.js';
import { createScenarios } from './app/scenarios.js';
import { createWorkspaces } from './app/workspace.js';
import { createExecute } from './app/execute.js';
import { createHistory } from './app/history.js';
import * as load from './ui/load.js';
import * as signals from './ui/signals.js';
import * as weights from './ui/weights.js';
import * as bands from './ui/bands.js';
import * as summary from './ui/summary.js';
import * as results from './ui/results.js';
import * as scenarios from './ui/scenarios.js';
import * as share from './ui/share.js';
import * as evidence from './ui/evidence.js';
import * as workspace from './ui/workspace.js';
import * as segments from './ui/segments.js';
import * as execute from './ui/execute.js';
import * as history from './ui/history.js';
import { download, modelFileName } from './ui/dom.js';
import { failureText } from './lib/messages.js';

export { MAX_FILE_BYTES };

const store = new Store();

/** What the page holds besides the workspace: never saved. */
const state = {
  file: null, // {name, blob, size, format, sheets, sheet, info, options}
  loading: null, // {name, phase, bytes, total, rows}
  pending: null, // a file read into staging, waiting for the user's answer to the column report
  restored: null, // the file a restored workspace belongs to, asked for again
  results: null, // engine results (snake_case, as they cross the boundary)
  ids: null,
  names: null,
  selectedRow: null,
  explanation: null,
  modelError: null,
  scoredVersion: 0,
  totalsVersion: -1,
  shareLink: '',
  shareConfirm: null, // the data values a link would carry, waiting for the user's choice
  linkOffer: null,
  switchedOff: [],
  keptSize: 0,
  storageWarning: '',
  scenarioCompare: { key: '', result: null, error: null },
  calls: { band: 0, segment: -2, key: '', list: null, error: null }, // the call list shown in Act
  segmentEditing: -1, // the segment group whose scorecard the sliders edit (-1: the base model)
  // History: the snapshots the engine keeps ({id, source, date, rows, memory_bytes, file, problem}),
  // the file being added, the trend shown and what it is for.
  history: {
    snapshots: [],
    adding: null,
    running: false,
    progress: null,
    errors: [],
    trend: null,
    series: null,
    absent: {},
    key: '',
    error: null,
    memory: null,
    ms: 0,
    period: 'first_to_last',
    suggest: false, // the weights fitted over time were asked for (then fitted with every trend)
    tried: null, // {from, scenario}: the scenario "Try these weights" made from them
  },
  segmentView: null, // the segment the summary, table, scenarios and evidence show (null: every account)
  histogramByValue: false, // the score histogram's bars weighted by the value column
  evidence: {
    validation: null,
    version: -1,
    full: null,
    fullVersion: -1,
    fullRunning: false,
    error: null,
    draft: null,
    editing: false,
    tried: null,
    earlier: null,
    earlierLoading: null,
    comparison: null,
    compareError: null,
    compareVersion: -1,
  },
};
// The model, language and read options live in the workspace; views read them here.
Object.defineProperties(state, {
  model: { get: () => store.model },
  lang: { get: () => store.workspace.lang },
  readOptions: { get: () => store.workspace.read_options },
  modelVersion: { get: () => store.version },
});

const views = { load, signals, segments, weights, bands, summary, results, scenarios, share, evidence, workspace, execute, history };

const app = {
  state,
  store,
  views,
  t: translator('en'),
  engine: null,
  setStatus,
  showError,
  clearError,
  setBusy,
  markVersions,
  renderAll,
  renderResults,
  afterScoring,
  setLanguage,
  columnIndex,
  distinct,
  selectRow,
  refreshExplanation,
  copyLink,
  downloadModel,
  openModelFile,
  exportCsv,
  exportSql,
  downloadCsv,
  undo,
  redo,
  forgetFile,
  /**
   * A view changed store.model in place: one undoable step. `structure` re-renders every model
   * view, `views` the named ones (the view that made the edit keeps its controls and focus).
   */
  modelChanged: ({ label = '', structure = false, views: named = [], coalesce = '' } = {}) =>
    store.commit(label || app.t('history.edit'), { coalesce, structural: structure, views: named }),
  // The sliders change the base model, or the scorecard of the segment group being edited.
  setCategoryWeight: (c, w) => {
    const g = weights.editingGroup(app);
    const name = store.model.categories[c].label || store.model.categories[c].id;
    if (g >= 0)
      return store.edit(
        app.t('history.segmentWeight', { name, segment: store.model.segments.groups[g].label }),
        (m) => setCategoryOverride(m, g, c, w),
        { coalesce: `g${g}w${c}` },
      );
    return store.edit(
      app.t('history.weight', { name }),
      (m) => {
        m.categories[c].weight = w;
      },
      { coalesce: `w${c}` },
    );
  },
  setSignalWeight: (c, s, w) => {
    const g = weights.editingGroup(app);
    const name = store.model.categories[c].signals[s].column;
    if (g >= 0)
      return store.edit(
        app.t('history.segmentWeight', { name, segment: store.model.segments.groups[g].label }),
        (m) => setSignalOverride(m, g, c, s, w),
        { coalesce: `g${g}w${c}/${s}` },
      );
    return store.edit(
      app.t('history.weight', { name }),
      (m) => {
        m.categories[c].signals[s].weight = w;
      },
      { coalesce: `w${c}/${s}` },
    );
  },
  /** Takes back the picked group's weight of category `c` (or of its signal `s`): the base's again. */
  resetOverride: (c, s, what = 'weight') => {
    const g = weights.editingGroup(app);
    if (g < 0) return null;
    const cat = store.model.categories[c];
    const name = s === undefined ? cat.label || cat.id : cat.signals[s].column;
    return store.edit(
      app.t('history.segmentReset', { name, segment: store.model.segments.groups[g].label }),
      (m) => resetOverride(m, g, c, s, what),
      { structural: true },
    );
  },
  largeTable: () => app.evidence.largeTable(),
};
app.files = createFiles(app);
app.scoring = createScoring(app);
app.evidence = createEvidence(app);
app.scenarios = createScenarios(app);
app.workspaces = createWorkspaces(app);
app.execute = createExecute(app);
app.history = createHistory(app);
// For the browser tests and the curious: read-only access to the state.
window.healthscore = app;

// Every model change: the views that show the model, then the engine.
store.subscribe((change) => {
  if (change.kind !== 'model' && !change.full) {
    if (change.key === 'compare') scenarios.render(app);
    return;
  }
  if (change.kind === 'workspace' && change.full) return; // renderAll follows
  if (change.structural || change.full) renderModelViews();
  else {
    for (const v of change.views || []) views[v]?.render(app);
    weights.update(app);
    share.render(app);
  }
  app.evidence.modelChanged(change);
  workspace.render(app);
  markVersions();
  app.scoring.modelChanged(change);
});

// ---- status and errors ------------------------------------------------------------------------

function setStatus(text) {
  document.getElementById('status').textContent = text;
}

/** Shows a message in the alert; `kind` says what cleared it (a load error stays until the next load). */
function showError(text, kind = '') {
  const el = document.getElementById('alert');
  el.textContent = text;
  el.dataset.kind = kind;
  el.hidden = false;
  // Counted for tests and assistive tools: a message shown again (or another one) is a new alert.
  document.body.dataset.alerts = String(Number(document.body.dataset.alerts || 0) + 1);
}

function clearError(kind) {
  const el = document.getElementById('alert');
  if (el.hidden || (kind && el.dataset.kind !== kind)) return;
  el.textContent = '';
  el.hidden = true;
}

function setBusy(busy) {
  document.body.dataset.busy = busy || app.scoring?.pumping || state.loading ? '1' : '0';
}

/** Readiness signals for tests and assistive tools: the store's version against the scored one. */
function markVersions() {
  const d = document.body.dataset;
  d.modelVersion = String(store.version);
  d.scoredVersion = String(state.scoredVersion);
  d.totalsVersion = String(Math.max(state.totalsVersion ?? -1, state.scoredVersion ?? -1));
  d.rows = state.file ? String(state.file.info.rows) : '';
  d.pending = state.pending ? '1' : '0';
  d.evidenceVersion = String(state.evidence.version);
  d.evidenceFullVersion = String(state.evidence.fullVersion);
  d.evidenceFull = state.evidence.fullRunning ? String(state.evidence.fullRunningVersion) : ''; // the version whose full figures are being worked out
}

// ---- rendering --------------------------------------------------------------------------------

function applyStatic() {
  const t = app.t;
  document.documentElement.lang = localeOf(state.lang);
  document.title = t('app.title');
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of document.querySelectorAll('[data-i18n-label]')) el.setAttribute('aria-label', t(el.dataset.i18nLabel));
  document.getElementById('lang').value = state.lang;
}

function renderModelViews() {
  signals.render(app);
  segments.render(app);
  weights.render(app);
  bands.render(app);
  share.render(app);
}

function renderResults() {
  summary.render(app);
  results.render(app);
  scenarios.render(app);
  execute.render(app);
  weights.update(app);
  signals.updateCounts(app);
  share.render(app);
}

function renderAll() {
  applyStatic();
  workspace.render(app);
  load.render(app);
  renderModelViews();
  renderResults();
  evidence.render(app);
  history.render(app);
  markVersions();
}

/** Scoring went idle: the figures that wait for it catch up. */
function afterScoring() {
  app.evidence.schedule();
  app.scenarios.schedule();
  app.execute.schedule();
  app.history.schedule();
}

function setLanguage(lang, { save = true } = {}) {
  if (!LANGUAGES.includes(lang)) return;
  app.t = translator(lang);
  if (save) {
    try {
      localStorage.setItem('healthscore.lang', lang);
    } catch {
      /* private mode */
    }
  }
  if (store.workspace.lang !== lang) store.set('lang', lang);
  if (state.file)
    setStatus(
      app.t('load.summary', {
        name: state.file.name,
        rows: formatInt(state.file.info.rows, lang),
        columns: formatInt(state.file.info.columns.length, lang),
      }),
    );
  renderAll();
}

// ---- undo and redo ----------------------------------------------------------------------------

function undo() {
  const e = store.undo();
  if (e) setStatus(app.t('history.undone', { label: e.label }));
}

function redo() {
  const e = store.redo();
  if (e) setStatus(app.t('history.redone', { label: e.label }));
}

/** Ctrl+Z / Ctrl+Shift+Z (and Ctrl+Y), except where a text field has its own undo. */
function onKey(e) {
  if (!(e.ctrlKey || e.metaKey) || e.altKey) return;
  const k = e.key.toLowerCase();
  if (k !== 'z' && k !== 'y') return;
  const el = e.target;
  const texty =
    el && (el.tagName === 'TEXTAREA' || (el.tagName === 'INPUT' && !['range', 'checkbox', 'radio', 'button', 'color', 'file'].includes(el.type)));
  if (texty) return;
  e.preventDefault();
  if (k === 'y' || e.shiftKey) redo();
  else undo();
}

// ---- small engine helpers for views -----------------------------------------------------------

/** The index of a column by trimmed name in the loaded file, or -1. */
function columnIndex(name) {
  if (!state.file || !name) return -1;
  const f = state.file;
  // Built once per file: views ask for every signal's column, and a file can be 16,384 columns wide.
  if (!f.columnIndex) {
    f.columnIndex = new Map();
    f.info.columns.forEach((c, i) => {
      const k = c.name.trim();
      if (!f.columnIndex.has(k)) f.columnIndex.set(k, i);
    });
  }
  const i = f.columnIndex.get(String(name).trim());
  return i === undefined ? -1 : i;
}

async function distinct(index, limit = 50) {
  return app.engine.call('distinct', { index, limit });
}

async function selectRow(row) {
  state.selectedRow = row;
  await refreshExplanation();
  results.renderBreakdown(app, true);
}

async function refreshExplanation() {
  if (state.selectedRow === null) return;
  const r = await app.engine.call('explain', { row: state.selectedRow });
  state.explanation = r.ok ? r : null;
  results.renderBreakdown(app, false);
}

// ---- share, save, export ----------------------------------------------------------------------

/** The cell values a model carries: the keys of its `map` rules (filled from the data, often). */
export function valuesInModel(model) {
  const out = [];
  for (const c of (model && model.categories) || []) {
    for (const s of c.signals || []) {
      if (s.rule && s.rule.type === 'map' && s.rule.map) for (const k of Object.keys(s.rule.map)) out.push({ column: s.column, value: k });
    }
  }
  if (model && model.segments)
    for (const g of model.segments.groups || []) for (const v of g.values || []) out.push({ column: model.segments.column, value: v });
  return out;
}

/** The model without the values it took from the data (map entries; each map keeps its default). */
function withoutValues(model) {
  const m = structuredClone(model);
  for (const c of m.categories || []) for (const s of c.signals || []) if (s.rule && s.rule.type === 'map') s.rule.map = {};
  if (m.segments) for (const g of m.segments.groups || []) g.values = [];
  return m;
}

/**
 * Copies a share link. A model whose map rules hold values from the data is not copied until the
 * user has seen them: `values` 'with' keeps them, 'without' leaves them out of the link.
 */
async function copyLink({ values } = {}) {
  if (!store.model) {
    setStatus(app.t('share.noModel'));
    return '';
  }
  const carried = valuesInModel(store.model);
  if (carried.length && !values) {
    state.shareConfirm = { values: carried };
    share.render(app);
    return '';
  }
  state.shareConfirm = null;
  state.shareLink = shareLink(location.href, values === 'without' ? withoutValues(store.model) : store.model);
  share.render(app);
  try {
    await navigator.clipboard.writeText(state.shareLink);
    setStatus(app.t('share.copied'));
  } catch {
    setStatus(app.t('share.shown'));
  }
  return state.shareLink;
}

function downloadModel() {
  if (!store.model) return;
  download(modelFileName(store.model.name), JSON.stringify(store.model, null, 2) + '\n', 'application/json');
}

/** Asks the engine for a CSV and saves it as FILE-suffix.csv, or shows the engine's message. */
async function downloadCsv(op, args, suffix, bytesOf) {
  const r = await app.engine.call(op, args);
  if (!r.ok) {
    showError(failureText(r, state.lang));
    return;
  }
  const base = state.file.name.replace(/\.[^.]+$/, '');
  download(`${base}-${suffix}.csv`, bytesOf(r), 'text/csv');
}

/** "Export as SQL": the model compiled by the engine for a warehouse, saved as MODEL.sql. */
async function exportSql(dialect, table) {
  if (!store.model) return;
  const r = await app.engine.call('toSql', { json: JSON.stringify(store.model), dialect, table });
  if (!r.ok) {
    showError(failureText(r, state.lang));
    return;
  }
  download(modelFileName(store.model.name).replace(/\.json$/, `-${dialect}.sql`), r.sql, 'application/sql');
}

/** The scored CSV, the engine's bytes (the CLI's `--csv CONVENTION`). */
async function exportCsv(convention = 'standard') {
  if (!state.results) return;
  await downloadCsv('exportCsv', { convention }, 'scored', (r) => r.bytes);
}

/** A model file: checked by the engine, then adopted as one undoable step. */
async function openModelFile(file) {
  let model;
  try {
    model = JSON.parse(await file.text());
  } catch (e) {
    showError(app.t('share.invalidModel', { message: String(e.message) }));
    return false;
  }
  const r = await app.engine.call('check', { json: JSON.stringify(model) });
  if (!r.ok) {
    showError(app.t('share.invalidModel', { message: failureText(r, state.lang) }));
    return false;
  }
  clearError();
  // A model may leave out its bands (the contract has defaults): they are filled in from the
  // engine's reading of it, so the page never works on a model with no bands.
  if (!Array.isArray(model.bands)) model.bands = JSON.parse(r.model).bands;
  if (store.scenario) store.replaceModel(app.t('history.openModel', { name: model.name || '' }), model);
  else store.addScenario(app.t('scenarios.defaultName'), model);
  setStatus(app.t('share.opened', { name: model.name || '' }) + (state.file ? '' : ' ' + app.t('load.waitingForFile')));
  load.render(app);
  return true;
}

// ---- start ------------------------------------------------------------------------------------

/**
 * The page lets go of its file and everything computed from it (the engine's copy is the caller's
 * to clear or restart). Answers the file it held.
 */
function forgetFile() {
  const file = state.file;
  state.loading = null;
  state.pending = null;
  state.file = null;
  state.results = null;
  state.earlyTotals = null;
  state.ids = state.names = null;
  state.selectedRow = null;
  state.explanation = null;
  app.evidence.reset(true);
  return file;
}

function onCrash(why) {
  // What stopped it goes to the console (a trap's message, or the Worker's error event), for a bug report.
  console.warn('healthscore: the engine stopped:', String((why && why.message) || why));
  // The workspace lives in the page and survives; a new Worker reads the file the page still holds.
  const file = forgetFile();
  document.body.dataset.engine = 'starting';
  app.engine.restart().then(async () => {
    document.body.dataset.engine = 'ready';
    setBusy(false);
    showError(app.t('app.engineCrashed'));
    renderAll();
    if (file) {
      const ok = await app.files.restoreFile(file);
      if (ok) setStatus(app.t('app.engineRestoredFile', { name: file.name }));
    }
    await app.history.afterRestart();
  });
}

async function start() {
  let lang = null;
  try {
    lang = localStorage.getItem('healthscore.lang');
  } catch {
    /* private mode */
  }
  store.workspace.lang = LANGUAGES.includes(lang) ? lang : pickLanguage(navigator.languages || [navigator.language]);
  app.t = translator(state.lang);
  document.getElementById('lang').addEventListener('change', (e) => setLanguage(e.target.value));
  document.addEventListener('keydown', onKey);
  // A slider let go (pointer up, or each key press): the slow evidence figures catch up once the
  // keys stop for a moment, so a run of arrow presses asks for one weight search, not one per press.
  let release = 0;
  document.getElementById('weights-body').addEventListener('change', (e) => {
    if (e.target.type !== 'range') return;
    clearTimeout(release);
    // On a large table the weight search (a second or more at a million rows) runs only when asked
    // (Recompute), so letting go of a slider never blocks the next move behind it.
    release = setTimeout(() => app.evidence.refresh(!app.evidence.largeTable()), 250);
  });
  document.body.dataset.engine = 'starting';
  setBusy(true);
  renderAll();
  setStatus(app.t('app.loadingEngine'));
  app.engine = new Engine({ onProgress: (m) => app.files.progress(m), onCrash });
  const ready = await app.engine.ready;
  if (!ready.ok) {
    showError(failureText(ready, state.lang));
    return;
  }
  const restored = await app.workspaces.restore();
  document.body.dataset.engine = 'ready';
  setBusy(false);
  setStatus(
    restored && state.restored ? app.t('workspace.restored', { name: store.workspace.name || state.restored.name }) : app.t('app.engineReady'),
  );
  await app.workspaces.openLinkFromLocation();
  window.addEventListener('hashchange', () => app.workspaces.openLinkFromLocation());
  renderAll();
  document.body.dataset.started = '1';
  (window.requestIdleCallback || setTimeout)(() => warmFormats(state.lang));
}

start();
