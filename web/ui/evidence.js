// SPDX-License-Identifier: MIT
// Step 7, Evidence: does the score separate the model's outcome (AUC with 95% intervals, the ROC
// curve, outcome rate and lift per band with the pass marks, suggested weights checked on held-out
// accounts, band sensitivity), and how scores moved since an earlier file of the same accounts.
// Every figure is the engine's JSON value (already rounded as the command line prints it), printed
// with the command line's number of decimals in the interface language's decimal mark.
import { h, fill, field } from './dom.js';
import { columnPicker } from './columns.js';
import { bandBadge, bandIcon } from './bands.js';
import { formatInt, formatFixed } from '../lib/format.js';
import { failureText, renderMessage } from '../lib/messages.js';
import { segmentIndex } from '../lib/segments.js';
import { shownPicker } from './segments.js';

/** The engine's coded messages in `lang` (its English texts when an answer has no codes). */
function engineTexts(coded, english, lang) {
  return coded ? coded.map((m) => renderMessage(m, lang)) : english || [];
}

/** Decimals the command line prints (core/src/evidence.cpp: auc, pct, lift, score digits). */
export const DIGITS = { auc: 3, pct: 1, lift: 2, score: 1, weight: 1 };
const LIST_LIMIT = 50;

/** A table that scrolls sideways inside its card on a narrow screen. */
const wide = (table) => h('div', { class: 'wide' }, table);

/** A percentage figure (already ×100 and rounded by the engine) with the language's % spacing. */
function pct(x, lang) {
  const s = formatFixed(x, lang, DIGITS.pct);
  return s === '—' ? s : lang === 'es' ? `${s} %` : `${s}%`; // Spanish spaces the sign; English and Brazilian Portuguese do not
}

export function render(app) {
  const { state, t } = app;
  const body = document.getElementById('evidence-body');
  if (!body) return;
  const m = state.model;
  if (!state.file || !m) {
    fill(body, h('p', { class: 'note', text: t('evidence.noFile') }));
    return;
  }
  const ev = state.evidence;
  // Re-rendering must not throw the keyboard user out: focus returns to the control with the same id.
  const focused = body.contains(document.activeElement) ? document.activeElement.id : '';
  const parts = [h('p', { class: 'note', text: t('evidence.intro') })];
  parts.push(outcomeEditor(app));
  if (m.outcome) {
    if (ev.error)
      parts.push(h('p', { class: 'warn', id: 'evidence-error', text: t('evidence.failed', { message: failureText(ev.error, state.lang) }) }));
    else if (!ev.validation) parts.push(h('p', { class: 'note', text: t('evidence.computing') }));
    else parts.push(validationView(app, ev.validation));
  }
  parts.push(trackView(app));
  fill(body, parts);
  if (focused) document.getElementById(focused)?.focus();
}

// ---- the outcome: column, positive values, good/bad ---------------------------------------------

