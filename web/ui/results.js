// SPDX-License-Identifier: MIT
// Step 5, Results: a sortable, filterable, searchable table that keeps only the visible rows in
// the DOM (smooth at a million rows), and the breakdown of the account the user picks.
import { accountChart } from './history.js';
import { h, fill, nextId, crossButton } from './dom.js';
import { formatInt, formatScore, formatHealth, formatExact, formatPercent, formatNumber } from '../lib/format.js';
import { liftText } from '../lib/lift.js';
import { rowOrder, searchPredicate } from '../lib/view.js';
import { cellText } from '../lib/distinct.js';
import { TextColumn } from '../lib/textcol.js';
import { bandBadge } from './bands.js';
import { shownPicker } from './segments.js';
import { segmentCode } from '../lib/segments.js';

const ROW = 28; // px, must match --row in style.css
const MAX_SCROLL_PX = 15_000_000; // browsers cap element heights; larger tables scroll scaled

const view = {
  sort: 'row',
  dir: 1,
  band: 'all',
  query: '',
  order: null,
  built: false,
  key: '',
  pool: [],
  scheduled: false,
  orderTimer: 0,
};

export function render(app) {
  const { state, t } = app;
  const body = document.getElementById('results-body');
  if (!state.results || !state.model || !state.file) {
    view.built = false;
    fill(body, h('p', { class: 'note', text: t('results.none') }));
    return;
  }
  const key = `${state.lang}|${state.model.categories.map((c) => c.label).join('|')}|${state.model.bands.map((b) => b.label).join('|')}|${!!state.names}|${state.file.name}|${segmentLabels(state.model).join('|')}|${!!state.results.segment_of}|${state.segmentView}`;
  if (!view.built || key !== view.key) build(app, key);
  refreshOrder(app, state.results.rows > 200_000);
}

function build(app, key) {
  const { state, t } = app;
  const body = document.getElementById('results-body');
  view.key = key;
  view.built = true;
  view.pool = [];
  const search = h('input', {
    type: 'search',
    id: 'results-search',
    value: view.query,
    on: {
      input: (e) => {
        view.query = e.target.value;
        refreshOrder(app, true);
      },
    },
  });
  const band = h(
    'select',
    {
      id: 'results-band',
      on: {
        change: (e) => {
          view.band = e.target.value;
          refreshOrder(app, false);
        },
      },
    },
    h('option', { value: 'all', text: t('results.allBands'), selected: view.band === 'all' }),
    state.model.bands.map((b, i) => h('option', { value: String(i), text: b.label || b.id, selected: view.band === String(i) })),
    h('option', { value: '-1', text: t('results.unscored'), selected: view.band === '-1' }),
  );
  const cols = [
    { key: 'id', label: t('results.col.account'), width: '9rem' },
    state.names ? { key: 'name', label: t('results.col.name'), width: '14rem' } : null,
    { key: 'score', label: t('results.col.score'), num: true, width: '6rem' },
    { key: 'band', label: t('results.col.band'), width: '10rem' },
    state.results.segment_of ? { key: 'segment', label: t('results.col.segment'), width: '9rem' } : null,
    ...state.model.categories.map((c, i) => ({ key: `cat${i}`, label: c.label || c.id, num: true, width: '8rem' })),
  ].filter(Boolean);
  view.columns = cols;
  const headRow = h(
    'tr',
    {},
    cols.map((c) => {
      const th = h(
        'th',
        { scope: 'col', class: c.num ? 'num' : '', attrs: { 'data-key': c.key } },
        h('button', {
          type: 'button',
          text: c.label,
          attrs: { 'aria-label': t('results.sortBy', { column: c.label }) },
          on: { click: () => sortBy(app, c.key) },
        }),
      );
      th.style.width = c.width;
      return th;
    }),
  );
  const tbody = h(
    'tbody',
    {},
    h('tr', { class: 'spacer top' }, h('td', { colSpan: cols.length })),
    h('tr', { class: 'spacer bottom' }, h('td', { colSpan: cols.length })),
  );
  const tableId = nextId('grid');
  const grid = h(
    'div',
    { class: 'grid', id: 'results-grid', tabIndex: -1, on: { scroll: () => schedule(app) } },
    h('table', { id: tableId, attrs: { 'aria-label': t('results.table'), 'aria-rowcount': state.results.rows + 1 } }, h('thead', {}, headRow), tbody),
  );
  fill(
    body,
    h(
      'div',
      { class: 'table-tools' },
      h('div', { class: 'field' }, h('label', { htmlFor: 'results-search', text: t('results.search') }), search),
      h('div', { class: 'field' }, h('label', { htmlFor: 'results-band', text: t('results.filterBand') }), band),
      state.results.segment_of ? shownPicker(app, 'results-segment', t('results.filterSegment')) : null,
      h('p', { id: 'results-count', class: 'note', attrs: { 'aria-live': 'polite' } }),
    ),
    grid,
    h('div', { id: 'breakdown' }),
  );
  renderBreakdown(app, false);
}

