// SPDX-License-Identifier: MIT
// Step 9, History: files of the same accounts added as snapshots (date from the name or entered),
// each with its rows and memory; for the current model, the band mix per snapshot (stacked bars,
// counts, value, per segment), the band flow between the last two, newly at risk and recovered,
// the biggest drops and rises with each account's score series as a sparkline (flow and movers of
// the segment shown, `state.segmentView`, when one is), the lagged validation, the weights fitted
// on earlier snapshots and checked on the last two (when asked), and the engine's two CSV exports.
// Everything shown comes from the engine's trend. Also the breakdown's chart (`accountChart`).
import { h, fill, field } from './dom.js';
import {
  formatInt,
  formatPercent,
  formatBytes,
  formatFixed,
  formatNumber,
  formatExact,
  formatHealth,
  formatDate,
  isoDate,
  daysOfIso,
} from '../lib/format.js';
import { failureText, renderMessage } from '../lib/messages.js';
import { bandColor } from './bands.js';
import { defaultConvention } from './share.js';
import { MAX_FILE_BYTES } from '../app/files.js';
import { segmentIndex, effectiveBands } from '../lib/segments.js';
import { shownPicker } from './segments.js';

const AUC_DIGITS = 3;
const PCT_DIGITS = 1;

export function render(app) {
  const { state, t } = app;
  const body = document.getElementById('history-body');
  if (!body) return;
  const hs = state.history;
  const focused = body.contains(document.activeElement) ? document.activeElement.id : '';
  const parts = [h('p', { class: 'note', text: t('trend.intro') }), adder(app), progressBlock(app)];
  for (const e of hs.errors) parts.push(h('p', { class: 'warn', text: errorText(app, e) }));
  if (hs.snapshots.length) parts.push(snapshotTable(app));
  parts.push(report(app));
  fill(body, parts);
  if (focused) document.getElementById(focused)?.focus();
  app.history.publish();
}

/** A file that was not added, in the language of the moment. */
function errorText(app, e) {
  const { state, t } = app;
  const lang = state.lang;
  if (e.tooBig !== undefined) return t('load.tooBig', { name: e.name, size: formatBytes(e.tooBig, lang), limit: formatBytes(MAX_FILE_BYTES, lang) });
  if (e.noRows !== undefined) return t('trend.noRows', { name: e.name, columns: formatInt(e.noRows, lang) });
  return t('trend.refused', { name: e.name, message: failureText(e.failure, lang) });
}

function adder(app) {
  const { t } = app;
  const input = h('input', {
    type: 'file',
    id: 'history-input',
    class: 'visually-hidden',
    multiple: true,
    accept: '.csv,.tsv,.txt,.xlsx,.ods,text/csv',
    attrs: { 'aria-label': t('trend.add') },
    on: {
      change: (e) => {
        const files = [...e.target.files];
        e.target.value = '';
        app.history.addFiles(files);
      },
    },
  });
  return h(
    'div',
    { class: 'history-add' },
    h('label', { class: 'button', htmlFor: 'history-input' }, t('trend.add'), input),
    h('span', { class: 'hint', text: t('trend.addHint') }),
  );
}

function progressBlock(app) {
  const el = h(
    'div',
    { id: 'history-progress', class: 'progress', attrs: { 'aria-live': 'polite' } },
    h('span', { id: 'history-progress-title' }),
    h('progress', { id: 'history-progress-bar' }),
    h('span', { id: 'history-progress-text', class: 'hint' }),
  );
  el.hidden = true;
  queueMicrotask(() => updateProgress(app));
  return el;
}

/** Updates the progress line in place (each progress message: a snapshot read, a snapshot scored). */
export function updateProgress(app) {
  const { state, t } = app;
  const hs = state.history;
  const el = document.getElementById('history-progress');
  if (!el) return;
  const bar = document.getElementById('history-progress-bar');
  const lang = state.lang;
  el.hidden = !hs.adding && !hs.running;
  if (hs.adding) {
    const a = hs.adding;
    document.getElementById('history-progress-title').textContent = t(a.phase === 'unzipping' ? 'load.unzipping' : 'load.reading', { name: a.name });
    if (a.total > 0 && a.bytes > 0) {
      bar.max = a.total;
      bar.value = Math.min(a.bytes, a.total);
    } else bar.removeAttribute('value');
    document.getElementById('history-progress-text').textContent = t('load.progress', {
      bytes: formatBytes(a.bytes || 0, lang),
      total: formatBytes(a.total || 0, lang),
      rows: formatInt(a.rows || 0, lang),
    });
  } else if (hs.running) {
    const p = hs.progress || { done: 0, total: hs.snapshots.length };
    document.getElementById('history-progress-title').textContent = t('trend.building');
    bar.max = Math.max(1, p.total);
    bar.value = p.done;
    document.getElementById('history-progress-text').textContent = t('trend.scored', {
      done: formatInt(p.done, lang),
      total: formatInt(p.total, lang),
    });
  }
}

