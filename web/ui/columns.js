// SPDX-License-Identifier: MIT
// A picker of the loaded file's columns for a file of very many: a text field over one shared
// <datalist> of them instead of a <select>. With 3,000 columns, the <select>s of the outcome, the
// value column and the signals (3,000 <option>s each, made anew at every re-render and restyled at
// every style pass) held the page's main thread for 200-300 ms at a time.
import { h } from './dom.js';

/** Past this many columns a picker is a text field over a shared list. */
export const PICKER_LIST_FROM = 300;

/**
 * The id of the page's one <datalist> of these columns of the loaded file (`kind`: 'all', 'number',
 * 'text'; a kind that is every column shares the list of all). It is filled when a field over it is
 * first focused (fillList): until then the names are only kept.
 */
function sharedList(app, names, kind) {
  const file = app.state.file;
  const id = kind === 'all' || names.length === file.info.columns.length ? 'file-columns' : `file-columns-${kind}`;
  let list = document.getElementById(id);
  if (!list) {
    list = h('datalist', { id });
    document.body.append(list);
  }
  if (list.file !== file || list.names?.length !== names.length) {
    list.replaceChildren();
    list.file = file;
    list.names = names;
    list.filled = false;
    list.known = new Map(names.map((n) => [n.trim(), n])); // names are matched trimmed, as the engine does
  }
  return id;
}

/** Fills list `id` with its names, once. */
function fillList(id) {
  const list = document.getElementById(id);
  if (!list || list.filled) return;
  list.filled = true;
  // Built apart and added at once: each option added to a list in use updates every field over it.
  const options = document.createDocumentFragment();
  for (const n of list.names) {
    const o = document.createElement('option');
    o.value = n;
    options.append(o);
  }
  list.append(options);
}

/**
 * A text field over the shared list of `names` (columns of `kind`), showing `value`. Its `change`
 * reaches the caller's listeners only for one of `names` (as the file spells it) or, with `allowNone`,
 * nothing; anything else puts `value` back.
 */
export function columnField(app, names, value, { allowNone = false, label, placeholder, id, kind = 'all' } = {}) {
  const list = sharedList(app, names, kind);
  const { known } = document.getElementById(list);
  const field = h('input', {
    type: 'text',
    id,
    value: value || '',
    attrs: { list, 'aria-label': label || null, placeholder: placeholder || null, autocomplete: 'off' },
  });
  field.addEventListener('focus', () => fillList(list));
  field.addEventListener(
    'change',
    (e) => {
      const v = field.value.trim();
      if ((v === '' && allowNone) || known.has(v)) {
        field.value = v === '' ? '' : known.get(v);
        return;
      }
      e.stopImmediatePropagation();
      field.value = value || '';
    },
    { capture: true },
  );
  return field;
}