function sortBy(app, key) {
  const sort = key.startsWith('cat') ? 'category' : key;
  if (view.sortKey === key) view.dir = -view.dir;
  else {
    view.sortKey = key;
    view.dir = sort === 'score' || sort === 'category' ? -1 : 1;
  }
  view.sort = sort;
  view.category = sort === 'category' ? Number(key.slice(3)) : undefined;
  refreshOrder(app, false);
}

/** Each segment group's label, then the other segment's. */
function segmentLabels(model) {
  const s = model && model.segments;
  return s ? [...(s.groups || []).map((g) => g.label || g.id), s.other_label || 'Other'] : [];
}

/** A row's segment label (-1 is the other segment). */
function segmentLabel(model, k) {
  const s = model.segments;
  if (!s) return '';
  return k < 0 ? s.other_label || 'Other' : (s.groups[k] && (s.groups[k].label || s.groups[k].id)) || '';
}

/** The engine order the table's sort needs ({category: -1 for the health score}), or null. */
export function wantedOrder() {
  if (view.sort === 'score') return { category: -1, descending: view.dir === -1 };
  if (view.sort === 'category') return { category: view.category, descending: view.dir === -1 };
  return null;
}

/** Asks the engine for a sorted order once; the table is re-filtered and repainted when it comes. */
function requestOrder(app, r, want) {
  const key = `${want.category}|${want.descending}`;
  if (view.orderRequest && view.orderRequest.key === key && view.orderRequest.results === r) return;
  view.orderRequest = { key, results: r };
  app.scoring.order(want).then((o) => {
    if (view.orderRequest && view.orderRequest.results === r && view.orderRequest.key === key) view.orderRequest = null;
    if (!o.ok || app.state.results !== r) return;
    r.order = { ...want, rows: o.order };
    computeOrder(app);
  });
}

/** Recomputes the row order (debounced for big tables and typing) and repaints. */
function refreshOrder(app, debounce) {
  clearTimeout(view.orderTimer);
  if (debounce) view.orderTimer = setTimeout(() => computeOrder(app), 150);
  else computeOrder(app);
}

/** The TextColumn of the ids or names, made once per loaded column. */
function column(cols) {
  if (!cols) return null;
  if (!cols.text) cols.text = new TextColumn(cols.bytes, cols.ends);
  return cols.text;
}

function computeOrder(app) {
  const { state, t } = app;
  const r = state.results;
  if (!r || !view.built) return;
  const idCol = column(state.ids);
  const nameCol = column(state.names);
  const ids = idCol && ((i) => idCol.get(i));
  const names = nameCol && ((i) => nameCol.get(i));
  let match;
  const query = view.query.trim().toLowerCase();
  if (query && (idCol || nameCol)) {
    const mark = new Uint8Array(r.rows);
    for (const c of [idCol, nameCol]) if (c) c.markMatches(query, mark);
    match = (i) => mark[i] === 1;
  } else {
    match = searchPredicate(view.query, [(i) => String(i + 1)]);
  }
  // Sorts by a score come from the engine (with the results after a slider move, or asked for
  // once after a click); text sorts are made once and kept; here the rows are only filtered.
  const want = wantedOrder();
  let sorted;
  if (want) {
    const o = r.order;
    if (o && o.category === want.category && o.descending === want.descending) sorted = o.rows;
    else {
      requestOrder(app, r, want);
      if (view.order && view.orderRows === r.rows) return; // the current order stays until it comes
      sorted = undefined; // a new table: row order meanwhile
    }
  } else if (view.sort === 'id' || view.sort === 'name') {
    const text = view.sort === 'id' ? ids || ((i) => String(i + 1)) : names;
    const source = view.sort === 'id' ? idCol : nameCol;
    const t0 = view.textOrder;
    if (t0 && t0.sort === view.sort && t0.dir === view.dir && t0.source === source && t0.results === r.rows && t0.file === state.file)
      sorted = t0.rows;
    else {
      sorted = rowOrder({ scores: r.scores, bands: r.bands, sort: view.sort, dir: view.dir, text });
      view.textOrder = { sort: view.sort, dir: view.dir, source, results: r.rows, file: state.file, rows: sorted };
    }
  }
  view.order = rowOrder({
    scores: r.scores,
    bands: r.bands,
    band: view.band === 'all' ? undefined : Number(view.band),
    segment: r.segment_of ? segmentCode(state.model, state.segmentView) : undefined,
    segments: r.segment_of,
    match,
    sorted,
    sort: want ? 'row' : view.sort,
    dir: want ? 1 : view.dir,
  });
  view.orderRows = r.rows;
  for (const th of document.querySelectorAll('#results-grid thead th')) {
    const k = th.dataset.key;
    if (k === view.sortKey) th.setAttribute('aria-sort', view.dir === 1 ? 'ascending' : 'descending');
    else th.removeAttribute('aria-sort');
  }
  document.getElementById('results-count').textContent = t('results.showing', {
    shown: formatInt(view.order.length, state.lang),
    total: formatInt(r.rows, state.lang),
  });
  paint(app);
}

