// The regional dashboard: each indicator's latest value against its target
// (as a share of the target, since units differ), its trend over periods,
// and the figures as a table for screen readers and copying.
import * as echarts from '../node_modules/echarts/dist/echarts.esm.min.mjs';
import { api, el, lang, start, t } from './app.mjs';

const select = document.getElementById('region');
const chart = echarts.init(document.getElementById('chart'));
const trendBox = document.getElementById('trend');
const trend = echarts.init(trendBox);
addEventListener('resize', () => { chart.resize(); trend.resize(); });

function label(ind) {
  return (lang() === 'en' ? ind.label_en || ind.label_zh : ind.label_zh || ind.label_en) || ind.name;
}

function draw(items) {
  const byName = new Map();
  for (const i of items) {
    if (!byName.has(i.name)) byName.set(i.name, []);
    byName.get(i.name).push(i);
  }
  for (const list of byName.values()) list.sort((a, b) => String(a.period).localeCompare(String(b.period)));
  const latest = [...byName.values()].map((l) => l[l.length - 1]);
  const withTarget = latest.filter((i) => i.target);
  const names = withTarget.map(label);
  const summary = withTarget.map((i) => `${label(i)} ${i.value ?? '—'}/${i.target}`).join('; ');
  document.getElementById('chart').setAttribute('aria-label', `${t('value')} / ${t('target')}: ${summary || t('no_indicators')}`);
  chart.setOption({
    title: { text: `${t('value')} / ${t('target')} (%)`, left: 'center', textStyle: { fontSize: 14 } },
    tooltip: { trigger: 'axis' },
    grid: { left: 8, right: 16, containLabel: true },
    xAxis: { type: 'value', max: (v) => Math.max(110, Math.ceil(v.max / 10) * 10) },
    yAxis: { type: 'category', data: names, axisLabel: { width: 160, overflow: 'truncate' } },
    series: [{
      type: 'bar', data: withTarget.map((i) => Math.round((100 * (i.value || 0)) / i.target)),
      itemStyle: { color: (p) => (p.value >= 100 ? '#1b7f3b' : '#0b5cab') },
      markLine: { symbol: 'none', data: [{ xAxis: 100 }], label: { formatter: t('target') } },
    }],
  }, true);
  const trends = [...byName.values()].filter((l) => l.length > 1);
  trendBox.hidden = trends.length === 0;
  if (trends.length) {
    const periods = [...new Set(trends.flat().map((i) => String(i.period)))].sort();
    trend.setOption({
      tooltip: { trigger: 'axis' }, legend: { type: 'scroll', bottom: 0 },
      xAxis: { type: 'category', data: periods }, yAxis: { type: 'value' },
      series: trends.map((l) => ({ type: 'line', name: label(l[0]),
        data: periods.map((p) => l.find((i) => String(i.period) === p)?.value ?? null) })),
    }, true);
    trend.resize();
  }
  document.getElementById('rows').replaceChildren(...(latest.length ? latest.map((i) => el('tr', {},
    el('td', { text: label(i) }), el('td', { text: String(i.period) }),
    el('td', { text: `${i.value ?? '—'} ${i.unit || ''}` }), el('td', { text: i.target ? `${i.target} ${i.unit || ''}` : '—' })))
    : [el('tr', {}, el('td', { colspan: 4, text: t('no_indicators') }))]));
}

async function load(region) {
  const { data } = await api(`/api/v1/indicators?region=${encodeURIComponent(region)}&limit=200`);
  draw(data.items);
}

await start();
const regions = (await api('/api/v1/regions?limit=200')).data.items.filter((r) => r.level !== 'district');
select.replaceChildren(...regions.map((r) => el('option', { value: r.id, text: (lang() === 'en' ? r.name_en : r.name_zh) || r.id })));
select.value = new URLSearchParams(location.search).get('region') || regions.find((r) => r.level === 'province')?.id || regions[0]?.id;
select.addEventListener('change', () => load(select.value));
load(select.value);
