// Shared pieces of the screens: Preact's h, notices for errors, small formatters.
import { h, Component, render } from '/webjars/preact/10.24.3/dist/preact.module.js';

export { h, Component, render };

/**
 * The notices an answer calls for: 401 (sign in again), 403 FORBIDDEN (the role is missing),
 * SUBGRAPH_UNAVAILABLE (one service is down; the rest of the page still shows), other errors.
 */
export function noticesOf(result, t) {
  if (!result) return [];
  const out = [];
  const seen = new Set();
  const add = (kind, text) => { if (!seen.has(text)) { seen.add(text); out.push({ kind, text }); } };
  if (result.status === 401) add('error', t('notice.unauthenticated'));
  for (const e of result.errors || []) {
    const code = e.extensions?.code;
    if (code === 'UNAUTHENTICATED') add('error', t('notice.unauthenticated'));
    else if (code === 'FORBIDDEN') add('error', t('notice.forbidden', { message: e.message }));
    else if (code === 'SUBGRAPH_UNAVAILABLE') add('warning', t('notice.unavailable', { subgraph: e.extensions.subgraph }));
    else if (code === 'NETWORK') add('error', t('notice.network'));
    else add('error', t('notice.error', { message: (code ? code + ': ' : '') + e.message }));
  }
  return out;
}

export function Notices({ notices }) {
  if (!notices || notices.length === 0) return null;
  return h('div', { class: 'notices' }, notices.map((n) =>
    h('p', { class: 'notice ' + n.kind, role: n.kind === 'error' ? 'alert' : 'status' }, n.text)));
}

export function fmt(n, digits = 1) {
  return n === null || n === undefined ? '—' : Number(n).toLocaleString(undefined, { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

export function pct(n) {
  return n === null || n === undefined ? '—' : (Number(n) * 100).toLocaleString(undefined, { maximumFractionDigits: 1 }) + ' %';
}

/** A tier as a coloured badge (colour plus its name, never colour alone). */
export function TierBadge({ tier, label, t }) {
  if (!tier) return '—';
  return h('span', { class: 'tier tier-' + tier }, label || t('tier.' + tier));
}

/** A simple accessible table: a caption, header cells with scope, rows of cells. */
export function Table({ caption, head, rows, id }) {
  return h('table', { id },
    caption && h('caption', null, caption),
    h('thead', null, h('tr', null, head.map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', null, rows));
}
