// The counter page: who is logged in, the menu for that role, the pages
// behind the menu (#/...), and the scan field that starts the item flows.
import { api } from './api.js';
import { session } from './session.js';
import { h, show, showError, focusScan, clearMessage } from './ui.js';
import { askLogin } from './login.js';
import { initScan, scanCode } from './scan.js';
import { counterHome } from './counter.js';
import { householdPage } from './household.js';
import { registerPage } from './register.js';
import { reservationPage, queuePage } from './reservations.js';
import { socialPage } from './social.js';
import { coordinatorPage } from './coordinator.js';
import { forget } from './catalogue.js';

// path pattern, page, who sees it
const PAGES = [
  [/^#?\/?$/, () => counterHome(), 'counter'],
  [/^#\/gezin\/(\d+)$/, (m) => householdPage(Number(m[1])), 'counter'],
  [/^#\/gezin\/(\d+)\/reserveren$/, (m) => reservationPage(Number(m[1])), 'counter'],
  [/^#\/nieuw-gezin$/, () => registerPage(), 'counter'],
  [/^#\/wachtrij$/, () => queuePage(), 'counter'],
  [/^#\/cijfers$/, () => coordinatorPage(), 'coordinator'],
  [/^#\/sociaal$/, () => socialPage(), 'social'],
];

const MENU = [
  ['#/', 'Balie', 'counter'],
  ['#/nieuw-gezin', 'Nieuw gezin', 'counter'],
  ['#/wachtrij', 'Wachtrijen', 'counter'],
  ['#/cijfers', 'Cijfers en etiketten', 'coordinator'],
  ['#/sociaal', 'Sociaal tarief', 'social'],
];

function allowed(who) {
  if (who === 'counter') return session.atCounter();
  if (who === 'coordinator') return session.coordinates();
  return session.issuesReductions();
}

// A social worker's page is the reductions page; everyone else starts at the counter.
const home = () => (session.atCounter() ? '#/' : '#/sociaal');

const itemCode = () => {
  const m = /^\/i\/([^/]+)\/?$/.exec(location.pathname);
  return m ? decodeURIComponent(m[1]) : null;
};

function renderShell() {
  const user = session.user();
  document.getElementById('who').hidden = !user;
  document.getElementById('who-name').textContent = user ? user.username : '';
  const nav = document.getElementById('nav');
  nav.hidden = !user;
  nav.replaceChildren(...(user ? MENU.filter(([, , who]) => allowed(who)).map(([href, text]) => h('a', { href }, text)) : []));
  document.getElementById('scan-form').hidden = !session.atCounter();
}

function markMenu() {
  const hash = location.hash || '#/';
  for (const a of document.querySelectorAll('#nav a')) {
    if (a.getAttribute('href') === hash || (a.getAttribute('href') === '#/' && hash.startsWith('#/gezin')))
      a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

async function route() {
  if (!session.user()) return undefined;
  const code = itemCode();
  if (!code && !location.hash) {
    location.replace(home()); // the hashchange that follows shows it
    return undefined;
  }
  markMenu();
  // the page a label opens: the item card is on the page already
  if (code && (!location.hash || location.hash === '#' || location.hash === '#/')) {
    if (!session.atCounter()) return show([]);
    // the flow shows the item itself
    const card = document.getElementById('public-item');
    if (card && card.dataset.code) card.hidden = true;
    return scanCode(code);
  }
  const hash = location.hash || home();
  for (const [re, page, who] of PAGES) {
    const m = re.exec(hash);
    if (!m) continue;
    if (!allowed(who)) {
      location.replace(home());
      return undefined;
    }
    try {
      return await page(m);
    } catch (err) {
      show([]);
      showError(err);
      return undefined;
    }
  }
  location.replace(home());
  return undefined;
}

async function loggedIn() {
  renderShell();
  document.getElementById('where').textContent = session.atCounter() ? '· balie' : '· sociale dienst';
  await route();
}

async function start() {
  initScan();
  document.getElementById('logout').addEventListener('click', async () => {
    try {
      await api('POST', '/v1/auth/logout');
    } catch {
      // the token is dropped here anyway
    }
    session.end();
    forget();
    location.hash = '';
    location.reload();
  });
  window.addEventListener('hashchange', route);
  // a link to the page already open (e.g. back to the household after a
  // check-out started there) shows it afresh
  document.addEventListener('click', (e) => {
    const a = e.target.closest && e.target.closest('a[href^="#"]');
    if (a && a.getAttribute('href') === location.hash) {
      e.preventDefault();
      route();
    }
  });
  // a click on nothing in particular gives the scan field its focus back
  document.addEventListener('focusout', () => {
    setTimeout(() => {
      if (document.activeElement === document.body || document.activeElement === null) focusScan();
    }, 0);
  });
  // after a new login the page stays as it was: nothing typed is lost
  session.onExpired(() => askLogin().then(renderShell));

  if (session.token()) {
    try {
      session.setUser(await api('GET', '/v1/me'));
    } catch (err) {
      session.end();
      if (err.code !== 'unauthenticated') showError(err);
    }
  }
  if (!session.user()) {
    await askLogin({ item: !!itemCode() });
    clearMessage();
  }
  await loggedIn();
}

start();
