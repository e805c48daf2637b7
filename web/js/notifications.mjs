// The account's notifications (提醒): docking reminders, escalations and
// closings addressed to its organization, its city or itself, newest
// first, in the page's language, with a button that marks them read.
import { api, el, lang, t } from './app.mjs';
import './flow-i18n.mjs';

export async function showNotifications() {
  const box = document.getElementById('notifications');
  const list = document.getElementById('notification-list');
  const { data } = await api('/api/v1/notifications');
  box.hidden = false;
  const unread = data.items.filter((n) => !n.read_at).length;
  document.getElementById('notification-count').textContent = t('n_unread', { a: unread });
  if (!data.items.length) {
    list.replaceChildren(el('li', { text: t('n_none') }));
    return;
  }
  list.replaceChildren(...data.items.map((n) => el('li', {
    class: n.read_at ? 'read' : 'unread', 'data-testid': 'notification',
  }, el('time', { datetime: n.at, text: n.at.replace('T', ' ').replace('Z', '') }), ' ',
  el('span', { text: (lang() === 'en' ? n.message_en : n.message_zh) || n.message_zh || n.topic }))));
}

document.getElementById('notifications-read').addEventListener('click', async () => {
  await api('/api/v1/notifications/read', { method: 'POST' });
  await showNotifications();
});
