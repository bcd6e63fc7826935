// How the page writes money, dates, codes and statuses, in Dutch.
const euro = new Intl.NumberFormat('nl-BE', { style: 'currency', currency: 'EUR' });
const dayWords = new Intl.DateTimeFormat('nl-BE', {
  weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC',
});
const dayWordsYear = new Intl.DateTimeFormat('nl-BE', {
  weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC',
});
const dateWords = new Intl.DateTimeFormat('nl-BE', {
  day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC',
});
const monthWords = new Intl.DateTimeFormat('nl-BE', { month: 'long', year: 'numeric', timeZone: 'UTC' });
const brusselsDay = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Brussels', year: 'numeric', month: '2-digit', day: '2-digit',
});

export const money = (cents) => euro.format((cents || 0) / 100);

// Today in Brussels as YYYY-MM-DD: the day the server calls today.
export const today = () => brusselsDay.format(new Date());

function utc(iso) {
  const [y, m, d] = iso.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d || 1));
}

export function addDays(iso, n) {
  const t = utc(iso);
  t.setUTCDate(t.getUTCDate() + n);
  return t.toISOString().slice(0, 10);
}

export function addMonths(iso, n) {
  const t = utc(iso);
  t.setUTCMonth(t.getUTCMonth() + n);
  return t.toISOString().slice(0, 10);
}

// "zaterdag 16 januari", with the year when it is not this year's
export function dueWords(iso) {
  return iso.slice(0, 4) === today().slice(0, 4) ? dayWords.format(utc(iso)) : dayWordsYear.format(utc(iso));
}

// "30 juni 2027"
export const dateText = (iso) => (iso ? dateWords.format(utc(iso)) : '');
// "oktober 2026"
export const monthText = (ym) => monthWords.format(utc(`${ym}-01`));

// "FB0042" -> "FB-0042", as the label shows it
export function showCode(code) {
  const m = /^([A-Z]{1,4})(\d+)$/.exec(code || '');
  return m ? `${m[1]}-${m[2]}` : code;
}

// What a scanner or a person typed, as an item code or a member number:
// "FB0042", "fb-0042", "https://leen.example/i/FB0042" -> {item: "FB0042"};
// "10042" (a member card) -> {household: 10042}; else null.
export function readScan(raw) {
  let s = String(raw || '').trim();
  if (!s) return null;
  if (/^\d{1,10}$/.test(s)) return { household: Number(s) };
  const url = /\/i\/([^/?#\s]+)\/?(?:[?#].*)?$/i.exec(s);
  if (url) s = decodeURIComponent(url[1]);
  const m = /^([A-Za-z]{1,4})[-\s]?(\d{4,6})$/.exec(s);
  return m ? { item: `${m[1].toUpperCase()}${m[2]}` } : null;
}

const STATUS = {
  available: 'Beschikbaar',
  on_loan: 'Uitgeleend',
  reserved: 'Gereserveerd',
  cleaning: 'Wordt gewassen',
  in_repair: 'In herstelling',
  retired: 'Uit gebruik',
  lost: 'Verloren',
};
export const statusText = (s) => STATUS[s] || s;

export const CONDITIONS = [
  ['ok', 'In orde'],
  ['needs_cleaning', 'Moet gewassen worden'],
  ['needs_repair', 'Moet hersteld worden'],
];

export const PAYMENTS = [
  ['cash', 'Contant'],
  ['payconiq', 'Payconiq'],
  ['transfer', 'Overschrijving'],
];

// "sociaal tarief tot 30 juni 2027", or "" without a reduction
export function tariffText(reduction) {
  return reduction && reduction.active && reduction.valid_until
    ? `sociaal tarief tot ${dateText(reduction.valid_until)}`
    : '';
}

// Euro typed by a person ("12,50", "12.5", "€ 3") -> cents, or NaN.
export function parseEuro(text) {
  const s = String(text || '').replace(/€|\s/g, '').replace(',', '.');
  if (!s) return 0;
  if (!/^\d+(\.\d{1,2})?$/.test(s)) return NaN;
  return Math.round(Number(s) * 100);
}
