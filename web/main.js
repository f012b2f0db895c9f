// SPDX-License-Identifier: MIT
// The studio's controller: holds the page state (file summary, model document, results, baseline),
// talks to the engine Worker through engine.js, and asks each view to render. Views own their
// section of the DOM; pure logic lives in lib/.
import { Engine } from './engine.js';
import { translator, pickLanguage, LANGUAGES } from './lib/i18n.js';
import { localDays, formatBytes, formatInt } from './lib/format.js';
import { decodeModel, readFragment, shareLink } from './lib/share.js';
import * as loadView from './ui/load.js';
import * as signalsView from './ui/signals.js';
import * as weightsView from './ui/weights.js';
import * as bandsView from './ui/bands.js';
import * as summaryView from './ui/summary.js';
import * as resultsView from './ui/results.js';
import * as scenariosView from './ui/scenarios.js';
import * as shareView from './ui/share.js';
import * as evidenceView from './ui/evidence.js';
import { download } from './ui/dom.js';

/** Files larger than this are refused before reading (documented limit). */
export const MAX_FILE_BYTES = 1024 * 1024 * 1024;

const state = {
  lang: 'en',
  model: null, // the model document (spec/model.md), edited in place by the views
  modelSource: 'none', // none | suggested | user (a user's model survives loading another file)
  modelVersion: 0, // bumped on every edit; results carry the version they were computed for
  scoredVersion: 0,
  totalsVersion: 0, // the version whose band counts and histogram are painted (before the table, on slider moves)
  modelError: null,
  file: null, // {name, blob, size, format, sheets, sheet, info}
  readOptions: { headerRow: 0, monthFirst: false },
  loading: null, // {name, phase, bytes, total, rows}
  results: null, // {scores, bands, categoryScores, bandCounts, unscored, missing, absentColumns, asOf, rows}
  ids: null, // {bytes, ends, column} of the id column
  names: null,
  baseline: null, // {bands: Int8Array, labels: string[], name, fileKey}
  selectedRow: null,
  explanation: null,
  waitingForFile: false,
  shareLink: '',
  // Step 7: the last validation (cheap: AUCs, ROC, bands) and the last full one (with the suggested
  // weights and sensitivity), the model version each was computed for, and the earlier file.
  evidence: {
    validation: null, version: -1, full: null, fullVersion: -1, fullRunning: false, error: null,
    draft: null, editing: false, tried: null,
    earlier: null, earlierLoading: null, comparison: null, compareError: null,
  },
};

const app = {
  state,
  t: translator('en'),
  engine: null,
  setStatus,
  showError,
  clearError,
  openFile,
  openSample,
  reread,
  cancelLoad,
  modelChanged,
  largeTable,
  setCategoryWeight,
  setSignalWeight,
  selectRow,
  distinct,
  keepBaseline,
  clearBaseline,
  copyLink,
  downloadModel,
  openModelFile,
  exportCsv,
  setLanguage,
  columnIndex,
  useSuggestion,
  setOutcome,
  refreshEvidence,
  trySuggestedWeights,
  backToMyWeights,
  openEarlier,
  exportComparison,
  forgetEarlier,
};
// For the browser tests and the curious: read-only access to the state.
window.healthscore = app;

// ---- status and errors ------------------------------------------------------------------------

function setStatus(text) {
  document.getElementById('status').textContent = text;
}

function showError(text) {
  const el = document.getElementById('alert');
  el.textContent = text;
  el.hidden = false;
}

function clearError() {
  const el = document.getElementById('alert');
  el.textContent = '';
  el.hidden = true;
}

function setBusy(busy) {
  document.body.dataset.busy = busy ? '1' : '0';
}

/** Readiness signals for tests and assistive tools: model version vs scored version. */
function markVersions() {
  document.body.dataset.modelVersion = String(state.modelVersion);
  document.body.dataset.scoredVersion = String(state.scoredVersion);
  document.body.dataset.totalsVersion = String(Math.max(state.totalsVersion ?? -1, state.scoredVersion ?? -1));
  document.body.dataset.rows = state.file ? String(state.file.info.rows) : '';
  document.body.dataset.evidenceVersion = String(state.evidence.version);
  document.body.dataset.evidenceFullVersion = String(state.evidence.fullVersion);
}

