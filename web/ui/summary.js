// SPDX-License-Identifier: MIT
// The band summary beside the editors: accounts and share per band, and the score histogram
// coloured by band (each bar is one rounded score, so within one set of cut points it lies in one
// band; with segments whose cut points differ, a bar of every account stacks its bands).
import { h, fill, nextId } from './dom.js';
import { formatInt, formatPercent, formatNumber } from '../lib/format.js';
import { effectiveBands, segmentIndex, segmentCode, stackedBars, OTHER } from '../lib/segments.js';
import { bandIcon, bandColor } from './bands.js';
import { shownPicker } from './segments.js';

/**
 * `totals` (band counts, unscored, histogram) default to the current results; a slider move paints
 * the engine's totals as soon as they come, before the scores for the table.
 */
export function render(app, totals) {
  const { state, t } = app;
  const body = document.getElementById('summary-body');
  // Before a new file's results arrive, the totals painted ahead of them stay shown (a render
  // meanwhile, without totals, must not blank them).
  const all = totals || state.results || state.earlyTotals;
  if (!all || !state.model) {
    fill(body, h('p', { class: 'note', text: t('results.none') }));
    return;
  }
  const lang = state.lang;
  // The signal columns the file lacks under the model these counts are for (totals carry them too).
  const absent = all.absent_columns || [];
  // A segment picked: its own counts, values and histogram, on its own cut points.
  const k = segmentIndex(all.segments, state.segmentView);
  const r = k >= 0 ? all.segments[k] : all;
  const code = k >= 0 ? segmentCode(state.model, state.segmentView) : -1;
  const bands = k >= 0 && code >= 0 ? effectiveBands(state.model, code) : state.model.bands;
  const total = r.rows;
  const captionId = nextId('bands');
  const rows = r.band_counts.map((count, i) => {
    const b = bands[i] || { label: '?', color: '#777' };
    const swatch = h('span', { class: 'swatch', attrs: { 'aria-hidden': 'true' } });
    swatch.style.background = bandColor(b);
    const tr = h(
      'tr',
      { attrs: { 'data-band': i } },
      // The action sits under the band's name: a column of its own ran out of its card.
      h(
        'th',
        { scope: 'row' },
        h('span', { class: 'badge' }, swatch, h('span', { attrs: { 'aria-hidden': 'true' }, text: bandIcon(i, bands.length) }), b.label || b.id),
        b.action ? h('span', { class: 'action', text: b.action }) : null,
      ),
      h('td', { class: 'num count', text: formatInt(count, lang) }),
      h('td', { class: 'num', text: formatPercent(total ? count / total : 0, lang) }),
      r.value ? h('td', { class: 'num value', text: formatMoney(r.value.bands[i], lang) }) : null,
    );
    tr.style.borderLeft = `6px solid ${bandColor(b)}`;
    return tr;
  });
  if (r.unscored) {
    rows.push(
      h(
        'tr',
        { attrs: { 'data-band': -1 } },
        h(
          'th',
          { scope: 'row' },
          h('span', { class: 'badge' }, h('span', { attrs: { 'aria-hidden': 'true' }, text: bandIcon(-1) }), t('results.unscored')),
        ),
        h('td', { class: 'num count', text: formatInt(r.unscored, lang) }),
        h('td', { class: 'num', text: formatPercent(total ? r.unscored / total : 0, lang) }),
        r.value ? h('td', { class: 'num value', text: formatMoney(r.value.unscored, lang) }) : null,
      ),
    );
  }
  const byValue = !!(state.histogramByValue && r.value && r.value.histogram);
  const toggle =
    all.value && all.value.histogram
      ? h(
          'label',
          { class: 'check', htmlFor: 'histogram-by-value' },
          h('input', {
            type: 'checkbox',
            id: 'histogram-by-value',
            checked: byValue,
            on: {
              change: (e) => {
                state.histogramByValue = e.target.checked;
                render(app, totals);
              },
            },
          }),
          ' ' + t('results.byValue', { column: state.model.value_column }),
        )
      : null;
  fill(
    body,
    shownPicker(app, 'summary-segment'),
    h('p', {
      id: 'summary-accounts',
      text:
        k >= 0
          ? t('results.segmentShown', { segment: r.label, count: formatInt(total, lang) })
          : t('results.accounts', { count: formatInt(total, lang) }),
    }),
    h(
      'table',
      { class: 'band-summary', attrs: { 'aria-labelledby': 'summary-h' } },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col', text: t('results.col.band') }),
          h('th', { scope: 'col', class: 'num', text: t('results.col.accounts') }),
          h('th', { scope: 'col', class: 'num', text: '%' }),
          r.value ? h('th', { scope: 'col', class: 'num', text: t('results.col.value', { column: state.model.value_column }) }) : null,
        ),
      ),
      h('tbody', {}, rows),
    ),
    r.value
      ? h(
          'p',
          { id: 'value-at-risk' },
          h('strong', {
            text: t('results.valueAtRisk', {
              band: (bands[0] && (bands[0].label || bands[0].id)) || '',
              value: formatMoney(r.value.at_risk, lang),
              total: formatMoney(r.value.total, lang),
              percent: formatPercent(r.value.total ? r.value.at_risk / r.value.total : 0, lang),
            }),
          }),
          r.value.missing ? h('span', { class: 'hint', text: ' ' + t('results.valueMissing', { count: formatInt(r.value.missing, lang) }) }) : null,
        )
      : null,
    all.segments ? segmentTable(app, all) : null,
    absent.length ? h('p', { class: 'warn', text: t('results.absent', { columns: absent.join(', ') }) }) : null,
    toggle,
    chart(app, stacksOf(app, all, k, byValue), bands, captionId, byValue),
  );
}

