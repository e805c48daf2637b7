// The home page: one search box across demands and supply.
import { api, el, kindLabel, recordHref, showError, start, t, lang } from './app.mjs';

const form = document.getElementById('search');
const out = document.getElementById('results');

function hit(h) {
  const seen = new Set(h.terms.map((x) => x.term + (x.translated ? ` (${t('translated')})` : '')));
  const terms = [...seen].join(' · ');
  return el('li', { 'data-testid': 'hit' },
    el('span', { class: 'tag', text: kindLabel(h.kind) }),
    el('a', { href: recordHref(h.kind, h.id), text: h.title || h.id }),
    terms ? el('div', { class: 'terms' }, `${t('matched_terms')}: ${terms}`) : null);
}

async function search(q, kind) {
  out.replaceChildren(el('p', { text: t('loading') }));
  const params = new URLSearchParams({ q, lang: lang(), limit: '20' });
  if (kind) params.set('kind', kind);
  try {
    const { data } = await api('/api/v1/search?' + params);
    out.replaceChildren(
      el('p', { text: data.items.length ? t('total', { n: data.total }) : t('no_results') }),
      el('ol', { class: 'hits' }, data.items.map(hit)));
  } catch (e) {
    showError(out, e);
  }
}

form.addEventListener('submit', (ev) => {
  ev.preventDefault();
  const q = form.q.value.trim();
  if (!q) return;
  history.replaceState(null, '', '?' + new URLSearchParams({ q, kind: form.kind.value }));
  search(q, form.kind.value);
});

await start();
const p = new URLSearchParams(location.search);
if (p.get('q')) {
  form.q.value = p.get('q');
  form.kind.value = p.get('kind') || '';
  search(form.q.value, form.kind.value);
}