// ---- rendering --------------------------------------------------------------------------------

function applyStatic() {
  const t = app.t;
  document.documentElement.lang = state.lang;
  document.title = t('app.title');
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of document.querySelectorAll('[data-i18n-label]')) el.setAttribute('aria-label', t(el.dataset.i18nLabel));
  document.getElementById('lang').value = state.lang;
}

function renderModelViews() {
  signalsView.render(app);
  weightsView.render(app);
  bandsView.render(app);
  shareView.render(app);
}

function renderResultViews() {
  summaryView.render(app);
  resultsView.render(app);
  scenariosView.render(app);
  weightsView.update(app);
  signalsView.updateCounts(app);
  shareView.render(app);
  if (!pumping) scheduleEvidence();
}

function renderAll() {
  applyStatic();
  loadView.render(app);
  renderModelViews();
  renderResultViews();
  evidenceView.render(app);
  markVersions();
}

function setLanguage(lang) {
  if (!LANGUAGES.includes(lang)) return;
  state.lang = lang;
  app.t = translator(lang);
  try { localStorage.setItem('healthscore.lang', lang); } catch { /* private mode */ }
  if (state.file) setStatus(app.t('load.summary', { name: state.file.name, rows: formatInt(state.file.info.rows, lang), columns: formatInt(state.file.info.columns.length, lang) }));
  else setStatus('');
  renderAll();
}

// ---- the engine queue: one model apply or one batch of slider moves at a time ------------------

let needModel = false;
let weightChanges = [];
let pumping = false;

function requestModel() {
  needModel = true;
  weightChanges = [];
  pump();
}

function requestWeight(change) {
  lastWeightInput = performance.now();
  if (!needModel) weightChanges.push(change);
  pump();
}

async function pump() {
  if (pumping || !state.file || !state.model) return;
  pumping = true;
  setBusy(true);
  try {
    while (needModel || weightChanges.length) {
      const version = state.modelVersion;
      let r;
      if (needModel) {
        needModel = false;
        weightChanges = [];
        r = await app.engine.call('model', { json: JSON.stringify(state.model), today: localDays(), order: resultsView.wantedOrder() });
      } else {
        // Only the last value of each slider matters.
        const last = new Map();
        for (const ch of weightChanges) last.set(`${ch.category}/${ch.signal ?? ''}`, ch);
        weightChanges = [];
        // The band counts and histogram come first and are painted at once; the scores for the
        // table follow in the answer.
        r = await app.engine.call('weights', { changes: [...last.values()], order: resultsView.wantedOrder() }, [], {
          onTotals: (totals) => {
            if (needModel || !state.results) return;
            summaryView.render(app, totals);
            state.totalsVersion = version;
            markVersions();
          },
        });
      }
      if (r.ok) {
        state.modelError = null;
        acceptResults(r);
        await loadIdentityColumns();
      } else if (r.kind === 'cancelled' || r.kind === 'crash') {
        break;
      } else {
        state.modelError = r.message;
        showError(app.t('model.invalid', { message: r.message }));
      }
      state.scoredVersion = version;
      if (r.ok && !needModel && !weightChanges.length) clearErrorIfModel();
      renderResultViews();
      markVersions();
    }
  } finally {
    pumping = false;
    setBusy(false);
    markVersions();
    scheduleEvidence();
  }
}

// ---- evidence: validated when the engine is idle, once per animation frame ---------------------
// Slider moves ask for the cheap figures (AUCs, ROC, bands); a model edit, a slider release or the
// Recompute button asks for the full validation (weight search and sensitivity, the slow parts).

