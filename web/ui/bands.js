// SPDX-License-Identifier: MIT
// Step 4, Bands: cut points, labels, colours and the action for each band. With a segment group
// picked, its own cut points and actions (same band ids, contract "Segments") and its own signal
// rules, each marked where it differs from the base model, with a reset to the base.
import { h, fill, field, input, crossButton } from './dom.js';
import { formatNumber } from '../lib/format.js';
import { effectiveBands, setBandOverride, resetBandOverride, syncGroupBands, signalOverride, setRuleOverride, signalKey } from '../lib/segments.js';
import { editingGroup, segmentPicker } from './weights.js';
import { ruleParams, summaryLine } from './signals.js';

/**
 * A band's colour as CSS, only when it is a plain #rgb / #rrggbb (a model is data from a file or a
 * link: `url(...)` or `var(...)` must never reach a style and make a request).
 */
export function bandColor(b) {
  const c = b && typeof b.color === 'string' ? b.color.trim() : '';
  return /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i.test(c) ? c : '#777777';
}

/** The icon that, with the label, shows a band without relying on colour. */
export function bandIcon(index, count) {
  if (index < 0) return '○';
  if (count <= 1) return '●';
  if (index === 0) return '⚠';
  if (index === count - 1) return '✔';
  return '◆';
}

/** A band shown as icon + swatch + label. */
export function bandBadge(model, index) {
  const b = model.bands[index];
  if (!b) return h('span', { class: 'badge' }, h('span', { attrs: { 'aria-hidden': 'true' }, text: '○' }), '—');
  const swatch = h('span', { class: 'swatch', attrs: { 'aria-hidden': 'true' } });
  swatch.style.background = bandColor(b);
  return h(
    'span',
    { class: 'badge' },
    swatch,
    h('span', { attrs: { 'aria-hidden': 'true' }, text: bandIcon(index, model.bands.length) }),
    b.label || b.id,
  );
}

export function render(app) {
  const { state, t } = app;
  const body = document.getElementById('bands-body');
  const m = state.model;
  if (!m) {
    fill(body, h('p', { class: 'note', text: t('signals.noFile') }));
    return;
  }
  const g = editingGroup(app);
  if (g >= 0) {
    fill(body, h('p', { class: 'note', text: t('bands.intro') }), segmentPicker(app, g, 'bands'), groupBands(app, g), groupRules(app, g));
    return;
  }
  const changed = () => app.modelChanged();
  const rows = m.bands.map((b, i) => {
    const n = i + 1;
    const last = i === m.bands.length - 1;
    return h(
      'tr',
      {},
      h('td', { attrs: { 'aria-hidden': 'true' }, text: bandIcon(i, m.bands.length) }),
      h(
        'td',
        {},
        input({ type: 'text', value: b.label || '', attrs: { 'aria-label': t('bands.labelOf', { n }) } }, (v) => {
          b.label = v;
          changed();
        }),
      ),
      h(
        'td',
        {},
        input(
          {
            type: 'number',
            min: 0,
            max: 100,
            step: 'any',
            value: b.max,
            disabled: last && b.max === 100,
            attrs: { 'aria-label': t('bands.maxOf', { n }) },
          },
          (v) => {
            b.max = Number(v);
            changed();
          },
        ),
      ),
      h(
        'td',
        {},
        input(
          { type: 'color', value: /^#[0-9a-f]{6}$/i.test(b.color || '') ? b.color : '#777777', attrs: { 'aria-label': t('bands.colorOf', { n }) } },
          (v) => {
            b.color = v;
            changed();
          },
        ),
      ),
      h(
        'td',
        {},
        input({ type: 'text', value: b.action || '', attrs: { 'aria-label': t('bands.actionOf', { n }) } }, (v) => {
          b.action = v;
          changed();
        }),
      ),
      h(
        'td',
        {},
        m.bands.length > 1
          ? crossButton(t('bands.remove', { label: b.label || n }), () => {
              m.bands.splice(i, 1);
              if (m.bands.length) m.bands[m.bands.length - 1].max = 100;
              syncGroupBands(m, { removed: i });
              app.modelChanged({ views: ['bands'] });
            })
          : null,
      ),
    );
  });
  fill(
    body,
    h('p', { class: 'note', text: t('bands.intro') }),
    segmentPicker(app, g, 'bands'),
    h(
      'div',
      { class: 'wide' },
      h(
        'table',
        { class: 'bands-table' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th'),
            h('th', { text: t('bands.label') }),
            h('th', { text: t('bands.max') }),
            h('th', { text: t('bands.color') }),
            h('th', { text: t('bands.action') }),
            h('th'),
          ),
        ),
        h('tbody', {}, rows),
      ),
    ),
    h('button', {
      type: 'button',
      class: 'secondary',
      text: t('bands.add'),
      on: {
        click: () => {
          const prev = m.bands.length > 1 ? m.bands[m.bands.length - 2].max : 0;
          const n = m.bands.length + 1;
          const at = Math.max(0, m.bands.length - 1);
          let id = `band_${n}`;
          for (let k = n; m.bands.some((x) => x.id === id); k++) id = `band_${k + 1}`;
          m.bands.splice(at, 0, { id, label: t('bands.newLabel', { n }), max: Math.round((prev + 100) / 2), color: '#5b6b7a', action: '' });
          syncGroupBands(m, { added: at });
          app.modelChanged({ views: ['bands'] });
        },
      },
    }),
  );
}

