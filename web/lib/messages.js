// SPDX-License-Identifier: MIT
// The engine's messages in the page's language. The engine answers a coded message
// (`{code, params}`, core/include/healthscore/message.hpp); its templates come from the same
// catalogue the engine compiles in (core/messages/*.json, copied to lib/messages-data.js by
// scripts/build-web), so the page and the command line word a message the same way. This renderer
// and core/src/message.cpp follow the same rules; tests/web/wasm/messages.test.mjs holds them to it.

import catalogue from './messages-data.js';
import { formatInt, formatFixed, formatPercent } from './format.js';

const AND = { en: ' and ', es: ' y ', pt: ' e ' };

/** A parameter's text: strings as written, integers grouped, figures with the language's mark. */
function paramText(v, lang) {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isInteger(v) ? formatInt(v, lang) : formatFixed(v, lang, 2);
  if (typeof v !== 'object') return String(v);
  if (typeof v.code === 'string') return renderMessage(v, lang);
  if ('fixed' in v) return formatFixed(v.fixed, lang, v.digits);
  if ('percent' in v) return formatPercent(v.percent, lang, v.digits);
  if (Array.isArray(v.list)) {
    const q = v.list.map((s) => `"${s}"`);
    return q.length < 2 ? q.join('') : q.slice(0, -1).join(', ') + (AND[String(lang).slice(0, 2)] || AND.en) + q[q.length - 1];
  }
  return '';
}

/**
 * `{code, params}` as text in `lang` ('en', 'es' or 'pt'). A parameter the message lacks renders as
 * nothing; an unknown code renders as the code itself.
 */
export function renderMessage(m, lang) {
  if (!m || typeof m.code !== 'string') return '';
  const entry = catalogue[m.code];
  if (!entry) return m.code;
  const template = entry[String(lang).slice(0, 2)] || entry.en; // 'pt-BR' reads as 'pt'
  const params = m.params || {};
  return template.replace(/\{([a-z0-9_]+)\}/g, (_, name) => (name in params ? paramText(params[name], lang) : ''));
}

/**
 * An engine answer's failure in `lang`: its coded message, else its English text. A string (a
 * message the page already worded) is returned as it is.
 */
export function failureText(r, lang) {
  if (typeof r === 'string') return r;
  if (r && r.error && typeof r.error.code === 'string') return renderMessage(r.error, lang);
  return r && r.message ? String(r.message) : '';
}

/** Every code's English template (the untranslated-text scan of the browser tests reads it). */
export function englishTemplates() {
  return Object.values(catalogue).map((e) => e.en);
}