function schedule(app) {
  if (view.scheduled) return;
  view.scheduled = true;
  requestAnimationFrame(() => {
    view.scheduled = false;
    paint(app);
  });
}

/** Fills the pooled rows with what is visible at the current scroll position. */
function paint(app) {
  const { state, t } = app;
  const grid = document.getElementById('results-grid');
  if (!grid || !view.order || !state.results) return;
  const n = view.order.length;
  const viewH = grid.clientHeight - ROW; // minus the sticky header
  const total = n * ROW;
  const virtual = Math.min(total, MAX_SCROLL_PX);
  const ratio = virtual > viewH ? (total - viewH) / (virtual - viewH) : 1;
  const logical = grid.scrollTop * ratio;
  const first = Math.min(Math.max(0, n - 1), Math.floor(logical / ROW));
  const count = Math.min(n - first, Math.ceil(viewH / ROW) + 3);
  const top = Math.max(0, Math.min(grid.scrollTop - (logical - first * ROW), virtual - count * ROW));
  const tbody = grid.querySelector('tbody');
  const topSpacer = tbody.querySelector('.spacer.top');
  const bottomSpacer = tbody.querySelector('.spacer.bottom');
  const bottom = Math.max(0, virtual - top - count * ROW);
  for (const [spacer, height] of [
    [topSpacer, top],
    [bottomSpacer, bottom],
  ]) {
    spacer.style.display = height > 0 ? '' : 'none';
    spacer.firstChild.style.height = `${height}px`;
  }

  while (view.pool.length < count) {
    const tr = h(
      'tr',
      {},
      view.columns.map((c) => h('td', { class: c.num ? 'num' : '' })),
    );
    const button = h('button', { type: 'button', class: 'link', on: { click: () => app.selectRow(Number(tr.dataset.row)) } });
    tr.firstChild.append(button);
    view.pool.push(tr);
  }
  const rows = [];
  const r = state.results;
  const lang = state.lang;
  for (let k = 0; k < count; k++) {
    const row = view.order[first + k];
    const tr = view.pool[k];
    tr.dataset.row = row;
    tr.setAttribute('aria-rowindex', String(first + k + 2));
    tr.classList.toggle('selected', row === state.selectedRow);
    const cells = tr.children;
    let ci = 0;
    for (const c of view.columns) {
      const td = cells[ci++];
      if (c.key === 'id')
        td.firstChild.textContent = state.ids
          ? cellText(state.ids.bytes, state.ids.ends, row) || t('results.row', { row: row + 1 })
          : t('results.row', { row: row + 1 });
      else if (c.key === 'name') td.textContent = cellText(state.names.bytes, state.names.ends, row);
      else if (c.key === 'score') td.textContent = formatHealth(r.scores[row], lang);
      else if (c.key === 'band') fill(td, bandBadge(state.model, r.bands[row]));
      else if (c.key === 'segment') td.textContent = r.segment_of ? segmentLabel(state.model, r.segment_of[row]) : '';
      else {
        const v = r.category_scores[Number(c.key.slice(3))];
        td.textContent = v ? formatScore(v[row], lang) : '';
      }
    }
    rows.push(tr);
  }
  // Keep the pool rows between the spacers, in order; extra pool rows leave the DOM.
  const current = [...tbody.children].filter((x) => !x.classList.contains('spacer'));
  if (current.length !== rows.length || current.some((x, i) => x !== rows[i])) {
    for (const x of current) x.remove();
    topSpacer.after(...rows);
  }
}

