// The chain map: a chain's segments and links as a tree (ECharts), drawn
// from the chain and link records.  Clicking a link (or choosing it from
// the list that screen readers and keyboards use) shows what is placed on
// it and the supply its keywords find.  Gap classes of the chosen region
// colour the links, and a link's detail says what would fill it (gaps.mjs).
import * as echarts from '../node_modules/echarts/dist/echarts.esm.min.mjs';
import { api, el, kindLabel, lang, recordHref, start, t } from './app.mjs';
import { colour, linkClass, loadGaps, showFill, startGaps } from './gaps.mjs';

const select = document.getElementById('chain');
const map = echarts.init(document.getElementById('map'));
const detail = document.getElementById('detail');
addEventListener('resize', () => map.resize());
const SEGMENTS = ['upstream', 'midstream', 'downstream'];
const COLOURS = { upstream: '#0b5cab', midstream: '#7b4fb3', downstream: '#1b7f3b' };

const name = (r) => (lang() === 'en' ? r.name_en || r.name_zh : r.name_zh || r.name_en) || r.id;

function tree(chain, links) {
  const node = (l) => ({
    name: name(l), id: l.id, value: l.id,
    itemStyle: { color: colour(l.id) || COLOURS[l.segment] || '#555' },
    children: links.filter((c) => c.parent === l.id).map(node),
  });
  return {
    name: name(chain), id: chain.id,
    children: SEGMENTS.map((s) => ({
      name: t(s), id: 'segment:' + s, itemStyle: { color: COLOURS[s] },
      children: links.filter((l) => l.segment === s && !l.parent).map(node),
    })).filter((s) => s.children.length),
  };
}

async function showLink(link) {
  detail.replaceChildren(el('h2', { text: `${t('link_detail')}: ${name(link)}` }),
    el('p', { text: `${t(link.segment)} · ${link.id}` }));
  if (link.keywords) detail.append(el('p', { text: `${t('keywords')}: ${link.keywords.join('、')}` }));
  if (link.products) detail.append(el('p', { text: `${t('products')}: ${link.products.join('、')}` }));
  await showFill(link, detail);
  const placed = (await api(`/api/v1/assignments?link=${encodeURIComponent(link.id)}&limit=50`)).data.items;
  detail.append(el('h3', { text: t('placed') }), placed.length
    ? el('ul', {}, placed.map((a) => el('li', {}, el('a', { href: recordHref(a.entity_kind, a.entity), text: a.entity }))))
    : el('p', { text: t('none_placed') }));
  const q = [link.name_zh, ...(link.keywords || []).slice(0, 4)].filter(Boolean).join(' ');
  const hits = (await api('/api/v1/search?' + new URLSearchParams({
    q, kind: 'organization,achievement,person', lang: lang(), limit: '8' }))).data.items;
  detail.append(el('h3', { text: t('related_supply') }),
    el('ul', { 'data-testid': 'link-supply' }, hits.map((h) => el('li', {},
      el('span', { class: 'tag', text: kindLabel(h.kind) }), el('a', { href: recordHref(h.kind, h.id), text: h.title })))));
}

async function load(chainId) {
  const [chain, links] = await Promise.all([
    api(`/api/v1/chains/${encodeURIComponent(chainId)}?lang=${lang()}`),
    api(`/api/v1/links?chain=${encodeURIComponent(chainId)}&limit=200&lang=${lang()}`),
  ]);
  const items = links.data.items;
  await loadGaps(chainId);
  map.setOption({
    tooltip: { trigger: 'item' },
    series: [{
      type: 'tree', data: [tree(chain.data, items)], top: 16, bottom: 16, left: 90, right: 150,
      symbolSize: 10, initialTreeDepth: 3, expandAndCollapse: false,
      label: { position: 'left', verticalAlign: 'middle', align: 'right', fontSize: 12 },
      leaves: { label: { position: 'right', align: 'left' } },
    }],
  }, true);
  document.getElementById('map').setAttribute('aria-label', `${name(chain.data)}: ${items.length}`);
  const byId = new Map(items.map((l) => [l.id, l]));
  map.off('click');
  map.on('click', (p) => { const l = byId.get(p.data?.id); if (l) showLink(l); });
  document.getElementById('link-list').replaceChildren(...items.map((l) => el('li', {},
    el('button', { type: 'button', class: 'secondary', 'data-link': l.id, onclick: () => showLink(l) },
      `${t(l.segment)}: ${name(l)}${linkClass(l.id) ? ' · ' + t('gap_' + linkClass(l.id)) : ''}`))));
}

await start();
const chains = (await api(`/api/v1/chains?limit=200&lang=${lang()}`)).data.items;
select.replaceChildren(...chains.map((c) => el('option', { value: c.id, text: name(c) })));
select.value = new URLSearchParams(location.search).get('chain') || chains[0]?.id;
select.addEventListener('change', () => load(select.value));
await startGaps(() => load(select.value), new URLSearchParams(location.search).get('region'));
if (select.value) load(select.value);