let evidenceFrame = 0;
let evidenceRunning = false;
let evidenceFullWanted = true;
// The figures share the Worker with scoring, and on a large table even the cheap ones take a good
// part of a second: they wait until the sliders have been still for a moment, so a drag never
// queues behind them.
let lastWeightInput = -Infinity;
let evidenceTimer = 0;
/** Over 50,000 rows even the cheap figures take a noticeable moment in the Worker. */
function largeTable() {
  return !!state.file && state.file.info.rows > 50_000;
}
const quietMs = () => (largeTable() ? 400 : 0);

function scheduleEvidence() {
  if (evidenceFrame || evidenceTimer) return;
  const wait = lastWeightInput + quietMs() - performance.now();
  if (wait > 0) {
    evidenceTimer = setTimeout(() => {
      evidenceTimer = 0;
      scheduleEvidence();
    }, wait);
    return;
  }
  evidenceFrame = requestAnimationFrame(() => {
    evidenceFrame = 0;
    runEvidence();
  });
}

/** Asks for the figures again; `full` also recomputes the suggested weights and sensitivity. */
function refreshEvidence(full = false) {
  if (full) evidenceFullWanted = true;
  scheduleEvidence();
}

async function runEvidence() {
  const ev = state.evidence;
  if (evidenceRunning || pumping || needModel || weightChanges.length) return; // the pump reschedules
  if (!state.file || !state.results || !state.model) {
    evidenceView.render(app);
    return;
  }
  const version = state.scoredVersion;
  if (version !== state.modelVersion) return;
  const wantFull = evidenceFullWanted || (ev.fullVersion !== version && !!state.model.outcome && !ev.full);
  const needCheap = ev.version !== version;
  const needCompare = ev.earlier && (ev.compareVersion !== version) && (wantFull || !ev.comparison);
  if (!needCheap && !wantFull && !needCompare) return;
  evidenceRunning = true;
  let superseded = false;
  try {
    if (state.model.outcome && (needCheap || wantFull)) {
      evidenceFullWanted = false;
      ev.fullRunning = wantFull;
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
        if (wantFull) evidenceFullWanted = true; // asked again for the newer model
      } else if (r.kind !== 'crash') {
        ev.validation = null;
        ev.error = r.message;
      }
    } else if (!state.model.outcome) {
      evidenceFullWanted = false;
      ev.validation = ev.full = null;
      ev.error = null;
      if (wantFull) ev.fullVersion = version;
    }
    if (!superseded) ev.version = version;
    if (needCompare && !superseded) await compareEarlier(version);
  } finally {
    evidenceRunning = false;
    evidenceView.render(app);
    markVersions();
  }
  // Something moved meanwhile: catch up.
  if (state.scoredVersion !== version || evidenceFullWanted) scheduleEvidence();
}

/** A new file (or a restarted engine): the figures are recomputed; `earlier` also forgets the earlier file. */
function resetEvidence(earlier) {
  const ev = state.evidence;
  Object.assign(ev, { validation: null, version: -1, full: null, fullVersion: -1, error: null, draft: null, compareVersion: -1 });
  if (earlier) Object.assign(ev, { earlier: null, comparison: null, compareError: null, earlierLoading: null });
  evidenceFullWanted = true;
}

function setOutcome(outcome) {
  if (!state.model) return;
  if (outcome) {
    const o = { ...(state.model.outcome || {}), column: outcome.column, positive: outcome.positive };
    if (outcome.good) o.good = true;
    else delete o.good;
    state.model.outcome = o;
  } else {
    delete state.model.outcome;
  }
  state.evidence.draft = null;
  state.evidence.editing = false;
  state.evidence.full = null;
  state.evidence.validation = null;
  evidenceFullWanted = true;
  modelChanged({ views: ['share'] });
  evidenceView.render(app);
}

/** "Try these weights": the current bands become the baseline, then the suggested weights apply. */
function trySuggestedWeights() {
  const sw = state.evidence.full && state.evidence.full.suggested_weights;
  if (!sw || !state.model || !state.results) return;
  keepBaseline();
  if (!state.evidence.tried) state.evidence.tried = { weights: state.model.categories.map((c) => c.weight) };
  sw.categories.forEach((s, i) => {
    const c = state.model.categories.find((x) => x.id === s.id) || state.model.categories[i];
    if (c) c.weight = s.suggested;
  });
  evidenceFullWanted = true;
  modelChanged({ views: ['weights'] });
  setStatus(app.t('evidence.tryingStatus'));
  evidenceView.render(app);
}