/** "differs: base 50" and a reset button, beside a figure a group overrides. */
function differs(app, text, label, reset) {
  return h(
    'span',
    { class: 'override' },
    h('span', { class: 'badge differs', text }),
    h('button', { type: 'button', class: 'secondary small', text: app.t('segments.reset'), attrs: { 'aria-label': label }, on: { click: reset } }),
  );
}

/** Group `g`'s cut points and actions; labels and colours are the base model's (one set of band ids). */
function groupBands(app, g) {
  const { state, store, t } = app;
  const m = state.model;
  const group = m.segments.groups[g];
  const lang = state.lang;
  const bands = effectiveBands(m, g);
  const edit = (label, fn) => store.edit(t('history.segmentBands', { segment: group.label || group.id, band: label }), fn, { views: ['bands'] });
  const rows = bands.map((b, i) => {
    const last = i === bands.length - 1;
    const name = b.label || b.id;
    const marks = [];
    if (b.maxChanged) marks.push(h('span', { class: 'badge differs', text: t('segments.baseMax', { max: formatNumber(b.base.max, lang) }) }));
    if (b.actionChanged) marks.push(h('span', { class: 'badge differs', text: t('segments.ownAction') }));
    return h(
      'tr',
      { attrs: { 'data-band': i, 'data-differs': b.maxChanged || b.actionChanged ? '1' : '0' } },
      // What differs sits under the band's name, so a phone sees it without scrolling the table.
      h(
        'th',
        { scope: 'row' },
        bandBadge(m, i),
        marks.length
          ? h(
              'span',
              { class: 'override' },
              marks,
              h('button', {
                type: 'button',
                class: 'secondary small',
                text: t('segments.reset'),
                attrs: { 'aria-label': t('segments.resetBand', { band: name }) },
                on: { click: () => edit(name, (mm) => resetBandOverride(mm, g, i)) },
              }),
            )
          : null,
      ),
      h(
        'td',
        {},
        h('input', {
          type: 'number',
          min: 0,
          max: 100,
          step: 'any',
          value: b.max,
          disabled: last,
          attrs: { 'aria-label': t('bands.maxFor', { band: name, segment: group.label || group.id }) },
          on: {
            change: (e) => {
              const v = Number(e.target.value);
              if (Number.isFinite(v)) edit(name, (mm) => setBandOverride(mm, g, i, { max: v }));
            },
          },
        }),
      ),
      h(
        'td',
        {},
        h('input', {
          type: 'text',
          value: b.action,
          attrs: { 'aria-label': t('bands.actionFor', { band: name, segment: group.label || group.id }) },
          on: { change: (e) => edit(name, (mm) => setBandOverride(mm, g, i, { action: e.target.value })) },
        }),
      ),
    );
  });
  return h(
    'div',
    { class: 'wide' },
    h(
      'table',
      { class: 'bands-table group-bands', attrs: { 'aria-label': t('bands.ofSegment', { segment: group.label || group.id }) } },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col', text: t('bands.label') }),
          h('th', { scope: 'col', text: t('bands.max') }),
          h('th', { scope: 'col', text: t('bands.action') }),
        ),
      ),
      h('tbody', {}, rows),
    ),
  );
}

/** Group `g`'s own signal rules: each one it overrides, editable, and a way to give another its own. */
function groupRules(app, g) {
  const { state, store, t } = app;
  const m = state.model;
  const group = m.segments.groups[g];
  const seg = group.label || group.id;
  const items = [];
  const choices = [];
  m.categories.forEach((c, ci) =>
    (c.signals || []).forEach((s, si) => {
      const o = signalOverride(m, g, ci, si);
      if (o && o.rule) {
        // The rule editor edits the override in place; the store diffs and commits it (undo works).
        const view = { column: s.column, weight: s.weight, rule: o.rule };
        const params = h('div', { class: 'rule' });
        ruleParams(app, view, params);
        items.push(
          h(
            'div',
            { class: 'group-rule', attrs: { 'data-signal': `${c.id}/${signalKey(s)}` } },
            h(
              'div',
              { class: 'row' },
              h('strong', { text: summaryLine(app, view) }),
              ' ',
              differs(app, t('segments.ownRule'), t('segments.resetRule', { column: s.column }), () => app.resetOverride(ci, si, 'rule')),
            ),
            params,
          ),
        );
      } else {
        choices.push(h('option', { value: `${ci}/${si}`, text: `${c.label || c.id}: ${s.column}` }));
      }
    }),
  );
  const pick = h('select', { id: 'group-rule-signal' }, choices);
  const add = h('button', {
    type: 'button',
    class: 'secondary',
    text: t('segments.ownRuleAdd'),
    disabled: !choices.length,
    on: {
      click: () => {
        if (!pick.value) return;
        const [ci, si] = pick.value.split('/').map(Number);
        const s = m.categories[ci].signals[si];
        store.edit(
          t('history.segmentRule', { name: s.column, segment: seg }),
          (mm) => setRuleOverride(mm, g, ci, si, mm.categories[ci].signals[si].rule || { type: 'linear' }),
          { views: ['bands'] },
        );
      },
    },
  });
  return h(
    'section',
    { class: 'group-rules' },
    h('h3', { text: t('segments.rulesOf', { segment: seg }) }),
    h('p', { class: 'note', text: t('segments.rulesIntro') }),
    items.length ? items : h('p', { class: 'note', text: t('segments.noOwnRules') }),
    choices.length ? h('div', { class: 'row' }, field(t('segments.ruleSignal'), pick), add) : null,
  );
}
