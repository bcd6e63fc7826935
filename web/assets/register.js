// Registering a new household: only what is needed (a name; postcode,
// contact and children are optional), in one form.
import { idempotent } from './api.js';
import { h, field, form, show, mistake } from './ui.js';

const LANGUAGES = [
  ['nl', 'Nederlands'], ['fr', 'Frans'], ['en', 'Engels'], ['de', 'Duits'], ['ar', 'Arabisch'],
  ['tr', 'Turks'], ['uk', 'Oekraïens'], ['ru', 'Russisch'], ['ro', 'Roemeens'], ['pl', 'Pools'],
  ['so', 'Somalisch'], ['ti', 'Tigrinya'], ['prs', 'Dari'], ['ps', 'Pasjtoe'],
];

function childRow(n) {
  const name = field({ label: `Voornaam kind ${n} (niet verplicht)`, name: 'first_name' });
  const month = field({ label: `Geboortemaand kind ${n}`, name: 'birth_month', type: 'month', hint: 'Nog niet geboren? De verwachte maand.' });
  return { wrap: h('div', { class: 'two child' }, name.wrap, month.wrap), name: name.input, month: month.input };
}

// The form; onDone(household) gets the registered household.
export function registerForm(onDone, { autofocus = true } = {}) {
  const send = idempotent();
  const name = field({ label: 'Naam van het gezin', name: 'name', autofocus, hint: 'Zoals het gezin het wil, bv. Gezin Peeters.', autocomplete: 'off' });
  const postcode = field({ label: 'Postcode (niet verplicht)', name: 'postcode', inputmode: 'numeric', maxlength: 4 });
  const phone = field({ label: 'Telefoon (niet verplicht)', name: 'phone', type: 'tel' });
  const email = field({ label: 'E-mailadres (niet verplicht)', name: 'email', type: 'email' });
  const language = field({ label: 'Taal', name: 'language', type: 'select', options: LANGUAGES, value: 'nl' });
  const kids = [];
  const kidsBox = h('div', {});
  const addKid = () => {
    const row = childRow(kids.length + 1);
    kids.push(row);
    kidsBox.append(row.wrap);
    return row;
  };
  addKid();
  const more = h('button', { type: 'button', class: 'secondary', onclick: () => addKid().name.focus() }, 'Nog een kind');
  return form([
    name.wrap,
    h('div', { class: 'two' }, postcode.wrap, language.wrap),
    h('div', { class: 'two' }, phone.wrap, email.wrap),
    h('fieldset', {}, h('legend', {}, 'Kinderen'), kidsBox, more),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Gezin registreren')),
  ], async () => {
    if (!name.input.value.trim()) throw mistake('Vul de naam van het gezin in.', 'name');
    const children = kids
      .filter((k) => k.month.value || k.name.value.trim())
      .map((k) => {
        if (!k.month.value) throw mistake('Vul de geboortemaand in van elk kind dat je noemt.', 'birth_month');
        return k.name.value.trim() ? { first_name: k.name.value.trim(), birth_month: k.month.value } : { birth_month: k.month.value };
      });
    const body = { name: name.input.value.trim(), language: language.input.value, children };
    for (const [key, f] of [['postcode', postcode], ['phone', phone], ['email', email]])
      if (f.input.value.trim()) body[key] = f.input.value.trim();
    const household = await send('POST', '/v1/households', body);
    return onDone(household);
  });
}

// #/nieuw-gezin: register, then open the household's page.
export function registerPage() {
  show(h('section', { class: 'card', 'aria-labelledby': 'reg-title' },
    h('h1', { id: 'reg-title' }, 'Nieuw gezin registreren'),
    registerForm((hh) => { location.hash = `#/gezin/${hh.number}`; })));
}