/** Puts back the weights the user had before "Try these weights" (the baseline stays). */
function backToMyWeights() {
  const tried = state.evidence.tried;
  if (!tried || !state.model) return;
  tried.weights.forEach((w, i) => {
    const c = state.model.categories[i];
    if (c) {
      if (w === undefined) delete c.weight;
      else c.weight = w;
    }
  });
  state.evidence.tried = null;
  evidenceFullWanted = true;
  modelChanged({ views: ['weights'] });
  setStatus(app.t('evidence.backStatus'));
  evidenceView.render(app);
}

// ---- evidence: an earlier file of the same accounts ------------------------------------------

async function openEarlier(blob, name = blob.name) {
  if (!state.file) return false;
  const ev = state.evidence;
  if (blob.size > MAX_FILE_BYTES) {
    ev.compareError = app.t('load.tooBig', { name, size: formatBytes(blob.size, state.lang), limit: formatBytes(MAX_FILE_BYTES, state.lang) });
    evidenceView.render(app);
    return false;
  }
  ev.earlierLoading = name;
  ev.compareError = null;
  document.body.dataset.compare = 'loading';
  evidenceView.render(app);
  const r = await app.engine.call('openEarlier', { file: blob, name, options: { headerRow: 0, monthFirst: state.readOptions.monthFirst } });
  ev.earlierLoading = null;
  if (!r.ok) {
    ev.earlier = null;
    ev.comparison = null;
    ev.compareError = app.t('load.failed', { name, message: r.message });
  } else {
    ev.earlier = { name, rows: r.info.rows };
    ev.comparison = null;
    ev.compareVersion = -1;
    await compareEarlier(state.scoredVersion);
  }
  document.body.dataset.compare = 'done';
  evidenceView.render(app);
  return r.ok;
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
    ev.compareError = r.message;
  }
  document.body.dataset.compareVersion = String(version);
}

async function exportComparison() {
  if (!state.evidence.earlier) return;
  await downloadCsv('compare', { today: localDays(), csv: true }, 'changes', (r) => r.csv);
}

/** Asks the engine for a CSV and saves it as FILE-suffix.csv, or shows the engine's message. */
async function downloadCsv(op, args, suffix, bytesOf) {
  const r = await app.engine.call(op, args);
  if (!r.ok) {
    showError(r.message);
    return;
  }
  const base = state.file.name.replace(/\.[^.]+$/, '');
  download(`${base}-${suffix}.csv`, bytesOf(r), 'text/csv');
}

async function forgetEarlier() {
  const ev = state.evidence;
  ev.earlier = null;
  ev.comparison = null;
  ev.compareError = null;
  await app.engine.call('clearEarlier');
  evidenceView.render(app);
}

function clearErrorIfModel() {
  const el = document.getElementById('alert');
  if (!el.hidden && el.dataset.kind !== 'load') clearError();
}

function acceptResults(r) {
  const prev = state.results;
  state.results = {
    rows: r.rows,
    asOf: r.asOf,
    scores: r.scores,
    bands: r.bands,
    categoryScores: r.categoryScores || (prev && prev.categoryScores) || [],
    bandCounts: r.bandCounts,
    unscored: r.unscored,
    histogram: r.histogram,
    order: r.order,
    missing: r.missing,
    absentColumns: r.absentColumns,
  };
  if (state.selectedRow !== null) refreshExplanation();
}

/** The index of a column by trimmed name in the loaded file, or -1. */
function columnIndex(name) {
  if (!state.file || !name) return -1;
  const want = String(name).trim();
  return state.file.info.columns.findIndex((c) => c.name.trim() === want);
}

