// SPDX-License-Identifier: MIT
// Share and export: the model in a link (never the data), model JSON download and upload, and the
// scored CSV (the engine's export, byte-identical to the command line's).
import { h, fill } from './dom.js';

export function render(app) {
  const { state, t } = app;
  const body = document.getElementById('share-body');
  const link = h('input', { type: 'text', id: 'share-link', readOnly: true, value: state.shareLink || '', on: { focus: (e) => e.target.select() } });
  const modelInput = h('input', { type: 'file', id: 'model-input', class: 'visually-hidden', accept: '.json,application/json',
    on: { change: (e) => { const f = e.target.files[0]; if (f) app.openModelFile(f); e.target.value = ''; } } });
  fill(body,
    h('div', { class: 'share-tools' },
      h('button', { type: 'button', text: t('share.copy'), disabled: !state.model, on: { click: () => app.copyLink() } }),
      h('div', { class: 'field' }, h('label', { htmlFor: 'share-link', text: t('share.link') }), link)),
    h('div', { class: 'share-tools' },
      h('button', { type: 'button', class: 'secondary', text: t('share.downloadModel'), disabled: !state.model, on: { click: () => app.downloadModel() } }),
      h('label', { class: 'button secondary', htmlFor: 'model-input' }, t('share.openModel'), modelInput),
      h('button', { type: 'button', text: t('results.export'), disabled: !state.results, on: { click: () => app.exportCsv() } })));
}
