// The cockpit shell: sign-in, navigation, language switch and a hash router over the screens.
import { h, Component, render, Notices } from './ui.js';
import { session, claims } from './api.js';
import { LANGUAGES, currentLang, saveLang, translate } from './i18n.js';
import { Board } from './screens/board.js';
import { CustomerCard } from './screens/customer.js';
import { DataImport } from './screens/import.js';
import { Overview } from './screens/overview.js';
import { Campaigns } from './screens/campaigns.js';
import { ChurnReport } from './screens/churn.js';

const SCREENS = [
  ['board', Board], ['overview', Overview], ['campaigns', Campaigns], ['churn', ChurnReport], ['import', DataImport],
];

function route() {
  const parts = location.hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  return { name: parts[0] || 'board', arg: parts[1] || null };
}

class SignIn extends Component {
  constructor() { super(); this.state = { text: '', problem: null }; }
  submit(e) {
    e.preventDefault();
    const c = claims(this.state.text.trim());
    if (!c) return this.setState({ problem: 'signin.bad' });
    if (c.exp && c.exp * 1000 < Date.now()) return this.setState({ problem: 'signin.expired' });
    session.signIn(this.state.text);
    this.props.onSignedIn();
  }
  render({ t }, { text, problem }) {
    return h('main', { id: 'signin', class: 'signin' },
      h('h1', null, t('signin.title')),
      h('form', { onSubmit: (e) => this.submit(e) },
        h('label', { for: 'token' }, t('signin.token')),
        h('textarea', { id: 'token', rows: 5, value: text, required: true, 'aria-describedby': 'token-help',
          onInput: (e) => this.setState({ text: e.target.value }) }),
        h('p', { id: 'token-help', class: 'help' }, t('signin.help')),
        problem && h('p', { class: 'notice error', role: 'alert' }, t(problem)),
        h('button', { type: 'submit', id: 'signin-submit' }, t('signIn'))));
  }
}

class App extends Component {
  constructor() {
    super();
    this.state = { lang: currentLang(), route: route(), token: session.token() };
    saveLang(this.state.lang);
    this.onHash = () => this.setState({ route: route() });
  }
  componentDidMount() { addEventListener('hashchange', this.onHash); }
  componentWillUnmount() { removeEventListener('hashchange', this.onHash); }

  render(_, { lang, route, token }) {
    const t = (key, params) => translate(lang, key, params);
    document.title = t('title');
    if (!token) {
      return h('div', { class: 'shell' }, this.header(t, lang, null),
        h(SignIn, { t, onSignedIn: () => this.setState({ token: session.token() }) }));
    }
    const c = claims(token) || {};
    let screen;
    if (route.name === 'customer' && route.arg) {
      screen = h(CustomerCard, { key: 'c-' + route.arg + lang, id: route.arg, t, lang, roles: c.roles || [] });
    } else {
      const found = SCREENS.find(([name]) => name === route.name) || SCREENS[0];
      screen = h(found[1], { key: found[0] + lang, t, lang, roles: c.roles || [] });
    }
    return h('div', { class: 'shell' }, this.header(t, lang, c), h('main', { id: 'screen' }, screen));
  }

  header(t, lang, c) {
    const current = this.state.route.name;
    return h('header', null,
      h('a', { class: 'skip', href: '#screen' }, '↓'),
      h('span', { class: 'brand' }, t('title')),
      c && h('nav', { 'aria-label': t('nav') }, h('ul', null,
        SCREENS.map(([name]) => h('li', null, h('a', { href: '#/' + name, id: 'nav-' + name,
          'aria-current': current === name ? 'page' : undefined }, t('nav.' + name)))),
        h('li', null, h('a', { href: '/graphiql', id: 'nav-graphiql' }, t('nav.graphiql'))))),
      h('div', { class: 'who' },
        c && h('span', { id: 'roles' }, t('signin.roles') + ': ', (c.roles || []).join(', ') || t('none'),
          c.exp ? ' · ' + t('signin.expires') + ' ' + new Date(c.exp * 1000).toISOString().slice(0, 16).replace('T', ' ') : ''),
        h('label', { for: 'lang' }, t('language')),
        h('select', { id: 'lang', value: lang, onChange: (e) => { saveLang(e.target.value); this.setState({ lang: e.target.value }); } },
          Object.entries(LANGUAGES).map(([code, name]) => h('option', { value: code }, name))),
        c && h('button', { id: 'signout', type: 'button', onClick: () => { session.signOut(); this.setState({ token: null }); } }, t('signOut'))));
  }
}

const root = document.getElementById('app');
root.textContent = ''; // the "Loading" placeholder: Preact renders next to what it did not create
render(h(App), root);
