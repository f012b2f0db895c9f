// SPDX-License-Identifier: MIT
// Step 6, Scenarios: keep the current bands as a baseline, then see the migration matrix and the
// accounts that changed band as weights or rules move.
import { h, fill } from './dom.js';
import { formatInt, formatPercent } from '../lib/format.js';
import { migration } from '../lib/scenario.js';
import { cellText } from '../lib/distinct.js';

const LIST_LIMIT = 100;

export function render(app) {
  const { state, t } = app;
  const body = document.getElementById('scenarios-body');
  const keep = h('button', { type: 'button', text: t('scenarios.keep'), disabled: !state.results, on: { click: () => app.keepBaseline() } });
  const parts = [h('p', { class: 'note', text: t('scenarios.intro') }), h('div', { class: 'row' }, keep,
    state.baseline ? h('button', { type: 'button', class: 'secondary', text: t('scenarios.clear'), on: { click: () => app.clearBaseline() } }) : null)];
  const b = state.baseline;
  const r = state.results;
  if (!b || !r) {
    parts.push(h('p', { class: 'note', text: t('scenarios.none') }));
    fill(body, parts);
    return;
  }
  if (b.rows !== r.rows) {
    parts.push(h('p', { class: 'warn', text: t('scenarios.otherFile') }));
    fill(body, parts);
    return;
  }
  const lang = state.lang;
  const nowLabels = state.model.bands.map((x) => x.label || x.id);
  const m = migration(b.bands, r.bands, b.labels.length, nowLabels.length);
  const fromLabels = [...b.labels, t('results.unscored')];
  const toLabels = [...nowLabels, t('results.unscored')];
  const hasUnscored = m.matrix[b.labels.length].some((x) => x) || m.matrix.some((row) => row[nowLabels.length]);
  const rowsShown = hasUnscored ? fromLabels.length : fromLabels.length - 1;
  const colsShown = hasUnscored ? toLabels.length : toLabels.length - 1;
  const matrix = h('table', { class: 'matrix' },
    h('caption', { text: t('scenarios.matrix') }),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col', text: t('scenarios.from') }), toLabels.slice(0, colsShown).map((l) => h('th', { scope: 'col', text: l })))),
    h('tbody', {}, m.matrix.slice(0, rowsShown).map((row, i) => h('tr', {},
      h('th', { scope: 'row', text: fromLabels[i] }),
      row.slice(0, colsShown).map((v, j) => h('td', { class: i === j ? 'diag num' : 'num', text: formatInt(v, lang) }))))));
  const ids = state.ids;
  const list = [...m.changed.subarray(0, LIST_LIMIT)].map((row) => {
    const id = ids ? cellText(ids.bytes, ids.ends, row) : t('results.row', { row: row + 1 });
    const from = b.bands[row] < 0 ? t('results.unscored') : b.labels[b.bands[row]];
    const to = r.bands[row] < 0 ? t('results.unscored') : nowLabels[r.bands[row]];
    return h('li', {}, h('button', { type: 'button', class: 'link', text: id, on: { click: () => app.selectRow(row) } }), ': ', t('scenarios.move', { from, to }));
  });
  parts.push(
    h('p', { text: t('scenarios.kept', { name: b.name }) }),
    h('p', { id: 'scenario-changed' }, h('strong', { text: t('scenarios.changed', { count: formatInt(m.changed.length, lang), percent: formatPercent(r.rows ? m.changed.length / r.rows : 0, lang) }) })),
    matrix);
  if (list.length) {
    parts.push(h('h3', { text: t('scenarios.list') }), h('ul', { class: 'changed' }, list));
    if (m.changed.length > LIST_LIMIT) parts.push(h('p', { class: 'note', text: t('scenarios.more', { count: formatInt(m.changed.length - LIST_LIMIT, lang) }) }));
  }
  fill(body, parts);
}
