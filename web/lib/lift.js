// SPDX-License-Identifier: MIT
// The lift to the next band in words, in the signal's own values (the engine's explain answer,
// `next_band`): "reduce Open tickets from 6 to 2 or fewer". Pure: numbers and dates go through the
// page's locale formatter, words through the engine's catalogue (web/lib/messages.js).
import { formatDate, formatHealth, formatNumber, formatPercent } from './format.js';
import { renderMessage } from './messages.js';

/** One value of a change as the user reads it in `lang`. */
function valueText(c, value, raw, lang, to) {
  if (c.kind === 'date') return value === null ? raw : formatDate(value, lang);
  if (c.kind === 'text' || value === null) return raw;
  if (c.percent) return formatPercent(value, lang, Math.max(c.decimals - 2, to ? 0 : 1));
  return formatNumber(value, lang, to ? c.decimals : Math.max(c.decimals, 2));
}

/**
 * One change as the engine's coded message (core/messages/explain.json, the wording the command
 * line's `explain` uses), with the values written for `lang`: "raise Logins (30d) from 12 to 31 or more".
 */
export function changeMessage(c, lang) {
  const value = c.any_other ? { code: 'explain.other_value', params: {} } : valueText(c, c.to_value, c.to_text, lang, true);
  const date = c.kind === 'date';
  let to = value;
  if (c.bound === 'or_more') to = { code: date ? 'explain.or_later' : 'explain.or_more', params: { to: value } };
  else if (c.bound === 'or_fewer') to = { code: date ? 'explain.or_earlier' : 'explain.or_fewer', params: { to: value } };
  const params = { column: c.column, to, from: valueText(c, c.from_value, c.from_raw, lang, false) };
  if (c.direction === 'set') return { code: c.from_raw === '' ? 'explain.fill' : 'explain.change', params };
  if (date) return { code: 'explain.move', params };
  return { code: c.direction === 'raise' ? 'explain.raise' : 'explain.reduce', params };
}

/** One change in words, in `lang`. */
export function changeText(c, lang) {
  return renderMessage(changeMessage(c, lang), lang);
}

/**
 * The breakdown's sentence for an explanation `e` under `model`'s bands: the lift (one change, or
 * the smallest two when no single signal can), "already in the top band", or that nothing can.
 */
export function liftText(e, model, lang) {
  const n = e.next_band;
  if (!n) {
    // An unscored account has no band to lift from: nothing to say (as the command line says nothing).
    if (!(e.band >= 0)) return '';
    return renderMessage({ code: e.band === model.bands.length - 1 ? 'explain.top' : 'explain.no_lift', params: {} }, lang);
  }
  const to = model.bands[n.to_band] || {};
  const params = { band: to.label || to.id || '', score: formatHealth(n.to_health, lang) };
  if (n.changes.length === 1) return renderMessage({ code: 'explain.lift', params: { ...params, change: changeMessage(n.changes[0], lang) } }, lang);
  return renderMessage(
    { code: 'explain.lift_two', params: { ...params, first: changeMessage(n.changes[0], lang), second: changeMessage(n.changes[1], lang) } },
    lang,
  );
}
