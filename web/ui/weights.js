// SPDX-License-Identifier: MIT
// Step 3, Weights: one slider per category (its accessible name is the category label) and the
// signal weights in an expandable list, each shown as a share of its total. Moving a slider
// re-scores on every `input` event; the controller coalesces moves while the engine is busy.
import { h, fill, nextId } from './dom.js';
import { shares, categoryWeights, signalWeights } from '../lib/weights.js';
import { formatNumber, formatPercent } from '../lib/format.js';
import { effectiveWeights } from '../lib/segments.js';

export function render(app) {
  const { state, t } = app;
  const body = document.getElementById('weights-body');
  const m = state.model;
  if (!m || !m.categories.length) {
    fill(body, h('p', { class: 'note', text: t(m ? 'weights.none' : 'signals.noFile') }));
    return;
  }
  const open = new Set([...body.querySelectorAll('details[open]')].map((d) => d.dataset.category));
  const g = editingGroup(app);
  const cats = g >= 0 ? effectiveWeights(m, g) : m.categories;
  fill(
    body,
    h('p', { class: 'note', text: t('weights.intro') }),
    segmentPicker(app, g),
    cats.map((c, ci) => {
      const main = slider(c.label || c.id, c.weight ?? 1, 100, 1, (w) => app.setCategoryWeight(ci, w), { category: ci });
      if (c.overridden) main.append(overrideMark(app, c.base, c.label || c.id, () => app.resetOverride(ci)));
      if (!(c.signals || []).length) return h('div', { class: 'weight-group' }, main);
      // The signal sliders are made when their list is opened (a category can hold thousands).
      const details = h(
        'details',
        { class: 'signals-weights', attrs: { 'data-category': ci } },
        h('summary', { text: t('weights.signals', { label: c.label || c.id }) }),
      );
      const build = () => {
        if (details.dataset.built) return;
        details.dataset.built = '1';
        details.append(
          ...c.signals.map((s, si) => {
            const el = slider(s.column, s.weight ?? 1, 10, 0.5, (w) => app.setSignalWeight(ci, si, w), { category: ci, signal: si, sub: true });
            if (s.overridden) el.append(overrideMark(app, s.base, s.column, () => app.resetOverride(ci, si)));
            return el;
          }),
        );
        update(app);
      };
      details.addEventListener('toggle', () => {
        if (details.open) build();
      });
      if (open.has(String(ci))) {
        build();
        details.open = true;
      }
      return h('div', { class: 'weight-group' }, main, details);
    }),
  );
  update(app);
}

function slider(label, value, max, step, onInput, { category, signal, sub = false }) {
  const id = nextId('w');
  const input = h('input', {
    type: 'range',
    id,
    min: 0,
    max: Math.max(max, Math.ceil(Number(value) || 0)),
    step,
    value,
    on: { input: (e) => onInput(Number(e.target.value)) },
  });
  input.dataset.category = category;
  if (signal !== undefined) input.dataset.signal = signal;
  const out = h('output', { htmlFor: id });
  out.dataset.category = category;
  if (signal !== undefined) out.dataset.signal = signal;
  return h('div', { class: sub ? 'slider sub' : 'slider' }, h('label', { htmlFor: id, text: label }), input, out);
}

/** Refreshes the weight and share texts (and aria-valuetext) without rebuilding the sliders. */
/** The segment group whose scorecard the sliders edit, or -1 for the base model (all accounts). */
export function editingGroup(app) {
  const m = app.state.model;
  const g = app.state.segmentEditing ?? -1;
  return m && m.segments && m.segments.groups && g >= 0 && g < m.segments.groups.length ? g : -1;
}

/**
 * "Scorecard: All accounts / Enterprise / ...": which one the sliders (`where` 'weights') or the
 * band cut points and rules ('bands') below change. Both pickers show the same choice.
 */
export function segmentPicker(app, g, where = 'weights') {
  const { state, t } = app;
  const m = state.model;
  if (!m.segments || !(m.segments.groups || []).length) return null;
  const id = where === 'bands' ? 'segment-editing-bands' : 'segment-editing';
  const select = h(
    'select',
    {
      id,
      on: {
        change: (e) => {
          state.segmentEditing = Number(e.target.value);
          render(app);
          app.views.bands.render(app);
        },
      },
    },
    h('option', { value: '-1', text: t('segments.all', { other: m.segments.other_label || t('segments.otherDefault') }), selected: g < 0 }),
    m.segments.groups.map((gr, i) => h('option', { value: String(i), text: gr.label || gr.id, selected: g === i })),
  );
  const hint = where === 'bands' ? (g < 0 ? 'segments.bandsBase' : 'segments.bandsGroup') : g < 0 ? 'segments.editingBase' : 'segments.editingGroup';
  return h(
    'div',
    { class: 'field segment-picker' },
    h('label', { htmlFor: id, text: t(where === 'bands' ? 'segments.editingBands' : 'segments.editing') }),
    select,
    h('span', { class: 'hint', text: t(hint) }),
  );
}

/** "base 40" beside a weight a group overrides, and a button that takes the override back. */
function overrideMark(app, base, label, reset) {
  return h(
    'span',
    { class: 'override' },
    h('span', { class: 'badge differs', text: app.t('segments.base', { weight: formatNumber(base, app.state.lang) }) }),
    h('button', {
      type: 'button',
      class: 'secondary small',
      text: app.t('segments.reset'),
      attrs: { 'aria-label': app.t('segments.resetWeight', { name: label }) },
      on: { click: reset },
    }),
  );
}

export function update(app) {
  const { state } = app;
  const base = state.model;
  if (!base) return;
  const g = editingGroup(app);
  const m = g >= 0 ? { ...base, categories: effectiveWeights(base, g) } : base;
  const lang = state.lang;
  const cat = shares(categoryWeights(m));
  const body = document.getElementById('weights-body');
  for (const out of body.querySelectorAll('output')) {
    const ci = Number(out.dataset.category);
    const c = m.categories[ci];
    if (!c) continue;
    let weight, share;
    if (out.dataset.signal === undefined) {
      weight = c.weight ?? 1;
      share = cat[ci];
    } else {
      const si = Number(out.dataset.signal);
      weight = c.signals[si] ? (c.signals[si].weight ?? 1) : 0;
      share = shares(signalWeights(c))[si];
    }
    const text = app.t('weights.share', { weight: formatNumber(weight, lang), percent: formatPercent(share, lang) });
    out.textContent = text;
    const input = document.getElementById(out.htmlFor.value);
    if (input) input.setAttribute('aria-valuetext', text);
  }
}
