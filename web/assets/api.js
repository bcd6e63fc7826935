// The one way the page talks to leen-api: the bearer token, JSON in and
// out, Idempotency-Key on what moves items or money, and every problem
// (RFC 9457) turned into one clear Dutch sentence.
import { session } from './session.js';

// What each machine code means to a volunteer.
const SENTENCES = {
  invalid_json: 'Het verzoek kon niet gelezen worden. Herlaad de pagina en probeer opnieuw.',
  unknown_field: 'Het verzoek bevat iets wat de server niet kent. Herlaad de pagina.',
  invalid_field: 'Niet alles is goed ingevuld.',
  invalid_amount: 'Dat bedrag klopt niet. Geef een bedrag in euro, bijvoorbeeld 12,50.',
  invalid_date: 'Die datum bestaat niet of is verkeerd geschreven.',
  unauthenticated: 'Je bent niet (meer) aangemeld. Meld je opnieuw aan.',
  forbidden: 'Dat mag je met jouw account niet doen.',
  not_found: 'Dat vinden we niet terug.',
  method_not_allowed: 'Dat kan deze server (nog) niet.',
  payload_too_large: 'Dat is te veel tekst in één keer.',
  item_not_available: 'Dit voorwerp is nu niet beschikbaar om uit te lenen.',
  already_returned: 'Dit voorwerp is al teruggebracht.',
  reserved_for_other: 'Dit voorwerp is gereserveerd voor een ander gezin.',
  conflict: 'Dit botst met wat al geregistreerd is. Kijk het na en probeer opnieuw.',
  membership_required: 'Dit gezin heeft geen geldig lidmaatschap bij deze uitleendienst.',
  loan_limit_reached: 'Dit gezin leent al zoveel als het lidmaatschap toelaat.',
  item_unsafe: 'Dit voorwerp mag niet uitgeleend worden: het is vervallen of de veiligheidscontrole ontbreekt.',
  idempotency_mismatch: 'Dit verzoek werd al eens anders verstuurd. Herlaad de pagina en probeer opnieuw.',
  precondition_failed: 'Iemand anders heeft dit intussen gewijzigd. Herlaad en probeer opnieuw.',
  precondition_required: 'Herlaad de pagina en probeer opnieuw.',
  rate_limited: 'Te veel pogingen na elkaar. Wacht even en probeer dan opnieuw.',
  db_unavailable: 'De databank is even niet bereikbaar. Probeer het zo meteen opnieuw.',
  busy: 'Het is even erg druk. Probeer het zo meteen opnieuw.',
  internal: 'Er ging iets mis op de server. Probeer opnieuw; lukt het niet, verwittig de coördinator.',
  network: 'Geen verbinding met de server. Controleer het netwerk en probeer opnieuw.',
};

// The Dutch name of a field the API points at (JSON pointer or parameter).
const FIELDS = {
  name: 'naam', email: 'e-mailadres', phone: 'telefoon', postcode: 'postcode',
  language: 'taal', first_name: 'voornaam', birth_month: 'geboortemaand',
  slots: 'aantal plaatsen', payment: 'betaalwijze', deposit_method: 'betaalwijze',
  withheld_cents: 'ingehouden bedrag', withheld_reason: 'reden van inhouding',
  missing_components: 'ontbrekende onderdelen', condition: 'staat',
  valid_from: 'geldig vanaf', valid_until: 'geldig tot', reference: 'dossiernummer',
  level: 'soort tarief', wanted_from: 'gewenst vanaf', item: 'voorwerp',
  return_item: 'terug te brengen voorwerp', household: 'gezin', code: 'code',
  category_id: 'soort', category: 'soort', library: 'uitleendienst', child: 'kind',
  username: 'gebruikersnaam', password: 'wachtwoord', from: 'van', to: 'tot',
};

// The fields a problem names, as the last word of each pointer:
// "/children/0/birth_month" -> "birth_month", parameter "?from" -> "from".
function namedFields(problem) {
  return (problem.errors || [])
    .map((e) => String(e.pointer || e.parameter || '').split('/'))
    .map((parts) => parts.filter((p) => p && !/^\d+$/.test(p)).pop())
    .filter(Boolean);
}

export class ApiError extends Error {
  constructor(status, problem, sentence) {
    super(sentence);
    this.status = status;
    this.code = problem.code || 'internal';
    this.problem = problem;
    this.sentence = sentence;
    this.fields = namedFields(problem);
  }
}

// One sentence for a problem. `say` may give a sentence per code for this
// call (e.g. not_found: 'Geen voorwerp met code FB-0042.').
export function sentenceFor(problem, say = {}) {
  const code = problem.code || 'internal';
  let s = say[code] || SENTENCES[code] || SENTENCES.internal;
  const named = namedFields(problem).map((f) => FIELDS[f]).filter(Boolean);
  if (!say[code] && named.length && ['invalid_field', 'invalid_date', 'invalid_amount'].includes(code))
    s += ` Kijk na: ${[...new Set(named)].join(', ')}.`;
  return s;
}

function randomKey() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

// Sends one request. opts: body (JSON), key (Idempotency-Key), say (see
// sentenceFor), raw (return the Response for a PDF or SVG). Throws ApiError.
export async function api(method, path, opts = {}) {
  const headers = { Accept: opts.raw ? '*/*' : 'application/json' };
  const token = session.token();
  if (token) headers.Authorization = `Bearer ${token}`;
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  if (opts.key) headers['Idempotency-Key'] = opts.key;
  let res;
  try {
    res = await fetch(path, {
      method,
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, { code: 'network' }, SENTENCES.network);
  }
  if (res.ok && opts.raw) return res;
  let data = null;
  const text = await res.text();
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (res.ok) return data;
  const problem = data && typeof data === 'object' ? data : { code: 'internal' };
  if (res.status === 401 && token && !opts.login) {
    session.expired(); // the login form comes up; the page behind it stays as it was
    throw new ApiError(401, problem, 'Je sessie is verlopen. Meld je opnieuw aan: wat je had ingevuld blijft staan.');
  }
  throw new ApiError(res.status, problem, sentenceFor(problem, opts.say));
}

// A sender for one form: it keeps its Idempotency-Key while the body stays
// the same, so pressing the button again after a lost answer replays the
// first answer instead of lending twice; a changed body gets a new key.
export function idempotent() {
  let lastBody = null;
  let key = null;
  return (method, path, body, opts = {}) => {
    const text = JSON.stringify(body ?? null);
    if (text !== lastBody) {
      lastBody = text;
      key = randomKey();
    }
    return api(method, path, { ...opts, body, key });
  };
}

// A PDF or SVG the API makes, as an object URL the page can link or show.
export async function blobUrl(path, say) {
  const res = await api('GET', path, { raw: true, say });
  return URL.createObjectURL(await res.blob());
}
