// The coordinator's page: the month's statistics as a chart, and the label
// sheet for newly registered items.
import { api, blobUrl } from './api.js';
import { myLibraries } from './catalogue.js';
import { addMonths, today, readScan } from './format.js';
import { session } from './session.js';
import { h, show, field, form, mistake } from './ui.js';

const month = (iso) => iso.slice(0, 7);
const mm = new Intl.NumberFormat('nl-BE', { maximumFractionDigits: 1 });

// "Avery L7160 / J8160: 21 per vel, 63,5 × 38,1 mm" (the brand part of the
// template's description, the rest in Dutch)
function sheetText(t) {
  const brand = (t.description || t.name).split(',')[0];
  const per = t.labels_per_sheet > 1 ? `${t.labels_per_sheet} per vel` : 'één per blad';
  return `${brand}: ${per}, ${mm.format(t.label_width_mm)} × ${mm.format(t.label_height_mm)} mm`;
}

async function statsSection(libs) {
  const lib = field({ label: 'Uitleendienst', name: 'library', type: 'select', options: libs.map((l) => [l.slug, l.name]) });
  const from = field({ label: 'Van maand', name: 'from', type: 'month', value: month(addMonths(today(), -11)) });
  const to = field({ label: 'Tot en met maand', name: 'to', type: 'month', value: month(today()) });
  const out = h('div', { class: 'chart', 'aria-live': 'polite' });
  return h('section', { class: 'card', 'aria-labelledby': 'st-title' },
    h('h2', { id: 'st-title' }, 'Cijfers per maand'),
    form([lib.wrap, h('div', { class: 'two' }, from.wrap, to.wrap),
      h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Toon grafiek'))], async () => {
      if (!from.input.value || !to.input.value) throw mistake('Kies de eerste en de laatste maand.', 'from');
      if (to.input.value < from.input.value) throw mistake('De laatste maand ligt voor de eerste.', 'to');
      const q = `library=${encodeURIComponent(lib.input.value)}&from=${from.input.value}&to=${to.input.value}`;
      const [svg, csv] = await Promise.all([
        blobUrl(`/v1/stats/monthly?${q}&format=svg`),
        blobUrl(`/v1/stats/monthly?${q}&format=csv-excel`),
      ]);
      const name = lib.input.selectedOptions[0].textContent;
      out.replaceChildren(
        h('img', { src: svg, id: 'stats-chart', alt: `Grafiek van ${name}: uitleningen en nieuwe gezinnen per maand, met het aandeel op sociaal tarief.` }),
        h('p', {}, h('a', { href: csv, download: `cijfers-${lib.input.value}-${from.input.value}-${to.input.value}.csv` }, 'Cijfers downloaden voor Excel (CSV)')));
    }),
    out);
}

async function labelsSection(libs) {
  const templates = (await api('GET', '/v1/labels/templates')).items;
  const lib = field({ label: 'Uitleendienst', name: 'library', type: 'select', options: libs.map((l) => [l.slug, l.name]) });
  const since = field({ label: 'Vanaf voorwerp', name: 'since', hint: 'De code van het eerste nieuwe voorwerp, bv. FB-0120: dat en alle latere krijgen een etiket.', autocapitalize: 'characters' });
  const tpl = field({ label: 'Etiketvel', name: 'template', type: 'select', options: templates.map((t) => [t.name, sheetText(t)]) });
  const start = field({ label: 'Beginnen op etiket nummer', name: 'start', type: 'number', min: 1, value: '1', hint: 'Om een half gebruikt vel verder te gebruiken.' });
  const out = h('div', { 'aria-live': 'polite' });
  return h('section', { class: 'card', 'aria-labelledby': 'lb-title' },
    h('h2', { id: 'lb-title' }, 'Etiketten voor nieuwe voorwerpen'),
    form([lib.wrap, since.wrap, h('div', { class: 'two' }, tpl.wrap, start.wrap),
      h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Etiketten maken'))], async () => {
      const read = since.input.value.trim() ? readScan(since.input.value) : null;
      if (since.input.value.trim() && (!read || !read.item)) throw mistake('Dat is geen code van een voorwerp, bv. FB-0120.', 'since');
      const n = Number(start.input.value || '1');
      if (!Number.isInteger(n) || n < 1) throw mistake('Het beginetiket is een getal vanaf 1.', 'start');
      const which = read ? `since=${read.item}` : `library=${encodeURIComponent(lib.input.value)}&status=available`;
      const url = await blobUrl(`/v1/labels.pdf?${which}&template=${encodeURIComponent(tpl.input.value)}&start=${n}`);
      out.replaceChildren(h('p', {}, h('a', { class: 'button', id: 'labels-pdf', href: url, download: 'etiketten.pdf' }, 'Etiketten downloaden om af te drukken (PDF)')),
        h('p', { class: 'muted' }, 'Druk af op 100 % (niet "passend maken").'));
      out.querySelector('a').focus();
    }),
    out);
}

export async function coordinatorPage() {
  const libs = await myLibraries(session.user());
  show([h('h1', {}, 'Cijfers en etiketten'), await statsSection(libs), await labelsSection(libs)]);
}
