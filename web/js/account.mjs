// Log in and out; the account and its API tokens.
import { api, account, el, login, logout, start, t } from './app.mjs';
import { showNotifications } from './notifications.mjs';

const loginForm = document.getElementById('login');

async function tokens() {
  const { data } = await api('/api/v1/tokens');
  document.getElementById('token-list').replaceChildren(...data.items.map((tok) =>
    el('tr', {}, el('td', { text: String(tok.id) }), el('td', { text: tok.label }),
      el('td', { text: tok.created_at }),
      el('td', {}, tok.revoked ? t('revoked') : el('button', {
        type: 'button', class: 'secondary', 'aria-label': `${t('token_revoke')} ${tok.id}`,
        onclick: async () => { await api(`/api/v1/tokens/${tok.id}`, { method: 'DELETE' }); tokens(); },
      }, t('token_revoke'))))));
}

function showAccount() {
  const a = account();
  loginForm.hidden = true;
  document.getElementById('me').hidden = false;
  document.getElementById('tokens').hidden = false;
  const rows = [['name', a.name], ['role', a.role], ['org', a.org || a.person || a.region || '—']];
  document.getElementById('me-fields').replaceChildren(...rows.flatMap(([k, v]) =>
    [el('dt', { text: t(k) }), el('dd', { 'data-testid': 'account-' + k, text: v })]));
  tokens();
  showNotifications().catch((e) => {
    document.getElementById('notification-count').textContent = t('error') + e.message;
  });
}

loginForm.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  try {
    await login(loginForm.name.value.trim(), loginForm.password.value);
    const next = new URLSearchParams(location.search).get('next');
    if (next && next.startsWith('/') && !next.startsWith('//')) location.assign(next);
    else location.reload();
  } catch (e) {
    document.getElementById('login-error').textContent = e.message;
    loginForm.password.setAttribute('aria-invalid', 'true');
    loginForm.password.focus();
  }
});

document.getElementById('logout').addEventListener('click', async () => {
  await logout();
  location.reload();
});

document.getElementById('token-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const { data } = await api('/api/v1/tokens', { method: 'POST', body: { label: ev.target.label.value } });
  document.getElementById('token-new').replaceChildren(t('token_shown_once'), ' ', el('code', { text: data.token }));
  tokens();
});

await start();
if (account()) showAccount();
else loginForm.hidden = false;
