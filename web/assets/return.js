// Return: the item is on loan. The volunteer says in what state it came
// back, what is missing, and whether part of the deposit is kept (with a
// reason); the page shows what the family gets back. "Ruilen" goes to the
// swap with the same item.
import { api, idempotent } from './api.js';
import { category } from './catalogue.js';
import { getHousehold } from './find.js';
import { money, dueWords, showCode, parseEuro, statusText, CONDITIONS } from './format.js';
import { h, show, field, choice, checks, form, mistake, busy, sums } from './ui.js';
import { startSwap } from './swap.js';

// The open loan of an item. The list is asked for that item; a server that
// does not filter by item still answers, and the page picks it out.
export async function openLoanOf(item) {
  const res = await api('GET', `/v1/loans?item=${encodeURIComponent(item.code)}&library=${encodeURIComponent(item.library)}&open=true&limit=200`);
  return res.items.find((l) => l.item === item.code && !l.returned_at) || null;
}

export async function startReturn(item) {
  const [cat, loan] = await Promise.all([category(item.library, item.category_id), openLoanOf(item)]);
  const hh = loan ? await getHousehold(loan.household) : null;

  const condition = choice('In welke staat is het teruggebracht?', 'condition', CONDITIONS, 'ok');
  const missing = cat && cat.components.length ? checks('Wat ontbreekt er?', 'missing_components', cat.components) : null;
  const withheld = field({
    label: 'Waarborg inhouden (euro)', name: 'withheld_cents', inputmode: 'decimal',
    hint: loan ? `Leeg laten als alles in orde is. Ten hoogste ${money(loan.deposit_cents)}.` : 'Leeg laten als alles in orde is.',
  });
  const reason = field({ label: 'Reden van de inhouding', name: 'withheld_reason', hint: 'Nodig als je waarborg inhoudt, bv. "slot ontbreekt".' });
  const send = idempotent();

  const about = loan
    ? [
      h('p', {}, 'Uitgeleend aan ', h('a', { href: `#/gezin/${loan.household}` }, hh ? hh.name : `gezin ${loan.household}`), ` · lidnummer ${loan.household}`),
      h('p', { class: loan.overdue ? 'overdue' : '' }, `Moest terug op ${dueWords(loan.due_on)}${loan.overdue ? ' (te laat)' : ''}.`),
      h('p', {}, `Waarborg betaald: ${money(loan.deposit_cents)}`),
    ]
    : [];

  const root = h('div', {},
    h('section', { class: 'card item-card', 'aria-labelledby': 'rt-item' },
      h('p', { class: 'code' }, showCode(item.code)),
      h('h1', { id: 'rt-item' }, `Terugnemen: ${item.name}`),
      h('p', { class: 'muted' }, item.category || ''),
      about),
    h('section', { class: 'card', 'aria-labelledby': 'rt-form' },
      h('h2', { id: 'rt-form' }, 'Hoe komt het terug?'),
      form([
        condition.wrap,
        missing ? missing.wrap : null,
        withheld.wrap,
        reason.wrap,
        h('div', { class: 'actions' },
          h('button', { type: 'submit', 'data-autofocus': true }, 'Terugnemen'),
          h('button', {
            type: 'button',
            class: 'secondary',
            onclick: (e) => busy(e.currentTarget, () => startSwap(item, loan, hh, condition.value())),
          }, 'Ruilen')),
      ], async () => {
        const cents = parseEuro(withheld.input.value);
        if (Number.isNaN(cents)) throw mistake('Geef het bedrag in euro, bijvoorbeeld 5 of 12,50.', 'withheld_cents');
        if (loan && cents > loan.deposit_cents)
          throw mistake(`Je kunt ten hoogste de waarborg (${money(loan.deposit_cents)}) inhouden.`, 'withheld_cents');
        if (cents > 0 && !reason.input.value.trim()) throw mistake('Geef een reden als je waarborg inhoudt.', 'withheld_reason');
        const body = { item: item.code, condition: condition.value() };
        const gone = missing ? missing.values() : [];
        if (gone.length) body.missing_components = gone;
        if (cents > 0) {
          body.withheld_cents = cents;
          body.withheld_reason = reason.input.value.trim();
        }
        const res = await send('POST', '/v1/returns', body, {
          say: { already_returned: `${showCode(item.code)} is al teruggebracht.` },
        });
        doneScreen(item, res, hh);
      })));
  show(root);
}

function doneScreen(item, res, hh) {
  const loan = res.loan;
  const rows = [['Waarborg betaald', money(loan.deposit_cents)]];
  if (res.withheld_cents) rows.push([`Ingehouden: ${loan.withheld_reason || ''}`, `- ${money(res.withheld_cents)}`]);
  const next = res.item_status === 'reserved'
    ? 'Leg het opzij: het is gereserveerd voor het volgende gezin in de wachtrij.'
    : `Het voorwerp staat nu op: ${statusText(res.item_status).toLowerCase()}.`;
  show(h('section', { class: 'card done', 'aria-labelledby': 'rt-done' },
    h('h1', { id: 'rt-done' }, `Teruggenomen: ${showCode(item.code)}`),
    h('p', {}, `${item.name}${hh ? ` · ${hh.name}` : ''}`),
    h('p', { class: 'big', id: 'refund' }, `Terug te geven: ${money(res.refund_cents)}`),
    sums(rows, ['Terug aan het gezin', res.refund_cents], money),
    loan.missing_components && loan.missing_components.length
      ? h('p', {}, `Ontbreekt: ${loan.missing_components.join(', ')}.`) : null,
    h('p', {}, next),
    h('div', { class: 'actions' },
      h('a', { class: 'button secondary', href: `#/gezin/${loan.household}` }, 'Naar het gezin'))));
}

