// SPDX-License-Identifier: MIT
// What the studio proposes before the user has said anything: the default bands' words in the
// interface language (a suggested model comes from the engine in English; the user's own labels
// are never translated), which way a new rule should point for a column, and a starting `steps`
// rule from the column's real range. Pure, tested in Node.

/** The contract's default bands (spec "Document"), as the engine writes them. */
const ENGINE_DEFAULTS = {
  red: { label: 'At risk', action: 'Call this week' },
  yellow: { label: 'Neutral', action: 'Monitor, offer help' },
  green: { label: 'Healthy', action: 'Ask for referral, upsell' },
};

/**
 * The model with each default band's label and action in the interface language, where they are
 * still the engine's English defaults (a band the user renamed keeps its name).
 */
export function localizeDefaults(model, t) {
  for (const b of model.bands || []) {
    const d = ENGINE_DEFAULTS[b.id];
    if (!d) continue;
    if (b.label === d.label) b.label = t(`band.${b.id}.label`);
    if (b.action === d.action) b.action = t(`band.${b.id}.action`);
  }
  return model;
}

// Column names where more is worse, in English, Spanish and Portuguese: tickets and complaints,
// overdue or late payments, errors and incidents, days since, churn risk.
const WORSE = [
  'ticket',
  'incident',
  'complaint',
  'escalat',
  'bug',
  'error',
  'defect',
  'overdue',
  'late',
  'unpaid',
  'outstanding',
  'days since',
  'days without',
  'churn',
  'risk',
  'downtime',
  'outage',
  'refund',
  'dispute',
  'cancel',
  'incidencia',
  'reclam',
  'queja',
  'fallo',
  'errores',
  'vencid',
  'impag',
  'atras',
  'retras',
  'moros',
  'días desde',
  'dias desde',
  'días sin',
  'dias sin',
  'riesgo',
  'caída',
  'caida',
  'devoluc',
  'baja',
  'chamado',
  'reclamaç',
  'reclamac',
  'falha',
  'erro',
  'inadimpl',
  'em atraso',
  'vencido',
  'risco',
  'queda',
  'estorno',
  'cancelament',
];

/** True when a column's name says more of it is worse (Open tickets, Días desde el último pago). */
export function lowerIsBetter(column) {
  const name = String(column || '').toLowerCase();
  return WORSE.some((w) => name.includes(w));
}

/** A round value near x: 1, 2 or 5 times a power of ten below the range's size. */
function nice(x, span) {
  if (!(span > 0)) return x;
  const step = 10 ** Math.floor(Math.log10(span / 10));
  return Math.round(x / step) * step;
}

/**
 * A starting `steps` rule for a number column with range [min, max]: three steps at a third and two
 * thirds of the range, scoring 100/50/0 when lower is better, else 0/50/100.
 */
export function startingSteps(min, max, lower) {
  if (!Number.isFinite(min) || !Number.isFinite(max) || max <= min) {
    return lower ? [{ max: 0, score: 100 }, { score: 0 }] : [{ max: 0, score: 0 }, { score: 100 }];
  }
  const span = max - min;
  let a = nice(min + span / 3, span);
  let b = nice(min + (2 * span) / 3, span);
  if (!(b > a)) b = a + (span > 0 ? span / 3 : 1);
  if (!(a >= min)) a = min;
  return lower ? [{ max: a, score: 100 }, { max: b, score: 50 }, { score: 0 }] : [{ max: a, score: 0 }, { max: b, score: 50 }, { score: 100 }];
}
