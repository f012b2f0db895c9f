// SPDX-License-Identifier: MIT
// Workspaces in the browser: saved on every change (and once more when the tab is hidden or
// closed), restored on reload, listed, opened, renamed, deleted; a share link over a saved
// workspace is offered as a new workspace instead of replacing anything.
import { Persistence, browserStorage } from '../lib/persist.js';
import { emptyWorkspace, WORKSPACE_FORMAT } from '../lib/store.js';
import { readFragment } from '../lib/share.js';
import { keptFile, forgetKeptFile } from '../lib/keptfiles.js';
import { failureText } from '../lib/messages.js';

export function createWorkspaces(app) {
  const { state, store } = app;
  const t = (key, vars) => app.t(key, vars); // the language can change while the page runs
  const persist = new Persistence(browserStorage());
  let timer = 0;
  // Only a tab that changed something writes: a second tab left open on the same workspace must
  // not write its older copy over this one's when it closes.
  let dirty = false;

  function save() {
    clearTimeout(timer);
    timer = 0;
    if (!dirty) return;
    dirty = false;
    const w = store.workspace;
    if (!w.scenarios.length && !w.file) return; // nothing worth keeping yet
    if (!w.name && w.file) w.name = w.file.name.replace(/\.[^.]+$/, '');
    const r = persist.save(w);
    persist.setCurrent(w.id);
    const warning = r.ok ? (r.trimmed ? t('workspace.trimmed') : '') : persist.available ? t('workspace.saveFailed') : t('workspace.noStorage');
    if (warning !== state.storageWarning) {
      state.storageWarning = warning;
      app.views.workspace.render(app);
    }
    document.body.dataset.savedVersion = String(store.version);
  }

  function scheduleSave() {
    if (!timer) timer = setTimeout(save, 250);
  }

  store.subscribe((change) => {
    if (!(change.kind === 'workspace' && change.full)) dirty = true;
    scheduleSave();
    if (change.kind !== 'model') app.views.workspace.render(app);
  });
  addEventListener('pagehide', save);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') save();
  });

  /** A saved workspace from an older page: filled in so the rest of the page can trust it. */
  function upgrade(w) {
    const base = emptyWorkspace({ lang: w.lang || store.workspace.lang });
    const out = { ...base, ...w, format: WORKSPACE_FORMAT };
    out.read_options = { ...base.read_options, ...(w.read_options || {}) };
    for (const s of out.scenarios) {
      s.past = Array.isArray(s.past) ? s.past : [];
      s.future = Array.isArray(s.future) ? s.future : [];
    }
    return out;
  }

  /** On start: the workspace the user had open, if any. */
  async function restore() {
    const id = persist.current();
    const w = id ? persist.load(id) : null;
    if (!w) return false;
    adopt(upgrade(w));
    return true;
  }

  /** Makes `w` the open workspace; the loaded file stays when it is the one `w` belongs to. */
  async function adopt(w) {
    const same = state.file && w.file && state.file.name === w.file.name && state.file.size === w.file.size;
    store.load(w);
    app.setLanguage(w.lang, { save: false });
    state.switchedOff = [];
    state.scenarioCompare = { key: '', result: null, error: null };
    state.evidence.tried = null;
    state.keptSize = 0;
    if (same) {
      app.renderAll();
      app.scoring.rescore();
      return;
    }
    state.pending = null;
    if (app.forgetFile()) await app.engine.call('clear');
    state.restored = w.file || null;
    app.renderAll();
    if (w.file && w.keep_file) {
      const kept = await keptFile(w.id);
      if (kept && kept.blob) {
        state.keptSize = kept.size;
        const file = new File([kept.blob], kept.name, { type: kept.type });
        if (await app.files.open(file, kept.name, { how: 'kept' })) app.setStatus(t('keep.loaded', { name: kept.name }));
      }
    }
  }

  function list() {
    return persist.list();
  }

  /** A new, empty workspace (the current one is saved first and stays in the list). */
  function create({ name = '', keepOld = true } = {}) {
    if (keepOld) save();
    const w = emptyWorkspace({ name, lang: store.workspace.lang });
    store.load(w);
    state.switchedOff = [];
    state.scenarioCompare = { key: '', result: null, error: null };
    state.evidence.tried = null;
    state.restored = null;
    // A new workspace starts without the previous one's file (it belongs to that workspace).
    dropFile();
    app.renderAll();
    return w;
  }

  function dropFile() {
    state.pending = null;
    if (app.forgetFile()) app.engine.call('clear');
  }

  async function open(id) {
    if (id === store.workspace.id) return;
    save();
    const w = persist.load(id);
    if (w) await adopt(upgrade(w));
  }

  function rename(name) {
    store.set('name', String(name).trim());
    save();
  }

  /** Deletes a workspace and its kept file; deleting the open one leaves a new, empty one. */
  async function remove(id) {
    persist.remove(id);
    await forgetKeptFile(id);
    if (id === store.workspace.id) {
      const next = persist.list()[0];
      if (next) await adopt(upgrade(persist.load(next.id)));
      else create({ keepOld: false });
    }
    app.views.workspace.render(app);
  }

  // ---- share links -------------------------------------------------------------------------

  /** A link in the address bar: adopted at once into an empty workspace, else offered. */
  async function openLinkFromLocation() {
    const value = readFragment(location.hash);
    if (value === null) return;
    const answer = await app.engine.call('decodeLink', { value });
    if (!answer.ok) return; // the engine restarted meanwhile
    const d = answer.decoded;
    if (!d.ok) {
      app.showError(t('share.invalidLink', { reason: t(`share.err.${d.error}`) }), 'link');
      return;
    }
    const r = await app.engine.call('check', { json: JSON.stringify(d.model) });
    if (!r.ok) {
      app.showError(t('share.invalidLink', { reason: failureText(r, state.lang) }), 'link');
      return;
    }
    app.clearError('link');
    if (!Array.isArray(d.model.bands)) d.model.bands = JSON.parse(r.model).bands; // the contract's defaults
    if (store.model && (store.model.categories || []).length) {
      state.linkOffer = { model: d.model };
      app.views.workspace.render(app);
      return;
    }
    adoptLinkModel(d.model);
  }

  function adoptLinkModel(model) {
    if (!store.workspace.name && model.name) store.set('name', model.name);
    if (store.scenario) store.replaceModel(t('history.link'), model);
    else store.addScenario(t('scenarios.fromLink'), model, { origin: 'user' });
    app.setStatus(t('share.restored', { name: model.name || '' }) + (state.file ? '' : ' ' + t('load.waitingForFile')));
    clearHash();
    app.renderAll();
  }

  /** "Open it in a new workspace": the saved one stays as it was. */
  function acceptLink() {
    const offer = state.linkOffer;
    if (!offer) return;
    state.linkOffer = null;
    create({ name: offer.model.name || t('workspace.fromLink') });
    adoptLinkModel(offer.model);
  }

  function dismissLink() {
    state.linkOffer = null;
    clearHash();
    app.views.workspace.render(app);
  }

  function clearHash() {
    if (location.hash) history.replaceState(null, '', location.pathname + location.search);
  }

  return {
    save,
    restore,
    list,
    create,
    open,
    rename,
    remove,
    openLinkFromLocation,
    acceptLink,
    dismissLink,
    get persistence() {
      return persist;
    },
  };
}
