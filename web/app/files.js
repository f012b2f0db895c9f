// SPDX-License-Identifier: MIT
// Files: one way in for every file (chosen, dropped, pasted, the sample, another sheet, the file a
// restored workspace asks for, a kept file, the earlier file of Evidence). A file is read into the
// engine's `staging` session and becomes the scored file only when the page commits it, so a file
// that is refused, has no data rows, or whose columns do not fit the model replaces nothing until
// the user says so. Cancelling a read restarts the Worker and reads the previous file again.
import { formatBytes, formatInt } from '../lib/format.js';
import { keepFile, forgetKeptFile } from '../lib/keptfiles.js';
import { localizeDefaults } from '../lib/defaults.js';
import { failureText, renderMessage } from '../lib/messages.js';

/** Files larger than this are refused before reading (documented limit). */
export const MAX_FILE_BYTES = 1024 * 1024 * 1024;

/** Every column a model reads, with where it is used: signals, targets, id, name, outcome, value. */
export function modelColumns(model) {
  const out = [];
  const add = (column, use) => {
    if (column && !out.some((c) => c.column.trim() === String(column).trim())) out.push({ column: String(column), use });
  };
  if (!model) return out;
  for (const c of model.categories || []) {
    for (const s of c.signals || []) {
      add(s.column, 'signal');
      if (s.rule && s.rule.target_column) add(s.rule.target_column, 'target');
    }
  }
  add(model.id_column, 'id');
  add(model.name_column, 'name');
  if (model.outcome) add(model.outcome.column, 'outcome');
  if (model.value_column) add(model.value_column, 'value');
  if (model.segments) add(model.segments.column, 'segment');
  return out;
}

/** Renames columns in a model document (`mapping`: old name -> new name). */
export function renameColumns(model, mapping) {
  const to = (c) => (c !== undefined && Object.prototype.hasOwnProperty.call(mapping, c) ? mapping[c] : c);
  for (const c of model.categories || []) {
    for (const s of c.signals || []) {
      s.column = to(s.column);
      if (s.rule && s.rule.target_column) s.rule.target_column = to(s.rule.target_column);
    }
  }
  for (const k of ['id_column', 'name_column', 'value_column']) if (model[k]) model[k] = to(model[k]);
  if (model.outcome) model.outcome.column = to(model.outcome.column);
  if (model.segments) model.segments.column = to(model.segments.column);
  return model;
}

