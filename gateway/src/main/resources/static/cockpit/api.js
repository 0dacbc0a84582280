// GraphQL over HTTP and graphql-ws against this gateway, with the signed-in caller's token.
const TOKEN_KEY = 'retain.token';

export const session = {
  token: () => sessionStorage.getItem(TOKEN_KEY),
  signIn: (token) => sessionStorage.setItem(TOKEN_KEY, token.trim()),
  signOut: () => sessionStorage.removeItem(TOKEN_KEY),
};

/** The claims of a JWT (not verified here: the gateway and the subgraphs verify every request). */
export function claims(token) {
  try {
    const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const json = decodeURIComponent(
      atob(part).split('').map((c) => '%' + c.charCodeAt(0).toString(16).padStart(2, '0')).join(''));
    return JSON.parse(json);
  } catch (e) {
    return null;
  }
}

const documents = new Map();

/** A .graphql document beside the screens, fetched once. */
async function documentText(path) {
  if (!documents.has(path)) {
    documents.set(path, fetch(new URL(path, import.meta.url)).then((r) => {
      if (!r.ok) throw new Error(`${path}: HTTP ${r.status}`);
      return r.text();
    }));
  }
  return documents.get(path);
}

/**
 * Runs one operation of a document: {status, data, errors}. Never throws for a GraphQL or HTTP
 * error (the screens show them as notices); a network failure becomes an error with code NETWORK.
 */
export async function run(path, operationName, variables = {}) {
  const query = await documentText(path);
  const headers = { 'Content-Type': 'application/json', Accept: 'application/graphql-response+json, application/json' };
  const token = session.token();
  if (token) headers.Authorization = 'Bearer ' + token;
  let res;
  try {
    res = await fetch('/graphql', { method: 'POST', headers, body: JSON.stringify({ query, operationName, variables }) });
  } catch (e) {
    return { status: 0, data: null, errors: [{ message: String(e), extensions: { code: 'NETWORK' } }] };
  }
  let body = {};
  try {
    body = await res.json();
  } catch (e) {
    body = { errors: [{ message: `HTTP ${res.status}`, extensions: { code: 'HTTP_' + res.status } }] };
  }
  return { status: res.status, data: body.data ?? null, errors: body.errors ?? [] };
}

/**
 * One subscription over graphql-ws (graphql-transport-ws), the token in connection_init as the
 * gateway expects. Returns a function that closes it.
 */
export function subscribe(path, operationName, variables, { next, error, closed, opened }) {
  const url = new URL('/graphql', location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  const ws = new WebSocket(url, 'graphql-transport-ws');
  let stopped = false;
  ws.onopen = () => {
    const token = session.token();
    ws.send(JSON.stringify({ type: 'connection_init', payload: token ? { Authorization: 'Bearer ' + token } : {} }));
  };
  ws.onmessage = async (event) => {
    const m = JSON.parse(event.data);
    if (m.type === 'connection_ack') {
      const query = await documentText(path);
      ws.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query, operationName, variables } }));
      opened && opened();
    } else if (m.type === 'next') {
      next(m.payload);
    } else if (m.type === 'error') {
      error && error(m.payload);
    } else if (m.type === 'ping') {
      ws.send(JSON.stringify({ type: 'pong' }));
    }
  };
  ws.onclose = (e) => { if (!stopped && closed) closed(e); };
  return () => { stopped = true; ws.close(); };
}
