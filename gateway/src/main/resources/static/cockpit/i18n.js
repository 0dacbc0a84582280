// Every label of the cockpit in English and simplified Chinese. Messages that come from the
// services (risk factors, tier labels) are asked for in the same language (locale argument).
const LANG_KEY = 'retain.lang';

const en = {
  title: 'retain cockpit', language: 'Language', signOut: 'Sign out', signIn: 'Sign in',
  nav: 'Screens', 'nav.board': 'At-risk board', 'nav.overview': 'Overview', 'nav.campaigns': 'Campaigns',
  'nav.churn': 'Churn report', 'nav.import': 'Data import', 'nav.graphiql': 'GraphiQL',
  'signin.title': 'Sign in', 'signin.token': 'Access token (JWT)',
  'signin.help': 'Paste a token. deploy/run-local prints an ADMIN token when the suite is up.',
  'signin.roles': 'Signed in with roles', 'signin.expires': 'Token expires', 'signin.bad': 'This is not a JWT (three dot-separated parts).',
  'signin.expired': 'This token has expired.',
  'notice.unauthenticated': 'Your token was refused (401): sign in again with a valid token.',
  'notice.forbidden': 'Your roles do not allow this (403 FORBIDDEN): {message}',
  'notice.unavailable': '{subgraph} is unavailable: the fields it provides are missing; the rest of the page is shown.',
  'notice.error': 'Error: {message}', 'notice.network': 'The gateway cannot be reached.',
  loading: 'Loading…', none: 'none', apply: 'Apply', reset: 'Reset',
  'board.title': 'At-risk board', 'board.filters': 'Filters', 'board.tier': 'Tier', 'board.anyTier': 'Any at-risk tier',
  'board.riskCode': 'Risk code', 'board.segment': 'RFM segment', 'board.minScore': 'Minimum score', 'board.maxScore': 'Maximum score',
  'board.sort': 'Sort this page by', 'board.sort.score': 'Score (lowest first)', 'board.sort.value': 'Customer lifetime value (highest first)',
  'board.sort.id': 'Customer id',
  'board.total': '{count} customers match', 'board.customer': 'Customer', 'board.valueTier': 'Value tier',
  'board.score': 'Score', 'board.risks': 'Risk factors', 'board.plans': 'Open plans', 'board.clv': 'CLV',
  'board.next': 'Next page', 'board.prev': 'Previous page', 'board.page': 'Page {n}',
  'board.live': 'Live warnings', 'board.liveNone': 'No warning since this page opened.',
  'board.liveOn': 'connected', 'board.liveOff': 'not connected',
  'board.warning': '{id} {name}: {from} → {to}',
  'customer.title': 'Customer {id}', 'customer.back': 'Back to the board', 'customer.profile': 'Profile',
  'customer.kind': 'Kind', 'customer.industry': 'Industry', 'customer.region': 'Region', 'customer.since': 'Customer since',
  'customer.status': 'Status', 'customer.manager': 'Account manager', 'customer.contact': 'Contact',
  'customer.masked': 'masked for your role', 'customer.loyalty': 'Loyalty', 'customer.asOf': 'as of {date}',
  'customer.history': 'Score history', 'customer.components': 'Score components (points lost of each weight)',
  'customer.component': 'Component', 'customer.weight': 'Weight', 'customer.value': 'Value', 'customer.lost': 'Points lost',
  'customer.risks': 'Risk factors', 'customer.severity': 'Severity', 'customer.rfm': 'RFM and value',
  'customer.segment': 'Segment', 'customer.spendAll': 'Spend, all time', 'customer.spendWindow': 'Spend, last 12 months',
  'customer.annual': 'Annualised spend', 'customer.clv': 'Lifetime value', 'customer.retention': 'Retention rate',
  'customer.plans': 'Action plans', 'customer.problem': 'Problem', 'customer.measures': 'Measures',
  'customer.department': 'Department', 'customer.due': 'Due', 'customer.effect': 'Expected effect', 'customer.planStatus': 'Status',
  'customer.actions': 'Actions', 'customer.overdue': 'overdue', 'customer.noPlans': 'No action plan.',
  'customer.orders': 'Latest orders', 'customer.tickets': 'Latest tickets', 'customer.surveys': 'Latest surveys',
  'customer.notFound': 'No customer {id}.', 'customer.churned': 'Churned {date} ({type}, {cause})',
  'customer.unavailable': 'not available', 'customer.changed': 'Plan {id} is now {status}.',
  'action.IN_PROGRESS': 'Start', 'action.DONE': 'Mark done', 'action.CANCELLED': 'Cancel plan',
  'import.title': 'Data import', 'import.entity': 'Entity', 'import.file': 'CSV file (header row first)',
  'import.upload': 'Import', 'import.result': '{rows} rows: {accepted} accepted, {quarantined} quarantined',
  'import.quarantine': 'Quarantined rows', 'import.quarantineNone': 'No quarantined row.', 'import.row': 'Row',
  'import.column': 'Column', 'import.reason': 'Reason', 'import.correct': 'Corrected row (JSON)',
  'import.resubmit': 'Resubmit', 'import.resolved': 'Row {row} accepted and removed from the quarantine.',
  'import.empty': 'The file has no data row.', 'import.tooMany': 'At most 5,000 rows per import from the cockpit.',
  'overview.title': 'Overview', 'overview.distribution': 'Tier distribution now', 'overview.trend': 'Tier trend (monthly, last 12 months)',
  'overview.breakdown': 'Break down by', 'overview.breakdown.none': 'nothing', 'overview.group': 'Group',
  'overview.count': 'Customers', 'overview.share': 'Share', 'overview.churn': 'Churn, last 12 months',
  'overview.churnRate': 'Churn rate', 'overview.retentionRate': 'Retention rate', 'overview.reasons': 'Churn reasons',
  'overview.lostValue': 'Lost value', 'overview.churnedSpend': 'Annualised spend of churned customers',
  'overview.retainedSpend': 'Annualised spend of retained customers', 'overview.period': 'Period end',
  'campaigns.title': 'Campaigns', 'campaigns.name': 'Name', 'campaigns.status': 'Status', 'campaigns.none': 'No campaign.',
  'campaigns.results': 'Results', 'campaigns.uplift': 'Uplift (95% CI)', 'campaigns.objective': 'Objective',
  'campaigns.offer': 'Offer', 'campaigns.channel': 'Channel', 'campaigns.start': 'Start', 'campaigns.end': 'End',
  'campaigns.holdout': 'Holdout share', 'campaigns.create': 'Create campaign', 'campaigns.launch': 'Launch',
  'churn.title': 'Churn report', 'churn.cohorts': 'Cohort retention (share still active, by months since start)',
  'churn.cohort': 'Cohort', 'churn.size': 'Size', 'churn.timing': 'Churn timing', 'churn.within3': 'Under 3 months ago',
  'churn.3to12': '3 to 11 months ago', 'churn.over12': '12 months or more ago', 'churn.byType': 'By type',
  'churn.byCause': 'By cause', 'churn.byReason': 'By reason', 'churn.from': 'From', 'churn.to': 'To',
  'tier.DIEHARD': 'Diehard', 'tier.STABLE': 'Stable', 'tier.POTENTIAL_CHURN': 'Potential churn', 'tier.HIGH_RISK': 'High risk',
  'tier.NEW': 'New', 'tier.UNSCORED': 'Unscored',
  'status.PLANNED': 'Planned', 'status.IN_PROGRESS': 'In progress', 'status.DONE': 'Done', 'status.CANCELLED': 'Cancelled',
};