export function createFiles(app) {
  const { state, store } = app;
  const t = (key, vars) => app.t(key, vars); // the language can change while the page runs
  let opening = false;

  function fileMeta(name, blob, r) {
    return { name, size: blob.size, format: r.format, sheet: r.info.sheet || '', rows: r.info.rows, columns: r.info.columns.map((c) => c.name) };
  }

  function progress(msg) {
    if (!state.loading) return;
    Object.assign(state.loading, { phase: msg.phase, bytes: msg.bytes, total: msg.total || state.loading.total, rows: msg.rows });
    app.views.load.updateProgress(app);
  }

  /** Reads a file into staging; answers the engine's {ok, info, format, sheets} or its failure. */
  async function read(blob, name, options, { sheetOnly = false } = {}) {
    state.loading = { name, phase: 'reading', bytes: 0, total: blob.size, rows: 0 };
    app.setBusy(true);
    app.views.load.render(app);
    app.setStatus(t('load.reading', { name }));
    const r = sheetOnly
      ? await app.engine.call('sheet', { options })
      : await app.engine.call('open', { session: 'staging', file: blob, name, options });
    state.loading = null;
    app.setBusy(false);
    // How the file was read ('whole', 'streamed', or 'split': in two Workers) and how the second
    // Worker's engine started, for the tests.
    document.body.dataset.read = (r && r.read) || '';
    document.body.dataset.restEngine = (r && r.restEngine) || '';
    return r;
  }

  /**
   * Opens a file as the workspace's data. `how`: 'file' (chosen, dropped, pasted), 'sample' (comes
   * with its model), 'restore' (the file a restored workspace belongs to), 'kept', 'reread'
   * (new read options), 'sheet'. Answers true when the file is now scored.
   */
  async function open(blob, name = blob.name, { how = 'file', model: offered, options } = {}) {
    // One file at a time: a second one chosen, dropped or pasted while a read or its commit is
    // under way would be committed under the first one's name.
    if (opening) {
      app.setStatus(t('load.busy', { name: state.loading ? state.loading.name : '' }));
      return false;
    }
    opening = true;
    try {
      return await openOne(blob, name, { how, model: offered, options });
    } finally {
      opening = false;
    }
  }

  async function openOne(blob, name, { how, model: offered, options }) {
    // The file a restored workspace asked for, given again: read with the workspace's own options.
    const r0 = state.restored;
    if (how === 'file' && r0 && name === r0.name && blob.size === r0.size) how = 'restore';
    app.clearError('load');
    if (blob.size > MAX_FILE_BYTES) {
      app.showError(t('load.tooBig', { name, size: formatBytes(blob.size, state.lang), limit: formatBytes(MAX_FILE_BYTES, state.lang) }), 'load');
      return false;
    }
    if (state.pending) await dropPending();
    // Another sheet or other read options come in `options` (reread); a restored or kept file is
    // read as its workspace last read it; any other file with the defaults.
    let readOptions;
    if (options) {
      readOptions = { ...options };
    } else if (how === 'restore' || how === 'kept') {
      readOptions = { ...store.workspace.read_options };
      if (store.workspace.file && store.workspace.file.sheet) readOptions.sheet = store.workspace.file.sheet;
    } else {
      readOptions = { header_row: 0, month_first: false };
    }
    const previous = state.file;
    const r = await read(blob, name, readOptions, { sheetOnly: how === 'sheet' && previous && previous.format !== 'csv' });
    if (!r.ok) {
      if (r.kind === 'cancelled') return false; // cancelLoad() says what happened
      app.showError(t('load.failed', { name, message: failureText(r, state.lang) }), 'load');
      app.setStatus(previous ? t('load.kept', { name: previous.name }) : '');
      await app.engine.call('discard', { session: 'staging' });
      app.views.load.render(app);
      return false;
    }
    const format = r.format || (previous ? previous.format : 'csv');
    const sheets = r.sheets || (previous ? previous.sheets : []);
    if (r.info.rows === 0) {
      // A header and nothing under it (or only blank rows): there is nothing to score, and the
      // file the user had stays.
      await app.engine.call('discard', { session: 'staging' });
      app.showError(
        t('load.noRows', { name, columns: formatInt(r.info.columns.length, state.lang) }) +
          (previous ? ' ' + t('load.kept', { name: previous.name }) : ''),
        'load',
      );
      app.views.load.render(app);
      return false;
    }
    const incoming = { name, blob, size: blob.size, format, sheets, sheet: r.info.sheet, info: r.info, options: readOptions };
    // Which model scores it: the sample's own; the engine's suggestion for an empty workspace; else
    // the workspace's model, once the user has seen which of its columns this file lacks.
    const empty = !store.model || !(store.model.categories || []).length;
    if (empty) {
      const suggested = how === 'sample' && offered ? offered : await suggest('staging');
      await commit(incoming);
      if (suggested) {
        if (store.model) store.replaceModel(t('history.suggestion'), suggested);
        else store.addScenario(t('scenarios.defaultName'), suggested, { origin: 'suggested' });
        if (state.suggestionNote) app.setStatus(renderMessage(state.suggestionNote, state.lang));
      }
      return true;
    }
    const report = columnReport(
      store.model,
      r.info.columns.map((c) => c.name),
    );
    if (report.missing.length) {
      state.pending = { ...incoming, report };
      app.setStatus(t('columns.reportStatus', { name, missing: formatInt(report.missing.length, state.lang) }));
      app.views.load.render(app);
      app.markVersions();
      return false;
    }
    await commit(incoming);
    return true;
  }

  /** Which of the model's columns are in a file's header. */
  function columnReport(model, names) {
    const have = new Set(names.map((n) => n.trim()));
    const used = modelColumns(model);
    return { found: used.filter((c) => have.has(c.column.trim())), missing: used.filter((c) => !have.has(c.column.trim())), names };
  }

  /** The staged file becomes the scored one. */
  async function commit(f) {
    const c = await app.engine.call('commit');
    if (!c.ok) {
      app.showError(t('load.failed', { name: f.name, message: failureText(c, state.lang) }), 'load');
      return false;
    }
    state.pending = null;
    state.file = f;
    state.fileSerial = (state.fileSerial || 0) + 1; // results, comparisons and lists of an older file are stale
    state.scenarioCompare = { key: '', result: null, error: null };
    state.calls.key = '';
    state.calls.list = null;
    state.switchedOff = [];
    state.results = null;
    state.ids = state.names = null;
    state.selectedRow = null;
    state.explanation = null;
    state.restored = null;
    app.evidence.reset(false);
    store.workspace.read_options = { ...f.options };
    delete store.workspace.read_options.sheet;
    store.set('file', fileMeta(f.name, f.blob, { format: f.format, info: f.info }));
    app.setStatus(
      t('load.summary', { name: f.name, rows: formatInt(f.info.rows, state.lang), columns: formatInt(f.info.columns.length, state.lang) }),
    );
    if (store.workspace.keep_file) keep(f.blob, f.name);
    store.touch();
    app.renderAll();
    app.scoring.rescore();
    return true;
  }

  async function suggest(session = 'main') {
    const s = await app.engine.call('suggest', { session });
    // Past the model's signal limit the engine leaves columns out and says so; shown once the
    // suggestion is in use.
    state.suggestionNote = s.ok && s.note ? s.note : null;
    return s.ok ? localizeDefaults(JSON.parse(s.model), t) : null;
  }

  // ---- the column report's three ways on -------------------------------------------------------

  /** Keeps the model: the signals whose column the file lacks are switched off (weight 0) and listed. */
  async function keepModel() {
    const p = state.pending;
    if (!p) return;
    const missing = new Set(p.report.missing.map((c) => c.column.trim()));
    const off = [];
    if (!(await commit(p))) return;
    store.edit(
      t('history.switchOff'),
      (m) => {
        for (const c of m.categories || [])
          for (const s of c.signals || []) {
            if (missing.has(String(s.column).trim()) && (s.weight ?? 1) !== 0) {
              off.push({ category: c.label || c.id, column: s.column, weight: s.weight ?? 1 });
              s.weight = 0;
            }
          }
        if (m.id_column && missing.has(m.id_column.trim())) delete m.id_column;
        if (m.name_column && missing.has(m.name_column.trim())) delete m.name_column;
      },
      { structural: true },
    );
    state.switchedOff = off;
    app.renderAll();
  }

  /** Maps each missing column to one of the file's (`mapping`: old -> new; '' leaves it missing). */
  async function mapColumns(mapping) {
    const p = state.pending;
    if (!p) return;
    const used = Object.fromEntries(Object.entries(mapping).filter(([, v]) => v));
    if (!(await commit(p))) return;
    if (Object.keys(used).length) store.edit(t('history.mapColumns'), (m) => renameColumns(m, used), { structural: true });
    app.renderAll();
  }

  /** Starts from the engine's suggestion, as a new scenario (the user's model stays as it was). */
  async function useSuggestionForPending() {
    const p = state.pending;
    if (!p) return;
    const suggested = await suggest('staging');
    if (!(await commit(p))) return;
    if (suggested) store.addScenario(t('scenarios.suggestedFor', { name: p.name }), suggested, { origin: 'suggested' });
    app.renderAll();
  }

  /** Leaves the new file unread; nothing changes. */
  async function dropPending() {
    state.pending = null;
    await app.engine.call('discard', { session: 'staging' });
    app.setStatus(state.file ? t('load.kept', { name: state.file.name }) : '');
    app.views.load.render(app);
    app.markVersions();
  }

  /** Replaces the model with the engine's suggestion for the scored file (one undoable step). */
  async function useSuggestion() {
    if (!state.file) return;
    const model = await suggest('main');
    if (model) store.replaceModel(t('history.suggestion'), model);
  }

  // ---- other ways in -------------------------------------------------------------------------

  async function openSample() {
    const [csv, model] = await Promise.all([
      fetch('sample/accounts.csv').then((r) => r.blob()),
      fetch('sample/model.json')
        .then((r) => (r.ok ? r.json() : null))
        .catch(() => null),
    ]);
    // The sample comes with its own model: over a workspace that has work in it, it opens as a new
    // workspace, so nothing of the user's is replaced.
    if (store.model && (store.model.categories || []).length) app.workspaces.create({ name: t('workspace.sampleName') });
    const blob = new File([csv], 'accounts.csv', { type: 'text/csv' });
    return open(blob, blob.name, { how: 'sample', model: model ? localizeDefaults(model, t) : undefined });
  }

  /** Text pasted from a spreadsheet (tab-separated rows), read as any file. */
  function paste(text) {
    if (!text || !text.trim()) return Promise.resolve(false);
    const name = t('load.pastedName');
    const blob = new File([text], `${name}.tsv`, { type: 'text/tab-separated-values' });
    return open(blob, blob.name, { how: 'file' });
  }

  /** Reads the scored file again with other read options, or another sheet of it. */
  function reread(options) {
    if (!state.file) return Promise.resolve(false);
    const f = state.file;
    if (options.sheet !== undefined && Object.keys(options).length === 1)
      return open(f.blob, f.name, { how: 'sheet', options: { ...store.workspace.read_options, sheet: options.sheet } });
    return open(f.blob, f.name, { how: 'reread', options: { ...store.workspace.read_options, ...options, ...(f.sheet ? { sheet: f.sheet } : {}) } });
  }

  /**
   * Stops a read: the Worker is terminated (the only way to stop wasm mid-read) and a new one reads
   * the previous file again, so its results come back as they were.
   */
  async function cancelLoad() {
    const previous = app.forgetFile();
    await app.engine.restart();
    app.setBusy(false);
    if (previous) {
      app.setStatus(t('load.restoring', { name: previous.name }));
      const ok = await restoreFile(previous);
      app.setStatus(ok ? t('load.cancelledKept', { name: previous.name }) : t('load.cancelled'));
    } else {
      app.setStatus(t('load.cancelled'));
    }
    app.renderAll();
    await app.history.afterRestart(); // the new Worker has none of the History snapshots
  }

  /** Reads a file the page still holds (after a cancel or a crash) straight back into place. */
  async function restoreFile(f) {
    const r = await app.engine.call('open', { session: 'staging', file: f.blob, name: f.name, options: f.options });
    if (!r.ok) return false;
    return commit({ ...f, info: r.info, sheets: r.sheets || f.sheets, sheet: r.info.sheet });
  }

  // ---- keeping the file on this device -------------------------------------------------------

  async function keep(blob, name) {
    try {
      await keepFile(store.workspace.id, blob, name);
      state.keptSize = blob.size;
    } catch (e) {
      state.keptSize = 0;
      app.showError(t('keep.failed', { message: String(e && e.message) }), 'keep');
    }
    app.views.load.render(app);
  }

  async function setKeepFile(on) {
    store.set('keep_file', !!on);
    if (on && state.file) await keep(state.file.blob, state.file.name);
    if (!on) {
      await forgetKeptFile(store.workspace.id);
      state.keptSize = 0;
      app.views.load.render(app);
    }
  }

  // ---- the earlier file (Evidence) ---------------------------------------------------------

  async function openEarlier(blob, name = blob.name) {
    if (!state.file) return false;
    const ev = state.evidence;
    if (blob.size > MAX_FILE_BYTES) {
      ev.compareError = t('load.tooBig', { name, size: formatBytes(blob.size, state.lang), limit: formatBytes(MAX_FILE_BYTES, state.lang) });
      app.views.evidence.render(app);
      return false;
    }
    ev.earlierLoading = name;
    ev.compareError = null;
    document.body.dataset.compare = 'loading';
    app.views.evidence.render(app);
    const r = await app.engine.call('open', {
      session: 'earlier',
      file: blob,
      name,
      options: { header_row: 0, month_first: !!store.workspace.read_options.month_first },
    });
    ev.earlierLoading = null;
    if (!r.ok) {
      ev.earlier = null;
      ev.comparison = null;
      ev.compareError = t('load.failed', { name, message: failureText(r, state.lang) });
    } else {
      ev.earlier = { name, rows: r.info.rows };
      ev.comparison = null;
      ev.compareVersion = -1;
      await app.evidence.compareEarlier(state.scoredVersion);
    }
    document.body.dataset.compare = 'done';
    app.views.evidence.render(app);
    return r.ok;
  }

  return {
    open,
    openSample,
    paste,
    reread,
    cancelLoad,
    restoreFile,
    progress,
    suggest,
    useSuggestion,
    keepModel,
    mapColumns,
    useSuggestionForPending,
    dropPending,
    setKeepFile,
    openEarlier,
  };
}
