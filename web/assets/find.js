// Finding a household by member number, name (or its start) or a member
// card scan: used at the counter and in the check-out.
import { api } from './api.js';
import { readScan, tariffText } from './format.js';
import { scanCode } from './scan.js';
import { h, field, form, mistake, showInfo } from './ui.js';

export function getHousehold(number) {
  return api('GET', `/v1/households/${number}`, {
    say: { not_found: `Er is geen gezin met lidnummer ${number}.` },
  });
}

// A search form; onPick(household) gets the chosen household.
export function householdSearch({ onPick, autofocus = true, label = 'Lidnummer of naam' }) {
  const q = field({ label, name: 'q', hint: 'Of scan de lidkaart.', autofocus, enterkeyhint: 'search' });
  const results = h('ul', { class: 'list', 'aria-live': 'polite' });
  const pick = (hh) => h('li', {}, h('button', { type: 'button', class: 'pick', onclick: () => onPick(hh) },
    h('span', {}, h('strong', {}, hh.name), ` · lid ${hh.number}`),
    h('span', { class: 'tariff' }, tariffText(hh.reduction))));
  const f = form([q.wrap, h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Zoek gezin'))], async () => {
    const text = q.input.value.trim();
    results.replaceChildren();
    const read = readScan(text);
    if (read && read.household) return onPick(await getHousehold(read.household));
    // an item's label scanned here starts that item's flow, as in the scan field
    if (read && read.item) return scanCode(read.item);
    if (text.length < 2) throw mistake('Typ het lidnummer of minstens twee letters van de naam.', 'q');
    // a name matches anywhere ("peet" finds "Gezin Peeters"); an e-mail exactly
    const by = text.includes('@') ? 'email' : 'name';
    const res = await api('GET', `/v1/households?${by}=${encodeURIComponent(text)}&limit=10`);
    if (!res.items.length) return showInfo(`Geen gezin gevonden voor "${text}". Kijk de naam na of registreer een nieuw gezin.`);
    results.replaceChildren(...res.items.map(pick));
    results.querySelector('button').focus();
    return undefined;
  }, { role: 'search' });
  return h('div', {}, f, results);
}
