// SPDX-License-Identifier: MIT
// Number, percent, byte and date formatting for the chosen interface language. Pure: no DOM.

const cache = new Map();

/** @param {string} lang @param {Intl.NumberFormatOptions} opts */
function nf(lang, opts) {
  const key = lang + JSON.stringify(opts);
  let f = cache.get(key);
  if (!f) {
    f = new Intl.NumberFormat(lang, opts);
    cache.set(key, f);
  }
  return f;
}

/**
 * Builds the language's number and date formatters ahead of need. The first Intl formatter a page
 * builds loads the locale data (36-64 ms in Chromium), a pause better taken while the page is idle
 * than in the first file's progress.
 */
export function warmFormats(lang) {
  formatInt(0, lang);
  formatDate(0, lang);
}

/** A whole number with the language's grouping: 7043 -> "7,043" (en) or "7043" / "70.430" (es). */
export function formatInt(n, lang) {
  return nf(lang, { maximumFractionDigits: 0 }).format(n);
}

/** A 0–100 health score with one decimal, rounded (never truncated); an em dash when unscored. */
export function formatScore(x, lang) {
  if (x === null || x === undefined || Number.isNaN(x)) return '—';
  return nf(lang, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(roundHalfAway(x * 10) / 10);
}

/**
 * A health score as the band sees it: rounded half away from zero to a whole number, the value the
 * band is decided on (spec "Scoring" 3), so a shown score never contradicts its band ("45" is "At
 * risk" when red ends at 45; "45.5" would not be). The exact score is `formatExact`.
 */
export function formatHealth(x, lang) {
  if (x === null || x === undefined || Number.isNaN(x)) return '—';
  return nf(lang, { maximumFractionDigits: 0 }).format(roundHalfAway(x));
}

/** The exact score with two decimals, as the scored export writes it (for where precision matters). */
export function formatExact(x, lang) {
  if (x === null || x === undefined || Number.isNaN(x)) return '—';
  return nf(lang, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(roundHalfAway(x * 100) / 100);
}

/** Any number with up to `digits` decimals. */
export function formatNumber(x, lang, digits = 2) {
  if (x === null || x === undefined || Number.isNaN(x)) return '—';
  return nf(lang, { maximumFractionDigits: digits }).format(x);
}

/** A fraction 0..1 as a percentage: 0.4213 -> "42.1%" (en) or "42,1 %" (es). */
export function formatPercent(fraction, lang, digits = 1) {
  if (!Number.isFinite(fraction)) return '—';
  return nf(lang, { style: 'percent', minimumFractionDigits: digits, maximumFractionDigits: digits }).format(fraction);
}

/** Bytes as B, KB, MB or GB (powers of 1024). */
export function formatBytes(n, lang) {
  const units = ['B', 'KB', 'MB', 'GB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return nf(lang, { maximumFractionDigits: i === 0 ? 0 : 1 }).format(v) + ' ' + units[i];
}

/** Rounds half away from zero, as the engine does for bands. */
export function roundHalfAway(x) {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

/** Days since 1970-01-01 of a calendar date. */
export function daysFromCivil(y, m, d) {
  return Math.round(Date.UTC(y, m - 1, d) / 86400000);
}

/** Days since 1970-01-01 of the local calendar date of `date` (the day the user is scoring on). */
export function localDays(date = new Date()) {
  return daysFromCivil(date.getFullYear(), date.getMonth() + 1, date.getDate());
}

/** Days since 1970-01-01 of a yyyy-mm-dd text (a date input's value, a report's date), or null. */
export function daysOfIso(text) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(text || ''));
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const days = daysFromCivil(y, mo, d);
  return isoDate(days) === m[0] ? days : null;
}

/** yyyy-mm-dd of a day number. */
export function isoDate(days) {
  return new Date(days * 86400000).toISOString().slice(0, 10);
}

/** A day number as a long date in the language, e.g. "25 Nov 2026". */
export function formatDate(days, lang) {
  // One formatter per language: building an Intl.DateTimeFormat costs far more than using one, and
  // the History step formats a date for every point of every sparkline.
  let f = dateFormats.get(lang);
  if (!f) {
    f = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeZone: 'UTC' });
    dateFormats.set(lang, f);
  }
  return f.format(new Date(days * 86400000));
}
const dateFormats = new Map();

/**
 * A figure the engine already rounded (evidence JSON), printed with exactly `digits` decimals as the
 * command line prints it, in the language's decimal mark: 0.78 -> "0.780" (en) or "0,780" (es).
 * `sign` adds "+" to a positive value, as the command line's signed figures do. No grouping, so the
 * digits are the command line's.
 */
export function formatFixed(x, lang, digits, { sign = false } = {}) {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  const s = nf(lang, { minimumFractionDigits: digits, maximumFractionDigits: digits, useGrouping: false }).format(x);
  return sign && x > 0 ? '+' + s : s;
}