function outcomeEditor(app) {
  const { state, t } = app;
  const m = state.model;
  const o = m.outcome;
  const draft = state.evidence.draft || (state.evidence.draft = draftFrom(o));
  const columns = state.file.info.columns.map((c) => c.name);
  const pick = (e) => {
    draft.column = e.target.value;
    draft.positive = [];
    draft.values = null;
    render(app);
    loadValues(app);
  };
  const select = columnPicker(app, columns, draft.column, { none: t('evidence.pickColumn'), id: 'outcome-column', onChange: pick });
  const values = h('fieldset', { class: 'outcome-values' }, h('legend', { text: t('evidence.positiveValues') }));
  if (draft.column && !draft.values) loadValues(app);
  if (draft.values) {
    if (!draft.values.length) values.append(h('p', { class: 'note', text: t('evidence.noValues') }));
    for (const [i, { value, count }] of draft.values.entries()) {
      const id = `outcome-positive-${i}`;
      const box = h('input', {
        type: 'checkbox',
        id,
        checked: draft.positive.some((p) => p.trim().toLowerCase() === value.trim().toLowerCase()),
        on: {
          change: (e) => {
            draft.positive = e.target.checked
              ? [...draft.positive, value]
              : draft.positive.filter((p) => p.trim().toLowerCase() !== value.trim().toLowerCase());
          },
        },
      });
      values.append(
        h('label', { class: 'check', htmlFor: id }, box, ` ${value} `, h('span', { class: 'note', text: `(${formatInt(count, state.lang)})` })),
      );
    }
  }
  const goodId = 'outcome-good';
  const good = h('input', {
    type: 'checkbox',
    id: goodId,
    checked: draft.good,
    on: {
      change: (e) => {
        draft.good = e.target.checked;
      },
    },
  });
  const apply = h('button', {
    type: 'button',
    id: 'outcome-apply',
    text: t(o ? 'evidence.applyOutcome' : 'evidence.useOutcome'),
    on: {
      click: () => {
        if (!draft.column || !draft.positive.length) {
          app.setStatus(t('evidence.needOutcome'));
          return;
        }
        app.evidence.setOutcome({ column: draft.column, positive: [...draft.positive], good: draft.good });
      },
    },
  });
  const editor = h(
    'div',
    { class: 'outcome-editor' },
    field(t('evidence.outcomeColumn'), select),
    draft.column ? values : null,
    h('label', { class: 'check', htmlFor: goodId }, good, ' ' + t('evidence.good')),
    h(
      'div',
      { class: 'row' },
      apply,
      o
        ? h('button', { type: 'button', class: 'secondary', text: t('evidence.removeOutcome'), on: { click: () => app.evidence.setOutcome(null) } })
        : null,
    ),
  );
  if (!o) return h('div', {}, h('p', { text: t('evidence.noOutcome') }), editor);
  const summary = t(o.good ? 'evidence.outcomeGood' : 'evidence.outcomeBad', {
    column: o.column,
    positive: (o.positive || ['yes', 'true', '1']).join(', '),
  });
  return h(
    'div',
    {},
    h('p', { id: 'evidence-outcome', text: summary }),
    h(
      'details',
      {
        class: 'outcome-details',
        open: !!state.evidence.editing,
        on: {
          toggle: (e) => {
            state.evidence.editing = e.target.open;
          },
        },
      },
      h('summary', { text: t('evidence.changeOutcome') }),
      editor,
    ),
  );
}

function draftFrom(o) {
  return { column: o ? o.column : '', positive: o ? [...(o.positive || ['yes', 'true', '1'])] : [], good: !!(o && o.good === true), values: null };
}

async function loadValues(app) {
  const draft = app.state.evidence.draft;
  if (!draft || !draft.column || draft.loading === draft.column) return;
  const index = app.columnIndex(draft.column);
  if (index < 0) {
    draft.values = [];
    return;
  }
  draft.loading = draft.column;
  const r = await app.distinct(index, 30);
  draft.loading = null;
  if (app.state.evidence.draft !== draft) return;
  draft.values = r.ok ? r.values : [];
  render(app);
}

// ---- validation -------------------------------------------------------------------------------

function validationView(app, v) {
  const { state, t } = app;
  const lang = state.lang;
  const a = v.accounts;
  const out = [shownPicker(app, 'evidence-segment')];
  if (state.model.segments && state.segmentView !== null && state.segmentView !== undefined) {
    out.push(segmentView(app, v));
    return h('div', { class: 'evidence' }, out);
  }
  out.push(
    h('p', {
      id: 'evidence-accounts',
      text: t('evidence.accounts', {
        rows: formatInt(a.rows, lang),
        scored: formatInt(a.scored, lang),
        known: formatInt(a.known, lang),
        positive: formatInt(a.positive, lang),
        negative: formatInt(a.negative, lang),
        unknown: formatInt(a.unknown, lang),
        base: formatFixed(v.base_rate_pct, lang, DIGITS.pct),
      }),
    }),
  );
  out.push(h('p', { class: 'note', text: t('evidence.aucMeans') }));

  // Headline: the health score's AUC.
  const hs = v.health;
  out.push(
    h(
      'p',
      { class: 'headline' },
      t('evidence.healthAuc') + ' ',
      h('strong', { id: 'evidence-health-auc', text: formatFixed(hs.auc, lang, DIGITS.auc) }),
      ' ',
      h('span', {
        id: 'evidence-health-ci',
        text: t('evidence.ci', { lo: formatFixed(hs.lo, lang, DIGITS.auc), hi: formatFixed(hs.hi, lang, DIGITS.auc) }),
      }),
    ),
  );

  for (const w of engineTexts(v.warning_messages, v.warnings, lang)) out.push(h('p', { class: 'warn', text: '⚠ ' + w }));

  out.push(h('div', { class: 'evidence-grid' }, aucTable(app, v), rocChart(app, v)));
  out.push(bandTable(app, v));
  out.push(suggestionView(app));
  out.push(sensitivityView(app));
  return h('div', { class: 'evidence' }, out);
}

