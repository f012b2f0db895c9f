// SPDX-License-Identifier: MIT
// Step 6, Scenarios: named whole models kept side by side. Create one from the current model,
// rename, duplicate, delete, pick which one the editors change; compare any two on the loaded file:
// band mix, the migration matrix, the accounts that moved (exportable) and each one's AUC.
import { h, fill, field } from './dom.js';
import { formatInt, formatPercent, formatFixed } from '../lib/format.js';
import { cellText } from '../lib/distinct.js';
import { failureText } from '../lib/messages.js';
import { segmentIndex, segmentCode, mixOf, movedIn } from '../lib/segments.js';
import { shownPicker } from './segments.js';

const LIST_LIMIT = 100;

export function render(app) {
  const { store, t } = app;
  const body = document.getElementById('scenarios-body');
  if (!body) return;
  const w = store.workspace;
  const focused = body.contains(document.activeElement) ? document.activeElement.id : '';
  const parts = [h('p', { class: 'note', text: t('scenarios.intro') })];
  if (!w.scenarios.length) {
    parts.push(h('p', { class: 'note', text: t('scenarios.none') }));
    fill(body, parts);
    return;
  }
  parts.push(list(app));
  parts.push(comparison(app));
  fill(body, parts);
  if (focused) document.getElementById(focused)?.focus();
}

function list(app) {
  const { store, t } = app;
  const w = store.workspace;
  const active = store.scenario;
  const items = w.scenarios.map((s, i) => {
    const id = `scenario-${i}`;
    const radio = h('input', { type: 'radio', name: 'scenario', id, checked: s.id === w.active, on: { change: () => store.activate(s.id) } });
    return h('li', {}, h('label', { class: 'check', htmlFor: id }, radio, ' ', s.name));
  });
  const name = h('input', {
    type: 'text',
    id: 'scenario-name',
    value: active ? active.name : '',
    on: { change: (e) => store.rename(w.active, e.target.value) },
  });
  return h(
    'div',
    { class: 'scenario-list' },
    h('fieldset', {}, h('legend', { text: t('scenarios.editing') }), h('ul', { class: 'plain' }, items)),
    h(
      'div',
      { class: 'row' },
      field(t('scenarios.rename'), name),
      h(
        'div',
        { class: 'actions' },
        h('button', {
          type: 'button',
          text: t('scenarios.new'),
          on: { click: () => store.duplicate(w.active, t('scenarios.copyOf', { name: active.name })) },
        }),
        h('button', {
          type: 'button',
          class: 'secondary',
          text: t('scenarios.delete'),
          disabled: w.scenarios.length < 2,
          on: { click: () => store.remove(w.active) },
        }),
      ),
    ),
  );
}

function comparison(app) {
  const { state, store, t } = app;
  const w = store.workspace;
  if (w.scenarios.length < 2) return h('p', { class: 'note', text: t('scenarios.needTwo') });
  const p = app.scenarios.pair();
  const pick = (id, which) =>
    h(
      'select',
      {
        id: `compare-${which}`,
        on: {
          change: (e) => {
            const next = { ...p, [which]: e.target.value };
            app.scenarios.setPair(next.a, next.b);
          },
        },
      },
      w.scenarios.map((s) => h('option', { value: s.id, text: s.name, selected: s.id === id })),
    );
  const parts = [
    h('h3', { text: t('scenarios.compareTitle') }),
    h('div', { class: 'row' }, field(t('scenarios.compareA'), pick(p.a, 'a')), field(t('scenarios.compareB'), pick(p.b, 'b'))),
  ];
  const sc = state.scenarioCompare;
  if (!state.file) {
    parts.push(h('p', { class: 'note', text: t('scenarios.noFile') }));
    return h('div', { class: 'scenario-compare' }, parts);
  }
  if (p.a === p.b) {
    parts.push(h('p', { class: 'note', text: t('scenarios.same') }));
    return h('div', { class: 'scenario-compare' }, parts);
  }
  if (sc.error) parts.push(h('p', { class: 'warn', text: failureText(sc.error, state.lang) }));
  if (!sc.result || sc.a !== p.a || sc.b !== p.b) {
    if (!sc.error) parts.push(h('p', { class: 'note', text: t('scenarios.computing') }));
    return h('div', { class: 'scenario-compare' }, parts);
  }
  let r = sc.result;
  const A = w.scenarios.find((s) => s.id === p.a);
  const B = w.scenarios.find((s) => s.id === p.b);
  const lang = state.lang;
  parts.push(shownPicker(app, 'scenario-segment'));
  // One segment: its share of the matrix (the engine's per-segment migration), and its moved
  // accounts by the segments of the model applied now.
  let moved = r.moved;
  let changed = moved.length;
  if (state.segmentView !== null && state.segmentView !== undefined && state.model && state.model.segments) {
    const k = segmentIndex(r.segments, state.segmentView);
    if (k < 0) {
      parts.push(h('p', { class: 'note', id: 'scenario-segment-none', text: t('scenarios.segmentNone') }));
      return h('div', { class: 'scenario-compare' }, parts);
    }
    const sr = r.segments[k];
    const mixes = mixOf(sr.transitions);
    const side = (x) => ({ rows: sr.rows, band_counts: x.slice(0, -1), unscored: x[x.length - 1] });
    changed = movedIn(sr.transitions);
    const code = segmentCode(state.model, state.segmentView);
    const of = state.results && state.results.segment_of;
    const picks = [];
    if (of) for (let j = 0; j < moved.length; j++) if (of[moved[j]] === code) picks.push(j);
    r = {
      ...r,
      a: side(mixes.a),
      b: side(mixes.b),
      transitions: sr.transitions,
      moved_a: Int8Array.from(picks, (j) => r.moved_a[j]),
      moved_b: Int8Array.from(picks, (j) => r.moved_b[j]),
    };
    moved = Uint32Array.from(picks, (j) => moved[j]);
    parts.push(
      h('p', {
        class: 'note',
        id: 'scenario-segment-note',
        text: t('scenarios.segmentNote', { segment: sr.label, name: A.model.segments ? A.name : B.name }),
      }),
    );
  }
  const rows = r.a.rows;
  parts.push(mix(app, A, B, r));
  parts.push(matrix(app, A, B, r));
  parts.push(
    h(
      'p',
      { id: 'scenario-changed' },
      h('strong', { text: t('scenarios.changed', { count: formatInt(changed, lang), percent: formatPercent(rows ? changed / rows : 0, lang) }) }),
    ),
  );
  const ids = state.ids;
  const label = (m, b) => (b < 0 ? t('results.unscored') : m.bands[b] ? m.bands[b].label || m.bands[b].id : '?');
  if (moved.length) {
    const items = [...moved.subarray(0, LIST_LIMIT)].map((row, k) => {
      const id = ids ? cellText(ids.bytes, ids.ends, row) : t('results.row', { row: row + 1 });
      const from = label(A.model, r.moved_a[k]);
      const to = label(B.model, r.moved_b[k]);
      return h(
        'li',
        {},
        h('button', { type: 'button', class: 'link', text: id, on: { click: () => app.selectRow(row) } }),
        ': ',
        t('scenarios.move', { from, to }),
      );
    });
    parts.push(h('h3', { text: t('scenarios.list') }), h('ul', { class: 'changed' }, items));
    if (moved.length > LIST_LIMIT)
      parts.push(h('p', { class: 'note', text: t('scenarios.more', { count: formatInt(moved.length - LIST_LIMIT, lang) }) }));
    parts.push(h('button', { type: 'button', class: 'secondary', text: t('scenarios.export'), on: { click: () => app.scenarios.exportMoved() } }));
  }
  return h('div', { class: 'scenario-compare' }, parts);
}

