// The web UI in Debian's chromium, headless, driven by playwright-core:
// an enterprise logs in and publishes a confidential demand in Chinese
// (with the form's field messages on the way), sees its page; the public
// cannot see it, by page or by search; the demand's page shows ranked,
// explained matches with an English achievement among them, and one is
// marked useful; the enterprise moves its deal on the deal page; a city
// operator opens the chain map and a link of it, then the map coloured by
// gap class for its city and a weak link with what would fill it; the UI
// switches to English; the dashboard draws its chart and the closed-loop
// figures; the home page fits a phone.  Prints TAP; screenshots go to SHOTS.
//
// Environment: BASE (the server), SHOTS (a directory), CHROMIUM (the
// browser), ENTERPRISE and CITY (account names), PASSWORD, CHAIN, REGION
// (the city operator's), DEAL (a deal of the enterprise, in intent).
import { chromium } from 'playwright-core';
import path from 'node:path';

const env = process.env;
let n = 0;
let failed = 0;

async function step(name, fn) {
  n++;
  try {
    await fn();
    console.log(`ok ${n} - ${name}`);
  } catch (e) {
    failed++;
    console.log(`not ok ${n} - ${name}`);
    for (const line of String(e.stack || e).split('\n').slice(0, 6)) console.log('# ' + line);
  }
}

function check(cond, what) {
  if (!cond) throw new Error(what);
}

const shot = (page, name) => page.screenshot({ path: path.join(env.SHOTS, name + '.png'), fullPage: true });

const browser = await chromium.launch({
  executablePath: env.CHROMIUM, args: ['--no-sandbox', '--headless=new'],
});
const errors = [];

