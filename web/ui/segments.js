// SPDX-License-Identifier: MIT
// Account value and segments (spec "Extensions"): which column holds each account's value (MRR,
// ARR), and a scorecard per kind of account: the segment column, groups made from its values, each
// value moved to a group, and the label of the accounts in no group. The weights of a group are
// edited in Weights with its scorecard picked.
import { h, fill, field, crossButton } from './dom.js';
import { columnPicker } from './columns.js';
import { formatInt } from '../lib/format.js';
import { groupsFromValues, moveValue, OTHER } from '../lib/segments.js';

/** Distinct values of the segment column, fetched once per file and column. */
const valuesCache = { key: '', values: null };

export function render(app) {
  const { state, t } = app;
  const body = document.getElementById('segments-body');
  if (!body) return;
  const m = state.model;
  if (!m || !state.file) {
    fill(body, h('p', { class: 'note', text: t('segments.noFile') }));
    return;
  }
  const columns = state.file.info.columns;
  const numbers = columns.filter((c) => c.type === 'number').map((c) => c.name);
  const setValue = (e) =>
    app.store.edit(
      t('history.valueColumn'),
      (mm) => {
        if (e.target.value) mm.value_column = e.target.value;
        else delete mm.value_column;
      },
      { structural: true },
    );
  const value = columnPicker(app, numbers, m.value_column, { none: t('signals.none'), id: 'value-column', kind: 'number', onChange: setValue });
  const parts = [h('p', { class: 'note', text: t('segments.intro') }), field(t('segments.valueColumn'), value, t('segments.valueHint'))];
  parts.push(m.segments ? editor(app) : starter(app));
  fill(body, parts);
}

function starter(app) {
  const { state, t } = app;
  const texts = state.file.info.columns.filter((c) => c.type === 'text').map((c) => c.name);
  const column = columnPicker(app, texts, '', { none: t('segments.pickColumn'), id: 'segment-column', kind: 'text' });
  const make = h('button', {
    type: 'button',
    class: 'secondary',
    text: t('segments.make'),
    on: {
      click: async () => {
        if (!column.value) return;
        const d = await app.distinct(app.columnIndex(column.value), 50);
        if (!d.ok) return;
        app.store.edit(
          t('history.segments'),
          (m) => {
            m.segments = { column: column.value, other_label: t('segments.otherDefault'), groups: groupsFromValues(d.values.map((v) => v.value)) };
          },
          { structural: true },
        );
      },
    },
  });
  return h('div', { class: 'row segments' }, field(t('segments.column'), column), make);
}

function editor(app) {
  const { state, store, t } = app;
  const m = state.model;
  const sg = m.segments;
  const key = `${state.file.name}|${state.file.size}|${sg.column}`;
  if (valuesCache.key !== key) {
    valuesCache.key = key;
    valuesCache.values = null;
    const index = app.columnIndex(sg.column);
    if (index >= 0) {
      app.distinct(index, 200).then((d) => {
        if (valuesCache.key !== key) return;
        valuesCache.values = d.ok ? d.values : [];
        render(app);
      });
    }
  }
  const fold = (x) => String(x).trim().toLowerCase();
  const groupOf = (v) => sg.groups.findIndex((g) => (g.values || []).some((x) => fold(x) === fold(v)));
  const other = h('input', {
    type: 'text',
    id: 'segment-other',
    value: sg.other_label || '',
    on: {
      change: (e) =>
        store.edit(
          t('history.segments'),
          (mm) => {
            mm.segments.other_label = e.target.value;
          },
          { views: ['weights'] },
        ),
    },
  });
  const groups = sg.groups.map((g, i) =>
    h(
      'li',
      {},
      h('input', {
        type: 'text',
        value: g.label || '',
        attrs: { 'aria-label': t('segments.groupLabel', { n: i + 1 }) },
        on: {
          change: (e) =>
            store.edit(
              t('history.segments'),
              (mm) => {
                mm.segments.groups[i].label = e.target.value;
              },
              { views: ['weights'] },
            ),
        },
      }),
      ' ',
      h('span', { class: 'hint', text: (g.values || []).join(', ') }),
      ' ',
      crossButton(t('segments.removeGroup', { label: g.label || g.id }), () => {
        state.segmentEditing = -1;
        store.edit(
          t('history.segments'),
          (mm) => {
            mm.segments.groups.splice(i, 1);
          },
          { structural: true },
        );
      }),
    ),
  );
  const values = valuesCache.values;
  const rows = values
    ? values.map(({ value: v, count }) => {
        const select = h(
          'select',
          {
            attrs: { 'aria-label': t('segments.groupOf', { value: v }) },
            on: { change: (e) => store.edit(t('history.segments'), (mm) => moveValue(mm.segments, v, Number(e.target.value)), { structural: true }) },
          },
          h('option', { value: '-1', text: sg.other_label || t('segments.otherDefault'), selected: groupOf(v) < 0 }),
          sg.groups.map((g, i) => h('option', { value: String(i), text: g.label || g.id, selected: groupOf(v) === i })),
        );
        return h('tr', {}, h('th', { scope: 'row', text: v }), h('td', { class: 'num', text: formatInt(count, state.lang) }), h('td', {}, select));
      })
    : [];
  return h(
    'div',
    { class: 'segments' },
    h('p', {}, t('segments.by', { column: sg.column })),
    h('ul', { class: 'groups' }, groups),
    field(t('segments.otherLabel'), other),
    values
      ? h(
          'div',
          { class: 'scroll' },
          h(
            'table',
            { attrs: { 'aria-label': t('segments.valuesTable') } },
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                h('th', { scope: 'col', text: t('segments.value') }),
                h('th', { scope: 'col', class: 'num', text: t('results.col.accounts') }),
                h('th', { scope: 'col', text: t('segments.group') }),
              ),
            ),
            h('tbody', {}, rows),
          ),
        )
      : h('p', { class: 'note', text: t('scenarios.computing') }),
    h('button', {
      type: 'button',
      class: 'secondary',
      text: t('segments.remove'),
      on: {
        click: () => {
          state.segmentEditing = -1;
          store.edit(
            t('history.segments'),
            (mm) => {
              delete mm.segments;
            },
            { structural: true },
          );
        },
      },
    }),
  );
}

/**
 * The segment the summary, the results table, the scenario comparison and the evidence show
 * (`state.segmentView`: null every account, a group id, or OTHER): one choice, offered in each of
 * them, so picking a segment in one shows it in all. Null without segments.
 */
export function shownPicker(app, id, label) {
  const { state, t } = app;
  const m = state.model;
  if (!m || !m.segments || !(m.segments.groups || []).length) return null;
  // A group removed (or renamed by id) since it was picked: every account again.
  if (state.segmentView && state.segmentView !== OTHER && !m.segments.groups.some((g) => g.id === state.segmentView)) state.segmentView = null;
  const key = state.segmentView;
  const select = h(
    'select',
    {
      id,
      on: {
        change: (e) => {
          state.segmentView = e.target.value === '' ? null : e.target.value;
          app.renderResults();
          app.views.evidence.render(app);
          app.views.history.render(app);
        },
      },
    },
    h('option', { value: '', text: t('segments.everyAccount'), selected: key === null || key === undefined }),
    m.segments.groups.map((g) => h('option', { value: g.id, text: g.label || g.id, selected: key === g.id })),
    h('option', { value: OTHER, text: m.segments.other_label || t('segments.otherDefault'), selected: key === OTHER }),
  );
  return field(label || t('segments.shown'), select);
}
