// SPDX-License-Identifier: MIT
// Step 8, Act: the call list of a band (and segment): who to call first (the value at risk first,
// else the lowest score), the band's action, and the three signals that cost each account the most.
import { h, fill, field } from './dom.js';
import { formatInt, formatHealth, formatNumber } from '../lib/format.js';
import { cellText } from '../lib/distinct.js';
import { failureText } from '../lib/messages.js';

export function render(app) {
  const { state, t } = app;
  const body = document.getElementById('execute-body');
  if (!body) return;
  const m = state.model;
  if (!m || !state.results) {
    fill(body, h('p', { class: 'note', text: t('execute.none') }));
    return;
  }
  const lang = state.lang;
  const c = state.calls;
  if (c.band >= m.bands.length) c.band = 0;
  const band = h(
    'select',
    { id: 'calls-band', on: { change: (e) => app.execute.pick(Number(e.target.value), c.segment) } },
    m.bands.map((b, i) => h('option', { value: String(i), text: b.label || b.id, selected: i === c.band })),
  );
  const parts = [h('p', { class: 'note', text: t('execute.intro') }), h('div', { class: 'row' }, field(t('execute.band'), band))];
  if (m.segments && (m.segments.groups || []).length) {
    const seg = h(
      'select',
      { id: 'calls-segment', on: { change: (e) => app.execute.pick(c.band, Number(e.target.value)) } },
      h('option', { value: '-2', text: t('execute.allSegments'), selected: c.segment === -2 }),
      m.segments.groups.map((g, i) => h('option', { value: String(i), text: g.label || g.id, selected: c.segment === i })),
      h('option', { value: '-1', text: m.segments.other_label || t('segments.otherDefault'), selected: c.segment === -1 }),
    );
    parts[1].append(field(t('results.col.segment'), seg));
  }
  if (c.error) parts.push(h('p', { class: 'warn', text: failureText(c.error, lang) }));
  const list = c.list;
  if (!list) {
    if (!c.error) parts.push(h('p', { class: 'note', text: t('scenarios.computing') }));
    fill(body, parts);
    return;
  }
  const b = m.bands[c.band];
  parts.push(
    h(
      'p',
      { id: 'calls-count' },
      h('strong', {
        text: t(m.value_column ? 'execute.countValue' : 'execute.count', {
          count: formatInt(list.total, lang),
          band: b.label || b.id,
          value: formatNumber(list.value, lang, 0),
        }),
      }),
      b.action ? ' ' + t('execute.action', { action: b.action }) : '',
    ),
  );
  const ids = state.ids;
  const names = state.names;
  const rows = list.entries.map((e) =>
    h(
      'tr',
      {},
      h(
        'th',
        { scope: 'row' },
        h('button', {
          type: 'button',
          class: 'link',
          text: ids ? cellText(ids.bytes, ids.ends, e.row) : t('results.row', { row: e.row + 1 }),
          on: { click: () => app.selectRow(e.row) },
        }),
      ),
      names ? h('td', { text: cellText(names.bytes, names.ends, e.row) }) : null,
      h('td', { class: 'num', text: formatHealth(state.results.scores[e.row], lang) }),
      m.value_column ? h('td', { class: 'num', text: formatNumber(e.value, lang, 0) }) : null,
      h('td', { text: e.costs.map((x) => t('execute.cost', { column: x.column, points: formatNumber(x.points_lost, lang, 1) })).join(' · ') }),
    ),
  );
  parts.push(
    h(
      'div',
      { class: 'scroll' },
      h(
        'table',
        { class: 'calls', attrs: { 'aria-label': t('execute.table') } },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'col', text: t('results.col.account') }),
            names ? h('th', { scope: 'col', text: t('results.col.name') }) : null,
            h('th', { scope: 'col', class: 'num', text: t('results.col.score') }),
            m.value_column ? h('th', { scope: 'col', class: 'num', text: m.value_column }) : null,
            h('th', { scope: 'col', text: t('execute.costs') }),
          ),
        ),
        h('tbody', {}, rows),
      ),
    ),
  );
  if (list.total > list.entries.length)
    parts.push(
      h('p', { class: 'note', text: t('execute.more', { shown: formatInt(list.entries.length, lang), total: formatInt(list.total, lang) }) }),
    );
  if (list.total)
    parts.push(h('button', { type: 'button', class: 'secondary', text: t('execute.export'), on: { click: () => app.execute.exportCsv() } }));
  fill(body, parts);
}