function snapshotTable(app) {
  const { state, t } = app;
  const hs = state.history;
  const lang = state.lang;
  let memory = 0;
  const rows = hs.snapshots.map((s, i) => {
    memory += s.memory_bytes;
    const date = h('input', {
      type: 'date',
      id: `history-date-${s.id}`,
      value: s.date === null ? '' : isoDate(s.date),
      attrs: { 'aria-label': t('trend.dateOf', { name: s.source }) },
      on: {
        change: (e) => {
          if (!e.target.value || daysOfIso(e.target.value) !== null) app.history.setDate(s.id, e.target.value);
        },
      },
    });
    const hint =
      s.date === null
        ? h('span', { class: 'hint warn-text', text: t('trend.noDate', { problem: s.problem ? renderMessage(s.problem, lang) : '' }) })
        : null;
    // The model's columns this file lacks, from the last trend (its signals are missing in every row).
    const absent = hs.trend && hs.absent[String(s.id)];
    return h(
      'tr',
      { attrs: { 'data-snapshot': i } },
      h('td', {}, date, hint),
      h(
        'th',
        { scope: 'row', class: 'file' },
        s.source,
        absent ? h('span', { class: 'hint warn-text absent', text: t('trend.absentColumns', { columns: absent.join(', ') }) }) : null,
      ),
      h('td', { class: 'num', text: formatInt(s.rows, lang) }),
      h('td', { class: 'num memory', text: formatBytes(s.memory_bytes, lang) }),
      h(
        'td',
        {},
        h('button', {
          type: 'button',
          class: 'secondary small',
          text: t('trend.remove'),
          attrs: { 'aria-label': t('trend.removeOf', { name: s.source }) },
          on: { click: () => app.history.remove(s.id) },
        }),
      ),
    );
  });
  const m = hs.memory;
  return h(
    'div',
    {},
    h(
      'div',
      { class: 'wide' },
      h(
        'table',
        { class: 'snapshots', attrs: { 'aria-label': t('trend.snapshots') } },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'col', text: t('trend.col.date') }),
            h('th', { scope: 'col', text: t('trend.col.file') }),
            h('th', { scope: 'col', class: 'num', text: t('results.col.accounts') }),
            h('th', { scope: 'col', class: 'num', text: t('trend.col.memory') }),
            h('th', { scope: 'col', text: '' }),
          ),
        ),
        h('tbody', {}, rows),
      ),
    ),
    h('p', {
      id: 'history-memory',
      class: 'hint',
      text: t('trend.memory', {
        count: formatInt(hs.snapshots.length, lang),
        snapshots: formatBytes(memory, lang),
        heap: m ? formatBytes(m.heap, lang) : '—',
        used: m ? formatBytes(m.used, lang) : '—',
      }),
    }),
  );
}

function report(app) {
  const { state, t } = app;
  const hs = state.history;
  if (!hs.snapshots.length) return h('p', { class: 'note', text: t('trend.none') });
  if (hs.snapshots.some((s) => s.date === null)) return h('p', { class: 'note', text: t('trend.needDates') });
  if (!state.model || !(state.model.categories || []).length) return h('p', { class: 'note', text: t('trend.needModel') });
  if (hs.error) return h('p', { class: 'warn', id: 'history-error', text: failureText(hs.error, state.lang) });
  const r = hs.trend;
  if (!r) return h('p', { class: 'note', text: t('trend.computing') });
  const parts = [
    h('p', {
      id: 'history-headline',
      text: t('trend.headline', {
        snapshots: formatInt(r.snapshots.length, state.lang),
        from: day(r.snapshots[0].date, state.lang),
        to: day(r.snapshots[r.snapshots.length - 1].date, state.lang),
        column: r.id_column,
      }),
    }),
  ];
  if (r.left_out.duplicated_ids)
    parts.push(
      h('p', {
        class: 'warn',
        text: t('trend.leftOut', { count: formatInt(r.left_out.duplicated_ids, state.lang), examples: r.left_out.examples.join(', ') }),
      }),
    );
  parts.push(bandMix(app, r));
  // The segment shown (the summary's, the table's, Evidence's): its own flow and movers.
  const seg = shownSegment(app, r);
  const part = seg >= 0 ? { ...r, flows: r.segments[seg].flows, movers: r.segments[seg].movers } : r;
  if (seg >= 0 && part.flows.length)
    parts.push(h('p', { class: 'note', id: 'history-segment-shown', text: t('trend.segmentShown', { segment: r.segments[seg].label }) }));
  if (part.flows.length) parts.push(flow(app, part));
  if (part.movers.first_to_last) parts.push(movers(app, part));
  if (r.lagged.lags.length) parts.push(lagged(app, r));
  if (r.snapshots.length >= 2) parts.push(suggestion(app, r));
  parts.push(exports(app));
  return h('div', { class: 'history-report' }, parts);
}

