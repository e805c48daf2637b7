// A deal (technology contract): its fields, its state with the moves the
// state machine allows from there (each a button that sends the version
// read as If-Match, so a change made meanwhile is refused, not lost), its
// payment milestones with a form to add one, and its audit trail.  Moves
// and milestones are offered to accounts that may write the deal; the
// server decides.
import { api, el, account, recordHref, start, t } from './app.mjs';
import './flow-i18n.mjs';

const id = new URLSearchParams(location.search).get('id') || '';
const path = `/api/v1/deals/${encodeURIComponent(id)}`;
const status = document.getElementById('move-status');
const form = document.getElementById('ms-form');
const REFS = { buyer: 'organization', seller: 'organization', achievement: 'achievement', demand: 'demand' };
const FIELDS = ['type', 'licence', 'buyer', 'seller', 'achievement', 'demand', 'amount', 'currency',
  'signed', 'registered', 'starts', 'ends', 'registration_no'];

function fields(deal) {
  const dl = el('dl', { class: 'fields' });
  for (const name of FIELDS) {
    const v = deal[name];
    if (v === undefined || v === null || v === '') continue;
    const shown = deal[name + '_label'] || (REFS[name] ? el('a', { href: recordHref(REFS[name], v), text: v }) : String(v));
    dl.append(el('dt', { text: t('l_' + name) === 'l_' + name ? name : t('l_' + name) }), el('dd', {}, shown));
  }
  return dl;
}

function mayWrite(deal) {
  const me = account();
  return !!me && (me.role === 'operator' || me.role === 'city_operator' || me.org === deal.buyer || me.org === deal.seller);
}

async function move(to, etag) {
  try {
    await api(`${path}/workflow`, { method: 'POST', body: { to }, headers: { 'If-Match': etag } });
    status.className = 'ok';
    status.textContent = t('deal_moved', { state: t('st_' + to) });
    await load();
  } catch (e) {
    status.className = 'error';
    status.textContent = t('error') + e.message;
  }
}

function show(data, etag) {
  const deal = data.deal;
  document.getElementById('title').textContent = `${t('deal_title')}: ${deal.title || deal.id}`;
  document.title = deal.title || deal.id;
  document.getElementById('deal').replaceChildren(fields(deal));
  document.getElementById('state').textContent = `${t('deal_state')}: ${t('st_' + (deal.state || 'intent'))}`;
  const writable = mayWrite(deal);
  document.getElementById('moves').replaceChildren(...(data.allowed.length
    ? data.allowed.map((to) => el('button', { type: 'button', class: to === 'terminated' ? 'secondary' : null,
      disabled: !writable, 'data-move': to, onclick: () => move(to, etag), text: t('st_' + to) }))
    : [el('p', { text: t('deal_no_moves') })]));
  document.getElementById('milestones').replaceChildren(...data.milestones.map((m) =>
    el('li', { text: `${m.title}${m.due ? ' · ' + m.due : ''}${m.amount !== null ? ' · ' + m.amount : ''}` })));
  form.hidden = !writable;
  document.getElementById('audit').replaceChildren(...data.audit.map((a) =>
    el('li', { text: `${a.at.replace('T', ' ').replace('Z', '')} · ${a.op} · ${t('version')} ${a.version} · ${a.actor || ''}` })));
}

async function load() {
  const { data, etag } = await api(`${path}/workflow`);
  show(data, etag);
}

form.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const body = { title: document.getElementById('ms-title').value.trim() };
  const due = document.getElementById('ms-due').value, amount = document.getElementById('ms-amount').value.trim();
  if (due) body.due = due;
  if (amount) body.amount = amount;
  const error = document.getElementById('ms-error');
  try {
    await api(`${path}/milestones`, { method: 'POST', body });
    error.textContent = '';
    form.reset();
    await load();
  } catch (e) {
    error.textContent = e.message;
  }
});

await start();
try {
  await load();
} catch (e) {
  document.getElementById('title').textContent = e.status === 404 ? t('not_found') : t('error') + e.message;
}
