// The household page: what it has at home and until when, its
// memberships and slots, its social tariff, its reservations. An item
// scanned while this page is open is lent to this household.
import { api, idempotent, blobUrl } from './api.js';
import { allLibraries, categoriesOf } from './catalogue.js';
import { getHousehold } from './find.js';
import { dueWords, dateText, monthText, today, showCode, tariffText } from './format.js';
import { h, show, field, form, showInfo } from './ui.js';
import { setHouseholdHere } from './scan.js';

export async function householdPage(number) {
  const [hh, memberships, loans, reservations, libs] = await Promise.all([
    getHousehold(number),
    api('GET', `/v1/households/${number}/memberships`),
    api('GET', `/v1/loans?household=${number}&open=true&limit=200`),
    api('GET', `/v1/reservations?household=${number}&open=true&limit=200`),
    allLibraries(),
  ]);
  setHouseholdHere(number);
  const libName = (slug) => (libs.find((l) => l.slug === slug) || { name: slug }).name;
  // item names for the loans, category names for the reservations
  const items = await Promise.all(loans.items.map((l) => api('GET', `/v1/items/${encodeURIComponent(l.item)}`).catch(() => null)));
  const cats = new Map();
  for (const slug of new Set(reservations.items.map((r) => r.library)))
    for (const c of await categoriesOf(slug)) cats.set(c.id, c.name);

  const day = today();
  // the newest membership per library says whether it runs
  const bylib = new Map();
  for (const m of memberships.items) if (!bylib.has(m.library)) bylib.set(m.library, m);
  const open = (slug) => loans.items.filter((l) => l.library === slug).length;

  const tariff = tariffText(hh.reduction);
  show([
    h('section', { class: 'card', 'aria-labelledby': 'hh-name' },
      h('h1', { id: 'hh-name' }, hh.name),
      h('dl', { class: 'facts' },
        h('div', {}, h('dt', {}, 'Lidnummer'), h('dd', {}, String(hh.number))),
        hh.postcode ? h('div', {}, h('dt', {}, 'Postcode'), h('dd', {}, hh.postcode)) : null,
        h('div', {}, h('dt', {}, 'Tarief'), h('dd', { class: tariff ? 'tariff' : '' }, tariff ? tariff[0].toUpperCase() + tariff.slice(1) : 'Gewoon tarief')),
        hh.children.length
          ? h('div', {}, h('dt', {}, 'Kinderen'), h('dd', {}, hh.children.map((c) => `${c.first_name || 'kind'} (${monthText(c.birth_month)})`).join(', ')))
          : null),
      h('p', { class: 'note' }, 'Scan een voorwerp om het aan dit gezin uit te lenen.')),

    h('section', { class: 'card', 'aria-labelledby': 'hh-mem' },
      h('h2', { id: 'hh-mem' }, 'Lidmaatschap'),
      bylib.size
        ? h('ul', { class: 'list' }, [...bylib.values()].map((m) => h('li', {},
          h('strong', {}, libName(m.library)), ': ',
          m.valid_until >= day
            ? `lid tot ${dateText(m.valid_until)} · ${m.slots} ${m.slots === 1 ? 'plaats' : 'plaatsen'}, ${open(m.library)} in gebruik`
            : `verlopen op ${dateText(m.valid_until)}`)))
        : h('p', {}, 'Nog geen lidmaatschap. Het start bij de eerste uitlening.')),

    h('section', { class: 'card', 'aria-labelledby': 'hh-loans' },
      h('h2', { id: 'hh-loans' }, 'Uitgeleend'),
      loans.items.length
        ? h('ul', { class: 'list', id: 'loans' }, loans.items.map((l, i) => h('li', {},
          h('strong', {}, showCode(l.item)), ` · ${items[i] ? items[i].name : ''}`, h('br'),
          h('span', { class: l.overdue ? 'overdue' : '' }, `terugbrengen op ${dueWords(l.due_on)}${l.overdue ? ' (te laat)' : ''}`))))
        : h('p', {}, 'Niets uitgeleend.')),

    h('section', { class: 'card', 'aria-labelledby': 'hh-res' },
      h('h2', { id: 'hh-res' }, 'Reservaties'),
      reservations.items.length
        ? h('ul', { class: 'list', id: 'reservations' }, reservations.items.map((r) => h('li', {},
          h('strong', {}, r.category_id ? cats.get(r.category_id) || 'soort' : showCode(r.item)),
          ` · vanaf ${dateText(r.wanted_from)} · plaats ${r.position} in de rij`,
          r.status === 'offered' ? h('span', { class: 'tariff' }, ` · ligt klaar: ${showCode(r.offered_item)}`) : null)))
        : h('p', {}, 'Geen reservaties.'),
      h('div', { class: 'actions' },
        h('a', { class: 'button secondary', href: `#/gezin/${number}/reserveren` }, 'Reservatie toevoegen'))),

    voucherBox(hh),
    cardBox(hh, libs),
  ]);
}

// A voucher from the social service, redeemed at the counter.
function voucherBox(hh) {
  const code = field({ label: 'Vouchercode', name: 'code', hint: 'Staat op de brief van de sociale dienst.', autocapitalize: 'characters' });
  const send = idempotent();
  return h('section', { class: 'card', 'aria-labelledby': 'hh-voucher' },
    h('h2', { id: 'hh-voucher' }, 'Voucher voor sociaal tarief'),
    form([code.wrap, h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Voucher inwisselen'))], async () => {
      const after = await send('POST', `/v1/households/${hh.number}/vouchers`,
        { code: code.input.value.trim().toUpperCase() },
        { say: { not_found: 'Die vouchercode kennen we niet, of ze werd al gebruikt.', conflict: 'Deze voucher werd al gebruikt.' } });
      await householdPage(hh.number);
      showInfo(`Voucher ingewisseld: ${tariffText(after.reduction) || 'sociaal tarief'}.`);
    }));
}

// The member card as PDF, to print.
function cardBox(hh, libs) {
  const link = h('p', {});
  return h('section', { class: 'card', 'aria-labelledby': 'hh-card' },
    h('h2', { id: 'hh-card' }, 'Lidkaart'),
    form([h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'secondary' }, 'Lidkaart maken'))], async () => {
      const lib = libs[0] ? `&library=${encodeURIComponent(libs[0].slug)}` : '';
      const url = await blobUrl(`/v1/households/${hh.number}/card.pdf?format=a4${lib}`);
      link.replaceChildren(h('a', { href: url, download: `lidkaart-${hh.number}.pdf` }, 'Lidkaart downloaden om af te drukken (PDF)'));
    }), link);
}
