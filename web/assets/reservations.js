// Reservations: a household waits for a category from a date (e.g. the
// expected birth); first come, first served. The queue of a category shows
// who waits and since when.
import { api, idempotent } from './api.js';
import { myLibraries, categoriesOf } from './catalogue.js';
import { getHousehold } from './find.js';
import { dateText, today, showCode } from './format.js';
import { session } from './session.js';
import { h, show, field, form, showInfo } from './ui.js';

// Library and category pickers; the category list follows the library.
async function pickers() {
  const libs = await myLibraries(session.user());
  const lib = field({ label: 'Uitleendienst', name: 'library', type: 'select', options: libs.map((l) => [l.slug, l.name]) });
  const cat = field({ label: 'Soort', name: 'category_id', type: 'select' });
  const fill = async () => {
    const cats = await categoriesOf(lib.input.value);
    cat.input.replaceChildren(...cats.map((c) => h('option', { value: String(c.id) }, c.name)));
  };
  lib.input.addEventListener('change', fill);
  await fill();
  if (libs.length === 1) lib.wrap.hidden = true;
  return { lib, cat };
}

// The queue of one category, first in line first.
export async function queueList(slug, categoryId) {
  const res = await api('GET', `/v1/reservations?library=${encodeURIComponent(slug)}&category=${categoryId}&open=true&limit=200`);
  if (!res.items.length) return h('p', {}, 'Niemand wacht op deze soort.');
  return h('ol', { class: 'list', id: 'queue' }, res.items.map((r) => h('li', {},
    h('strong', {}, `${r.position}. `), h('a', { href: `#/gezin/${r.household}` }, `gezin ${r.household}`),
    ` · vanaf ${dateText(r.wanted_from)}`,
    r.status === 'offered' ? ` · ligt klaar: ${showCode(r.offered_item)}` : '')));
}

// #/gezin/{n}/reserveren
export async function reservationPage(number) {
  const hh = await getHousehold(number);
  const { lib, cat } = await pickers();
  const from = field({ label: 'Gewenst vanaf', name: 'wanted_from', type: 'date', value: today(), hint: 'Bv. de verwachte geboortedatum.' });
  const queue = h('div', { 'aria-live': 'polite' });
  const send = idempotent();
  show([
    h('section', { class: 'card', 'aria-labelledby': 'rs-title' },
      h('h1', { id: 'rs-title' }, `Reservatie voor ${hh.name}`),
      h('p', {}, h('a', { href: `#/gezin/${number}` }, `Terug naar gezin ${number}`)),
      form([lib.wrap, cat.wrap, from.wrap, h('div', { class: 'actions' }, h('button', { type: 'submit', 'data-autofocus': true }, 'Reserveren'))], async () => {
        const r = await send('POST', '/v1/reservations', {
          household: number, category_id: Number(cat.input.value), wanted_from: from.input.value,
        }, { say: { conflict: 'Dit gezin wacht al op deze soort.' } });
        const name = cat.input.selectedOptions[0].textContent;
        queue.replaceChildren(h('h2', {}, `Wachtrij ${name}`), await queueList(lib.input.value, r.category_id));
        showInfo(`${hh.name} staat op plaats ${r.position} in de wachtrij voor ${name}, vanaf ${dateText(r.wanted_from)}.`);
      })),
    h('section', { class: 'card' }, queue),
  ]);
}

// #/wachtrij: the queue of any category.
export async function queuePage() {
  const { lib, cat } = await pickers();
  const out = h('div', { 'aria-live': 'polite' });
  show(h('section', { class: 'card', 'aria-labelledby': 'q-title' },
    h('h1', { id: 'q-title' }, 'Wachtrijen'),
    form([lib.wrap, cat.wrap, h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Toon wachtrij'))], async () => {
      out.replaceChildren(await queueList(lib.input.value, Number(cat.input.value)));
    }),
    out));
}
