// Logging in. The form appears above the page; when a session runs out
// in the middle of a flow, what was on the page stays (hidden) and comes
// back after the new login, with everything typed still in it.
import { api } from './api.js';
import { session } from './session.js';
import { h, field, form, clearMessage } from './ui.js';

// Resolves once someone is logged in.
export function askLogin({ item = false } = {}) {
  return new Promise((resolve) => {
    const view = document.getElementById('view');
    view.hidden = true;
    for (const id of ['scan-form', 'nav', 'who']) document.getElementById(id).hidden = true;
    // on a label's page a family's phone may be looking: no keyboard popping up
    const user = field({ label: 'Gebruikersnaam', name: 'username', autocomplete: 'username', autocapitalize: 'none', spellcheck: 'false' });
    const pass = field({ label: 'Wachtwoord', name: 'password', type: 'password', autocomplete: 'current-password' });
    const box = h('section', { class: 'card', id: 'login', 'aria-labelledby': 'login-title' },
      item
        ? h('h2', { id: 'login-title' }, 'Vrijwilliger? Meld je aan om uit te lenen of terug te nemen')
        : h('h1', { id: 'login-title' }, 'Aanmelden'),
      form([user.wrap, pass.wrap, h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Aanmelden'))],
        async () => {
          const res = await api('POST', '/v1/auth/login', {
            body: { username: user.input.value.trim(), password: pass.input.value },
            login: true,
            say: {
              unauthenticated: 'Gebruikersnaam of wachtwoord klopt niet. Probeer opnieuw.',
              invalid_field: 'Vul je gebruikersnaam en wachtwoord in.',
            },
          });
          session.start(res.token, res.user);
          session.setUser(await api('GET', '/v1/me'));
          box.remove();
          view.hidden = false;
          clearMessage();
          resolve();
        }));
    const old = document.getElementById('login');
    if (old) old.remove();
    view.before(box);
    if (!item) user.input.focus();
  });
}
