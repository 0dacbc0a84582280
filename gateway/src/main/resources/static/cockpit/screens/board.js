// At-risk board: filters, keyset pages, sort within the page, risk factors in the chosen
// language, open plans, and warnings arriving live over graphql-ws.
import { h, Component, Notices, noticesOf, TierBadge, fmt, Table } from '../ui.js';
import { run, subscribe } from '../api.js';

const DOC = './screens/board.graphql';
const AT_RISK = ['HIGH_RISK', 'POTENTIAL_CHURN'];
const TIERS = ['HIGH_RISK', 'POTENTIAL_CHURN', 'STABLE', 'DIEHARD', 'NEW', 'UNSCORED'];
const RISK_CODES = ['FREQUENCY_DROP', 'NO_RECENT_PURCHASE', 'HIGH_COMPLAINT_RATE', 'LOW_NPS',
  'SLOW_SERVICE_RESPONSE', 'UNRESOLVED_TICKETS', 'VOLATILE_ORDER_VALUE', 'SCORE_DECLINE', 'LOW_SATISFACTION'];
const OPEN = ['PLANNED', 'IN_PROGRESS'];

// the filter survives going to a customer card and back (same tab)
const FILTER_KEY = 'retain.board.filter';

export class Board extends Component {
  constructor() {
    super();
    const saved = JSON.parse(sessionStorage.getItem(FILTER_KEY) || 'null');
    this.state = {
      form: saved || { tier: '', riskCode: '', segment: '', minScore: '', maxScore: '' },
      sort: 'score', cursors: [null], result: null, loading: true, live: [], liveState: 'off', flash: new Set(),
    };
  }

  componentDidMount() {
    this.load(null);
    this.stop = subscribe(DOC, 'Warnings', {}, {
      next: (payload) => {
        const w = payload.data?.warningRaised;
        if (!w) return;
        const flash = new Set(this.state.flash); flash.add(w.customerId);
        this.setState({ live: [w, ...this.state.live].slice(0, 20), flash });
      },
      opened: () => this.setState({ liveState: 'on' }),
      error: () => this.setState({ liveState: 'off' }),
      closed: () => this.setState({ liveState: 'off' }),
    });
  }

  componentWillUnmount() { this.stop && this.stop(); }

  filter() {
    const f = this.state.form;
    const filter = { tiers: f.tier ? [f.tier] : AT_RISK };
    if (f.riskCode) filter.riskCodes = [f.riskCode.trim().toUpperCase()];
    if (f.segment) filter.segments = [f.segment.trim()];
    if (f.minScore !== '') filter.minScore = Number(f.minScore);
    if (f.maxScore !== '') filter.maxScore = Number(f.maxScore);
    return filter;
  }

  async load(after) {
    this.setState({ loading: true });
    const result = await run(DOC, 'Board', { filter: this.filter(), first: 20, after, locale: this.props.lang });
    this.setState({ result, loading: false });
  }

  apply(e) {
    e.preventDefault();
    sessionStorage.setItem(FILTER_KEY, JSON.stringify(this.state.form));
    this.setState({ cursors: [null] });
    this.load(null);
  }

  page(delta) {
    const cursors = [...this.state.cursors];
    if (delta > 0) cursors.push(this.state.result.data.customersByLoyalty.pageInfo.endCursor);
    else cursors.pop();
    this.setState({ cursors });
    this.load(cursors[cursors.length - 1]);
  }

  field(name, label, input) {
    return h('div', { class: 'field' }, h('label', { for: 'f-' + name }, label), input);
  }