function day(iso, lang) {
  const d = daysOfIso(iso);
  return d === null ? iso : formatDate(d, lang);
}

function bandLabel(r, i) {
  return r.bands[i] ? r.bands[i].label || r.bands[i].id : '?';
}

function money(x, lang) {
  return formatNumber(x, lang, 0);
}

/** The model's band for colour and icon (the trend is the current model's, so indexes agree). */
function modelBand(app, i) {
  return (app.state.model && app.state.model.bands[i]) || { color: '#777777' };
}

function bandMix(app, r) {
  const { state, t } = app;
  const hs = state.history;
  const lang = state.lang;
  const segmented = Array.isArray(r.snapshots[0].segments);
  const seg = segmented ? shownSegment(app, r) : -1;
  const hasValue = r.value_column !== null;
  const ids = r.bands.map((b) => b.id);
  const picker = segmented ? shownPicker(app, 'history-segment') : null;
  const byValue = hasValue && hs.mixBy === 'value';
  const by = hasValue
    ? field(
        t('trend.barsBy'),
        h(
          'select',
          {
            id: 'history-bars-by',
            on: {
              change: (e) => {
                hs.mixBy = e.target.value;
                render(app);
              },
            },
          },
          h('option', { value: 'accounts', text: t('trend.barsByAccounts'), selected: !byValue }),
          h('option', { value: 'value', text: t('trend.barsByValue', { column: r.value_column }), selected: byValue }),
        ),
      )
    : null;
  const rows = r.snapshots.map((s, i) => {
    const tot = seg < 0 ? s.summary : s.segments[seg];
    const counts = ids.map((id) => tot.bands[id]);
    const prev = i > 0 ? r.flows[i - 1].counts : null;
    return h(
      'tr',
      { attrs: { 'data-snapshot': i } },
      h('th', { scope: 'row', text: day(s.date, lang) }),
      h(
        'td',
        { class: 'bar-cell' },
        byValue
          ? stackedBar(
              app,
              r,
              ids.map((id) => tot.value.bands[id]),
              tot.value.unscored,
              tot.value.total,
              t('trend.mixOfValue', { column: r.value_column }),
            )
          : stackedBar(app, r, counts, tot.unscored, tot.rows, t('trend.mixOf')),
      ),
      h('td', { class: 'num', text: formatInt(tot.rows, lang) }),
      counts.map((c, b) =>
        h(
          'td',
          { class: 'num', attrs: { 'data-band': ids[b] } },
          h('span', { class: 'count', text: formatInt(c, lang) }),
          hasValue ? h('span', { class: 'sub', text: money(tot.value.bands[ids[b]], lang) }) : null,
        ),
      ),
      h('td', { class: 'num', attrs: { 'data-band': 'unscored' }, text: formatInt(tot.unscored, lang) }),
      hasValue ? h('td', { class: 'num at-risk', text: money(tot.value.at_risk, lang) }) : null,
      h('td', { class: 'num', text: prev ? formatInt(prev.appeared, lang) : '—' }),
      h('td', { class: 'num', text: prev ? formatInt(prev.disappeared, lang) : '—' }),
    );
  });
  const head = h(
    'tr',
    {},
    h('th', { scope: 'col', text: t('trend.col.date') }),
    h('th', { scope: 'col', text: t('trend.col.mix') }),
    h('th', { scope: 'col', class: 'num', text: t('results.col.accounts') }),
    r.bands.map((b, i) => h('th', { scope: 'col', class: 'num' }, swatch(modelBand(app, i)), b.label || b.id)),
    h('th', { scope: 'col', class: 'num', text: t('results.unscored') }),
    hasValue ? h('th', { scope: 'col', class: 'num', text: t('trend.col.atRisk', { column: r.value_column }) }) : null,
    h('th', { scope: 'col', class: 'num', text: t('trend.col.appeared') }),
    h('th', {
      scope: 'col',
      class: 'num',
      // An account that leaves and comes back is not a churn: only leaving by the last snapshot is.
      text: t('trend.col.disappeared'),
    }),
  );
  return h(
    'div',
    {},
    h('h3', { text: t('trend.mixTitle') }),
    picker || by ? h('div', { class: 'row' }, picker, by) : null,
    h(
      'div',
      { class: 'wide' },
      h(
        'table',
        { class: 'history-mix', id: 'history-mix', attrs: { 'aria-label': t('trend.mixTitle') } },
        h('thead', {}, head),
        h('tbody', {}, rows),
      ),
    ),
    hasValue ? h('p', { class: 'hint', text: t('trend.valueHint', { column: r.value_column, band: bandLabel(r, 0) }) }) : null,
  );
}