/** The breakdown of the selected account. `focus` moves keyboard focus to it. */
export function renderBreakdown(app, focus) {
  const { state, t } = app;
  const el = document.getElementById('breakdown');
  if (!el) return;
  const e = state.explanation;
  if (state.selectedRow === null || !e) {
    fill(el);
    return;
  }
  const lang = state.lang;
  const row = e.row;
  const account = state.ids ? cellText(state.ids.bytes, state.ids.ends, row) : t('results.row', { row: row + 1 });
  const name = state.names ? cellText(state.names.bytes, state.names.ends, row) : '';
  const title = t('breakdown.title', { account: name ? `${account} · ${name}` : account });
  const headingId = nextId('bd');
  const band = state.model.bands[e.band];
  const pts = (x) => formatNumber(x * 1, lang, 1);
  const catRows = e.categories.map((c) =>
    h(
      'tr',
      {},
      h('th', { scope: 'row', text: c.label || c.id }),
      h('td', { class: 'num', text: formatScore(c.score, lang) }),
      h('td', { class: 'num', text: formatPercent(c.share, lang) }),
      h('td', { class: 'num', text: pts(c.contribution) }),
      h('td', { class: 'num', text: pts(c.points_lost) }),
      h('td', {}, bar(c.contribution, c.points_lost)),
    ),
  );
  const sigRows = e.signals.map((s) =>
    h(
      'tr',
      {},
      h('th', { scope: 'row', text: s.column }),
      h('td', { text: s.raw }),
      h('td', { class: 'num', text: s.missing ? t('breakdown.missing') : formatScore(s.score, lang) }),
      h('td', { class: 'num', text: formatPercent(s.share, lang) }),
      h('td', { class: 'num', text: pts(s.contribution) }),
      h('td', { class: 'num', text: pts(s.points_lost) }),
    ),
  );
  const next = liftText(e, state.model, lang);
  const closeButton = crossButton(t('breakdown.close'), () => {
    state.selectedRow = null;
    state.explanation = null;
    renderBreakdown(app, false);
  });
  fill(
    el,
    h(
      'section',
      { class: 'breakdown', attrs: { 'aria-labelledby': headingId } },
      h('header', {}, h('h3', { id: headingId, tabIndex: -1, text: title }), closeButton),
      h(
        'p',
        {},
        Number.isNaN(e.score)
          ? t('breakdown.unscored')
          : [
              t('breakdown.score', { score: formatHealth(e.score, lang), band: '' }).replace(/:\s*$/, ': '),
              bandBadge(state.model, e.band),
              ' ',
              h('span', { class: 'hint', text: t('breakdown.exact', { score: formatExact(e.score, lang) }) }),
            ],
      ),
      band && band.action ? h('p', { class: 'note', text: `${t('bands.action')}: ${band.action}` }) : null,
      e.segment !== undefined ? h('p', { class: 'note', id: 'breakdown-segment', text: t('breakdown.segment', { segment: e.segment }) }) : null,
      // The tables scroll inside the card on a phone: six columns do not fit 390 px.
      h(
        'div',
        { class: 'wide' },
        h(
          'table',
          {},
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              ['breakdown.category', 'breakdown.signalScore', 'breakdown.share', 'breakdown.contribution', 'breakdown.lost'].map((k, i) =>
                h('th', { scope: 'col', class: i ? 'num' : '', text: t(k) }),
              ),
              h('th'),
            ),
          ),
          h('tbody', {}, catRows),
        ),
      ),
      h(
        'div',
        { class: 'wide' },
        h(
          'table',
          {},
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              ['breakdown.signal', 'breakdown.value', 'breakdown.signalScore', 'breakdown.share', 'breakdown.contribution', 'breakdown.lost'].map(
                (k, i) => h('th', { scope: 'col', class: i > 1 ? 'num' : '', text: t(k) }),
              ),
            ),
          ),
          h('tbody', {}, sigRows),
        ),
      ),
      h('p', { class: 'next', id: 'breakdown-lift', text: next }),
      state.history.snapshots.length ? h('div', { id: 'breakdown-history' }) : null,
    ),
  );
  renderBreakdownHistory(app);
  if (focus) el.querySelector('h3').focus();
  for (const tr of document.querySelectorAll('#results-grid tbody tr[data-row]'))
    tr.classList.toggle('selected', Number(tr.dataset.row) === state.selectedRow);
}

/**
 * The selected account's score over the History step's snapshots, when there are some and the
 * trend shown has the account (by its id): a chart (ui/history.js) under the breakdown. Called
 * again when a trend is built.
 */
export async function renderBreakdownHistory(app) {
  const { state, t } = app;
  const e = state.explanation;
  if (!e || !state.ids || !document.getElementById('breakdown-history')) return;
  const account = cellText(state.ids.bytes, state.ids.ends, e.row).trim();
  const s = account ? await app.history.accountSeries(account) : null;
  const el = document.getElementById('breakdown-history');
  if (!el || state.explanation !== e) return; // another account was picked meanwhile
  if (!s) return fill(el);
  fill(el, h('h4', { text: t('breakdown.historyTitle') }), accountChart(app, account, s));
}

function bar(points, lost) {
  const a = h('span', { class: 'bar', attrs: { 'aria-hidden': 'true' } });
  a.style.width = `${Math.max(0, points) * 1.2}px`;
  const b = h('span', { class: 'bar lost', attrs: { 'aria-hidden': 'true' } });
  b.style.width = `${Math.max(0, lost) * 1.2}px`;
  return [a, b];
}
