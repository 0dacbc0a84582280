// Campaigns: list, create and launch (CAMPAIGN_MANAGER), results with each uplift's 95% CI drawn
// as an interval around zero (treatment vs holdout).
import { h, Component, Notices, noticesOf, Table, fmt } from '../ui.js';
import { run } from '../api.js';
import { iso } from './dates.js';

const DOC = './screens/campaigns.graphql';

/** An uplift and its CI on a common scale, with the zero line: an interval not crossing 0 is an effect. */
export function Interval({ u }) {
  const lo = u.ciLow ?? u.uplift, hi = u.ciHigh ?? u.uplift;
  const span = Math.max(Math.abs(lo), Math.abs(hi), Math.abs(u.uplift), 1e-9) * 1.1;
  const x = (v) => 100 + (v / span) * 95;
  return h('svg', { class: 'interval', viewBox: '0 0 200 20', role: 'img', 'aria-label': `${fmt(u.uplift, 3)} [${fmt(u.ciLow, 3)}, ${fmt(u.ciHigh, 3)}]` },
    h('line', { x1: 100, x2: 100, y1: 0, y2: 20, class: 'zero' }),
    h('line', { x1: x(lo), x2: x(hi), y1: 10, y2: 10, class: 'ci' }),
    h('circle', { cx: x(u.uplift), cy: 10, r: 4, class: 'point' }));
}

export class Campaigns extends Component {
  constructor() {
    super();
    const start = new Date();
    const end = new Date(Date.now() + 30 * 86400000);
    this.state = { result: null, action: null, form: { name: '', objective: 'RETENTION', offer: '', channel: 'EMAIL',
      startDate: iso(start), endDate: iso(end), holdoutShare: '0.1', tier: 'HIGH_RISK' } };
  }
  componentDidMount() { this.load(); }
  async load() { this.setState({ result: await run(DOC, 'Campaigns') }); }
  async act(op, vars, key) {
    const action = await run(DOC, op, vars);
    this.setState({ action, actionErrors: action.data?.[key]?.errors || [] });
    await this.load();
  }
  create(e) {
    e.preventDefault();
    const f = this.state.form;
    this.act('CreateCampaign', { input: { name: f.name, objective: f.objective, offer: f.offer, channel: f.channel,
      startDate: f.startDate, endDate: f.endDate, holdoutShare: Number(f.holdoutShare), target: { tiers: f.tier ? [f.tier] : [] } } }, 'createCampaign');
  }
  render({ t }, { result, action, actionErrors, form }) {
    const set = (k) => (e) => this.setState({ form: { ...form, [k]: e.target.value } });
    const input = (k, label, attrs = {}) => h('div', { class: 'field' }, h('label', { for: 'cp-' + k }, label),
      h('input', { id: 'cp-' + k, value: form[k], onInput: set(k), required: true, ...attrs }));
    const list = result?.data?.campaigns?.edges?.map((e) => e.node);
    return h('section', { id: 'campaigns', 'aria-labelledby': 'campaigns-title' },
      h('h1', { id: 'campaigns-title' }, t('campaigns.title')),
      !result && h('p', { role: 'status' }, t('loading')),
      h(Notices, { notices: [...noticesOf(result, t), ...noticesOf(action, t),
        ...(actionErrors || []).map((e) => ({ kind: 'error', text: `${e.code}${e.field ? ' ' + e.field : ''}: ${e.message}` }))] }),
      h('form', { class: 'filters', onSubmit: (e) => this.create(e) },
        input('name', t('campaigns.name')), input('objective', t('campaigns.objective')), input('offer', t('campaigns.offer')),
        input('channel', t('campaigns.channel')),
        input('startDate', t('campaigns.start'), { type: 'date' }), input('endDate', t('campaigns.end'), { type: 'date' }),
        input('holdoutShare', t('campaigns.holdout'), { type: 'number', min: 0, max: 0.5, step: 0.05 }),
        input('tier', t('board.tier')),
        h('button', { type: 'submit', id: 'cp-create' }, t('campaigns.create'))),
      list && (list.length === 0 ? h('p', null, t('campaigns.none')) : h(Table, { id: 'campaign-list', caption: t('campaigns.title'),
        head: [t('campaigns.name'), t('campaigns.status'), 'n', t('campaigns.results')],
        rows: list.map((c) => h('tr', { id: 'campaign-' + c.id },
          h('th', { scope: 'row' }, c.name, h('br'), h('small', null, `${c.offer} · ${c.channel} · ${c.startDate} – ${c.endDate}`)),
          h('td', null, c.status, c.status === 'DRAFT' && h('button', { type: 'button', id: 'launch-' + c.id, onClick: () => this.act('LaunchCampaign', { id: c.id }, 'launchCampaign') }, t('campaigns.launch'))),
          h('td', { class: 'num' }, `${c.treatmentCount} / ${c.holdoutCount}`),
          h('td', null, c.results === null ? '—' : h('ul', { class: 'uplifts' }, c.results.treatmentVsHoldout.map((u) =>
            h('li', null, `${u.metric}: ${fmt(u.value, 3)} vs ${fmt(u.baseline, 3)}, ${t('campaigns.uplift')} ${fmt(u.uplift, 3)} [${fmt(u.ciLow, 3)}, ${fmt(u.ciHigh, 3)}] `, h(Interval, { u }))))))) })));
  }
}
