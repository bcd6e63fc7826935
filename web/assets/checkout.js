// Check-out: the item is available; find the household (or register it),
// show what is due with the social tariff already applied, lend, and say
// when it comes back.
import { api, idempotent } from './api.js';
import { library, category } from './catalogue.js';
import { getHousehold, householdSearch } from './find.js';
import {
  money, today, addDays, addMonths, dueWords, dateText, showCode, tariffText, PAYMENTS,
} from './format.js';
import { h, show, field, choice, form, sums } from './ui.js';
import { registerForm } from './register.js';
import { takeScans } from './scan.js';

function itemHeader(item, extra) {
  return h('section', { class: 'card item-card', 'aria-labelledby': 'co-item' },
    h('p', { class: 'code' }, showCode(item.code)),
    h('h1', { id: 'co-item' }, `Uitlenen: ${item.name}`),
    h('p', { class: 'muted' }, item.category || ''),
    extra || null);
}

export async function startCheckout(item, householdNumber) {
  if (item.status === 'reserved' && item.reserved_for)
    return confirmScreen(item, await getHousehold(item.reserved_for), { reserved: true });
  if (householdNumber) return confirmScreen(item, await getHousehold(householdNumber));
  return householdStep(item);
}

function householdStep(item) {
  const pick = (hh) => confirmScreen(item, hh);
  const root = h('div', {},
    itemHeader(item),
    h('section', { class: 'card', 'aria-labelledby': 'co-who' },
      h('h2', { id: 'co-who' }, 'Voor welk gezin?'),
      householdSearch({ onPick: pick }),
      h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'secondary', onclick: () => registerStep(item) }, 'Nieuw gezin registreren'))));
  show(root);
  // a member card scanned into the scan field picks the household
  takeScans(root, async (read) => {
    if (!read.household) return false;
    await pick(await getHousehold(read.household));
    return true;
  });
}

function registerStep(item) {
  show([
    itemHeader(item),
    h('section', { class: 'card', 'aria-labelledby': 'co-reg' },
      h('h2', { id: 'co-reg' }, 'Nieuw gezin registreren'),
      registerForm((hh) => confirmScreen(item, hh))),
  ]);
}

// What the membership costs for `slots`, before and after the social tariff.
function membershipFee(lib, slots, reduced) {
  const per = lib.fee_per === 'slot' ? slots : 1;
  const full = lib.fee_cents * per;
  return { full, due: reduced ? Math.min(full, lib.social_fee_cents * per) : full };
}

