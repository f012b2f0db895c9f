// SPDX-License-Identifier: MIT
// The lift to the next band in words, in the signal's own values (the engine's explain answer,
// `next_band`): "reduce Open tickets from 6 to 2 or fewer". Pure: numbers and dates go through the
// page's locale formatter, words through t().
import { formatDate, formatHealth, formatNumber, formatPercent } from './format.js';

/** One value of a change as the user reads it in `lang`. */
function valueText(c, value, raw, lang, to) {
  if (c.kind === 'date') return value === null ? raw : formatDate(value, lang);
  if (c.kind === 'text' || value === null) return raw;
  if (c.percent) return formatPercent(value, lang, Math.max(c.decimals - 2, to ? 0 : 1));
  return formatNumber(value, lang, to ? c.decimals : Math.max(c.decimals, 2));
}

/** One change in words: "raise Logins (30d) from 12 to 31 or more". */
export function changeText(c, t, lang) {
  let to = c.any_other ? t('lift.otherValue') : valueText(c, c.to_value, c.to_text, lang, true);
  const date = c.kind === 'date';
  if (c.bound === 'or_more') to = t(date ? 'lift.orLater' : 'lift.orMore', { to });
  else if (c.bound === 'or_fewer') to = t(date ? 'lift.orEarlier' : 'lift.orFewer', { to });
  const vars = { column: c.column, to, from: valueText(c, c.from_value, c.from_raw, lang, false) };
  if (c.direction === 'set') return t(c.from_raw === '' ? 'lift.fill' : 'lift.change', vars);
  if (date) return t('lift.move', vars);
  return t(c.direction === 'raise' ? 'lift.raise' : 'lift.reduce', vars);
}

/**
 * The breakdown's sentence for an explanation `e` under `model`'s bands: the lift (one change, or
 * the smallest two when no single signal can), "already in the top band", or that nothing can.
 */
export function liftText(e, model, t, lang) {
  const n = e.next_band;
  if (!n) return e.band === model.bands.length - 1 ? t('breakdown.top') : t('breakdown.noLift');
  const vars = { band: (model.bands[n.to_band] || {}).label || '', score: formatHealth(n.to_health, lang) };
  if (n.changes.length === 1) return t('breakdown.lift', { ...vars, change: changeText(n.changes[0], t, lang) });
  return t('breakdown.liftTwo', { ...vars, first: changeText(n.changes[0], t, lang), second: changeText(n.changes[1], t, lang) });
}
