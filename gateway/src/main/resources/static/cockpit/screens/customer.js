// Customer card: profile, score history (uPlot), components as points-lost bars, risk factors,
// RFM and value, action plans with the transitions their status allows, latest activity.
import { h, Component, Notices, noticesOf, TierBadge, fmt, pct, Table } from '../ui.js';
import { run } from '../api.js';
import uPlot from '/webjars/uplot/1.6.30/dist/uPlot.esm.js';

const DOC = './screens/customer.graphql';
// PLANNED → IN_PROGRESS → DONE; PLANNED or IN_PROGRESS → CANCELLED (retention's PlanStatus)
const NEXT = { PLANNED: ['IN_PROGRESS', 'CANCELLED'], IN_PROGRESS: ['DONE', 'CANCELLED'], DONE: [], CANCELLED: [] };

class History extends Component {
  componentDidMount() { this.draw(); }
  componentDidUpdate() { this.draw(); }
  componentWillUnmount() { this.plot && this.plot.destroy(); }
  draw() {
    this.plot && this.plot.destroy();
    const points = (this.props.points || []).filter((p) => p.score !== null);
    if (points.length === 0 || !this.el) return;
    const xs = points.map((p) => Date.parse(p.asOf + 'T00:00:00Z') / 1000);
    const ys = points.map((p) => p.score);
    this.plot = new uPlot({
      width: Math.min(640, this.el.clientWidth || 640), height: 200,
      // one assessment alone still gets a readable time axis (a month each side)
      scales: { x: { time: true, range: (u, min, max) => (min === max ? [min - 2592000, max + 2592000] : [min, max]) }, y: { range: [0, 100] } },
      series: [{}, { label: this.props.label, stroke: '#1f5fbf', width: 2, points: { size: 7 } }],
      axes: [{}, { label: this.props.label }],
    }, [xs, ys], this.el);
  }
  render({ points, t }) {
    return h('div', null,
      h('div', { ref: (el) => (this.el = el), class: 'chart', 'aria-hidden': 'true' }),
      h('ul', { class: 'history-list' }, (points || []).map((p) =>
        h('li', null, p.asOf, ': ', fmt(p.score), ' (', t('tier.' + p.tier), ')'))));
  }
}

/** Each component's weight as a bar: the part kept, then the points lost. */
function ComponentBars({ components, t }) {
  return h(Table, { id: 'components', caption: t('customer.components'),
    head: [t('customer.component'), t('customer.weight'), t('customer.value'), t('customer.lost'), ''],
    rows: components.map((c) => {
      const lost = c.pointsLost ?? 0;
      return h('tr', null,
        h('th', { scope: 'row' }, c.name), h('td', { class: 'num' }, c.weight), h('td', { class: 'num' }, fmt(c.value)),
        h('td', { class: 'num' }, fmt(c.pointsLost)),
        h('td', { class: 'barcell' }, h('div', { class: 'bar', role: 'img', 'aria-label': `${c.name}: ${fmt(lost)} / ${c.weight}` },
          h('span', { class: 'kept', style: { width: Math.max(0, c.weight - lost) * 3 + 'px' } }),
          h('span', { class: 'lost', style: { width: lost * 3 + 'px' } }))));
    }) });
}

export class CustomerCard extends Component {
  constructor() { super(); this.state = { result: null, change: null, message: null }; }
  componentDidMount() { this.load(); }
  async load() {
    const result = await run(DOC, 'CustomerCard', { id: this.props.id, locale: this.props.lang });
    this.setState({ result });
  }
  async move(plan, status) {
    const change = await run(DOC, 'ChangePlanStatus', { planId: plan.id, status });
    const payload = change.data?.changeActionPlanStatus;
    const message = payload && payload.errors.length === 0
      ? this.props.t('customer.changed', { id: plan.id, status: this.props.t('status.' + payload.plan.status) }) : null;
    this.setState({ change, message, payloadErrors: payload?.errors || [] });
    await this.load();
  }

  plans(plans, t, lang) {
    if (plans === null || plans === undefined) return h('p', null, t('customer.unavailable'));
    if (plans.length === 0) return h('p', null, t('customer.noPlans'));
    return h(Table, { id: 'plans', caption: t('customer.plans'),
      head: [t('customer.problem'), t('customer.measures'), t('customer.department'), t('customer.due'), t('customer.effect'), t('customer.planStatus'), t('customer.actions')],
      rows: plans.map((p) => h('tr', { id: 'plan-' + p.id },
        h('th', { scope: 'row' }, h('span', { class: 'code' }, p.problem.code), h('br'), p.problem.message),
        h('td', null, lang === 'zh-CN' ? p.measuresZh : p.measuresEn),
        h('td', null, p.department, p.owner ? ' · ' + p.owner : ''),
        h('td', null, p.dueDate, p.overdue ? h('strong', null, ' ' + t('customer.overdue')) : ''),
        h('td', null, `${p.expectedEffect.metric} ${p.expectedEffect.comparator} ${p.expectedEffect.target} / ${p.expectedEffect.withinDays} d`),
        h('td', { class: 'status' }, t('status.' + p.status)),
        h('td', null, NEXT[p.status].map((s) => h('button', { type: 'button', id: `plan-${p.id}-${s}`, onClick: () => this.move(p, s) }, t('action.' + s)))))) });
  }

