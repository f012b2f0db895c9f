// SPDX-License-Identifier: MIT
// The workspace bar: which workspace is open (list, open, rename, new, delete), undo and redo, and
// whether it is saved; and the notice a share link raises over a saved workspace.
import { h, fill, field } from './dom.js';
import { formatBytes } from '../lib/format.js';

let confirming = '';

export function render(app) {
  renderBar(app);
  renderNotice(app);
}

function renderBar(app) {
  const { state, store, t } = app;
  const bar = document.getElementById('workspace-bar');
  if (!bar) return;
  const w = store.workspace;
  const saved = app.workspaces ? app.workspaces.list() : [];
  const entries = saved.some((e) => e.id === w.id) ? saved : [{ id: w.id, name: w.name, file: w.file }, ...saved];
  const label = (e) => e.name || (e.file && e.file.name) || t('workspace.untitled');
  const select = h(
    'select',
    { id: 'workspace-select', on: { change: (e) => app.workspaces.open(e.target.value) } },
    entries.map((e) =>
      h('option', { value: e.id, text: e.id === w.id ? label({ ...e, name: w.name, file: w.file }) : label(e), selected: e.id === w.id }),
    ),
  );
  const name = h('input', {
    type: 'text',
    id: 'workspace-name',
    value: w.name || '',
    placeholder: w.file ? w.file.name : t('workspace.untitled'),
    on: { change: (e) => app.workspaces.rename(e.target.value) },
  });
  const undo = h('button', {
    type: 'button',
    class: 'secondary',
    text: t('history.undo'),
    disabled: !store.canUndo(),
    title: store.undoLabel() ? t('history.undoWhat', { label: store.undoLabel() }) : '',
    attrs: { 'aria-keyshortcuts': 'Control+Z' },
    on: { click: () => app.undo() },
  });
  const redo = h('button', {
    type: 'button',
    class: 'secondary',
    text: t('history.redo'),
    disabled: !store.canRedo(),
    title: store.redoLabel() ? t('history.redoWhat', { label: store.redoLabel() }) : '',
    attrs: { 'aria-keyshortcuts': 'Control+Shift+Z' },
    on: { click: () => app.redo() },
  });
  const parts = [
    field(t('workspace.label'), select),
    field(t('workspace.name'), name),
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'button', class: 'secondary', text: t('workspace.new'), on: { click: () => app.workspaces.create() } }),
      h('button', {
        type: 'button',
        class: 'secondary',
        text: t('workspace.delete'),
        on: {
          click: () => {
            confirming = w.id;
            renderBar(app);
          },
        },
      }),
      undo,
      redo,
    ),
  ];
  if (confirming === w.id) {
    parts.push(
      h(
        'div',
        { class: 'confirm', attrs: { role: 'group', 'aria-label': t('workspace.deleteConfirm', { name: label(w) }) } },
        h('span', { text: t('workspace.deleteConfirm', { name: label(w) }) }),
        h('button', {
          type: 'button',
          class: 'danger',
          text: t('workspace.deleteYes'),
          on: {
            click: () => {
              confirming = '';
              app.workspaces.remove(w.id);
            },
          },
        }),
        h('button', {
          type: 'button',
          class: 'secondary',
          text: t('workspace.deleteNo'),
          on: {
            click: () => {
              confirming = '';
              renderBar(app);
            },
          },
        }),
      ),
    );
  }
  parts.push(
    h('p', {
      class: state.storageWarning ? 'warn saved' : 'hint saved',
      id: 'workspace-saved',
      text: state.storageWarning || t('workspace.savedNote'),
    }),
  );
  if (state.keptSize) parts.push(h('p', { class: 'hint', text: t('keep.kept', { size: formatBytes(state.keptSize, state.lang) }) }));
  fill(bar, h('div', { class: 'row workspace' }, parts));
}

function renderNotice(app) {
  const { state, t } = app;
  const el = document.getElementById('notice');
  if (!el) return;
  const offer = state.linkOffer;
  if (!offer) {
    fill(el);
    el.hidden = true;
    return;
  }
  el.hidden = false;
  fill(
    el,
    h(
      'div',
      { class: 'notice', attrs: { role: 'region', 'aria-label': t('workspace.linkTitle') } },
      h('p', { text: t('workspace.linkOffer', { name: offer.model.name || t('workspace.untitled') }) }),
      h(
        'div',
        { class: 'actions' },
        h('button', { type: 'button', text: t('workspace.linkOpen'), on: { click: () => app.workspaces.acceptLink() } }),
        h('button', { type: 'button', class: 'secondary', text: t('workspace.linkKeep'), on: { click: () => app.workspaces.dismissLink() } }),
      ),
    ),
  );
}
