// Overview: tier distribution (optionally broken down), its monthly trend as stacked bars,
// churn and retention rates, churn reasons and lost value.
import { h, Component, Notices, noticesOf, Table, fmt, pct } from '../ui.js';
import { run } from '../api.js';
import { lastMonths } from './dates.js';

const DOC = './screens/overview.graphql';
const ORDER = ['HIGH_RISK', 'POTENTIAL_CHURN', 'STABLE', 'DIEHARD', 'NEW', 'UNSCORED'];

/** Monthly shares of each tier as stacked SVG bars (each bar 100 %), labelled by month. */
export function TrendChart({ points, t }) {
  const months = [...new Set(points.map((p) => p.periodStart))];
  const w = 36, gap = 8, hgt = 160;
  return h('svg', { class: 'trend', viewBox: `0 0 ${months.length * (w + gap) + 10} ${hgt + 30}`, role: 'img', 'aria-label': t('overview.trend') },
    months.map((m, i) => {
      let y = hgt;
      return h('g', null, ORDER.map((tier) => {
        const p = points.find((x) => x.periodStart === m && x.tier === tier);
        if (!p || p.share === 0) return null;
        const hh = p.share * hgt; y -= hh;
        return h('rect', { x: 5 + i * (w + gap), y, width: w, height: hh, class: 'fill-' + tier },
          h('title', null, `${m} ${t('tier.' + tier)}: ${p.count} (${pct(p.share)})`));
      }), h('text', { x: 5 + i * (w + gap) + w / 2, y: hgt + 16, 'text-anchor': 'middle', class: 'axis' }, m.slice(2, 7)));
    }));
}

export function Legend({ t }) {
  return h('ul', { class: 'legend' }, ORDER.map((tier) => h('li', null, h('span', { class: 'swatch fill-' + tier }), t('tier.' + tier))));
}

export class Overview extends Component {
  constructor() { super(); this.state = { breakdown: '', result: null }; }
  componentDidMount() { this.load(); }
  async load() {
    const result = await run(DOC, 'Overview', { breakdown: this.state.breakdown || null, ...lastMonths(12) });
    this.setState({ result });
  }
  render({ t }, { breakdown, result }) {
    const d = result?.data;
    const churn = d?.churnStatistics;
    return h('section', { id: 'overview', 'aria-labelledby': 'overview-title' },
      h('h1', { id: 'overview-title' }, t('overview.title')),
      h(Notices, { notices: noticesOf(result, t) }),
      !result && h('p', { role: 'status' }, t('loading')),
      d?.tierDistribution && h('div', null,
        h('div', { class: 'field' }, h('label', { for: 'o-breakdown' }, t('overview.breakdown')),
          h('select', { id: 'o-breakdown', value: breakdown, onChange: (e) => this.setState({ breakdown: e.target.value }, () => this.load()) },
            [['', t('overview.breakdown.none')], ['KIND', 'KIND'], ['INDUSTRY', 'INDUSTRY'], ['VALUE_TIER', 'VALUE_TIER']].map(([v, l]) => h('option', { value: v }, l)))),
        h(Table, { id: 'distribution', caption: t('overview.distribution'),
          head: [t('overview.group'), t('board.tier'), t('overview.count'), t('overview.share')],
          rows: d.tierDistribution.map((r) => h('tr', null, h('td', null, r.group ?? '—'), h('th', { scope: 'row' }, t('tier.' + r.tier)),
            h('td', { class: 'num' }, r.count), h('td', { class: 'num' }, pct(r.share)))) })),
      d?.tierTrend && h('section', null, h('h2', null, t('overview.trend')), h(TrendChart, { points: d.tierTrend, t }), h(Legend, { t })),
      churn && h('section', { id: 'churn-summary' }, h('h2', null, t('overview.churn')),
        h('dl', null, h('dt', null, t('overview.churnRate')), h('dd', null, pct(churn.total.churnRate)),
          h('dt', null, t('overview.retentionRate')), h('dd', null, pct(churn.total.retentionRate)),
          h('dt', null, t('overview.churnedSpend')), h('dd', null, fmt(churn.lostValue.churnedAnnualisedSpend, 0), ' (', churn.lostValue.churnedCustomers, ')'),
          h('dt', null, t('overview.retainedSpend')), h('dd', null, fmt(churn.lostValue.retainedAnnualisedSpend, 0), ' (', churn.lostValue.retainedCustomers, ')')),
        h(Table, { caption: t('overview.reasons'), head: [t('overview.reasons'), t('overview.count'), t('overview.share')],
          rows: churn.byReason.map((r) => h('tr', null, h('th', { scope: 'row' }, r.key), h('td', { class: 'num' }, r.count), h('td', { class: 'num' }, pct(r.share)))) })));
  }
}