/**
 * The index of the segment shown (`state.segmentView`) in the trend's segments (groups, then the
 * other; the snapshots' per-segment totals are in the same order), or -1 for every account.
 */
function shownSegment(app, r) {
  const key = app.state.segmentView;
  if (!Array.isArray(r.snapshots[0].segments) || key === null || key === undefined) return -1;
  return segmentIndex(r.snapshots[0].segments, key);
}

function swatch(b) {
  const s = h('span', { class: 'swatch', attrs: { 'aria-hidden': 'true' } });
  s.style.background = bandColor(b);
  return s;
}

/** One snapshot's band shares (of accounts, or of value) as a stacked bar; the figures are in the table beside it. */
function stackedBar(app, r, counts, unscored, rows, title) {
  const { state } = app;
  const svg = h('svg', {
    attrs: {
      viewBox: '0 0 100 10',
      preserveAspectRatio: 'none',
      class: 'stacked',
      role: 'img',
      'aria-label': r.bands.map((b, i) => `${b.label || b.id} ${formatPercent(rows ? counts[i] / rows : 0, state.lang)}`).join(', '),
    },
  });
  let x = 0;
  const put = (n, fill) => {
    if (!(n > 0) || !(rows > 0)) return;
    const w = (n / rows) * 100;
    const rect = h('rect', { attrs: { x, y: 0, width: w, height: 10 } });
    rect.style.fill = fill;
    svg.append(rect);
    x += w;
  };
  counts.forEach((c, i) => put(c, bandColor(modelBand(app, i))));
  put(unscored, '#c9ced6');
  svg.append(h('title', { text: title }));
  if (x === 0) svg.setAttribute('aria-label', '—');
  return svg;
}

function flow(app, r) {
  const { state, t } = app;
  const lang = state.lang;
  const f = r.flows[r.flows.length - 1];
  const nb = r.bands.length;
  const fromNames = [...r.bands.map((b) => b.label || b.id), t('results.unscored'), t('trend.appeared')];
  const toNames = [
    ...r.bands.map((b) => b.label || b.id),
    t('results.unscored'),
    r.lagged.outcome === 'disappeared' ? t('trend.disappearedChurned') : t('trend.disappeared'),
  ];
  // The unscored row and column only when some account is unscored at either end.
  const unscoredUsed = f.matrix[nb].some((x) => x) || f.matrix.some((row) => row[nb]);
  const keep = (i) => i !== nb || unscoredUsed;
  const table = h(
    'table',
    { class: 'matrix', id: 'history-flow', attrs: { 'aria-label': t('trend.flowTitle') } },
    h('caption', { text: t('trend.flowOf', { from: day(f.from, lang), to: day(f.to, lang) }) }),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col', text: t('scenarios.from') }),
        toNames.map((n, j) => (keep(j) ? h('th', { scope: 'col', text: n }) : null)),
      ),
    ),
    h(
      'tbody',
      {},
      f.matrix.map((row, i) =>
        keep(i)
          ? h(
              'tr',
              {},
              h('th', { scope: 'row', text: fromNames[i] }),
              row.map((v, j) => (keep(j) ? h('td', { class: i === j && i < nb ? 'diag num' : 'num', text: formatInt(v, lang) }) : null)),
            )
          : null,
      ),
    ),
  );
  const c = f.counts;
  const counts = h(
    'p',
    { id: 'history-counts' },
    t('trend.countsLine', {
      appeared: formatInt(c.appeared, lang),
      disappeared: formatInt(c.disappeared, lang),
      newly: formatInt(c.newly_at_risk, lang),
      recovered: formatInt(c.recovered, lang),
    }),
  );
  return h(
    'div',
    {},
    h('h3', { text: t('trend.flowTitle') }),
    h('div', { class: 'wide' }, table),
    counts,
    h(
      'div',
      { class: 'history-lists' },
      accountList(app, r, 'newly', t('trend.newlyAtRisk', { count: formatInt(c.newly_at_risk, lang) }), f.newly_at_risk, c.newly_at_risk),
      accountList(app, r, 'recovered', t('trend.recovered', { count: formatInt(c.recovered, lang) }), f.recovered, c.recovered),
    ),
  );
}

function accountList(app, r, id, title, refs, total) {
  const { state, t } = app;
  const lang = state.lang;
  const items = refs.map((a) =>
    h(
      'li',
      {},
      sparkline(app, r, a.id),
      h('span', { class: 'who', text: a.name ? `${a.id} · ${a.name}` : a.id }),
      // The scores the bands were decided on (a shown score never contradicts its band); exact on hover.
      h('span', {
        class: 'hint',
        text: ` ${formatHealth(a.from_health, lang)} → ${formatHealth(a.to_health, lang)}`,
        attrs: { title: `${formatExact(a.from_score, lang)} → ${formatExact(a.to_score, lang)}` },
      }),
    ),
  );
  return h(
    'div',
    { class: 'history-list', id: `history-${id}` },
    h('h4', { text: title }),
    items.length ? h('ul', { class: 'changed' }, items) : h('p', { class: 'note', text: t('trend.noneListed') }),
    total > refs.length ? h('p', { class: 'note', text: t('scenarios.more', { count: formatInt(total - refs.length, lang) }) }) : null,
  );
}