/** One segment's validation (the engine's per-segment part): its AUC and band rates on its cut points. */
function segmentView(app, v) {
  const { state, t } = app;
  const lang = state.lang;
  const k = segmentIndex(v.segments, state.segmentView);
  if (k < 0) return h('p', { class: 'note', id: 'evidence-segment-none', text: t('evidence.segmentNone') });
  const sv = v.segments[k];
  const a = sv.accounts;
  const hs = sv.health;
  return h(
    'div',
    { id: 'evidence-segment-view', attrs: { 'data-segment': sv.id || '' } },
    h('p', {
      id: 'evidence-accounts',
      text: t('evidence.segmentOf', {
        segment: sv.label,
        rows: formatInt(a.rows, lang),
        scored: formatInt(a.scored, lang),
        known: formatInt(a.known, lang),
        positive: formatInt(a.positive, lang),
        base: formatFixed(sv.base_rate_pct, lang, DIGITS.pct),
      }),
    }),
    h('p', { class: 'note', text: t('evidence.segmentNote') }),
    h(
      'p',
      { class: 'headline' },
      t('evidence.healthAuc') + ' ',
      h('strong', { id: 'evidence-health-auc', text: formatFixed(hs.auc, lang, DIGITS.auc) }),
      ' ',
      h('span', {
        id: 'evidence-health-ci',
        text: t('evidence.ci', { lo: formatFixed(hs.lo, lang, DIGITS.auc), hi: formatFixed(hs.hi, lang, DIGITS.auc) }),
      }),
    ),
    bandTable(app, { ...v, bands: sv.bands, checks: [], base_rate_pct: sv.base_rate_pct }),
  );
}

function aucTable(app, v) {
  const { t, state } = app;
  const lang = state.lang;
  const row = (d, depth) => {
    const name = d.kind === 'health' ? t('evidence.healthScore') : d.label;
    const weight =
      d.kind === 'category'
        ? t('evidence.weightOf', { weight: formatFixed(d.weight, lang, 0) })
        : d.kind === 'signal'
          ? `(${formatNumberPlain(d.weight, lang)})`
          : '';
    const flag = d.wrong_direction
      ? h('span', {
          class: 'flag',
          title: d.warning_message ? renderMessage(d.warning_message, lang) : d.warning || '',
          text: ' ⚠ ' + t('evidence.wrongWay'),
        })
      : null;
    return h(
      'tr',
      { class: d.wrong_direction ? `depth-${depth} wrong` : `depth-${depth}` },
      h('th', { scope: 'row' }, name, weight ? h('span', { class: 'note', text: ' ' + weight }) : null, flag),
      h('td', { class: 'num', text: formatFixed(d.auc, lang, DIGITS.auc) }),
      h('td', { class: 'num', text: Number.isFinite(d.lo) ? `${formatFixed(d.lo, lang, DIGITS.auc)}–${formatFixed(d.hi, lang, DIGITS.auc)}` : '—' }),
      h('td', { class: 'num', text: formatInt(d.good, lang) }),
      h('td', { class: 'num', text: formatInt(d.bad, lang) }),
      h('td', { class: 'num', text: formatInt(d.left_out, lang) }),
    );
  };
  const rows = [row(v.health, 0)];
  for (const c of v.categories) {
    rows.push(row(c, 1));
    for (const s of v.signals.filter((x) => x.id.startsWith(c.id + '/'))) rows.push(row(s, 2));
  }
  const flagged = [...v.categories, ...v.signals].filter((d) => d.wrong_direction);
  return h(
    'div',
    { class: 'wide' },
    h(
      'table',
      { class: 'auc', id: 'evidence-auc' },
      h('caption', { text: t('evidence.aucTable') }),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          [t('evidence.col.what'), 'AUC', t('evidence.col.ci'), t('evidence.col.good'), t('evidence.col.bad'), t('evidence.col.leftOut')].map((x) =>
            h('th', { scope: 'col', text: x }),
          ),
        ),
      ),
      h('tbody', {}, rows),
    ),
    flagged.length
      ? h(
          'div',
          { id: 'evidence-flags' },
          h('h3', { text: t('evidence.flagged') }),
          h(
            'ul',
            {},
            flagged.map((d) =>
              h('li', {}, h('strong', { text: d.label + ': ' }), d.warning_message ? renderMessage(d.warning_message, lang) : d.warning || ''),
            ),
          ),
        )
      : null,
  );
}