async function loadIdentityColumns() {
  for (const key of ['ids', 'names']) {
    const column = key === 'ids' ? state.model.id_column : state.model.name_column;
    const index = columnIndex(column);
    if (index < 0) {
      state[key] = null;
      continue;
    }
    if (state[key] && state[key].index === index && state[key].file === state.file) continue;
    const r = await app.engine.call('columnText', { index });
    state[key] = r.ok ? { bytes: r.bytes, ends: r.ends, index, file: state.file } : null;
  }
}

// ---- model edits ------------------------------------------------------------------------------

/**
 * A view changed state.model. `structure` re-renders the model views (signals, weights, bands);
 * every change re-scores.
 */
function modelChanged({ structure = false, views = [] } = {}) {
  state.modelVersion++;
  evidenceFullWanted = true;
  state.modelSource = 'user';
  if (structure) renderModelViews();
  for (const v of views) ({ weights: weightsView, bands: bandsView, signals: signalsView, share: shareView })[v]?.render(app);
  markVersions();
  requestModel();
}

function setCategoryWeight(c, w) {
  state.model.categories[c].weight = w;
  state.modelSource = 'user';
  state.modelVersion++;
  weightsView.update(app);
  markVersions();
  requestWeight({ category: c, weight: w });
}

function setSignalWeight(c, s, w) {
  state.model.categories[c].signals[s].weight = w;
  state.modelSource = 'user';
  state.modelVersion++;
  weightsView.update(app);
  markVersions();
  requestWeight({ category: c, signal: s, weight: w });
}

/** Adopts a model document (from a link, a file, the sample or the engine's suggestion). */
function adoptModel(model, source) {
  state.model = model;
  state.evidence.draft = null;
  state.evidence.tried = null;
  evidenceFullWanted = true;
  state.modelSource = source;
  state.modelVersion++;
  state.modelError = null;
  renderModelViews();
  markVersions();
  requestModel();
}

// ---- files ------------------------------------------------------------------------------------

function onProgress(msg) {
  if (!state.loading) return;
  Object.assign(state.loading, { phase: msg.phase, bytes: msg.bytes, total: msg.total || state.loading.total, rows: msg.rows });
  loadView.updateProgress(app);
}

async function openFile(blob, name = blob.name, { keepOptions = false } = {}) {
  clearError();
  if (blob.size > MAX_FILE_BYTES) {
    showError(app.t('load.tooBig', { name, size: formatBytes(blob.size, state.lang), limit: formatBytes(MAX_FILE_BYTES, state.lang) }));
    return false;
  }
  if (!keepOptions) state.readOptions = { headerRow: 0, monthFirst: false };
  state.loading = { name, phase: 'reading', bytes: 0, total: blob.size, rows: 0 };
  setBusy(true);
  loadView.render(app);
  setStatus(app.t('load.reading', { name }));
  const r = await app.engine.call('open', { file: blob, name, options: state.readOptions });
  state.loading = null;
  setBusy(false);
  if (!r.ok) {
    if (r.kind !== 'cancelled') {
      showError(app.t('load.failed', { name, message: r.message }));
      document.getElementById('alert').dataset.kind = 'load';
    }
    setStatus('');
    loadView.render(app);
    return false;
  }
  document.getElementById('alert').dataset.kind = '';
  acceptFile(blob, name, r);
  return true;
}

