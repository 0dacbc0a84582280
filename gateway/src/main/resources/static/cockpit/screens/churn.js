// Churn report: monthly cohorts as a retention heatmap (each cell also says its value), churn
// timing, and churns by type, cause class and reason.
import { h, Component, Notices, noticesOf, Table, pct } from '../ui.js';
import { run } from '../api.js';
import { lastMonths } from './dates.js';

const DOC = './screens/churn.graphql';

function Counts({ caption, rows, t }) {
  return h(Table, { caption, head: [caption, t('overview.count'), t('overview.share')],
    rows: rows.map((r) => h('tr', null, h('th', { scope: 'row' }, r.key), h('td', { class: 'num' }, r.count), h('td', { class: 'num' }, pct(r.share)))) });
}

export class ChurnReport extends Component {
  constructor() { super(); this.state = { ...lastMonths(12), result: null }; }
  componentDidMount() { this.load(); }
  async load() { this.setState({ result: await run(DOC, 'ChurnReport', { from: this.state.from, to: this.state.to }) }); }
  render({ t }, { from, to, result }) {
    const s = result?.data?.churnStatistics;
    const width = s ? Math.max(0, ...s.cohorts.map((c) => c.rates.length)) : 0;
    return h('section', { id: 'churn', 'aria-labelledby': 'churn-title' },
      h('h1', { id: 'churn-title' }, t('churn.title')),
      h('form', { class: 'filters', onSubmit: (e) => { e.preventDefault(); this.load(); } },
        h('div', { class: 'field' }, h('label', { for: 'c-from' }, t('churn.from')), h('input', { id: 'c-from', type: 'date', value: from, onInput: (e) => this.setState({ from: e.target.value }) })),
        h('div', { class: 'field' }, h('label', { for: 'c-to' }, t('churn.to')), h('input', { id: 'c-to', type: 'date', value: to, onInput: (e) => this.setState({ to: e.target.value }) })),
        h('button', { type: 'submit' }, t('apply'))),
      h(Notices, { notices: noticesOf(result, t) }),
      !result && h('p', { role: 'status' }, t('loading')),
      s && h(Table, { id: 'cohorts', caption: t('churn.cohorts'),
        head: [t('churn.cohort'), t('churn.size'), ...Array.from({ length: width }, (_, i) => 'M' + i)],
        rows: s.cohorts.map((c) => h('tr', null, h('th', { scope: 'row' }, c.cohort), h('td', { class: 'num' }, c.size),
          Array.from({ length: width }, (_, i) => i < c.rates.length
            // lightness from the rate: 100 % retained is the darkest blue; text colour keeps contrast
            ? h('td', { class: 'heat' + (c.rates[i] > 0.55 ? ' dark' : ''), style: { backgroundColor: `hsl(215, 70%, ${Math.round(95 - c.rates[i] * 60)}%)` } }, pct(c.rates[i]))
            : h('td', null, '')))) }),
      s && h('dl', { id: 'timing' }, h('dt', null, t('churn.within3')), h('dd', null, s.timing.withinThreeMonths),
        h('dt', null, t('churn.3to12')), h('dd', null, s.timing.threeToTwelveMonths),
        h('dt', null, t('churn.over12')), h('dd', null, s.timing.overTwelveMonths)),
      s && h('div', { class: 'grid' }, h(Counts, { caption: t('churn.byType'), rows: s.byType, t }),
        h(Counts, { caption: t('churn.byCause'), rows: s.byCauseClass, t }), h(Counts, { caption: t('churn.byReason'), rows: s.byReason, t })));
  }
}
