// A demand's ranked, explained matches per kind, with feedback buttons
// (useful / not useful / contacted) for those who may give it, and the
// deals that stem from the demand.  Reasons show the matched terms with
// their snippets highlighted, the terms the glossary bridged across
// languages, shared chain links, region, maturity, budget and the score's
// breakdown.
import { api, el, account, recordHref, lang, t } from './app.mjs';
import './flow-i18n.mjs';

// A snippet with its highlights: byte ranges of its UTF-8 as <mark>s.
function snippet(text, ranges) {
  const bytes = new TextEncoder().encode(text);
  const dec = new TextDecoder();
  const out = [];
  let at = 0;
  for (const [start, end] of [...ranges].sort((a, b) => a[0] - b[0])) {
    if (start < at || end > bytes.length) continue;
    out.push(dec.decode(bytes.slice(at, start)), el('mark', { text: dec.decode(bytes.slice(start, end)) }));
    at = end;
  }
  out.push(dec.decode(bytes.slice(at)));
  return el('q', { class: 'snippet' }, out);
}

function reasonItems(result) {
  const items = [];
  const terms = result.reasons.filter((r) => r.type === 'term');
  const bridged = terms.filter((r) => r.translated && r.from);
  if (terms.length)
    items.push(el('li', {}, `${t('m_terms')}: `, terms.map((r) => el('span', { class: 'tag', text: r.term }))));
  if (bridged.length)
    items.push(el('li', { 'data-testid': 'bridged' }, `${t('m_bridged')}: `,
      bridged.map((r) => el('span', { class: 'tag', text: `${r.from} → ${r.term}` }))));
  const shown = terms.find((r) => r.snippet && r.highlights?.length);
  if (shown) items.push(el('li', {}, snippet(shown.snippet, shown.highlights)));
  for (const r of result.reasons) {
    if (r.type === 'chain_link') items.push(el('li', {}, `${t('m_chain')}: ${r.name || r.link || r.code}`));
    else if (r.type === 'region') items.push(el('li', {}, `${t('m_region')}: ${r.name || r.region || ''} (${t(r.relation)})`));
    else if (r.type === 'maturity') items.push(el('li', {}, t('m_maturity', { a: r.trl ?? '—', b: r.need ?? '—' })));
    else if (r.type === 'budget') items.push(el('li', {}, t('m_budget', { a: r.price ?? '—', b: r.budget ?? '—' })));
    else if (r.type === 'evidence') items.push(el('li', {}, `${t('m_evidence')}: ${r.title || r.id}`));
    else if (r.type === 'feedback') items.push(el('li', {}, `${t('m_feedback')}: ${r.action}`));
  }
  return items;
}

function breakdown(result) {
  const parts = Object.entries(result.components).filter(([, c]) => c.part !== 0);
  return el('p', { class: 'terms' }, `${t('m_breakdown')}: `,
    parts.map(([name, c]) => `${t('c_' + name)} ${c.part.toFixed(2)}`).join(' + '),
    ` = ${result.score.toFixed(2)}`);
}

function feedbackButtons(demand, result, status) {
  const entity = result.entity;
  const give = async (action, button) => {
    try {
      await api(`/api/v1/demands/${encodeURIComponent(demand)}/feedback`, { method: 'POST',
        body: { to_kind: entity, to_id: result.id, action, score: result.score } });
      button.setAttribute('aria-pressed', 'true');
      status.textContent = t('fb_done', { what: t('fb_' + action) });
    } catch (e) {
      status.textContent = t('error') + e.message;
    }
  };
  return el('div', { class: 'feedback', role: 'group', 'aria-label': result.title },
    ['useful', 'not_useful', 'contacted'].map((action) => {
      const b = el('button', { type: 'button', class: 'secondary', 'aria-pressed': 'false',
        'data-feedback': action, text: t('fb_' + action) });
      b.addEventListener('click', () => give(action, b));
      return b;
    }));
}

function resultItem(demand, result, canGive, status) {
  return el('li', { class: 'match', 'data-testid': 'match', 'data-id': result.id },
    el('a', { href: recordHref(result.entity, result.id), text: result.title || result.id }),
    el('span', { class: 'terms', text: ` ${t('m_score')} ${result.score.toFixed(2)}` }),
    el('details', {}, el('summary', { text: t('m_why') }), el('ul', { class: 'reasons' }, reasonItems(result)),
      breakdown(result)),
    canGive ? feedbackButtons(demand, result, status) : null);
}

// The deals that name the demand, among those of its owner as buyer.
async function deals(doc, box) {
  if (!doc.owner) return;
  const { data } = await api(`/api/v1/deals?buyer=${encodeURIComponent(doc.owner)}&limit=200`);
  const mine = data.items.filter((d) => d.demand === doc.id);
  if (!mine.length) return;
  box.append(el('h3', { text: t('deals_of_demand') }), el('ul', { 'data-testid': 'demand-deals' }, mine.map((d) =>
    el('li', {}, el('a', { href: `deal.html?id=${encodeURIComponent(d.id)}`, text: d.title || d.id })))));
}

// Fills `box` with the matches of demand `doc`.
export async function showMatches(doc, box) {
  box.replaceChildren(el('p', { text: t('loading') }));
  const { data } = await api(`/api/v1/demands/${encodeURIComponent(doc.id)}/matches?top=5&lang=${lang()}`);
  const me = account();
  const canGive = !!me;
  const status = el('p', { class: 'ok', role: 'status', 'aria-live': 'polite', 'data-testid': 'feedback-status' });
  const kinds = [...new Set(data.results.map((r) => r.kind))];
  box.replaceChildren(status, canGive ? '' : el('p', { class: 'terms', text: t('fb_login') }));
  if (!kinds.length) box.append(el('p', { text: t('m_none') }));
  for (const kind of kinds) {
    const id = 'm-' + kind;
    box.append(el('section', { 'aria-labelledby': id },
      el('h3', { id, text: t('m_kind_' + kind) }),
      el('ol', { class: 'plain matches' }, data.results.filter((r) => r.kind === kind)
        .map((r) => resultItem(doc.id, r, canGive, status)))));
  }
  await deals(doc, box);
}
