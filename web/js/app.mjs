// What every page shares: the language (chosen by the user, else the
// browser's), the header with navigation and the account, and calls to the
// API with the session's CSRF token on writes.
import { words } from './i18n.mjs';

const LANG_KEY = 'innolink.lang';

export function lang() {
  const chosen = localStorage.getItem(LANG_KEY);
  if (chosen === 'zh' || chosen === 'en') return chosen;
  return (navigator.language || 'zh').toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

export function t(key, vars = {}) {
  const text = words[lang()][key] ?? words.zh[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, v) => String(vars[v] ?? ''));
}

export function translate(root = document) {
  document.documentElement.lang = lang() === 'zh' ? 'zh-CN' : 'en';
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-placeholder]'))
    el.placeholder = t(el.dataset.i18nPlaceholder);
  for (const el of root.querySelectorAll('[data-i18n-label]'))
    el.setAttribute('aria-label', t(el.dataset.i18nLabel));
}

let session = { account: null, csrf: null };

export function account() {
  return session.account;
}

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

// fetch() of the API: JSON in and out, problem documents as ApiError.
export async function api(path, { method = 'GET', body, headers = {} } = {}) {
  const h = { Accept: 'application/json', ...headers };
  if (body !== undefined) h['Content-Type'] = 'application/json';
  if (method !== 'GET' && session.csrf) h['X-CSRF-Token'] = session.csrf;
  const r = await fetch(path, {
    method, headers: h, credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const type = r.headers.get('Content-Type') || '';
  const data = r.status === 204 ? null : type.includes('json') ? await r.json() : await r.text();
  if (!r.ok) throw new ApiError(r.status, data);
  return { data, etag: r.headers.get('ETag'), status: r.status };
}

export async function login(name, password) {
  const { data } = await api('/api/v1/session', { method: 'POST', body: { name, password } });
  session = data;
  return data;
}

export async function logout() {
  await api('/api/v1/session', { method: 'DELETE' });
  session = { account: null, csrf: null };
}

export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'text') e.textContent = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) e.append(c);
  return e;
}

const NAV = [
  ['index.html', 'nav_home'], ['publish.html?kind=demand', 'nav_publish'],
  ['publish.html?kind=achievement', 'nav_publish_ach'], ['dashboard.html', 'nav_dashboard'],
  ['chain.html', 'nav_chain'], ['account.html', 'nav_account'],
];

function header() {
  const here = location.pathname.split('/').pop() + location.search;
  const nav = el('nav', { 'aria-label': t('brand') },
    el('ul', {}, NAV.map(([href, key]) => el('li', {},
      el('a', { href, 'aria-current': here === href || (here === '' && href === 'index.html') ? 'page' : null, text: t(key) })))));
  const who = session.account
    ? el('span', { class: 'who', 'data-testid': 'who' }, `${t('logged_in_as')}: ${session.account.display || session.account.name}`)
    : el('a', { class: 'who', href: 'account.html', text: t('login') });
  const switcher = el('button', {
    type: 'button', class: 'lang', 'data-testid': 'lang-switch',
    lang: lang() === 'zh' ? 'en' : 'zh',
    onclick: () => { localStorage.setItem(LANG_KEY, lang() === 'zh' ? 'en' : 'zh'); location.reload(); },
  }, t('lang_switch'));
  return el('header', { class: 'top' },
    el('a', { class: 'skip', href: '#main', text: t('skip') }),
    el('a', { class: 'brand', href: 'index.html', text: t('brand') }), nav, who, switcher);
}

// Starts a page: finds the session, draws the header, translates the page.
export async function start() {
  try {
    session = (await api('/api/v1/session')).data;
  } catch {
    session = { account: null, csrf: null };
  }
  document.body.prepend(header());
  translate();
  document.title = `${document.querySelector('h1')?.textContent || ''} · ${t('brand')}`;
}

export function kindLabel(kind) {
  return t('kind_' + kind);
}

export const plural = {
  demand: 'demands', achievement: 'achievements', person: 'persons', organization: 'organizations',
  chain: 'chains', link: 'links', region: 'regions', indicator: 'indicators',
};

export function recordHref(kind, id) {
  return `record.html?kind=${encodeURIComponent(kind)}&id=${encodeURIComponent(id)}`;
}

export function showError(where, err) {
  where.replaceChildren(el('p', { class: 'error', role: 'alert' }, t('error') + err.message));
}
