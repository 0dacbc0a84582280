// Data import (DATA_STEWARD): upload a CSV, see accepted and quarantined counts, correct a
// quarantined row and resubmit it.
import { h, Component, Notices, noticesOf, Table } from '../ui.js';
import { run } from '../api.js';
import { csvToNdjson } from './csv.js';

const DOC = './screens/import.graphql';
const ENTITIES = ['customers', 'orders', 'tickets', 'surveys', 'churn'];

export class DataImport extends Component {
  constructor() {
    super();
    this.state = { entity: 'customers', result: null, problem: null, quarantine: null, edits: {}, resolved: null, resubmit: null };
  }
  componentDidMount() { this.loadQuarantine(); }

  async loadQuarantine() {
    const quarantine = await run(DOC, 'Quarantine', { entity: this.state.entity });
    this.setState({ quarantine });
  }

  async upload(e) {
    e.preventDefault();
    const file = this.fileInput.files[0];
    if (!file) return;
    const { lines } = csvToNdjson(await file.text());
    if (lines.length === 0) return this.setState({ problem: 'import.empty', result: null });
    if (lines.length > 5000) return this.setState({ problem: 'import.tooMany', result: null });
    const result = await run(DOC, 'ImportBatch', { entity: this.state.entity, ndjson: lines.join('\n') + '\n' });
    this.setState({ result, problem: null, resolved: null });
    await this.loadQuarantine();
  }

  async resubmit(row) {
    const text = this.state.edits[row.id] ?? row.raw;
    const resubmit = await run(DOC, 'Resubmit', { id: row.id, row: text });
    const payload = resubmit.data?.resubmitQuarantined;
    this.setState({ resubmit, resolved: payload?.resolved ? row : null, resubmitErrors: payload?.errors || [] });
    await this.loadQuarantine();
  }

  render({ t }, { entity, result, problem, quarantine, edits, resolved, resubmit, resubmitErrors }) {
    const r = result?.data?.importBatch;
    const rows = quarantine?.data?.quarantine;
    return h('section', { id: 'import', 'aria-labelledby': 'import-title' },
      h('h1', { id: 'import-title' }, t('import.title')),
      h('form', { class: 'filters', onSubmit: (e) => this.upload(e) },
        h('div', { class: 'field' }, h('label', { for: 'i-entity' }, t('import.entity')),
          h('select', { id: 'i-entity', value: entity, onChange: (e) => this.setState({ entity: e.target.value }, () => this.loadQuarantine()) },
            ENTITIES.map((x) => h('option', { value: x }, x)))),
        h('div', { class: 'field' }, h('label', { for: 'i-file' }, t('import.file')),
          h('input', { id: 'i-file', type: 'file', accept: '.csv,text/csv', required: true, ref: (el) => (this.fileInput = el) })),
        h('button', { type: 'submit', id: 'i-upload' }, t('import.upload'))),
      problem && h('p', { class: 'notice error', role: 'alert' }, t(problem)),
      h(Notices, { notices: [...noticesOf(result, t), ...noticesOf(quarantine, t), ...noticesOf(resubmit, t),
        ...(resubmitErrors || []).map((e) => ({ kind: 'error', text: `${e.code}${e.field ? ' ' + e.field : ''}: ${e.message}` }))] }),
      r && h('p', { id: 'import-result', class: 'notice ok', role: 'status' },
        t('import.result', { rows: r.rowsIn, accepted: r.accepted, quarantined: r.quarantined })),
      resolved && h('p', { id: 'resubmit-result', class: 'notice ok', role: 'status' }, t('import.resolved', { row: resolved.rowNumber })),
      h('h2', null, t('import.quarantine')),
      rows && (rows.length === 0 ? h('p', { id: 'quarantine-empty' }, t('import.quarantineNone'))
        : h(Table, { id: 'quarantine', caption: t('import.quarantine'),
          head: [t('import.row'), t('import.column'), t('import.reason'), t('import.correct'), ''],
          rows: rows.map((q) => h('tr', { id: 'q-' + q.id },
            h('th', { scope: 'row' }, q.rowNumber), h('td', null, q.column ?? '—'), h('td', { class: 'reason' }, q.reason),
            h('td', null, h('label', { for: 'fix-' + q.id, class: 'sr-only' }, t('import.correct') + ' ' + q.rowNumber),
              h('textarea', { id: 'fix-' + q.id, rows: 3, cols: 50, value: edits[q.id] ?? q.raw,
                onInput: (e) => this.setState({ edits: { ...edits, [q.id]: e.target.value } }) })),
            h('td', null, h('button', { type: 'button', id: 'resubmit-' + q.id, onClick: () => this.resubmit(q) }, t('import.resubmit'))))) })));
  }
}
