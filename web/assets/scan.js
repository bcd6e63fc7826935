// The scan field. A USB scanner types the label's URL and presses Enter;
// a person types FB-0042 or a member number. The item decides the flow:
// available -> check-out, on loan -> return, anything else -> its status.
// A screen may take the next scan itself (the household step takes a
// member card, the swap step the new item) for as long as it is shown.
import { api } from './api.js';
import { readScan, showCode, statusText } from './format.js';
import { h, show, mistake, busy, focusScan, settleFocus } from './ui.js';
import { startCheckout } from './checkout.js';
import { startReturn } from './return.js';

let taker = null; // {node, fn}: the screen that takes the next scan

// While node is on the page, fn(read) gets each scan first; it returns
// true when it used it.
export function takeScans(node, fn) {
  taker = { node, fn };
}

// The household whose page is open: an item scanned there goes to it.
let householdHere = null;
export function setHouseholdHere(number) {
  householdHere = number;
}

export function initScan() {
  const formEl = document.getElementById('scan-form');
  const input = document.getElementById('scan');
  formEl.addEventListener('submit', (e) => {
    e.preventDefault();
    const button = formEl.querySelector('button');
    busy(button, async () => {
      await handle(input.value);
      input.value = '';
      return true;
    }).then((done) => (done ? settleFocus() : focusScan())); // after a refusal: fix what was typed
  });
}

async function handle(raw) {
  const read = readScan(raw);
  if (!read)
    throw mistake(`"${raw.trim()}" is geen code van een voorwerp en geen lidnummer. Scan het etiket opnieuw of typ de code, bv. FB-0042.`);
  if (taker && document.contains(taker.node) && (await taker.fn(read))) return;
  taker = null;
  if (read.household) {
    if (location.hash === `#/gezin/${read.household}`) window.dispatchEvent(new HashChangeEvent('hashchange'));
    else location.hash = `#/gezin/${read.household}`;
    return;
  }
  await openItem(read.item);
}

// Reads an item by code for a flow; not_found becomes a sentence with the code.
export function getItem(code) {
  return api('GET', `/v1/items/${encodeURIComponent(code)}`, {
    say: {
      not_found: `We kennen geen voorwerp met code ${showCode(code)}. Kijk het etiket na.`,
      invalid_field: `${code} is geen geldige code.`,
      forbidden: 'Dit voorwerp hoort bij een uitleendienst waar jij niet werkt.',
    },
  });
}

// Opens the flow for the item with this code (the /i/{code} page too).
export async function scanCode(code) {
  return busy(null, async () => {
    const read = readScan(code);
    if (!read || !read.item) throw mistake(`"${code}" is geen code van een voorwerp.`);
    await openItem(read.item);
  });
}

async function openItem(code) {
  const item = await getItem(code);
  const here = location.hash.startsWith('#/gezin/') ? householdHere : null;
  if (item.status === 'available' || item.status === 'reserved') return startCheckout(item, here);
  if (item.status === 'on_loan') return startReturn(item);
  return show(h('section', { class: 'card', 'aria-labelledby': 'st-title' },
    h('p', { class: 'code' }, showCode(item.code)),
    h('h1', { id: 'st-title' }, item.name),
    h('p', {}, `Dit voorwerp is nu niet uit te lenen: ${statusText(item.status).toLowerCase()}.`),
    item.status === 'cleaning' || item.status === 'in_repair'
      ? h('p', { class: 'muted' }, 'Een coördinator zet het terug op beschikbaar als het klaar is.')
      : null));
}