function formatNumberPlain(x, lang) {
  return Number.isInteger(x) ? formatFixed(x, lang, 0) : String(x).replace('.', lang === 'en' ? '.' : ',');
}

const SVG = 'http://www.w3.org/2000/svg';
const PALETTE = ['#1f5f8b', '#c2410c', '#2e7d32', '#7b1fa2', '#8d6e00', '#455a64', '#ad1457', '#00695c'];

function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  for (const c of children) if (c) el.append(c);
  return el;
}

/** The ROC curves of the health score and each category: inline SVG, no library. */
function rocChart(app, v) {
  const { t } = app;
  const size = 280;
  const pad = 34;
  const inner = size - pad - 10;
  const x = (f) => pad + f * inner;
  const y = (f) => 10 + (1 - f) * inner;
  const curves = [
    { label: t('evidence.healthScore'), roc: v.health.roc || [], width: 3, color: PALETTE[0] },
    ...v.categories
      .filter((c) => c.roc && c.roc.length)
      .map((c, i) => ({ label: c.label, roc: c.roc, width: 1.4, color: PALETTE[(i + 1) % PALETTE.length], dash: '4 3' })),
  ];
  const chart = svg('svg', {
    viewBox: `0 0 ${size} ${size}`,
    width: size,
    height: size,
    role: 'img',
    'aria-labelledby': 'roc-title',
    id: 'evidence-roc',
  });
  const title = svg('title', { id: 'roc-title' });
  title.textContent = t('evidence.rocTitle', { auc: formatFixed(v.health.auc, app.state.lang, DIGITS.auc) });
  chart.append(title);
  chart.append(svg('rect', { x: pad, y: 10, width: inner, height: inner, fill: '#fff', stroke: '#d0d6de' }));
  for (const f of [0.25, 0.5, 0.75]) {
    chart.append(svg('line', { x1: x(f), y1: y(0), x2: x(f), y2: y(1), stroke: '#eef1f4' }));
    chart.append(svg('line', { x1: x(0), y1: y(f), x2: x(1), y2: y(f), stroke: '#eef1f4' }));
  }
  chart.append(svg('line', { x1: x(0), y1: y(0), x2: x(1), y2: y(1), stroke: '#8a94a0', 'stroke-dasharray': '3 3' }));
  for (const c of curves.slice().reverse()) {
    if (!c.roc.length) continue;
    const d = c.roc.map(([b, g], i) => `${i ? 'L' : 'M'}${x(b).toFixed(1)} ${y(g).toFixed(1)}`).join('');
    const attrs = { d, fill: 'none', stroke: c.color, 'stroke-width': c.width, 'stroke-linejoin': 'round' };
    if (c.dash) attrs['stroke-dasharray'] = c.dash;
    const p = svg('path', attrs);
    p.dataset.label = c.label;
    chart.append(p);
  }
  const axis = (text, attrs) => {
    const el = svg('text', { 'font-size': 11, fill: '#4a5460', ...attrs });
    el.textContent = text;
    return el;
  };
  chart.append(axis(t('evidence.rocX'), { x: x(0.5), y: size - 2, 'text-anchor': 'middle' }));
  chart.append(axis(t('evidence.rocY'), { x: 11, y: y(0.5), 'text-anchor': 'middle', transform: `rotate(-90 11 ${y(0.5)})` }));
  chart.append(axis('0', { x: x(0) - 3, y: y(0) + 12, 'text-anchor': 'end' }));
  chart.append(axis('1', { x: x(1), y: y(0) + 12, 'text-anchor': 'middle' }));
  chart.append(axis('1', { x: x(0) - 4, y: y(1) + 4, 'text-anchor': 'end' }));
  const legend = h(
    'ul',
    { class: 'legend' },
    curves.map((c) => {
      const sw = h('span', { class: c.dash ? 'line dashed' : 'line', attrs: { 'aria-hidden': 'true' } });
      sw.style.borderColor = c.color;
      return h('li', {}, sw, c.label);
    }),
  );
  return h('figure', { class: 'roc' }, chart, h('figcaption', {}, h('span', { class: 'note', text: t('evidence.rocCaption') }), legend));
}