function movers(app, r) {
  const { state, t } = app;
  const hs = state.history;
  const lang = state.lang;
  const hasLast = r.snapshots.length > 2 && r.movers.last_two;
  const period = hasLast && hs.period === 'last_two' ? 'last_two' : 'first_to_last';
  const mv = r.movers[period];
  const pick = hasLast
    ? field(
        t('trend.period'),
        h(
          'select',
          {
            id: 'history-period',
            on: {
              change: (e) => {
                hs.period = e.target.value;
                render(app);
              },
            },
          },
          h('option', {
            value: 'first_to_last',
            text: t('trend.firstToLast', { from: day(r.movers.first_to_last.from, lang), to: day(r.movers.first_to_last.to, lang) }),
            selected: period === 'first_to_last',
          }),
          h('option', {
            value: 'last_two',
            text: t('trend.lastTwo', { from: day(r.movers.last_two.from, lang), to: day(r.movers.last_two.to, lang) }),
            selected: period === 'last_two',
          }),
        ),
      )
    : null;
  const table = (kind, list) =>
    h(
      'div',
      { class: 'wide' },
      h(
        'table',
        { class: 'history-movers', id: `history-${kind}`, attrs: { 'aria-label': t(kind === 'drops' ? 'trend.drops' : 'trend.rises') } },
        h('caption', { text: t(kind === 'drops' ? 'trend.drops' : 'trend.rises') }),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'col', text: t('trend.col.account') }),
            h('th', { scope: 'col', text: t('trend.col.series') }),
            h('th', { scope: 'col', class: 'num', text: day(mv.from, lang) }),
            h('th', { scope: 'col', class: 'num', text: day(mv.to, lang) }),
            h('th', { scope: 'col', class: 'num', text: t('trend.col.change') }),
            h('th', { scope: 'col', text: t('trend.col.bands') }),
          ),
        ),
        h(
          'tbody',
          {},
          list.length
            ? list.map((a) =>
                h(
                  'tr',
                  {},
                  h('th', { scope: 'row' }, h('span', { class: 'who', text: a.id }), a.name ? h('span', { class: 'sub', text: a.name }) : null),
                  h('td', {}, sparkline(app, r, a.id)),
                  h('td', { class: 'num', text: formatHealth(a.from_health, lang), attrs: { title: formatExact(a.from_score, lang) } }),
                  h('td', { class: 'num', text: formatHealth(a.to_health, lang), attrs: { title: formatExact(a.to_score, lang) } }),
                  h('td', { class: 'num change', text: formatFixed(a.change, lang, 1, { sign: true }) }),
                  h('td', { text: `${bandName(r, a.from_band, t)} → ${bandName(r, a.to_band, t)}` }),
                ),
              )
            : h('tr', {}, h('td', { colSpan: 6, class: 'note', text: t('trend.noneListed') })),
        ),
      ),
    );
  return h(
    'div',
    {},
    h('h3', { text: t('trend.moversTitle') }),
    pick,
    h('p', { text: t('trend.meanChange', { count: formatInt(mv.scored_both, lang), change: formatFixed(mv.mean_change, lang, 1, { sign: true }) }) }),
    table('drops', mv.drops),
    table('rises', mv.rises),
  );
}

function bandName(r, id, t) {
  if (id === null) return t('results.unscored');
  if (id === 'absent') return t('trend.absent');
  const b = r.bands.find((x) => x.id === id);
  return b ? b.label || b.id : id;
}

