// The chain map's gap analytics: for the region chosen, each link's class
// (strong / industry_only / innovation_only / weak) colours the link on the
// map and is written beside it in the keyboard list; a link's detail adds
// what the region lacks there, its local enterprises and what would fill it
// (experts, laboratories, achievements, enterprises to attract).
import { api, el, lang, recordHref, t } from './app.mjs';
import './flow-i18n.mjs';

export const CLASS_COLOURS = {
  strong: '#1b7f3b', industry_only: '#d9822b', innovation_only: '#0b78c2', weak: '#b3261e',
};

const regionSelect = document.getElementById('gap-region');
let classes = new Map();

export function region() {
  return regionSelect.value;
}

// The class of link `id` in the chosen region, or undefined.
export function linkClass(id) {
  return classes.get(id);
}

export function colour(id) {
  return CLASS_COLOURS[classes.get(id)];
}

// Reads the gaps of `chain` for the chosen region.
export async function loadGaps(chain) {
  const { data } = await api(`/api/v1/chains/${encodeURIComponent(chain)}/gaps?region=${encodeURIComponent(region())}`);
  classes = new Map(data.links.map((l) => [l.link, l.class]));
}

export function legend(box) {
  box.replaceChildren(...Object.entries(CLASS_COLOURS).map(([cls, c]) => el('li', {},
    el('span', { class: 'swatch', style: `background:${c}`, 'aria-hidden': 'true' }), t('gap_' + cls))));
}

const name = (r) => (lang() === 'en' ? r.name_en || r.name_zh : r.name_zh || r.name_en) || r.title || r.id;

function list(key, items, kind) {
  if (!items?.length) return [];
  return [el('h3', { text: t(key) }), el('ul', { 'data-testid': key }, items.map((x) =>
    el('li', {}, el('a', { href: recordHref(x.kind || kind, x.id), text: x.name || name(x) }))))];
}

// Appends what would fill `link` for the chosen region to `box`.
export async function showFill(link, box) {
  const { data } = await api(`/api/v1/links/${encodeURIComponent(link.id)}/fill?region=${encodeURIComponent(region())}&limit=5`);
  box.append(el('p', { 'data-testid': 'gap-class' },
    el('span', { class: 'swatch', style: `background:${CLASS_COLOURS[data.class]}`, 'aria-hidden': 'true' }),
    `${t('gap_class')}: ${t('gap_' + data.class)}`));
  if (data.lacks.length)
    box.append(el('h3', { text: t('gap_lacks') }), el('ul', { 'data-testid': 'gap-lacks' }, data.lacks.map((x) =>
      el('li', { text: `${t('gm_' + x.measure)}: ${t('gap_here', { here: x.here, avg: x.peer_average })}` }))));
  box.append(...list('gap_local', data.local_enterprises, 'organization'),
    ...list('gap_experts', data.experts, 'person'), ...list('gap_labs', data.laboratories, 'organization'),
    ...list('gap_achievements', data.achievements, 'achievement'),
    ...list('gap_attract', data.enterprises_to_attract, 'organization'));
}

// Fills the region choice (cities) and calls `changed` when it changes.
export async function startGaps(changed, wanted) {
  const regions = (await api('/api/v1/regions?limit=200')).data.items.filter((r) => r.level === 'city');
  regionSelect.replaceChildren(...regions.map((r) => el('option', { value: r.id, text: name(r) })));
  regionSelect.value = wanted || regions[0]?.id;
  regionSelect.addEventListener('change', changed);
  legend(document.getElementById('gap-legend'));
}