function bandTable(app, v) {
  const { t, state } = app;
  const lang = state.lang;
  const m = state.model;
  const checks = Object.fromEntries((v.checks || []).map((c) => [c.id, c]));
  const last = v.bands.length - 1;
  const mark = (c) => {
    if (!c) return '';
    if (!c.applicable) return t('evidence.check.na');
    const value = c.id === 'green_share' ? pct(c.value, lang) : `${formatFixed(c.value, lang, DIGITS.lift)}×`;
    const want =
      c.id === 'green_share'
        ? t('evidence.check.greenWant', { threshold: formatFixed(c.threshold, lang, 0) })
        : t('evidence.check.redWant', { threshold: formatFixed(c.threshold, lang, 0) });
    return h(
      'span',
      { class: c.pass ? 'pass' : 'fail' },
      h('span', { attrs: { 'aria-hidden': 'true' }, text: c.pass ? '✔ ' : '✘ ' }),
      `${t(c.pass ? 'evidence.pass' : 'evidence.fail')}: ${value} (${want})`,
    );
  };
  const bandIndex = (id) => m.bands.findIndex((b) => b.id === id);
  const rows = v.bands.map((b, i) =>
    h(
      'tr',
      {},
      h(
        'th',
        { scope: 'row' },
        bandIndex(b.id) >= 0 ? bandBadge(m, bandIndex(b.id)) : h('span', { text: `${bandIcon(i, v.bands.length)} ${b.label}` }),
      ),
      h('td', { class: 'num', text: formatInt(b.accounts, lang) }),
      h('td', { class: 'num', text: pct(b.share_pct, lang) }),
      h('td', { class: 'num', text: formatInt(b.known, lang) }),
      h('td', { class: 'num', text: formatInt(b.positive, lang) }),
      h('td', { class: 'num', text: b.rate_pct === null || b.rate_pct === undefined ? '—' : pct(b.rate_pct, lang) }),
      h('td', { class: 'num', text: b.lift === null || b.lift === undefined ? '—' : `${formatFixed(b.lift, lang, DIGITS.lift)}×` }),
      h('td', {}, i === 0 ? mark(checks.red_rate) : i === last ? mark(checks.green_share) : ''),
    ),
  );
  return h(
    'div',
    {},
    h(
      'div',
      { class: 'wide' },
      h(
        'table',
        { class: 'bands-outcome', id: 'evidence-bands' },
        h('caption', { text: t('evidence.bandTable', { column: v.outcome.column, base: formatFixed(v.base_rate_pct, lang, DIGITS.pct) }) }),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            [
              t('evidence.col.band'),
              t('evidence.col.accounts'),
              t('evidence.col.share'),
              t('evidence.col.known'),
              t('evidence.col.positive'),
              t('evidence.col.rate'),
              t('evidence.col.lift'),
              t('evidence.col.passMark'),
            ].map((x) => h('th', { scope: 'col', text: x })),
          ),
        ),
        h('tbody', {}, rows),
      ),
    ),
    h(
      'ul',
      { class: 'checks' },
      (v.checks || []).map((c) =>
        h(
          'li',
          { class: c.pass ? 'pass' : 'fail' },
          h('span', { attrs: { 'aria-hidden': 'true' }, text: !c.applicable ? '○ ' : c.pass ? '✔ ' : '✘ ' }),
          `[${t(!c.applicable ? 'evidence.check.naShort' : c.pass ? 'evidence.pass' : 'evidence.fail')}] ${checkText(app, c, v)}`,
        ),
      ),
    ),
  );
}