/** An account's score at each snapshot as a small inline SVG line (gaps where it is absent or unscored). */
function sparkline(app, r, id) {
  const { state, t } = app;
  const series = (state.history.series && state.history.series[id]) || [];
  const W = 96,
    H = 24,
    k = r.snapshots.length;
  const xAt = (i) => (k > 1 ? 2 + (i * (W - 4)) / (k - 1) : W / 2);
  const yAt = (s) => H - 2 - (s / 100) * (H - 4);
  let d = '';
  let pen = false;
  series.forEach((s, i) => {
    if (s === null) {
      pen = false;
      return;
    }
    d += `${pen ? 'L' : 'M'}${xAt(i).toFixed(1)} ${yAt(s).toFixed(1)}`;
    pen = true;
  });
  const text = series.map((s, i) => `${day(r.snapshots[i].date, state.lang)} ${s === null ? '—' : formatExact(s, state.lang)}`).join(', ');
  const svg = h('svg', {
    attrs: {
      viewBox: `0 0 ${W} ${H}`,
      width: W,
      height: H,
      class: 'sparkline',
      role: 'img',
      'aria-label': t('trend.seriesOf', { id, series: text }),
    },
  });
  // The first band's upper cut point as a faint line: below it the account is at risk.
  const red = state.model && state.model.bands[0] && Number.isFinite(state.model.bands[0].max) ? state.model.bands[0].max : null;
  if (red !== null) svg.append(h('line', { attrs: { x1: 0, x2: W, y1: yAt(red), y2: yAt(red), class: 'cut' } }));
  svg.append(h('path', { attrs: { d, class: 'line' } }));
  const last = series.length - 1;
  if (last >= 0 && series[last] !== null)
    svg.append(h('rect', { attrs: { x: xAt(last) - 2, y: yAt(series[last]) - 2, width: 4, height: 4, class: 'dot' } }));
  return svg;
}

/**
 * One account's score over the snapshots as a line chart over its bands' zones (the account's
 * segment at its latest snapshot decides the cut points), with the dates below; for assistive
 * tools a title and a description that reads every value (`s`: the engine's `trendAccount`).
 */
export function accountChart(app, account, s) {
  const { state, t } = app;
  const lang = state.lang;
  const m = state.model;
  const W = 360,
    H = 150,
    left = 28,
    right = 12,
    top = 8,
    bottom = 22;
  let g = -1;
  if (s.segments)
    for (let i = s.bands.length - 1; i >= 0; i--)
      if (s.bands[i] !== -2) {
        g = s.segments[i];
        break;
      }
  const bands = effectiveBands(m, g);
  const days = s.dates.map((d) => daysOfIso(d));
  const d0 = days[0],
    d1 = days[days.length - 1];
  const xAt = (i) => (d1 > d0 ? left + ((days[i] - d0) / (d1 - d0)) * (W - left - right) : (left + W - right) / 2);
  const yAt = (v) => top + (1 - v / 100) * (H - top - bottom);
  const titleId = `${account.replace(/[^\w-]/g, '_')}-chart-title`;
  const descId = `${account.replace(/[^\w-]/g, '_')}-chart-desc`;
  const bandOf = (b) => (b === -2 ? t('trend.absent') : b < 0 ? t('results.unscored') : (bands[b] && (bands[b].label || bands[b].id)) || '?');
  const values = s.dates
    .map((d, i) => `${day(d, lang)} ${s.scores[i] === null ? '—' : formatExact(s.scores[i], lang)} (${bandOf(s.bands[i])})`)
    .join(', ');
  const svg = h(
    'svg',
    {
      attrs: {
        viewBox: `0 0 ${W} ${H}`,
        class: 'score-chart',
        id: 'breakdown-chart',
        role: 'img',
        'aria-labelledby': `${titleId} ${descId}`,
      },
    },
    h('title', { id: titleId, text: t('breakdown.historyTitle') }),
    h('desc', { id: descId, text: t('breakdown.historyDesc', { account, series: values }) }),
  );
  // The band zones: from the band below's cut point to this band's, in the band's colour.
  let lo = 0;
  bands.forEach((b, i) => {
    const hi = Math.min(100, Number(b.max));
    svg.append(
      h('rect', {
        attrs: {
          x: left,
          width: W - left - right,
          y: yAt(hi),
          height: Math.max(0, yAt(lo) - yAt(hi)),
          fill: bandColor(b),
          class: 'zone',
          'data-band': b.id,
        },
      }),
    );
    if (i < bands.length - 1)
      svg.append(h('text', { attrs: { x: left - 4, y: yAt(hi) + 3, class: 'tick', 'text-anchor': 'end' }, text: formatInt(hi, lang) }));
    lo = hi;
  });
  let d = '';
  let pen = false;
  s.scores.forEach((v, i) => {
    if (v === null) {
      pen = false;
      return;
    }
    d += `${pen ? 'L' : 'M'}${xAt(i).toFixed(1)} ${yAt(v).toFixed(1)}`;
    pen = true;
  });
  svg.append(h('path', { attrs: { d, class: 'line' } }));
  s.scores.forEach((v, i) => {
    if (v !== null) svg.append(h('circle', { attrs: { cx: xAt(i).toFixed(1), cy: yAt(v).toFixed(1), r: 3, class: 'dot', 'data-snapshot': i } }));
  });
  // Dates: every one when they fit, else the first and the last.
  const every = s.dates.length <= 4;
  s.dates.forEach((iso, i) => {
    if (!every && i > 0 && i < s.dates.length - 1) return;
    const anchor = s.dates.length === 1 ? 'middle' : i === 0 ? 'start' : i === s.dates.length - 1 ? 'end' : 'middle';
    svg.append(h('text', { attrs: { x: xAt(i).toFixed(1), y: H - 6, class: 'date', 'text-anchor': anchor }, text: day(iso, lang) }));
  });
  return svg;
}

