// Swap: one item comes back and another goes out to the same household in
// one step. The deposit carries over; only the difference is settled.
import { idempotent } from './api.js';
import { library, category } from './catalogue.js';
import { money, dueWords, showCode, readScan, tariffText, PAYMENTS } from './format.js';
import { h, show, field, choice, form, mistake, sums } from './ui.js';
import { takeScans, getItem } from './scan.js';

function header(item, hh) {
  return h('section', { class: 'card item-card', 'aria-labelledby': 'sw-title' },
    h('p', { class: 'code' }, showCode(item.code)),
    h('h1', { id: 'sw-title' }, `Ruilen: ${item.name} komt terug`),
    hh ? h('p', {}, `${hh.name} · lidnummer ${hh.number}`) : null);
}

// Step 1: scan (or type) the item that goes out instead.
export function startSwap(item, loan, hh, condition) {
  const code = field({ label: 'Nieuw voorwerp', name: 'item', autofocus: true, hint: 'Scan het etiket of typ de code.' });
  const next = async (newCode) => confirmSwap(item, loan, hh, condition, await getItem(newCode));
  const root = h('div', {},
    header(item, hh),
    h('section', { class: 'card', 'aria-labelledby': 'sw-scan' },
      h('h2', { id: 'sw-scan' }, 'Welk voorwerp neemt het gezin mee?'),
      form([code.wrap, h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Verder'))], async () => {
        const read = readScan(code.input.value);
        if (!read || !read.item) throw mistake('Dat is geen code van een voorwerp. Scan het etiket opnieuw.', 'item');
        await next(read.item);
      })));
  show(root);
  takeScans(root, async (read) => {
    if (!read.item) return false;
    await next(read.item);
    return true;
  });
}

// Step 2: what the difference in deposit is, then swap.
async function confirmSwap(item, loan, hh, condition, fresh) {
  if (fresh.code === item.code) throw mistake('Dat is hetzelfde voorwerp. Scan het voorwerp dat het gezin meeneemt.', 'item');
  if (fresh.status !== 'available' && !(fresh.status === 'reserved' && hh && fresh.reserved_for === hh.number))
    throw mistake(`${showCode(fresh.code)} is nu niet beschikbaar.`, 'item');
  const [lib, cat] = await Promise.all([library(fresh.library), category(fresh.library, fresh.category_id)]);
  const reduced = !!(hh && hh.reduction && hh.reduction.active);
  const full = fresh.deposit_cents ?? (cat ? cat.deposit_cents : 0);
  const newDeposit = reduced ? Math.floor((full * lib.social_deposit_percent) / 100) : full;
  const oldDeposit = loan ? loan.deposit_cents : null;
  const delta = oldDeposit === null ? null : newDeposit - oldDeposit;
  const pay = choice('Betaalwijze voor het verschil', 'payment', PAYMENTS, 'cash');
  const send = idempotent();

  const rows = [];
  if (oldDeposit !== null) rows.push([`Waarborg ${showCode(item.code)} (gaat mee)`, money(oldDeposit)]);
  rows.push([`Waarborg ${showCode(fresh.code)}`, money(newDeposit), reduced ? tariffText(hh.reduction) : null]);

  show([
    header(item, hh),
    h('section', { class: 'card', 'aria-labelledby': 'sw-confirm' },
      h('h2', { id: 'sw-confirm' }, `In de plaats: ${showCode(fresh.code)} · ${fresh.name}`),
      h('p', { class: 'muted' }, fresh.category || ''),
      sums(rows, null, money),
      delta === null ? null : h('p', { class: 'big' }, deltaText(delta)),
      form([
        delta === null || delta > 0 ? pay.wrap : null,
        h('div', { class: 'actions' },
          h('button', { type: 'submit', 'data-autofocus': true }, 'Ruilen'),
          h('button', { type: 'button', class: 'secondary', onclick: () => startSwap(item, loan, hh, condition) }, 'Ander voorwerp')),
      ], async () => {
        const body = { return_item: item.code, item: fresh.code, condition };
        if (delta === null || delta > 0) body.deposit_method = pay.value();
        const res = await send('POST', '/v1/swaps', body);
        doneScreen(item, fresh, hh, res);
      })),
  ]);
}

function deltaText(delta) {
  if (delta > 0) return `Bij te betalen: ${money(delta)}`;
  if (delta < 0) return `Terug te geven: ${money(-delta)}`;
  return 'Niets te betalen of terug te geven.';
}

function doneScreen(item, fresh, hh, res) {
  show(h('section', { class: 'card done', 'aria-labelledby': 'sw-done' },
    h('h1', { id: 'sw-done' }, 'Geruild'),
    h('p', {}, `${showCode(item.code)} is terug; ${showCode(fresh.code)} · ${fresh.name} gaat mee${hh ? ` met ${hh.name}` : ''}.`),
    h('p', { class: 'big', id: 'delta' }, deltaText(res.deposit_delta_cents)),
    h('p', { class: 'big', id: 'due' }, `Terugbrengen op ${dueWords(res.loan.due_on)}`),
    h('div', { class: 'actions' },
      h('a', { class: 'button secondary', href: `#/gezin/${res.loan.household}` }, 'Naar het gezin'))));
}
