// The forms to post a demand or list an achievement, and to edit one
// (PATCH with If-Match).  Checks what it can before sending; what the
// server refuses comes back as a problem document whose detail names the
// field, and the message is put next to that field.
import { api, el, start, t, lang, account, recordHref, plural } from './app.mjs';

const p = new URLSearchParams(location.search);
const kind = p.get('kind') === 'achievement' ? 'achievement' : 'demand';
const editing = p.get('id');
const form = document.getElementById('form');
const status = document.getElementById('form-status');

const FIELDS = {
  demand: [
    { name: 'title', required: true },
    { name: 'description', type: 'textarea' },
    { name: 'keywords', list: true },
    { name: 'budget', type: 'number', min: 0 },
    { name: 'deadline', type: 'date' },
    { name: 'region', type: 'region' },
    { name: 'visibility', type: 'select', options: ['public', 'confidential'] },
    { name: 'trl_need', type: 'number', min: 1, max: 9 },
    { name: 'contact' },
  ],
  achievement: [
    { name: 'title', required: true },
    { name: 'abstract', type: 'textarea' },
    { name: 'keywords', list: true },
    { name: 'trl', type: 'number', min: 1, max: 9 },
    { name: 'asking_price', type: 'number', min: 0 },
    { name: 'region', type: 'region' },
  ],
};

function control(f, regions) {
  const id = 'f-' + f.name;
  const common = { id, name: f.name, 'aria-describedby': id + '-error', required: f.required || null };
  let input;
  if (f.type === 'textarea') input = el('textarea', { ...common, rows: 5 });
  else if (f.type === 'select')
    input = el('select', common, f.options.map((o) => el('option', { value: o, text: t('v_' + o) })));
  else if (f.type === 'region')
    input = el('select', common, el('option', { value: '', text: '—' }),
      regions.map((r) => el('option', { value: r.id, text: (lang() === 'en' ? r.name_en : r.name_zh) || r.id })));
  else input = el('input', { ...common, type: f.type || 'text', min: f.min, max: f.max, step: f.type === 'number' ? 'any' : null });
  return el('div', { class: 'field' },
    el('label', { for: id }, t('f_' + f.name), f.required ? ` (${t('required')})` : ''),
    input, el('p', { id: id + '-error', class: 'field-error', 'data-field-error': f.name }));
}

function setError(name, message) {
  const slot = form.querySelector(`[data-field-error="${name}"]`);
  const input = form.elements[name];
  if (!slot || !input) return false;
  slot.textContent = message;
  input.setAttribute('aria-invalid', 'true');
  return true;
}

function clearErrors() {
  for (const s of form.querySelectorAll('[data-field-error]')) s.textContent = '';
  for (const i of form.querySelectorAll('[aria-invalid]')) i.removeAttribute('aria-invalid');
  status.textContent = '';
  status.className = '';
}

// What the browser can tell before sending.
function localErrors() {
  let ok = true;
  for (const f of FIELDS[kind]) {
    const input = form.elements[f.name];
    const v = input.value.trim();
    if (f.required && !v) {
      setError(f.name, `${t('f_' + f.name)}: ${t('required')}`);
      ok = false;
    } else if (f.type === 'number' && v && !input.checkValidity()) {
      setError(f.name, input.validationMessage);
      ok = false;
    }
  }
  return ok;
}

function body() {
  const b = {};
  for (const f of FIELDS[kind]) {
    const v = form.elements[f.name].value.trim();
    if (!v) { if (editing) b[f.name] = null; continue; }
    b[f.name] = f.list ? v.split(/[,，;；、]/).map((s) => s.trim()).filter(Boolean)
      : f.type === 'number' ? Number(v) : v;
  }
  return b;
}

let etag = null;

async function submit(ev) {
  ev.preventDefault();
  clearErrors();
  if (!localErrors()) {
    status.textContent = t('fix_fields');
    status.className = 'error';
    form.querySelector('[aria-invalid="true"]')?.focus();
    return;
  }
  try {
    const path = `/api/v1/${plural[kind]}` + (editing ? '/' + encodeURIComponent(editing) : '');
    const { data } = await api(path, { method: editing ? 'PATCH' : 'POST', body: body(),
      headers: editing ? { 'If-Match': etag } : {} });
    status.className = 'ok';
    status.replaceChildren(t('published_ok'), el('a', { href: recordHref(kind, data.id), 'data-testid': 'published', text: data.title }));
    if (!editing) form.reset();
  } catch (e) {
    const m = /field '([a-z_]+)'/.exec(e.message);
    if (!(m && setError(m[1], e.message))) status.textContent = e.message;
    else status.textContent = t('fix_fields');
    status.className = 'error';
  }
}

await start();
document.getElementById('heading').textContent = t(kind === 'demand' ? 'publish_demand' : 'publish_achievement');
document.title = document.getElementById('heading').textContent;
if (!account()) {
  document.getElementById('need-login').hidden = false;
  form.hidden = true;
} else {
  let regions = [];
  try {
    regions = (await api('/api/v1/regions?level=city&limit=200')).data.items;
  } catch { /* the region list is a convenience: the form works without it */ }
  document.getElementById('fields').replaceChildren(...FIELDS[kind].map((f) => control(f, regions)));
  if (editing) {
    const r = await api(`/api/v1/${plural[kind]}/${encodeURIComponent(editing)}`);
    etag = r.etag;
    for (const f of FIELDS[kind]) {
      const v = r.data[f.name];
      if (v !== undefined) form.elements[f.name].value = Array.isArray(v) ? v.join(', ') : v;
    }
  }
  form.addEventListener('submit', submit);
}
