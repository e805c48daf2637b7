// One record: a demand (with its matches, once matching is live), an
// achievement, an expert or an organization.  A record the caller may not
// see answers like a missing one.
import { api, el, kindLabel, plural, recordHref, start, t, lang, account } from './app.mjs';

const p = new URLSearchParams(location.search);
const kind = p.get('kind') || 'demand';
const id = p.get('id') || '';
const title = document.getElementById('title');
const box = document.getElementById('record');

const SKIP = new Set(['id', 'entity', 'demo', 'version', 'created_at', 'updated_at', 'source']);
const REFS = { owner: 'organization', affiliation: 'organization', region: 'region', parent_org: 'organization', chain: 'chain' };

// A field's name for people: its display word, else the form's label.
function label(name) {
  for (const key of ['l_' + name, 'f_' + name]) {
    const text = t(key);
    if (text !== key) return text;
  }
  return name.replace(/_/g, ' ');
}

function value(name, v, doc) {
  if (Array.isArray(v)) return v.join('、');
  if (doc[name + '_label']) return doc[name + '_label'];
  if (REFS[name]) return el('a', { href: recordHref(REFS[name], v), text: v });
  return String(v);
}

function recordTitle(doc) {
  if (doc.title) return doc.title;
  const zh = doc.name_zh, en = doc.name_en;
  return (lang() === 'en' ? en || zh : zh || en) || doc.id;
}

function show(doc) {
  title.textContent = recordTitle(doc);
  document.title = title.textContent;
  const dl = el('dl', { class: 'fields' });
  dl.append(el('dt', { text: kindLabel(kind) }), el('dd', { text: doc.id }));
  for (const [name, v] of Object.entries(doc)) {
    if (SKIP.has(name) || name.endsWith('_label') || name === 'title') continue;
    dl.append(el('dt', { text: label(name) }), el('dd', {}, value(name, v, doc)));
  }
  box.replaceChildren(dl);
  const me = account();
  if (me && (kind === 'demand' || kind === 'achievement') && (me.role.endsWith('operator') || doc.owner === me.org))
    box.append(el('a', { class: 'button', href: `publish.html?kind=${kind}&id=${encodeURIComponent(doc.id)}`, text: t('edit') }));
  if (kind === 'demand') {
    document.getElementById('matches-card').hidden = false;
    matches(doc).catch((e) => document.getElementById('matches').replaceChildren(
      el('p', { class: 'error', text: t('error') + e.message })));
  }
}

// A match's reasons as people read them: a JSON object's members, a JSON
// list's items, or the text as it is.
function reasons(text) {
  let r;
  try {
    r = JSON.parse(text);
  } catch {
    return text ? [text] : [];
  }
  if (Array.isArray(r)) return r.map(String);
  if (r && typeof r === 'object')
    return Object.entries(r).map(([k, v]) => `${t('r_' + k) === 'r_' + k ? k : t('r_' + k)}: ${Array.isArray(v) ? v.join('、') : v}`);
  return [String(r)];
}

async function feedback(m, state, stateEl) {
  const path = `/api/v1/matches/${encodeURIComponent(m.id)}`;
  const { etag } = await api(path);
  const { data } = await api(path, { method: 'PATCH', body: { state }, headers: { 'If-Match': etag } });
  stateEl.textContent = t('s_' + data.state);
}

// The demand's matches, best first, with their reasons and feedback buttons.
async function matches(doc) {
  const box = document.getElementById('matches');
  const q = new URLSearchParams({ from_kind: 'demand', from_id: doc.id, limit: '50', lang: lang() });
  const items = (await api('/api/v1/matches?' + q)).data.items.sort((a, b) => (b.score || 0) - (a.score || 0));
  if (!items.length) {
    box.replaceChildren(el('p', { text: t('matches_pending') }));
    return;
  }
  const list = el('ol', { class: 'hits' });
  for (const m of items) {
    let target = m.to_id;
    try {
      const r = (await api(`/api/v1/${plural[m.to_kind]}/${encodeURIComponent(m.to_id)}?lang=${lang()}`)).data;
      target = recordTitle(r);
    } catch { /* a target the caller may not see keeps its id */ }
    const state = el('span', { class: 'tag', 'data-testid': 'match-state', text: t('s_' + (m.state || 'new')) });
    const buttons = account() ? ['useful', 'not_useful'].map((st) => el('button', {
      type: 'button', class: 'secondary', 'data-feedback': st,
      'aria-label': `${t('s_' + st)}: ${target}`,
      onclick: () => feedback(m, st, state).catch((e) => state.replaceWith(el('span', { class: 'error', text: e.message }))),
    }, t('s_' + st))) : [];
    list.append(el('li', { 'data-testid': 'match' },
      el('span', { class: 'tag', text: kindLabel(m.to_kind) }),
      el('a', { href: recordHref(m.to_kind, m.to_id), text: target }),
      el('span', { class: 'terms' }, ` ${t('score')} ${Number(m.score || 0).toFixed(2)} `), state,
      el('ul', { class: 'terms', 'data-testid': 'reasons' }, reasons(m.reasons || '').map((x) => el('li', { text: x }))),
      el('div', {}, buttons)));
  }
  box.replaceChildren(list);
}

async function history() {
  const { data } = await api(`/api/v1/${plural[kind]}/${encodeURIComponent(id)}/history?lang=${lang()}`);
  document.getElementById('history').replaceChildren(...data.items.map((v) =>
    el('li', {}, `${t('version')} ${v.version} · ${v.updated_at.replace('T', ' ').replace('Z', '')} · ${v.source || ''}`)));
}

await start();
if (!plural[kind]) {
  title.textContent = t('not_found');
} else {
  try {
    const { data } = await api(`/api/v1/${plural[kind]}/${encodeURIComponent(id)}?lang=${lang()}`);
    show(data);
    await history();
  } catch (e) {
    title.textContent = e.status === 404 ? t('not_found') : t('error') + e.message;
    box.replaceChildren(el('p', { role: 'alert', 'data-testid': 'not-found', text: t('not_found') }));
  }
}