async function acceptFile(blob, name, r, suggestedModel) {
  state.file = { name, blob, size: blob.size, format: r.format, sheets: r.sheets || [], sheet: r.info.sheet, info: r.info };
  resetEvidence(false);
  state.results = null;
  state.ids = state.names = null;
  state.selectedRow = null;
  state.explanation = null;
  state.waitingForFile = false;
  if (state.baseline && state.baseline.rows !== r.info.rows) state.baseline = null;
  setStatus(app.t('load.summary', { name, rows: formatInt(r.info.rows, state.lang), columns: formatInt(r.info.columns.length, state.lang) }));
  loadView.render(app);
  // Which model scores the new file: the user's own (edited, opened or from a link) stays; else the
  // one offered with the file (the sample's); else the current one if at least half of its signal
  // columns are in this file; else the engine's suggestion.
  const columns = state.model ? state.model.categories.flatMap((c) => (c.signals || []).map((s) => s.column)) : [];
  const found = columns.filter((c) => columnIndex(c) >= 0).length;
  const fits = columns.length > 0 && found * 2 >= columns.length; // at least half its columns are here
  if (state.modelSource !== 'user' && (suggestedModel || !fits)) {
    const model = suggestedModel || (await suggestModel());
    if (model) {
      adoptModel(model, 'suggested');
      renderResultViews();
      return;
    }
  }
  state.modelVersion++;
  renderModelViews();
  renderResultViews();
  markVersions();
  requestModel();
}

async function suggestModel() {
  const s = await app.engine.call('suggest');
  return s.ok ? JSON.parse(s.model) : null;
}

/** Replaces the model with the engine's suggestion for the loaded file. */
async function useSuggestion() {
  if (!state.file) return;
  const model = await suggestModel();
  if (model) adoptModel(model, 'suggested');
}

async function reread(options) {
  if (!state.file) return;
  Object.assign(state.readOptions, options);
  const { file } = state;
  if (file.format !== 'csv' && options.sheet !== undefined && Object.keys(options).length === 1) {
    state.loading = { name: file.name, phase: 'reading', bytes: 0, total: 0, rows: 0 };
    loadView.render(app);
    const r = await app.engine.call('sheet', { options: state.readOptions });
    state.loading = null;
    if (!r.ok) {
      if (r.kind !== 'cancelled') showError(app.t('load.failed', { name: file.name, message: r.message }));
      loadView.render(app);
      return;
    }
    acceptFile(file.blob, file.name, { ...r, format: file.format, sheets: file.sheets });
    return;
  }
  openFile(file.blob, file.name, { keepOptions: true });
}

async function cancelLoad() {
  state.loading = null;
  state.file = null;
  state.results = null;
  state.ids = state.names = null;
  resetEvidence(true);
  await app.engine.restart();
  setBusy(false);
  setStatus(app.t('load.cancelled'));
  renderAll();
}

async function openSample() {
  const [csv, model] = await Promise.all([
    fetch('sample/accounts.csv').then((r) => r.blob()),
    fetch('sample/model.json').then((r) => (r.ok ? r.json() : null)).catch(() => null),
  ]);
  const blob = new File([csv], 'accounts.csv', { type: 'text/csv' });
  clearError();
  state.readOptions = { headerRow: 0, monthFirst: false };
  state.loading = { name: blob.name, phase: 'reading', bytes: 0, total: blob.size, rows: 0 };
  loadView.render(app);
  const r = await app.engine.call('open', { file: blob, name: blob.name, options: state.readOptions });
  state.loading = null;
  if (!r.ok) {
    showError(app.t('load.failed', { name: blob.name, message: r.message }));
    loadView.render(app);
    return;
  }
  await acceptFile(blob, blob.name, r, state.modelSource === 'user' ? undefined : model || undefined);
}

async function distinct(index, limit = 50) {
  return app.engine.call('distinct', { index, limit });
}

// ---- results: breakdown, scenarios ------------------------------------------------------------

async function selectRow(row) {
  state.selectedRow = row;
  await refreshExplanation();
  resultsView.renderBreakdown(app, true);
}

async function refreshExplanation() {
  if (state.selectedRow === null) return;
  const r = await app.engine.call('explain', { row: state.selectedRow });
  state.explanation = r.ok ? r : null;
  resultsView.renderBreakdown(app, false);
}

function keepBaseline() {
  if (!state.results) return;
  state.baseline = {
    bands: Int8Array.from(state.results.bands),
    labels: state.model.bands.map((b) => b.label),
    colors: state.model.bands.map((b) => b.color),
    name: state.model.name || '',
    rows: state.results.rows,
  };
  scenariosView.render(app);
}

function clearBaseline() {
  state.baseline = null;
  scenariosView.render(app);
}