function lagged(app, r) {
  const { state, t } = app;
  const lang = state.lang;
  const lags = r.lagged.lags;
  const first = lags[0].validation;
  const what =
    r.lagged.outcome === 'outcome'
      ? t('trend.lagOutcome', { column: first.outcome.column, date: day(lags[0].outcome_at, lang) })
      : t('trend.lagDisappeared', { date: day(lags[0].outcome_at, lang) });
  const rows = lags.map((l) => {
    const v = l.validation;
    const a = v.health;
    return h(
      'tr',
      { attrs: { 'data-lag': l.lag }, class: a.wrong_direction ? 'wrong' : undefined },
      h('th', { scope: 'row', text: t('trend.lagN', { n: formatInt(l.lag, lang) }) }),
      h('td', { text: day(l.scored, lang) }),
      h('td', { class: 'num auc', text: formatFixed(a.auc, lang, AUC_DIGITS) }),
      h('td', {
        class: 'num ci',
        text: Number.isFinite(a.lo) ? `${formatFixed(a.lo, lang, AUC_DIGITS)}–${formatFixed(a.hi, lang, AUC_DIGITS)}` : '—',
      }),
      h('td', { class: 'num', text: formatInt(a.good, lang) }),
      h('td', { class: 'num', text: formatInt(a.bad, lang) }),
      h('td', { class: 'num', text: formatFixed(v.base_rate_pct, lang, PCT_DIGITS) }),
      v.bands.map((b) => h('td', { class: 'num', text: formatFixed(b.rate_pct, lang, PCT_DIGITS) })),
      a.warning_message ? h('td', { class: 'flag', text: renderMessage(a.warning_message, lang) }) : h('td'),
    );
  });
  return h(
    'div',
    {},
    h('h3', { text: t('trend.lagTitle') }),
    h('p', { text: what }),
    h(
      'div',
      { class: 'wide' },
      h(
        'table',
        { class: 'history-lagged', id: 'history-lagged', attrs: { 'aria-label': t('trend.lagTitle') } },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'col', text: t('trend.col.lag') }),
            h('th', { scope: 'col', text: t('trend.col.scored') }),
            h('th', { scope: 'col', class: 'num', text: 'AUC' }),
            h('th', { scope: 'col', class: 'num', text: t('trend.col.ci') }),
            h('th', { scope: 'col', class: 'num', text: t('trend.col.good') }),
            h('th', { scope: 'col', class: 'num', text: t('trend.col.bad') }),
            h('th', { scope: 'col', class: 'num', text: t('trend.col.base') }),
            r.bands.map((b) => h('th', { scope: 'col', class: 'num', text: t('trend.col.rate', { band: b.label || b.id }) })),
            h('th', { scope: 'col', text: '' }),
          ),
        ),
        h('tbody', {}, rows),
      ),
    ),
    h('p', { class: 'hint', text: t('trend.lagHint') }),
  );
}

/**
 * The category weights fitted on the earlier snapshots (each scored against the next) and checked
 * on the last two: current against suggested, AUC and interval, the engine's verdict, and "Try
 * these weights" (a new scenario, as in Evidence). The fit runs only when asked.
 */
