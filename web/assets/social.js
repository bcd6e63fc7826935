// The social service's page: a reduction for a known household, or a
// voucher (a one-time code on a letter) for a family that is not a member
// yet. Level and validity, never a reason. Nothing else of the libraries
// is shown to this role.
import { api, idempotent, blobUrl } from './api.js';
import { addDays, addMonths, dateText, today } from './format.js';
import { h, show, field, form, mistake, showInfo } from './ui.js';

const LEVELS = [
  ['social', 'Sociaal tarief'],
  ['full', 'Volledig gratis (geen lidgeld, geen waarborg)'],
];
const levelText = (l) => (LEVELS.find(([k]) => k === l) || [l, l])[1];

// Level, validity and dossier reference; onDone(reduction).
function reductionForm(base, button, onDone) {
  const level = field({ label: 'Soort tarief', name: 'level', type: 'select', options: LEVELS });
  const from = field({ label: 'Geldig vanaf', name: 'valid_from', type: 'date', value: today() });
  const until = field({ label: 'Geldig tot en met', name: 'valid_until', type: 'date', value: addDays(addMonths(today(), 12), -1) });
  const ref = field({ label: 'Dossiernummer (niet verplicht)', name: 'reference', maxlength: 60, hint: 'Geen reden, inkomen of attest: die horen hier niet.' });
  const send = idempotent();
  return form([level.wrap, h('div', { class: 'two' }, from.wrap, until.wrap), ref.wrap,
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, button))], async () => {
    if (!until.input.value) throw mistake('Vul in tot wanneer het tarief geldt.', 'valid_until');
    if (from.input.value && until.input.value < from.input.value)
      throw mistake('De einddatum ligt voor de begindatum.', 'valid_until');
    const body = { ...base(), level: level.input.value, valid_until: until.input.value };
    if (from.input.value) body.valid_from = from.input.value;
    if (ref.input.value.trim()) body.reference = ref.input.value.trim();
    onDone(await send('POST', '/v1/reductions', body, { say: { not_found: 'Er is geen gezin met dat lidnummer.' } }));
  });
}

function reductionItem(r) {
  const revoked = !!r.revoked_at;
  return h('li', {}, h('strong', {}, levelText(r.level)),
    ` · ${dateText(r.valid_from)} tot en met ${dateText(r.valid_until)}`,
    r.reference ? ` · dossier ${r.reference}` : '',
    revoked ? ' · ingetrokken' : '');
}

function householdSection() {
  const number = field({ label: 'Lidnummer', name: 'household', inputmode: 'numeric', autofocus: true, hint: 'Staat op de lidkaart.' });
  const out = h('div', { 'aria-live': 'polite' });
  const open = async (n) => {
    const list = await api('GET', `/v1/reductions?household=${n}&limit=50`, { say: { not_found: `Er is geen gezin met lidnummer ${n}.` } });
    out.replaceChildren(
      h('h3', {}, `Gezin ${n}`),
      list.items.length ? h('ul', { class: 'list', id: 'reductions' }, list.items.map(reductionItem)) : h('p', {}, 'Nog geen sociaal tarief.'),
      h('h3', {}, 'Sociaal tarief toekennen'),
      reductionForm(() => ({ household: n }), 'Toekennen', async (r) => {
        await open(n);
        showInfo(`Toegekend aan gezin ${n}: ${levelText(r.level).toLowerCase()} tot en met ${dateText(r.valid_until)}.`);
      }));
  };
  return h('section', { class: 'card', 'aria-labelledby': 'sw-hh' },
    h('h2', { id: 'sw-hh' }, 'Gezin opzoeken'),
    form([number.wrap, h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Zoek'))], async () => {
      const n = number.input.value.trim();
      if (!/^\d{1,10}$/.test(n)) throw mistake('Een lidnummer bestaat uit cijfers, bv. 10042.', 'household');
      await open(Number(n));
    }),
    out);
}

function voucherSection() {
  const out = h('div', { 'aria-live': 'polite' });
  return h('section', { class: 'card', 'aria-labelledby': 'sw-voucher' },
    h('h2', { id: 'sw-voucher' }, 'Voucher uitschrijven'),
    h('p', {}, 'Voor een gezin dat nog geen lid is: het gezin brengt de brief mee naar de uitleendienst.'),
    reductionForm(() => ({ voucher: true }), 'Voucher maken', async (r) => {
      const url = await blobUrl(`/v1/reductions/${r.id}/voucher.pdf`);
      out.replaceChildren(h('div', { class: 'card done' },
        h('p', {}, 'Vouchercode'),
        h('p', { class: 'big', id: 'voucher-code' }, r.voucher_code),
        h('p', {}, `${levelText(r.level)} tot en met ${dateText(r.valid_until)}.`),
        h('div', { class: 'actions' },
          h('a', { class: 'button', id: 'voucher-letter', href: url, download: `voucher-${r.voucher_code}.pdf` }, 'Brief downloaden om af te drukken (PDF)'))));
      out.querySelector('a').focus();
    }),
    out);
}

export function socialPage() {
  show([
    h('h1', {}, 'Sociaal tarief'),
    householdSection(),
    voucherSection(),
  ]);
}