function mix(app, A, B, r) {
  const { state, t } = app;
  const lang = state.lang;
  const n = Math.max(A.model.bands.length, B.model.bands.length);
  const rows = [];
  const cell = (m, side, i) => {
    if (i >= m.bands.length) return [h('td'), h('td')];
    const c = r[side].band_counts[i];
    return [
      h('td', { class: 'num', text: formatInt(c, lang) }),
      h('td', { class: 'num', text: formatPercent(r[side].rows ? c / r[side].rows : 0, lang) }),
    ];
  };
  for (let i = 0; i < n; i++) {
    const name = A.model.bands[i] || B.model.bands[i];
    rows.push(h('tr', {}, h('th', { scope: 'row', text: name.label || name.id }), cell(A.model, 'a', i), cell(B.model, 'b', i)));
  }
  if (r.a.unscored || r.b.unscored) {
    rows.push(
      h(
        'tr',
        {},
        h('th', { scope: 'row', text: t('results.unscored') }),
        h('td', { class: 'num', text: formatInt(r.a.unscored, lang) }),
        h('td'),
        h('td', { class: 'num', text: formatInt(r.b.unscored, lang) }),
        h('td'),
      ),
    );
  }
  if (r.a.auc !== undefined || r.b.auc !== undefined) {
    const auc = (x) =>
      x.auc === undefined ? '—' : `${formatFixed(x.auc, lang, 3)} (${formatFixed(x.auc_lo, lang, 3)}–${formatFixed(x.auc_hi, lang, 3)})`;
    rows.push(
      h(
        'tr',
        { class: 'auc' },
        h('th', { scope: 'row', text: t('scenarios.auc') }),
        h('td', { colSpan: 2, class: 'num', text: auc(r.a) }),
        h('td', { colSpan: 2, class: 'num', text: auc(r.b) }),
      ),
    );
  }
  return h(
    'div',
    { class: 'scroll' },
    h(
      'table',
      { class: 'scenario-mix', attrs: { 'aria-label': t('scenarios.mix') } },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col', text: t('results.col.band') }),
          h('th', { scope: 'col', colSpan: 2, class: 'num', text: A.name }),
          h('th', { scope: 'col', colSpan: 2, class: 'num', text: B.name }),
        ),
      ),
      h('tbody', {}, rows),
    ),
  );
}

function matrix(app, A, B, r) {
  const { state, t } = app;
  const lang = state.lang;
  const from = [...A.model.bands.map((b) => b.label || b.id), t('results.unscored')];
  const to = [...B.model.bands.map((b) => b.label || b.id), t('results.unscored')];
  const m = r.transitions;
  const hasUnscored = m[from.length - 1].some((x) => x) || m.some((row) => row[to.length - 1]);
  const rowsShown = hasUnscored ? from.length : from.length - 1;
  const colsShown = hasUnscored ? to.length : to.length - 1;
  return h(
    'div',
    { class: 'scroll' },
    h(
      'table',
      { class: 'matrix', attrs: { 'aria-label': t('scenarios.matrix') } },
      h('caption', { text: t('scenarios.matrixOf', { a: A.name, b: B.name }) }),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col', text: t('scenarios.from') }),
          to.slice(0, colsShown).map((l) => h('th', { scope: 'col', text: l })),
        ),
      ),
      h(
        'tbody',
        {},
        m.slice(0, rowsShown).map((row, i) =>
          h(
            'tr',
            {},
            h('th', { scope: 'row', text: from[i] }),
            row.slice(0, colsShown).map((v, j) => h('td', { class: i === j ? 'diag num' : 'num', text: formatInt(v, lang) })),
          ),
        ),
      ),
    ),
  );
}