async function confirmScreen(item, hh, { reserved = false } = {}) {
  const [lib, cat, memberships, loans] = await Promise.all([
    library(item.library),
    category(item.library, item.category_id),
    api('GET', `/v1/households/${hh.number}/memberships`),
    api('GET', `/v1/loans?household=${hh.number}&library=${encodeURIComponent(item.library)}&open=true&limit=200`),
  ]);
  const day = today();
  const mine = memberships.items.filter((m) => m.library === item.library);
  const active = mine.find((m) => m.valid_from <= day && day <= m.valid_until);
  const reduced = !!(hh.reduction && hh.reduction.active);
  const tariff = tariffText(hh.reduction);
  const depositFull = item.deposit_cents ?? (cat ? cat.deposit_cents : 0);
  const deposit = reduced ? Math.floor((depositFull * lib.social_deposit_percent) / 100) : depositFull;
  const inUse = loans.items.length;

  const slotsField = !active && lib.max_slots > 1
    ? field({
      label: 'Aantal plaatsen (hoeveel tegelijk lenen)', name: 'slots', type: 'select',
      options: Array.from({ length: lib.max_slots }, (_, i) => [String(i + 1), String(i + 1)]),
      value: String(Math.min(lib.max_slots, inUse + 1)),
    })
    : null;
  const slots = () => (slotsField ? Number(slotsField.input.value) : Math.min(lib.max_slots, inUse + 1) || 1);
  const childField = hh.children && hh.children.length
    ? field({
      label: 'Voor welk kind? (niet verplicht)', name: 'child', type: 'select',
      options: [['', 'Niet gezegd'], ...hh.children.map((c) => [String(c.id), c.first_name || `kind geboren ${c.birth_month}`])],
    })
    : null;
  const pay = choice('Betaalwijze', 'payment', PAYMENTS, 'cash');

  const sendMembership = idempotent();
  const sendLoan = idempotent();
  let membership = null; // started already: a retry after a failed loan must not start it again

  const memNote = active
    ? h('p', {}, `Lid tot ${dateText(active.valid_until)} · ${active.slots} ${active.slots === 1 ? 'plaats' : 'plaatsen'}, ${inUse} in gebruik.`)
    : h('p', { class: 'note' }, 'Geen lopend lidmaatschap bij deze uitleendienst: het lidmaatschap wordt nu gestart.');
  const table = h('div', {});
  const renderSums = () => {
    const rows = [];
    let total = deposit;
    if (!active && !membership) {
      const fee = membershipFee(lib, slots(), reduced);
      total += fee.due;
      const until = addDays(addMonths(day, lib.membership_months), -1);
      rows.push([`Lidmaatschap ${lib.name} (${mine.length ? 'verlengen' : 'nieuw'}) tot ${dateText(until)}`,
        h('span', {}, fee.due < fee.full ? h('span', { class: 'was' }, money(fee.full)) : null, money(fee.due)),
        fee.due < fee.full ? tariff : null]);
    }
    rows.push([`Waarborg ${showCode(item.code)} (krijgt het gezin terug)`,
      h('span', {}, deposit < depositFull ? h('span', { class: 'was' }, money(depositFull)) : null, money(deposit)),
      deposit < depositFull ? tariff : null]);
    table.replaceChildren(sums(rows, ['Nu te betalen', total], money));
  };
  renderSums();
  if (slotsField) slotsField.input.addEventListener('change', renderSums);

  const unsafe = (cat && cat.safety_check && !item.safety_checked_on) || (item.expires_on && item.expires_on < day);
  const facts = [
    h('p', {}, h('strong', {}, hh.name), ` · lidnummer ${hh.number}`),
    tariff ? h('p', { class: 'tariff' }, `Dit gezin heeft ${tariff}.`) : null,
    reserved ? h('p', { class: 'note' }, 'Dit voorwerp lag klaar voor dit gezin (reservatie).') : null,
    unsafe ? h('p', { class: 'note' }, 'Let op: dit voorwerp is vervallen of heeft geen veiligheidscontrole.') : null,
    memNote,
    active && inUse >= active.slots
      ? h('p', { class: 'note' }, 'Alle plaatsen van dit lidmaatschap zijn in gebruik.')
      : null,
  ];

  const root = h('div', {},
    itemHeader(item),
    h('section', { class: 'card', 'aria-labelledby': 'co-confirm' },
      h('h2', { id: 'co-confirm' }, 'Nakijken en bevestigen'),
      facts,
      form([
        slotsField ? slotsField.wrap : null,
        childField ? childField.wrap : null,
        table,
        pay.wrap,
        h('div', { class: 'actions' },
          h('button', { type: 'submit', 'data-autofocus': true }, 'Uitlenen'),
          h('button', { type: 'button', class: 'secondary', onclick: () => householdStep(item) }, 'Ander gezin')),
      ], async () => {
        const payment = pay.value();
        if (!active && !membership) {
          membership = await sendMembership('POST', `/v1/households/${hh.number}/memberships`,
            { library: item.library, slots: slots(), payment });
          // if the loan is refused now, the page says what did happen
          memNote.className = 'tariff';
          memNote.textContent = `Lidmaatschap gestart tot ${dateText(membership.valid_until)}: ${money(membership.due_cents)} betaald.`;
          if (slotsField) slotsField.wrap.hidden = true;
          renderSums();
        }
        const body = { item: item.code, household: hh.number, deposit_method: payment };
        if (childField && childField.input.value) body.child = Number(childField.input.value);
        const loan = await sendLoan('POST', '/v1/loans', body, {
          say: {
            item_not_available: `${showCode(item.code)} is intussen niet meer beschikbaar.`,
            reserved_for_other: `${showCode(item.code)} is gereserveerd voor een ander gezin.`,
          },
        });
        doneScreen(item, hh, loan, membership, payment);
      })));
  show(root);
}

function doneScreen(item, hh, loan, membership, payment) {
  const rows = [];
  if (membership) rows.push(['Lidmaatschap', money(membership.due_cents)]);
  rows.push(['Waarborg', money(loan.deposit_cents)]);
  const total = (membership ? membership.due_cents : 0) + loan.deposit_cents;
  const how = (PAYMENTS.find(([k]) => k === payment) || [null, payment])[1];
  show(h('section', { class: 'card done', 'aria-labelledby': 'co-done' },
    h('h1', { id: 'co-done' }, `Uitgeleend aan ${hh.name}`),
    h('p', {}, `${showCode(item.code)} · ${item.name}`),
    h('p', { class: 'big', id: 'due' }, `Terugbrengen op ${dueWords(loan.due_on)}`),
    sums(rows, [`Betaald (${how.toLowerCase()})`, total], money),
    h('div', { class: 'actions' },
      h('a', { class: 'button secondary', href: `#/gezin/${hh.number}` }, 'Naar het gezin'))));
}