  rows(t) {
    const conn = this.state.result?.data?.customersByLoyalty;
    if (!conn) return [];
    const nodes = conn.edges.map((e) => e.node);
    const by = {
      score: (a, b) => (a.loyalty?.score ?? 101) - (b.loyalty?.score ?? 101),
      value: (a, b) => (b.loyalty?.value?.clv ?? -1) - (a.loyalty?.value?.clv ?? -1),
      id: (a, b) => a.id.localeCompare(b.id),
    }[this.state.sort];
    return nodes.sort(by).map((n) => h('tr', { id: 'row-' + n.id, class: this.state.flash.has(n.id) ? 'flash' : undefined },
      h('th', { scope: 'row' }, h('a', { href: '#/customer/' + encodeURIComponent(n.id) }, n.id), ' ', n.name ?? ''),
      h('td', null, n.valueTier ?? '—'),
      h('td', null, h(TierBadge, { tier: n.loyalty?.tier, label: n.loyalty?.tierLabel, t })),
      h('td', { class: 'num' }, fmt(n.loyalty?.score)),
      h('td', { class: 'num' }, fmt(n.loyalty?.value?.clv, 0)),
      h('td', null, h('ul', { class: 'risks' }, (n.loyalty?.riskFactors || []).map((r) =>
        h('li', { class: 'sev-' + r.severity, title: r.code }, h('span', { class: 'code' }, r.code), ' ', r.message)))),
      h('td', null, n.actionPlans === null ? t('customer.unavailable')
        : h('ul', { class: 'plans' }, n.actionPlans.filter((p) => OPEN.includes(p.status)).map((p) =>
          h('li', null, p.problem.code, ' · ', t('status.' + p.status), p.overdue ? ' · ' + t('customer.overdue') : ''))))));
  }

  render({ t }, { form, sort, result, loading, live, liveState, cursors }) {
    const set = (k) => (e) => this.setState({ form: { ...form, [k]: e.target.value } });
    const conn = result?.data?.customersByLoyalty;
    return h('section', { id: 'board', 'aria-labelledby': 'board-title' },
      h('h1', { id: 'board-title' }, t('board.title')),
      h('form', { class: 'filters', onSubmit: (e) => this.apply(e), 'aria-label': t('board.filters') },
        this.field('tier', t('board.tier'), h('select', { id: 'f-tier', value: form.tier, onChange: set('tier') },
          h('option', { value: '' }, t('board.anyTier')), TIERS.map((x) => h('option', { value: x }, t('tier.' + x))))),
        this.field('risk', t('board.riskCode'), h('input', { id: 'f-risk', list: 'risk-codes', value: form.riskCode, onInput: set('riskCode') })),
        h('datalist', { id: 'risk-codes' }, RISK_CODES.map((c) => h('option', { value: c }))),
        this.field('segment', t('board.segment'), h('input', { id: 'f-segment', value: form.segment, onInput: set('segment') })),
        this.field('min', t('board.minScore'), h('input', { id: 'f-min', type: 'number', min: 0, max: 100, step: 0.1, value: form.minScore, onInput: set('minScore') })),
        this.field('max', t('board.maxScore'), h('input', { id: 'f-max', type: 'number', min: 0, max: 100, step: 0.1, value: form.maxScore, onInput: set('maxScore') })),
        h('button', { type: 'submit', id: 'f-apply' }, t('apply')),
        this.field('sort', t('board.sort'), h('select', { id: 'f-sort', value: sort, onChange: (e) => this.setState({ sort: e.target.value }) },
          ['score', 'value', 'id'].map((s) => h('option', { value: s }, t('board.sort.' + s)))))),
      h(Notices, { notices: noticesOf(result, t) }),
      h('aside', { class: 'live', 'aria-live': 'polite', id: 'live' },
        h('h2', null, t('board.live'), ' ', h('small', null, '(' + t(liveState === 'on' ? 'board.liveOn' : 'board.liveOff') + ')')),
        live.length === 0 ? h('p', null, t('board.liveNone')) : h('ul', null, live.map((w) =>
          h('li', { class: 'flash' }, h('a', { href: '#/customer/' + encodeURIComponent(w.customerId) },
            t('board.warning', { id: w.customerId, name: w.customer?.name ?? '', from: w.fromTier ? t('tier.' + w.fromTier) : '—', to: t('tier.' + w.toTier) })))))),
      loading ? h('p', { role: 'status' }, t('loading')) : conn && h('div', null,
        h('p', { id: 'board-total', role: 'status' }, t('board.total', { count: conn.totalCount }), ' · ', t('board.page', { n: cursors.length })),
        h(Table, { id: 'board-table', caption: t('board.title'),
          head: [t('board.customer'), t('board.valueTier'), t('board.tier'), t('board.score'), t('board.clv'), t('board.risks'), t('board.plans')],
          rows: this.rows(t) }),
        h('div', { class: 'pager' },
          h('button', { type: 'button', id: 'prev', disabled: cursors.length < 2, onClick: () => this.page(-1) }, t('board.prev')),
          h('button', { type: 'button', id: 'next', disabled: !conn.pageInfo.hasNextPage, onClick: () => this.page(1) }, t('board.next')))));
  }
}