/** A pass mark in the interface language (English: the engine's own sentence). */
function checkText(app, c, v) {
  const { t, state } = app;
  const lang = state.lang;
  const value = c.id === 'green_share' ? pct(c.value, lang) : `${formatFixed(c.value, lang, DIGITS.lift)}×`;
  if (c.text_message) return `${renderMessage(c.text_message, lang)}: ${Number.isFinite(c.value) ? value : '—'}`;
  if (lang === 'en') return `${c.text}: ${Number.isFinite(c.value) ? value : '—'}`;
  const low = v.bands[0] ? v.bands[0].label : '';
  const top = v.bands.length ? v.bands[v.bands.length - 1].label : '';
  const text =
    c.id === 'green_share'
      ? t('evidence.check.green', { threshold: formatFixed(c.threshold, lang, 0), band: top })
      : t('evidence.check.red', { column: v.outcome.column, band: low, threshold: formatFixed(c.threshold, lang, 0) });
  return `${text}: ${Number.isFinite(c.value) ? value : '—'}`;
}

function suggestionView(app) {
  const { t, state } = app;
  const lang = state.lang;
  const ev = state.evidence;
  const full = ev.full;
  const parts = [h('h3', { text: t('evidence.suggested') })];
  const stale = full && ev.fullVersion !== ev.version;
  const recompute = h('button', {
    type: 'button',
    class: 'secondary',
    text: t('evidence.recompute'),
    disabled: !!ev.fullRunning,
    on: { click: () => app.evidence.refresh(true) },
  });
  if (!full) {
    parts.push(h('p', { class: 'note', text: t('evidence.suggestPending') }), recompute);
    return h('div', { id: 'evidence-suggestion' }, parts);
  }
  const sw = full.suggested_weights;
  if (stale)
    parts.push(h('p', { class: 'note', id: 'evidence-stale', text: t(app.largeTable() ? 'evidence.staleLarge' : 'evidence.stale') }), recompute);
  if (!sw) {
    parts.push(h('p', { class: 'note', text: t('evidence.noSuggestion') }));
    return h('div', { id: 'evidence-suggestion' }, parts);
  }
  parts.push(
    h('p', { class: 'note', text: t('evidence.suggestedIntro', { train: formatInt(sw.train_rows, lang), test: formatInt(sw.test_rows, lang) }) }),
  );
  parts.push(
    wide(
      h(
        'table',
        { class: 'suggested', id: 'evidence-weights' },
        h('caption', { text: t('evidence.suggestedTable') }),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            [t('evidence.col.category'), t('evidence.col.current'), t('evidence.col.suggested')].map((x) => h('th', { scope: 'col', text: x })),
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
              h('td', { class: 'num', text: formatFixed(c.current, lang, DIGITS.weight) }),
              h('td', { class: 'num', text: formatFixed(c.suggested, lang, 0) }),
            ),
          ),
        ),
      ),
    ),
  );
  parts.push(
    h('p', {
      id: 'evidence-train',
      text: t('evidence.trainAuc', {
        from: formatFixed(sw.train_auc_current, lang, DIGITS.auc),
        to: formatFixed(sw.train_auc_suggested, lang, DIGITS.auc),
      }),
    }),
  );
  parts.push(
    h(
      'p',
      { id: 'evidence-heldout' },
      h('strong', {
        text: t('evidence.testAuc', {
          from: formatFixed(sw.test_auc_current, lang, DIGITS.auc),
          to: formatFixed(sw.test_auc_suggested, lang, DIGITS.auc),
          gain: formatFixed(sw.test_gain, lang, DIGITS.auc, { sign: true }),
          lo: formatFixed(sw.test_gain_lo, lang, DIGITS.auc, { sign: true }),
          hi: formatFixed(sw.test_gain_hi, lang, DIGITS.auc, { sign: true }),
        }),
      }),
    ),
  );
  // The engine's verdict, worded in the interface language from its code (as `--lang` words it).
  parts.push(
    h('p', {
      id: 'evidence-verdict',
      class: sw.reliable ? 'verdict good' : 'verdict',
      text: sw.verdict_message ? renderMessage(sw.verdict_message, lang) : sw.verdict,
    }),
  );
  const same = sw.categories.every((c) => Math.abs(c.current - c.suggested) < 1e-9);
  const row = h('div', { class: 'row' });
  if (!same) row.append(h('button', { type: 'button', text: t('evidence.try'), on: { click: () => app.evidence.trySuggestedWeights() } }));
  if (ev.tried)
    row.append(h('button', { type: 'button', class: 'secondary', text: t('evidence.back'), on: { click: () => app.evidence.backToMyWeights() } }));
  if (row.childNodes.length) parts.push(row);
  if (ev.tried)
    parts.push(
      h('p', { class: 'note', id: 'evidence-tried' }, t('evidence.trying') + ' ', h('a', { href: '#scenarios', text: t('step.scenarios') })),
    );
  return h('div', { id: 'evidence-suggestion' }, parts);
}

