// SPDX-License-Identifier: MIT
// Step 4, Bands: cut points, labels, colours and the action for each band.
import { h, fill } from './dom.js';

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
  return h('span', { class: 'badge' }, swatch, h('span', { attrs: { 'aria-hidden': 'true' }, text: bandIcon(index, model.bands.length) }), b.label || b.id);
}

export function render(app) {
  const { state, t } = app;
  const body = document.getElementById('bands-body');
  const m = state.model;
  if (!m) {
    fill(body, h('p', { class: 'note', text: t('signals.noFile') }));
    return;
  }
  const changed = () => app.modelChanged();
  const rows = m.bands.map((b, i) => {
    const n = i + 1;
    const last = i === m.bands.length - 1;
    return h('tr', {},
      h('td', { attrs: { 'aria-hidden': 'true' }, text: bandIcon(i, m.bands.length) }),
      h('td', {}, h('input', { type: 'text', value: b.label || '', attrs: { 'aria-label': t('bands.labelOf', { n }) }, on: { change: (e) => { b.label = e.target.value; changed(); } } })),
      h('td', {}, h('input', { type: 'number', min: 0, max: 100, step: 'any', value: b.max, disabled: last && b.max === 100, attrs: { 'aria-label': t('bands.maxOf', { n }) },
        on: { change: (e) => { b.max = Number(e.target.value); changed(); } } })),
      h('td', {}, h('input', { type: 'color', value: /^#[0-9a-f]{6}$/i.test(b.color || '') ? b.color : '#777777', attrs: { 'aria-label': t('bands.colorOf', { n }) }, on: { change: (e) => { b.color = e.target.value; changed(); } } })),
      h('td', {}, h('input', { type: 'text', value: b.action || '', attrs: { 'aria-label': t('bands.actionOf', { n }) }, on: { change: (e) => { b.action = e.target.value; changed(); } } })),
      h('td', {}, m.bands.length > 1 ? h('button', { type: 'button', class: 'secondary small', text: '✕', attrs: { 'aria-label': t('bands.remove', { label: b.label || n }) },
        on: { click: () => {
          m.bands.splice(i, 1);
          if (m.bands.length) m.bands[m.bands.length - 1].max = 100;
          app.modelChanged({ views: ['bands'] });
        } } }) : null));
  });
  fill(body, h('p', { class: 'note', text: t('bands.intro') }),
    h('div', { class: 'wide' }, h('table', { class: 'bands-table' },
      h('thead', {}, h('tr', {}, h('th'), h('th', { text: t('bands.label') }), h('th', { text: t('bands.max') }), h('th', { text: t('bands.color') }), h('th', { text: t('bands.action') }), h('th'))),
      h('tbody', {}, rows))),
    h('button', { type: 'button', class: 'secondary', text: t('bands.add'), on: { click: () => {
      const prev = m.bands.length > 1 ? m.bands[m.bands.length - 2].max : 0;
      const n = m.bands.length + 1;
      m.bands.splice(Math.max(0, m.bands.length - 1), 0, { id: `band_${n}`, label: t('bands.newLabel', { n }), max: Math.round((prev + 100) / 2), color: '#5b6b7a', action: '' });
      app.modelChanged({ views: ['bands'] });
    } } }));
}