// ---- share, save, export ----------------------------------------------------------------------

async function copyLink() {
  if (!state.model) {
    setStatus(app.t('share.noModel'));
    return '';
  }
  state.shareLink = shareLink(location.href, state.model);
  shareView.render(app);
  try {
    await navigator.clipboard.writeText(state.shareLink);
    setStatus(app.t('share.copied'));
  } catch {
    setStatus(app.t('share.shown'));
  }
  return state.shareLink;
}

function downloadModel() {
  if (!state.model) return;
  const name = (state.model.name || 'model').replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '') || 'model';
  download(`${name}.json`, JSON.stringify(state.model, null, 2) + '\n', 'application/json');
}

/** Validates a model document with the engine before adopting it. */
async function tryModel(model, source, okKey) {
  const r = await app.engine.call('check', { json: JSON.stringify(model) });
  if (!r.ok) {
    showError(app.t(source === 'link' ? 'share.invalidLink' : 'share.invalidModel', { reason: r.message, message: r.message }));
    return false;
  }
  clearError();
  adoptModel(model, 'user');
  setStatus(app.t(okKey, { name: model.name || '' }) + (state.file ? '' : ' ' + app.t('load.waitingForFile')));
  state.waitingForFile = !state.file;
  loadView.render(app);
  return true;
}

async function openModelFile(file) {
  let model;
  try {
    model = JSON.parse(await file.text());
  } catch (e) {
    showError(app.t('share.invalidModel', { message: String(e.message) }));
    return false;
  }
  return tryModel(model, 'file', 'share.opened');
}

async function openLinkFromLocation() {
  const value = readFragment(location.hash);
  if (value === null) return;
  const d = decodeModel(value);
  if (!d.ok) {
    showError(app.t('share.invalidLink', { reason: app.t(`share.err.${d.error}`) }));
    return;
  }
  await tryModel(d.model, 'link', 'share.restored');
}

async function exportCsv() {
  if (!state.results) return;
  await downloadCsv('exportCsv', {}, 'scored', (r) => r.bytes);
}

// ---- start ------------------------------------------------------------------------------------

async function start() {
  let lang = null;
  try { lang = localStorage.getItem('healthscore.lang'); } catch { /* private mode */ }
  state.lang = LANGUAGES.includes(lang) ? lang : pickLanguage(navigator.languages || [navigator.language]);
  app.t = translator(state.lang);
  document.getElementById('lang').addEventListener('change', (e) => setLanguage(e.target.value));
  // A slider let go (pointer up, or each key press): the slow evidence figures catch up once the
  // keys stop for a moment, so a run of arrow presses asks for one weight search, not one per press.
  let release = 0;
  document.getElementById('weights-body').addEventListener('change', (e) => {
    if (e.target.type !== 'range') return;
    clearTimeout(release);
    // On a large table the weight search (a second or more at a million rows) runs only when asked
    // (Recompute), so letting go of a slider never blocks the next move behind it.
    release = setTimeout(() => refreshEvidence(!largeTable()), 250);
  });
  document.body.dataset.engine = 'starting';
  setBusy(true);
  renderAll();
  setStatus(app.t('app.loadingEngine'));
  app.engine = new Engine({
    onProgress,
    onCrash: async () => {
      // The model, weights and baseline live in the page and survive; the file must be read again.
      state.loading = null;
      state.file = null;
      state.results = null;
      state.ids = state.names = null;
      resetEvidence(true);
      document.body.dataset.engine = 'starting';
      await app.engine.restart();
      document.body.dataset.engine = 'ready';
      setBusy(false);
      showError(app.t('app.engineCrashed'));
      renderAll();
    },
  });
  const ready = await app.engine.ready;
  if (!ready.ok) {
    showError(ready.message);
    return;
  }
  document.body.dataset.engine = 'ready';
  setBusy(false);
  setStatus(app.t('app.engineReady'));
  await openLinkFromLocation();
  window.addEventListener('hashchange', openLinkFromLocation);
  renderAll();
}

start();