/**
 * The bars, split by band: one segment (or a model without segments) bands every bar by one set
 * of cut points; every account of a segmented model stacks each segment's bars by its own.
 */
function stacksOf(app, all, k, byValue) {
  const m = app.state.model;
  const bars = (x) => (byValue ? x.value.histogram : x.histogram);
  const bandsOf = (seg) => {
    const code = segmentCode(m, seg.id ? seg.id : OTHER);
    return code !== undefined && code >= 0 ? effectiveBands(m, code) : m.bands;
  };
  if (k >= 0) return stackedBars([{ bars: bars(all.segments[k]), bands: bandsOf(all.segments[k]) }], m.bands.length);
  if (all.segments && all.segments.every((s) => s.histogram && (!byValue || (s.value && s.value.histogram)))) {
    return stackedBars(
      all.segments.map((s) => ({ bars: bars(s), bands: bandsOf(s) })),
      m.bands.length,
    );
  }
  return stackedBars([{ bars: bars(all), bands: m.bands }], m.bands.length);
}

/**
 * `stacks[r][band]`: accounts per rounded score 0..100 and band, as the engine counts them in its
 * scoring pass; with `byValue`, the value of those accounts instead (summed in its value pass).
 */
function chart(app, stacks, bands, id, byValue = false) {
  const { t } = app;
  const column = app.state.model.value_column;
  const totals = stacks.map((s) => s.reduce((a, x) => a + x, 0));
  let peak = 0;
  for (const c of totals) if (c > peak) peak = c;
  if (!(peak > 0)) peak = 1;
  const W = 1010,
    H = 134,
    base = 132;
  const svg = h(
    'svg',
    { attrs: { viewBox: `0 0 ${W} ${H}`, class: 'histogram', role: 'img', 'aria-labelledby': `${id}-t`, preserveAspectRatio: 'none' } },
    h('title', {
      id: `${id}-t`,
      text: byValue
        ? `${t('results.histogramValue', { column })}. ${t('results.histogramValueDesc', { column })}`
        : `${t('results.histogram')}. ${t('results.histogramDesc')}`,
    }),
  );
  for (let r = 0; r <= 100; r++) {
    if (!(totals[r] > 0)) continue;
    // A bar at least 1 unit high, its bands stacked from the lowest up.
    const height = Math.max(1, (totals[r] / peak) * (base - 4));
    let y = base;
    stacks[r].forEach((x, bi) => {
      if (!(x > 0)) return;
      const part = (x / totals[r]) * height;
      y -= part;
      const rect = h('rect', {
        attrs: { x: r * 10, y, width: 9, height: part, 'data-score': r, 'data-band': bi, [byValue ? 'data-value' : 'data-count']: x },
      });
      rect.style.fill = bandColor(bands[bi]);
      svg.append(rect);
    });
  }
  svg.append(h('line', { attrs: { x1: 0, x2: W, y1: base + 0.5, y2: base + 0.5, stroke: '#8a96a3' } }));
  const axis = h(
    'div',
    { class: 'axis', attrs: { 'aria-hidden': 'true' } },
    [0, 25, 50, 75, 100].map((x) => h('span', { text: String(x) })),
  );
  return h(
    'figure',
    { class: 'chart', attrs: { 'data-weighted': byValue ? 'value' : 'count' } },
    h('figcaption', { class: 'hint', text: byValue ? t('results.histogramValue', { column }) : t('results.histogram') }),
    svg,
    axis,
  );
}

/** A value as a whole amount with the language's grouping (the currency is the file's own). */
function formatMoney(x, lang) {
  return formatNumber(x, lang, 0);
}

/** Accounts (and value at risk) per segment and band: each segment has its own scorecard. */
function segmentTable(app, r) {
  const { state, t } = app;
  const lang = state.lang;
  const bands = state.model.bands;
  return h(
    'div',
    { class: 'wide' },
    h(
      'table',
      { class: 'segment-summary', attrs: { 'aria-label': t('results.bySegment') } },
      h('caption', { text: t('results.bySegment') }),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col', text: t('results.col.segment') }),
          h('th', { scope: 'col', class: 'num', text: t('results.col.accounts') }),
          bands.map((b) => h('th', { scope: 'col', class: 'num', text: b.label || b.id })),
          r.value ? h('th', { scope: 'col', class: 'num', text: t('results.col.atRisk') }) : null,
        ),
      ),
      h(
        'tbody',
        {},
        r.segments.map((sg) =>
          h(
            'tr',
            {},
            h('th', { scope: 'row', text: sg.label }),
            h('td', { class: 'num', text: formatInt(sg.rows, lang) }),
            sg.band_counts.map((c) => h('td', { class: 'num', text: formatInt(c, lang) })),
            r.value ? h('td', { class: 'num', text: formatMoney(sg.value.at_risk, lang) }) : null,
          ),
        ),
      ),
    ),
  );
}