function suggestion(app, r) {
  const { state, t } = app;
  const hs = state.history;
  const lang = state.lang;
  const sw = r.suggested_weights;
  const parts = [h('h3', { text: t('trend.suggestTitle') })];
  if (!sw) {
    parts.push(
      h('p', { class: 'note', text: t('trend.suggestIntro') }),
      h('button', {
        type: 'button',
        class: 'secondary',
        id: 'history-fit',
        text: t('trend.suggestButton'),
        disabled: !!hs.running,
        on: { click: () => app.history.fitWeights() },
      }),
    );
    return h('div', { id: 'history-suggestion' }, parts);
  }
  if (sw.problem_message) {
    parts.push(h('p', { class: 'note', id: 'history-suggest-problem', text: renderMessage(sw.problem_message, lang) }));
    return h('div', { id: 'history-suggestion' }, parts);
  }
  const n = r.snapshots.length;
  parts.push(
    h('p', {
      id: 'history-suggest-span',
      text: t(sw.outcome === 'outcome' ? 'trend.suggestSpanOutcome' : 'trend.suggestSpan', {
        k: formatInt(n - 1, lang),
        n: formatInt(n, lang),
        from: day(sw.fitted_on.first, lang),
        to: day(sw.fitted_on.last, lang),
        train: formatInt(sw.train_rows, lang),
        test: formatInt(sw.test_rows, lang),
        scored: day(sw.checked_on.scored, lang),
        at: day(sw.checked_on.outcome_at, lang),
      }),
    }),
  );
  parts.push(
    h(
      'div',
      { class: 'wide' },
      h(
        'table',
        { class: 'suggested', id: 'history-weights' },
        h('caption', { text: t('evidence.suggestedTable') }),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            [t('evidence.col.category'), t('evidence.col.current'), t('evidence.col.suggested')].map((x, i) =>
              h('th', { scope: 'col', class: i ? 'num' : undefined, text: x }),
            ),
          ),
        ),
        h(
          'tbody',
          {},
          sw.categories.map((c) =>
            h(
              'tr',
              {},
              h('th', { scope: 'row', text: c.label }),
              h('td', { class: 'num', text: formatFixed(c.current, lang, 1) }),
              h('td', { class: 'num', text: formatFixed(c.suggested, lang, 0) }),
            ),
          ),
        ),
      ),
    ),
  );
  const aucRow = (which, label, a) =>
    h(
      'tr',
      { attrs: { 'data-weights': which } },
      h('th', { scope: 'row', text: label }),
      h('td', { class: 'num auc', text: formatFixed(a.auc, lang, AUC_DIGITS) }),
      h('td', {
        class: 'num ci',
        text: Number.isFinite(a.lo) ? `${formatFixed(a.lo, lang, AUC_DIGITS)}–${formatFixed(a.hi, lang, AUC_DIGITS)}` : '—',
      }),
    );
  parts.push(
    h(
      'div',
      { class: 'wide' },
      h(
        'table',
        { class: 'history-suggest-auc', id: 'history-suggest-auc' },
        h('caption', { text: t('trend.suggestAucTitle', { scored: day(sw.checked_on.scored, lang), at: day(sw.checked_on.outcome_at, lang) }) }),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'col', text: t('trend.col.weights') }),
            h('th', { scope: 'col', class: 'num', text: 'AUC' }),
            h('th', { scope: 'col', class: 'num', text: t('trend.col.ci') }),
          ),
        ),
        h(
          'tbody',
          {},
          aucRow('current', t('evidence.col.current'), sw.test_current),
          aucRow('suggested', t('evidence.col.suggested'), sw.test_suggested),
        ),
      ),
    ),
    h('p', {
      id: 'history-suggest-gain',
      text: t('trend.suggestGain', {
        train: formatFixed(sw.train_auc_current, lang, AUC_DIGITS),
        trained: formatFixed(sw.train_auc_suggested, lang, AUC_DIGITS),
        gain: formatFixed(sw.test_gain, lang, AUC_DIGITS, { sign: true }),
        lo: formatFixed(sw.test_gain_lo, lang, AUC_DIGITS, { sign: true }),
        hi: formatFixed(sw.test_gain_hi, lang, AUC_DIGITS, { sign: true }),
      }),
    }),
    h('p', {
      id: 'history-suggest-verdict',
      class: sw.reliable ? 'verdict good' : 'verdict',
      text: sw.verdict_message ? renderMessage(sw.verdict_message, lang) : sw.verdict,
    }),
  );
  for (const w of sw.warning_messages || []) parts.push(h('p', { class: 'warn', text: renderMessage(w, lang) }));
  const same = sw.categories.every((c) => Math.abs(c.current - c.suggested) < 1e-9);
  const row = h('div', { class: 'row' });
  if (!same) row.append(h('button', { type: 'button', text: t('evidence.try'), on: { click: () => app.history.trySuggestedWeights() } }));
  if (hs.tried)
    row.append(h('button', { type: 'button', class: 'secondary', text: t('evidence.back'), on: { click: () => app.history.backToMyWeights() } }));
  if (row.childNodes.length) parts.push(row);
  if (hs.tried)
    parts.push(h('p', { class: 'note', id: 'history-tried' }, t('evidence.trying') + ' ', h('a', { href: '#scenarios', text: t('step.scenarios') })));
  return h('div', { id: 'history-suggestion' }, parts);
}

function exports(app) {
  const { state, t } = app;
  const select = h(
    'select',
    { id: 'history-convention' },
    [
      ['standard', 'share.csv.standard'],
      ['excel', 'share.csv.excel'],
      ['excel-es', 'share.csv.excelEs'],
    ].map(([v, k]) => h('option', { value: v, text: t(k), selected: v === defaultConvention(state.lang) })),
  );
  return h(
    'div',
    { class: 'share-tools history-exports' },
    field(t('share.csvFor'), select),
    h('button', { type: 'button', text: t('trend.exportSeries'), on: { click: () => app.history.exportCsv('series', select.value) } }),
    h('button', {
      type: 'button',
      class: 'secondary',
      text: t('trend.exportMovers'),
      on: { click: () => app.history.exportCsv('movers', select.value) },
    }),
  );
}
