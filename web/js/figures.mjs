// The dashboard's closed-loop figures for the region chosen there: demands
// posted and in docking, the docking rate against the 80 % target, the
// median days to a first response, deals by type and turnover, with the
// workbook to download; and the region's targets with the progress towards
// each.  Figures leave confidential demands out unless an operator asks.
import * as echarts from '../node_modules/echarts/dist/echarts.esm.min.mjs';
import { api, el, lang, t } from './app.mjs';
import './flow-i18n.mjs';

const TARGET_RATE = 0.8;
const TYPES = ['transfer', 'licence', 'joint', 'service', 'consulting'];
const box = document.getElementById('figures');
const select = document.getElementById('region');

function tile(key, value, testid) {
  return el('div', { 'data-testid': testid }, el('span', { text: t(key) }), el('strong', { text: value }));
}

const pct = (x) => (x === null || x === undefined ? '—' : `${Math.round(x * 1000) / 10}%`);

function drawTypes(total) {
  const chartBox = el('div', { class: 'chart', role: 'img', 'data-testid': 'deal-types' });
  const counts = TYPES.map((k) => total.deals_by_type?.[k] || 0);
  chartBox.setAttribute('aria-label', `${t('fig_by_type')}: ` +
    TYPES.map((k, i) => `${t('dt_' + k)} ${counts[i]}`).join('; '));
  box.append(chartBox);
  const chart = echarts.init(chartBox);
  chart.setOption({
    title: { text: t('fig_by_type'), left: 'center', textStyle: { fontSize: 14 } },
    tooltip: {}, grid: { left: 8, right: 16, containLabel: true },
    xAxis: { type: 'category', data: TYPES.map((k) => t('dt_' + k)) }, yAxis: { type: 'value', minInterval: 1 },
    series: [{ type: 'bar', data: counts, itemStyle: { color: '#0b5cab' } }],
  });
  addEventListener('resize', () => chart.resize());
}

function targets(items) {
  if (!items.length) return;
  const label = (x) => (lang() === 'en' ? x.label_en || x.label_zh : x.label_zh || x.label_en) || x.name;
  box.append(el('h3', { text: t('fig_targets') }), el('table', {},
    el('thead', {}, el('tr', {}, el('th', { text: t('indicator') }), el('th', { text: t('value') }),
      el('th', { text: t('target') }), el('th', { text: t('fig_progress') }))),
    el('tbody', { 'data-testid': 'targets' }, items.map((x) => el('tr', {},
      el('td', { text: label(x) }), el('td', { text: `${x.latest ?? '—'} ${x.unit || ''}` }),
      el('td', { text: `${x.target ?? '—'} ${x.unit || ''}` }), el('td', { text: pct(x.progress) }))))));
}

async function load(region) {
  const q = `region=${encodeURIComponent(region)}`;
  const [fig, tg] = await Promise.all([api(`/api/v1/figures?${q}`), api(`/api/v1/regions/${encodeURIComponent(region)}/targets`)]);
  const total = fig.data.total;
  const rate = total.docking_rate;
  box.replaceChildren(el('h2', { id: 'figures-h', text: t('fig_title') }),
    el('div', { class: 'figures' },
      tile('fig_demands', String(total.demands), 'fig-demands'),
      tile('fig_docked', String(total.docked), 'fig-docked'),
      el('div', { 'data-testid': 'fig-rate', class: rate !== null && rate >= TARGET_RATE ? 'ok' : 'error' },
        el('span', { text: t('fig_rate') }), el('strong', { text: pct(rate) }), el('small', { text: t('fig_target') })),
      tile('fig_response', total.median_response_days ?? '—', 'fig-response'),
      tile('fig_deals', String(total.deals), 'fig-deals'),
      tile('fig_turnover', String(total.turnover), 'fig-turnover'),
      tile('fig_satisfaction', total.satisfaction ?? '—', 'fig-satisfaction')),
    el('a', { class: 'button', href: `/api/v1/figures?${q}&format=xlsx`, download: 'figures.xlsx',
      'data-testid': 'fig-download', text: t('fig_download') }));
  drawTypes(total);
  targets(tg.data);
}

function refresh() {
  load(select.value).catch((e) => box.replaceChildren(el('p', { role: 'alert', class: 'error', text: t('error') + e.message })));
}

select.addEventListener('change', refresh);
// the dashboard fills the region choice after its own start: wait for it
const ready = new MutationObserver(() => {
  if (select.value) {
    ready.disconnect();
    refresh();
  }
});
if (select.value) refresh();
else ready.observe(select, { childList: true });