  render({ id, t, lang }, { result, change, message, payloadErrors }) {
    if (!result) return h('p', { role: 'status' }, t('loading'));
    const c = result.data?.customer;
    const notices = [...noticesOf(result, t), ...noticesOf(change, t),
      ...(payloadErrors || []).map((e) => ({ kind: 'error', text: `${e.code}: ${e.message}${e.expected ? ' (' + e.expected + ')' : ''}` }))];
    const head = h('p', null, h('a', { href: '#/board', id: 'back' }, t('customer.back')));
    if (!c) return h('section', { id: 'customer' }, head, h('h1', null, t('customer.title', { id })), h(Notices, { notices }),
      result.errors.length === 0 && h('p', null, t('customer.notFound', { id })));
    const l = c.loyalty;
    const dl = (pairs) => h('dl', null, pairs.flatMap(([k, v]) => [h('dt', null, k), h('dd', null, v ?? '—')]));
    return h('section', { id: 'customer', 'aria-labelledby': 'customer-title' }, head,
      h('h1', { id: 'customer-title' }, t('customer.title', { id: c.id }), ' ', c.name ?? '', ' ', l && h(TierBadge, { tier: l.tier, label: l.tierLabel, t })),
      h(Notices, { notices }),
      message && h('p', { class: 'notice ok', role: 'status', id: 'plan-message' }, message),
      h('div', { class: 'grid' },
        h('section', { 'aria-labelledby': 'h-profile' }, h('h2', { id: 'h-profile' }, t('customer.profile')),
          dl([[t('customer.kind'), c.kind], [t('customer.industry'), c.industry], [t('customer.region'), c.region],
            [t('board.valueTier'), c.valueTier], [t('customer.since'), c.since], [t('customer.status'), c.status],
            [t('customer.manager'), c.accountManager],
            [t('customer.contact'), c.contact && h('span', { id: 'contact' }, [c.contact.name, c.contact.phone, c.contact.email].filter(Boolean).join(' · ') || '—',
              c.contact.masked ? h('em', null, ' (' + t('customer.masked') + ')') : '')]]),
          c.churn && h('p', null, t('customer.churned', { date: c.churn.churnedAt, type: c.churn.type, cause: c.churn.causeClass }), ' ', c.churn.reasons.join(', '))),
        h('section', { 'aria-labelledby': 'h-loyalty' }, h('h2', { id: 'h-loyalty' }, t('customer.loyalty')),
          l ? [h('p', { class: 'score' }, h('span', { id: 'score' }, fmt(l.score)), ' ', t('customer.asOf', { date: l.asOf }),
            l.tierCaps.length ? ' · caps: ' + l.tierCaps.join(', ') : '', ' · ', l.profileName + ' v' + l.profileVersion),
          h('h3', null, t('customer.history')), h(History, { points: c.loyaltyHistory, t, label: t('board.score') })]
            : h('p', null, t('customer.unavailable')))),
      l && h(ComponentBars, { components: l.components, t }),
      l && h(Table, { id: 'risks', caption: t('customer.risks'),
        head: [t('board.riskCode'), t('customer.severity'), t('customer.value'), t('customer.lost'), t('customer.risks')],
        rows: l.riskFactors.map((r) => h('tr', { class: 'sev-' + r.severity },
          h('th', { scope: 'row' }, r.code), h('td', null, r.severity), h('td', { class: 'num' }, fmt(r.value, 2) + (r.threshold !== null ? ' / ' + fmt(r.threshold, 2) : '')),
          h('td', { class: 'num' }, fmt(r.pointsLost)), h('td', null, r.message))) }),
      l && h('section', { 'aria-labelledby': 'h-rfm' }, h('h2', { id: 'h-rfm' }, t('customer.rfm')),
        dl([[t('customer.segment'), l.rfm ? `${l.rfm.segment} (R${l.rfm.r} F${l.rfm.f} M${l.rfm.m})` : null],
          [t('customer.spendAll'), fmt(l.value.spendAllTime, 0)], [t('customer.spendWindow'), fmt(l.value.spendInWindow, 0)],
          [t('customer.annual'), fmt(l.value.annualisedSpend, 0)], [t('customer.clv'), fmt(l.value.clv, 0)],
          [t('customer.retention'), pct(l.value.retentionRate)]])),
      h('section', { 'aria-labelledby': 'h-plans' }, h('h2', { id: 'h-plans' }, t('customer.plans')), this.plans(c.actionPlans, t, lang)),
      h('div', { class: 'grid' },
        h('section', null, h('h2', null, t('customer.orders')), h('ul', null, (c.orders?.edges || []).map(({ node: o }) =>
          h('li', null, o.placedAt.slice(0, 10), ' · ', fmt(o.amount, 2), ' ', o.currency, ' · ', o.status)))),
        h('section', null, h('h2', null, t('customer.tickets')), h('ul', null, (c.tickets?.edges || []).map(({ node: k }) =>
          h('li', null, k.openedAt.slice(0, 10), ' · ', k.category ?? '', k.complaint ? ' · !' : '', k.resolvedAt ? '' : ' · open')))),
        h('section', null, h('h2', null, t('customer.surveys')), h('ul', null, (c.surveys?.edges || []).map(({ node: s }) =>
          h('li', null, s.answeredAt.slice(0, 10), ' · NPS ', s.score, s.csat ? ' · CSAT ' + s.csat : '', s.comment ? ' · ' + s.comment : ''))))));
  }
}