async function newPage(locale) {
  const context = await browser.newContext({ locale, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(e.message));
  page.setDefaultTimeout(30000); // a loaded machine hashes passwords slowly
  return page;
}

async function logIn(page, name) {
  await page.goto(env.BASE + '/account.html');
  await page.getByLabel('账号').fill(name);
  await page.getByLabel('密码').fill(env.PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByTestId('account-name').waitFor();
}

const title = '抽油杆防腐耐磨涂层研发 ' + Date.now();
let demandUrl = null;

const ent = await newPage('zh-CN');
await step('an enterprise logs in', async () => {
  await logIn(ent, env.ENTERPRISE);
  check((await ent.getByTestId('account-name').textContent()) === env.ENTERPRISE, 'account name');
  check((await ent.getByTestId('who').textContent()).includes(env.ENTERPRISE), 'header names the account');
  await ent.locator('#notification-count').filter({ hasText: '条未读' }).waitFor();
  check(await ent.getByRole('heading', { name: '提醒' }).isVisible(), 'the account page lists its notifications');
  await shot(ent, '01-account');
});

await step('the demand form shows messages next to the fields', async () => {
  await ent.goto(env.BASE + '/publish.html?kind=demand');
  await ent.getByRole('button', { name: '提交' }).click();
  const titleError = ent.locator('#f-title-error');
  check((await titleError.textContent()).includes('必填'), 'title is required');
  check((await ent.locator('#f-title').getAttribute('aria-invalid')) === 'true', 'title marked invalid');
  await ent.getByLabel('标题').fill(title);
  await ent.getByLabel('期望成熟度（1-9）').fill('12');
  await ent.getByRole('button', { name: '提交' }).click();
  check((await ent.locator('#f-trl_need-error').textContent()).length > 0, 'TRL out of range');
  check((await titleError.textContent()) === '', 'the title message is gone once it is filled');
  await shot(ent, '02-form-messages');
});

await step('the enterprise publishes a confidential demand in Chinese', async () => {
  await ent.getByLabel('期望成熟度（1-9）').fill('6');
  await ent.getByLabel('描述').fill('油田抽油杆在含硫、含砂工况下腐蚀磨损严重，寻求防腐耐磨涂层技术，寿命提高两倍以上。');
  await ent.getByLabel('关键词（用逗号分隔）').fill('抽油杆, 防腐涂层, 耐磨');
  await ent.getByLabel('预算（万元）').fill('150');
  await ent.getByLabel('公开程度').selectOption('confidential');
  await ent.getByRole('button', { name: '提交' }).click();
  const link = ent.getByTestId('published');
  await link.waitFor();
  check((await link.textContent()) === title, 'published title');
  demandUrl = await link.getAttribute('href');
  await link.click();
  await ent.locator('h1', { hasText: title }).waitFor();
  check((await ent.getByTestId('matches').textContent()).length > 0, 'the matches section is there');
  await shot(ent, '03-demand-page');
});

await step('the demand page shows explained matches with an English achievement, one marked useful', async () => {
  await ent.locator('[data-testid=match]').first().waitFor();
  const english = ent.locator('[data-testid=match][data-id^="ACH-E-"]').first();
  await english.waitFor();
  await english.locator('summary').click();
  const why = await english.locator('ul.reasons').textContent();
  check(why.includes('命中词'), 'matched terms among the reasons');
  check((await english.locator('[data-testid=bridged]').count()) === 1, 'terms bridged across languages');
  check((await english.locator('mark').count()) > 0, 'a highlighted snippet');
  check((await english.locator('p.terms').textContent()).includes('文本相关'), 'the score breakdown');
  const useful = english.getByRole('button', { name: '有用' });
  await useful.click();
  await ent.getByTestId('feedback-status').filter({ hasText: '已记录反馈' }).waitFor();
  check((await useful.getAttribute('aria-pressed')) === 'true', 'the button says it was pressed');
  const id = await english.getAttribute('data-id');
  const demand = new URL(env.BASE + '/' + demandUrl).searchParams.get('id');
  const stored = await ent.evaluate(async (d) => (await (await fetch(`/api/v1/demands/${d}/feedback`)).json()).items, demand);
  check(stored.some((f) => f.to_id === id && f.action === 'useful'), 'the server holds the feedback');
  await shot(ent, '03b-matches-feedback');
});

await step('the enterprise moves its deal on the deal page', async () => {
  await ent.goto(env.BASE + '/deal.html?id=' + env.DEAL);
  await ent.getByTestId('deal-state').filter({ hasText: '意向' }).waitFor();
  await ent.getByRole('button', { name: '洽谈' }).click();
  await ent.getByTestId('deal-state').filter({ hasText: '洽谈' }).waitFor();
  check((await ent.getByRole('button', { name: '已签订' }).count()) === 1, 'signing is the next move');
  check((await ent.locator('#audit li').count()) === 2, 'the audit trail has the move');
  await ent.getByLabel('节点名称').fill('首期款');
  await ent.getByLabel('金额（万元）').fill('40');
  await ent.getByRole('button', { name: '添加付款节点' }).click();
  await ent.getByTestId('milestones').filter({ hasText: '首期款' }).waitFor();
  await shot(ent, '03c-deal');
});

await step('a public visitor cannot see the confidential demand', async () => {
  const pub = await newPage('zh-CN');
  await pub.goto(env.BASE + '/' + demandUrl);
  await pub.getByTestId('not-found').waitFor();
  check(!(await pub.content()).includes('含硫'), 'the page holds none of its text');
  await pub.goto(env.BASE + '/index.html?q=' + encodeURIComponent('抽油杆 防腐涂层'));
  await pub.locator('#results p').first().waitFor();
  check(!(await pub.locator('#results').textContent()).includes(title), 'search does not find it');
  await shot(pub, '05-public-cannot-see');
  await pub.context().close();
});

const city = await newPage('zh-CN');
await step('a city operator opens the chain map and a link', async () => {
  await logIn(city, env.CITY);
  await city.goto(env.BASE + '/chain.html?chain=' + env.CHAIN);
  await city.locator('#map canvas').first().waitFor();
  const first = city.locator('#link-list button').first();
  await first.waitFor();
  await first.focus();
  await city.keyboard.press('Enter');
  await city.getByTestId('link-supply').waitFor();
  const shown = await city.getByTestId('link-detail').textContent();
  check(shown.includes('环节详情'), 'link detail');
  check((await city.locator('[data-testid=link-supply] li').count()) > 0, 'supply for the link');
  await shot(city, '06-chain-map');
});

await step('the chain map colours links by gap class and a weak link shows what would fill it', async () => {
  await city.goto(env.BASE + `/chain.html?chain=${env.CHAIN}&region=${env.REGION}`);
  await city.locator('#map canvas').first().waitFor();
  check((await city.locator('#gap-region').inputValue()) === env.REGION, 'the region chosen');
  check((await city.locator('[data-testid=gap-legend] li').count()) === 4, 'four gap classes in the legend');
  const weak = city.locator('#link-list button', { hasText: '弱（均不足）' }).first();
  await weak.waitFor();
  await weak.click();
  await city.getByTestId('gap-class').filter({ hasText: '弱' }).waitFor();
  check((await city.locator('[data-testid=gap-lacks] li').count()) > 0, 'what the region lacks');
  check((await city.locator('#link-list button', { hasText: '强（产业与创新均强）' }).count()) > 0 ||
    (await city.locator('#link-list button', { hasText: '有创新缺产业' }).count()) > 0, 'links of other classes');
  await shot(city, '06b-chain-gaps');
});

await step('the UI switches to English', async () => {
  await city.getByTestId('lang-switch').click();
  await city.getByRole('link', { name: 'Chain map' }).waitFor();
  check((await city.locator('html').getAttribute('lang')) === 'en', 'html lang');
  check((await city.locator('h1').textContent()) === 'Industrial chain map', 'heading in English');
  await city.locator('[data-testid=gap-legend]', { hasText: 'Weak (both short)' }).waitFor();
  await shot(city, '07-english');
});

await step('the dashboard draws indicators against targets', async () => {
  await city.goto(env.BASE + '/dashboard.html?region=4210');
  await city.locator('#chart canvas').first().waitFor();
  await city.locator('#rows tr td').first().waitFor();
  check((await city.locator('#rows tr').count()) > 0, 'indicator rows');
  check((await city.locator('#chart').getAttribute('aria-label')).includes('/'), 'chart has a text equivalent');
  await city.getByTestId('fig-rate').waitFor();
  check((await city.getByTestId('fig-rate').textContent()).includes('80%'), 'the docking rate beside its target');
  check(/^\d+$/.test(await city.locator('[data-testid=fig-demands] strong').textContent()), 'demands posted');
  check((await city.getByTestId('fig-download').getAttribute('href')).includes('format=xlsx'), 'the workbook');
  check((await city.locator('[data-testid=deal-types] canvas').count()) > 0, 'deals by type drawn');
  await shot(city, '08-dashboard');
});

await step('a browser in English starts in English', async () => {
  const en = await newPage('en-US');
  await en.goto(env.BASE + '/index.html');
  await en.getByRole('button', { name: 'Search' }).waitFor();
  await en.context().close();
});

await step('the home page fits a phone and works by keyboard', async () => {
  const phone = await browser.newContext({ locale: 'zh-CN', viewport: { width: 390, height: 844 }, isMobile: true });
  const page = await phone.newPage();
  await page.goto(env.BASE + '/index.html');
  await page.locator('a.skip').waitFor({ state: 'attached' }); // the header is drawn after the session is read
  await page.keyboard.press('Tab');
  check((await page.evaluate(() => document.activeElement.textContent)) === '跳到正文', 'skip link first');
  await page.getByRole('searchbox').fill('涂层');
  await page.keyboard.press('Enter');
  await page.locator('[data-testid=hit]').first().waitFor();
  const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(wide <= 1, `no sideways scrolling (${wide}px too wide)`);
  await shot(page, '09-phone');
  await phone.close();
});

await step('no script errors on any page', async () => {
  check(errors.length === 0, errors.join('; '));
});

await browser.close();
console.log(`1..${n}`);
process.exit(failed ? 1 : 0);
