// One record: a demand (with its ranked, explained matches), an
// achievement, an expert or an organization.  A record the caller may not
// see answers like a missing one.
import { api, el, kindLabel, plural, recordHref, start, t, lang, account } from './app.mjs';
import { showMatches } from './matches.mjs';

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
    const box = document.getElementById('matches');
    showMatches(doc, box).catch((e) => box.replaceChildren(el('p', { role: 'alert', text: t('error') + e.message })));
  }
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
