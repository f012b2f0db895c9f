// SPDX-License-Identifier: MIT
// Tiny DOM helpers. Everything from a file is set as text (textContent or a property), never parsed
// as HTML: there is no innerHTML anywhere in the page.

/**
 * h('button', {class: 'x', text: 'Go', on: {click}, attrs: {'aria-label': 'Go'}}, child, ...)
 * Other keys are set as properties (id, type, value, checked, htmlFor, disabled, hidden, ...).
 */
export function h(tag, props = {}, ...children) {
  const el = tag === 'svg' || SVG_TAGS.has(tag) ? document.createElementNS('http://www.w3.org/2000/svg', tag) : document.createElement(tag);
  for (const [k, v] of Object.entries(props || {})) {
    if (v === undefined || v === null) continue;
    if (k === 'class') el.setAttribute('class', v);
    else if (k === 'text') el.textContent = v;
    else if (k === 'on') for (const [ev, fn] of Object.entries(v)) el.addEventListener(ev, fn);
    else if (k === 'attrs')
      for (const [a, av] of Object.entries(v)) {
        if (av !== undefined && av !== null && av !== false) el.setAttribute(a, av === true ? '' : String(av));
      }
    else if (k === 'style') Object.assign(el.style, v);
    else el[k] = v;
  }
  append(el, children);
  return el;
}

const SVG_TAGS = new Set(['rect', 'g', 'line', 'text', 'title', 'desc', 'path', 'circle']);

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** An input (h's props) whose `change` hands its value, as text, to `onChange`. */
export function input(props, onChange) {
  return h('input', { ...props, on: { change: (e) => onChange(e.target.value) } });
}

/** A small ✕ button (remove, close), `label` its accessible name. */
export function crossButton(label, onClick) {
  return h('button', { type: 'button', class: 'secondary small', text: '✕', attrs: { 'aria-label': label }, on: { click: onClick } });
}

/** Replaces an element's children. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

let uid = 0;
/** A unique id for label/for and aria-describedby pairs. */
export function nextId(prefix = 'id') {
  return `${prefix}-${++uid}`;
}

/** A label + control pair. */
export function field(labelText, control, hint) {
  if (!control.id) control.id = nextId('f');
  const label = h('label', { htmlFor: control.id, text: labelText });
  return h('div', { class: 'field' }, label, control, hint ? h('span', { class: 'hint', text: hint }) : null);
}

/** Saves bytes or text as a download with the given name. */
export function download(name, data, type) {
  const blob = data instanceof Blob ? data : new Blob([data], { type });
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * A file name for a model: its name as written (accents kept), with only the characters file
 * systems refuse replaced, e.g. "Saúde do cliente" -> "Saúde do cliente.json".
 */
export function modelFileName(name) {
  // Control characters cannot be in a file name on any system: they go too.
  const base = String(name || '')
    // eslint-disable-next-line no-control-regex
    .replace(/[\\/:*?"<>|\u0000-\u001f\u007f]+/g, '-')
    .replace(/^[\s.-]+|[\s.-]+$/g, '')
    .slice(0, 120);
  return `${base || 'model'}.json`;
}