function sensitivityView(app) {
  const { t, state } = app;
  const lang = state.lang;
  const full = state.evidence.full;
  if (!full || !full.sensitivity || !full.sensitivity.length) return null;
  return wide(
    h(
      'table',
      { class: 'sensitivity', id: 'evidence-sensitivity' },
      h('caption', { text: t('evidence.sensitivity') }),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          [t('evidence.col.category'), t('evidence.col.weight'), t('evidence.col.minus'), t('evidence.col.plus')].map((x) =>
            h('th', { scope: 'col', text: x }),
          ),
        ),
      ),
      h(
        'tbody',
        {},
        full.sensitivity.map((s) =>
          h(
            'tr',
            {},
            h('th', { scope: 'row', text: s.label }),
            h('td', { class: 'num', text: formatFixed(s.weight, lang, 0) }),
            h('td', { class: 'num', text: formatInt(s.changed_minus_10pct, lang) }),
            h('td', { class: 'num', text: formatInt(s.changed_plus_10pct, lang) }),
          ),
        ),
      ),
    ),
  );
}

// ---- track over time --------------------------------------------------------------------------

function trackView(app) {
  const { t, state } = app;
  const ev = state.evidence;
  const lang = state.lang;
  const input = h('input', {
    type: 'file',
    id: 'earlier-file',
    class: 'visually-hidden',
    accept: '.csv,.tsv,.txt,.xlsx,.ods,text/csv,text/tab-separated-values',
    on: {
      change: (e) => {
        const f = e.target.files && e.target.files[0];
        if (f) app.files.openEarlier(f);
        e.target.value = '';
      },
    },
  });
  const parts = [h('h3', { text: t('evidence.track') }), h('p', { class: 'note', text: t('evidence.trackIntro') })];
  if (!state.model.id_column) parts.push(h('p', { class: 'warn', text: t('evidence.needId') }));
  parts.push(
    h('div', { class: 'row' }, h('label', { class: 'button secondary earlier', htmlFor: 'earlier-file' }, t('evidence.loadEarlier'), input)),
  );
  if (ev.earlierLoading) parts.push(h('p', { class: 'note', text: t('load.reading', { name: ev.earlierLoading }) }));
  if (ev.compareError) parts.push(h('p', { class: 'warn', id: 'compare-error', text: failureText(ev.compareError, lang) }));
  const c = ev.comparison;
  if (ev.earlier && c) {
    const a = c.accounts;
    parts.push(
      h('p', {
        id: 'compare-matched',
        text: t('evidence.matched', {
          name: ev.earlier.name,
          column: c.id_column,
          matched: formatInt(a.matched, lang),
          old: formatInt(a.old_rows, lang),
          now: formatInt(a.new_rows, lang),
          onlyOld: formatInt(a.only_old, lang),
          onlyNew: formatInt(a.only_new, lang),
          dup: formatInt(a.duplicate_old + a.duplicate_new, lang),
          empty: formatInt(a.empty_id_old + a.empty_id_new, lang),
        }),
      }),
    );
    parts.push(
      h(
        'p',
        { id: 'compare-mean' },
        h('strong', {
          text: t('evidence.meanChange', {
            scored: formatInt(a.scored_both, lang),
            mean: formatFixed(c.mean_change, lang, DIGITS.score, { sign: true }),
            up: formatInt(c.band_moves.up, lang),
            down: formatInt(c.band_moves.down, lang),
            same: formatInt(c.band_moves.same, lang),
          }),
        }),
      ),
    );
    parts.push(transitions(app, c));
    parts.push(moverTable(app, c, c.movers_up, 'evidence.moversUp', 'compare-up'));
    parts.push(moverTable(app, c, c.movers_down, 'evidence.moversDown', 'compare-down'));
    parts.push(
      h('h4', { text: t('evidence.newlyRed', { band: c.bands.length ? c.bands[0].label : '', count: formatInt(c.newly_red.length, lang) }) }),
    );
    if (c.newly_red.length) {
      parts.push(
        h(
          'ul',
          { id: 'compare-newly-red', class: 'changed' },
          c.newly_red
            .slice(0, LIST_LIMIT)
            .map((x) =>
              h(
                'li',
                {},
                h('strong', { text: x.id }),
                x.name ? ` ${x.name}` : '',
                ': ',
                `${formatFixed(x.old_score, lang, DIGITS.score)} → ${formatFixed(x.new_score, lang, DIGITS.score)}`,
              ),
            ),
        ),
      );
      if (c.newly_red.length > LIST_LIMIT)
        parts.push(h('p', { class: 'note', text: t('scenarios.more', { count: formatInt(c.newly_red.length - LIST_LIMIT, lang) }) }));
    } else parts.push(h('p', { class: 'note', text: t('evidence.noneNewlyRed') }));
    parts.push(
      h(
        'div',
        { class: 'row' },
        h('button', { type: 'button', text: t('evidence.exportComparison'), on: { click: () => app.evidence.exportComparison() } }),
        h('button', { type: 'button', class: 'secondary', text: t('evidence.forgetEarlier'), on: { click: () => app.evidence.forgetEarlier() } }),
      ),
    );
  }
  return h('div', { id: 'evidence-track' }, parts);
}