const zh = {
  title: 'retain 驾驶舱', language: '语言', signOut: '退出', signIn: '登录',
  nav: '页面', 'nav.board': '风险客户看板', 'nav.overview': '总览', 'nav.campaigns': '营销活动',
  'nav.churn': '流失报告', 'nav.import': '数据导入', 'nav.graphiql': 'GraphiQL',
  'signin.title': '登录', 'signin.token': '访问令牌（JWT）',
  'signin.help': '粘贴令牌。deploy/run-local 启动完成后会打印一个 ADMIN 令牌。',
  'signin.roles': '已登录，角色', 'signin.expires': '令牌过期时间', 'signin.bad': '这不是 JWT（应为三段，以点分隔）。',
  'signin.expired': '该令牌已过期。',
  'notice.unauthenticated': '令牌被拒绝（401）：请使用有效令牌重新登录。',
  'notice.forbidden': '您的角色无权执行此操作（403 FORBIDDEN）：{message}',
  'notice.unavailable': '{subgraph} 暂不可用：其提供的字段缺失，页面其余部分照常显示。',
  'notice.error': '错误：{message}', 'notice.network': '无法连接网关。',
  loading: '加载中…', none: '无', apply: '应用', reset: '重置',
  'board.title': '风险客户看板', 'board.filters': '筛选', 'board.tier': '等级', 'board.anyTier': '任一风险等级',
  'board.riskCode': '风险代码', 'board.segment': 'RFM 细分', 'board.minScore': '最低分', 'board.maxScore': '最高分',
  'board.sort': '本页排序', 'board.sort.score': '分数（由低到高）', 'board.sort.value': '客户终身价值（由高到低）',
  'board.sort.id': '客户编号',
  'board.total': '共 {count} 位客户', 'board.customer': '客户', 'board.valueTier': '价值等级',
  'board.score': '分数', 'board.risks': '风险因素', 'board.plans': '未完成的计划', 'board.clv': '终身价值',
  'board.next': '下一页', 'board.prev': '上一页', 'board.page': '第 {n} 页',
  'board.live': '实时预警', 'board.liveNone': '本页打开后尚无预警。',
  'board.liveOn': '已连接', 'board.liveOff': '未连接',
  'board.warning': '{id} {name}：{from} → {to}',
  'customer.title': '客户 {id}', 'customer.back': '返回看板', 'customer.profile': '客户资料',
  'customer.kind': '类型', 'customer.industry': '行业', 'customer.region': '区域', 'customer.since': '成为客户日期',
  'customer.status': '状态', 'customer.manager': '客户经理', 'customer.contact': '联系人',
  'customer.masked': '按您的角色已脱敏', 'customer.loyalty': '忠诚度', 'customer.asOf': '截至 {date}',
  'customer.history': '分数历史', 'customer.components': '分数构成（各权重失分）',
  'customer.component': '指标', 'customer.weight': '权重', 'customer.value': '取值', 'customer.lost': '失分',
  'customer.risks': '风险因素', 'customer.severity': '严重程度', 'customer.rfm': 'RFM 与价值',
  'customer.segment': '细分', 'customer.spendAll': '累计消费', 'customer.spendWindow': '近 12 个月消费',
  'customer.annual': '年化消费', 'customer.clv': '终身价值', 'customer.retention': '留存率',
  'customer.plans': '行动计划', 'customer.problem': '问题', 'customer.measures': '措施',
  'customer.department': '负责部门', 'customer.due': '截止日期', 'customer.effect': '预期效果', 'customer.planStatus': '状态',
  'customer.actions': '操作', 'customer.overdue': '已逾期', 'customer.noPlans': '暂无行动计划。',
  'customer.orders': '最近订单', 'customer.tickets': '最近工单', 'customer.surveys': '最近调查',
  'customer.notFound': '没有客户 {id}。', 'customer.churned': '{date} 流失（{type}，{cause}）',
  'customer.unavailable': '暂不可用', 'customer.changed': '计划 {id} 现为 {status}。',
  'action.IN_PROGRESS': '开始执行', 'action.DONE': '标记完成', 'action.CANCELLED': '取消计划',
  'import.title': '数据导入', 'import.entity': '数据类型', 'import.file': 'CSV 文件（首行为表头）',
  'import.upload': '导入', 'import.result': '共 {rows} 行：接受 {accepted} 行，隔离 {quarantined} 行',
  'import.quarantine': '隔离的行', 'import.quarantineNone': '没有隔离的行。', 'import.row': '行号',
  'import.column': '列', 'import.reason': '原因', 'import.correct': '更正后的行（JSON）',
  'import.resubmit': '重新提交', 'import.resolved': '第 {row} 行已接受并移出隔离区。',
  'import.empty': '文件中没有数据行。', 'import.tooMany': '驾驶舱每次最多导入 5,000 行。',
  'overview.title': '总览', 'overview.distribution': '当前等级分布', 'overview.trend': '等级趋势（按月，近 12 个月）',
  'overview.breakdown': '细分维度', 'overview.breakdown.none': '不细分', 'overview.group': '分组',
  'overview.count': '客户数', 'overview.share': '占比', 'overview.churn': '近 12 个月流失',
  'overview.churnRate': '流失率', 'overview.retentionRate': '留存率', 'overview.reasons': '流失原因',
  'overview.lostValue': '流失价值', 'overview.churnedSpend': '流失客户的年化消费',
  'overview.retainedSpend': '留存客户的年化消费', 'overview.period': '期末',
  'campaigns.title': '营销活动', 'campaigns.name': '名称', 'campaigns.status': '状态', 'campaigns.none': '暂无活动。',
  'campaigns.results': '结果', 'campaigns.uplift': '提升（95% 置信区间）', 'campaigns.objective': '目标',
  'campaigns.offer': '优惠', 'campaigns.channel': '渠道', 'campaigns.start': '开始', 'campaigns.end': '结束',
  'campaigns.holdout': '对照组比例', 'campaigns.create': '创建活动', 'campaigns.launch': '启动',
  'churn.title': '流失报告', 'churn.cohorts': '同期群留存（仍活跃的比例，按开始后的月数）',
  'churn.cohort': '同期群', 'churn.size': '人数', 'churn.timing': '流失时间', 'churn.within3': '3 个月内',
  'churn.3to12': '3 至 11 个月前', 'churn.over12': '12 个月及以上', 'churn.byType': '按类型',
  'churn.byCause': '按原因类别', 'churn.byReason': '按原因', 'churn.from': '开始', 'churn.to': '结束',
  'tier.DIEHARD': '忠诚', 'tier.STABLE': '稳定', 'tier.POTENTIAL_CHURN': '潜在流失', 'tier.HIGH_RISK': '高风险',
  'tier.NEW': '新客户', 'tier.UNSCORED': '未评分',
  'status.PLANNED': '已计划', 'status.IN_PROGRESS': '执行中', 'status.DONE': '已完成', 'status.CANCELLED': '已取消',
};

export const LANGUAGES = { en: 'English', 'zh-CN': '简体中文' };
const TABLES = { en, 'zh-CN': zh };

export function currentLang() {
  const saved = localStorage.getItem(LANG_KEY);
  if (saved && TABLES[saved]) return saved;
  return (navigator.language || '').toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

export function saveLang(lang) {
  localStorage.setItem(LANG_KEY, lang);
  document.documentElement.lang = lang;
}

/** The label of key in lang, {name}s replaced from params; the key itself when missing. */
export function translate(lang, key, params = {}) {
  const text = TABLES[lang][key] ?? en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (m, name) => (params[name] ?? m));
}

/** Both tables have the same keys (checked by the browser test). */
export function missingKeys() {
  return Object.keys(en).filter((k) => !(k in zh)).concat(Object.keys(zh).filter((k) => !(k in en)));
}