function transitions(app, c) {
  const { t, state } = app;
  const lang = state.lang;
  const labels = [...c.bands.map((b) => b.label), t('results.unscored')];
  const hasUnscored = c.transitions[labels.length - 1].some((x) => x) || c.transitions.some((r) => r[labels.length - 1]);
  const n = hasUnscored ? labels.length : labels.length - 1;
  return wide(
    h(
      'table',
      { class: 'matrix', id: 'compare-matrix' },
      h('caption', { text: t('evidence.transitions') }),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col', text: t('evidence.fromTo') }),
          labels.slice(0, n).map((l) => h('th', { scope: 'col', text: l })),
        ),
      ),
      h(
        'tbody',
        {},
        c.transitions.slice(0, n).map((row, i) =>
          h(
            'tr',
            {},
            h('th', { scope: 'row', text: labels[i] }),
            row.slice(0, n).map((x, j) => h('td', { class: i === j ? 'diag num' : 'num', text: formatInt(x, lang) })),
          ),
        ),
      ),
    ),
  );
}

function moverTable(app, c, list, key, id) {
  const { t, state } = app;
  const lang = state.lang;
  const label = (bid) => {
    const b = c.bands.find((x) => x.id === bid);
    return b ? b.label : t('results.unscored');
  };
  if (!list.length) return h('p', { class: 'note', id, text: t(key, { count: formatInt(0, lang) }) });
  return wide(
    h(
      'table',
      { class: 'movers', id },
      h('caption', { text: t(key, { count: formatInt(list.length, lang) }) }),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          [
            t('evidence.col.id'),
            t('evidence.col.name'),
            t('evidence.col.old'),
            t('evidence.col.new'),
            t('evidence.col.change'),
            t('evidence.col.bands'),
          ].map((x) => h('th', { scope: 'col', text: x })),
        ),
      ),
      h(
        'tbody',
        {},
        list.map((x) =>
          h(
            'tr',
            {},
            h('th', { scope: 'row', text: x.id }),
            h('td', { text: x.name || '' }),
            h('td', { class: 'num', text: formatFixed(x.old_score, lang, DIGITS.score) }),
            h('td', { class: 'num', text: formatFixed(x.new_score, lang, DIGITS.score) }),
            h('td', { class: 'num', text: formatFixed(x.change, lang, DIGITS.score, { sign: true }) }),
            h('td', { text: `${label(x.old_band)} → ${label(x.new_band)}` }),
          ),
        ),
      ),
    ),
  );
}
