// Building screens: elements, fields with labels, the message line, busy
// buttons and where the focus goes.
let idSeq = 0;

// h('p', {class: 'x'}, 'text', child...) -> element. Attributes starting
// with "on" are listeners; false/null/undefined attributes are left out.
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === false || v === null || v === undefined) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'value') el.value = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

export const uid = (prefix) => `${prefix}-${++idSeq}`;

const $ = (id) => document.getElementById(id);

// ---- the message line ----

// A mistake the page itself finds before asking the API: thrown like an
// ApiError, shown the same way.
export function mistake(sentence, ...fields) {
  return { sentence, fields };
}

export function showError(err) {
  if (!err || !err.sentence) console.error(err); // a bug in the page, not a refusal
  const m = $('message');
  m.className = 'message';
  m.textContent = err && err.sentence ? err.sentence : 'Er ging iets mis op deze pagina. Herlaad en probeer opnieuw.';
  m.hidden = false;
  if (err && err.fields && err.fields.length) markFields(err.fields, m.textContent);
  else m.scrollIntoView({ block: 'nearest' });
}

export function showInfo(text) {
  const m = $('message');
  m.className = 'message info';
  m.textContent = text;
  m.hidden = false;
}

export function clearMessage() {
  const m = $('message');
  m.hidden = true;
  m.textContent = '';
  for (const el of document.querySelectorAll('[aria-invalid="true"]')) el.removeAttribute('aria-invalid');
  for (const el of document.querySelectorAll('.field-error')) {
    for (const x of document.querySelectorAll(`[aria-describedby~="${el.id}"]`))
      x.setAttribute('aria-describedby', x.getAttribute('aria-describedby').split(' ').filter((i) => i !== el.id).join(' '));
    el.remove();
  }
}

// Marks the inputs whose data-field the error names, repeats the sentence
// under the first (on a phone the message line may be out of sight), and
// focuses it.
function markFields(fields, sentence) {
  let first = null;
  for (const f of fields) {
    for (const el of document.querySelectorAll(`#view [data-field="${CSS.escape(f)}"]`)) {
      el.setAttribute('aria-invalid', 'true');
      first = first || el;
    }
  }
  if (!first) return;
  const box = first.closest('.field, fieldset');
  if (box) {
    const id = uid('error');
    box.append(h('p', { class: 'field-error', id }, sentence));
    first.setAttribute('aria-describedby', `${id} ${first.getAttribute('aria-describedby') || ''}`.trim());
  }
  first.focus();
}

// ---- screens ----

// Replaces the view with the given nodes. The message line stays unless
// keepMessage is false. Focus goes to the first element marked
// data-autofocus, else to the scan field.
export function show(nodes, { keepMessage = false } = {}) {
  if (!keepMessage) clearMessage();
  const view = $('view');
  view.replaceChildren(...[nodes].flat());
  settleFocus();
}

export function settleFocus() {
  const want = document.querySelector('#view [data-autofocus]');
  if (want) want.focus();
  else focusScan();
}

export function focusScan() {
  const scan = $('scan');
  if (scan && !$('scan-form').hidden) scan.focus();
}

// Runs fn with the button disabled and the message cleared; an ApiError
// lands on the message line and nothing typed is lost (the form stays).
export async function busy(button, fn) {
  if (button && button.disabled) return undefined;
  if (button) button.disabled = true;
  clearMessage();
  try {
    return await fn();
  } catch (err) {
    if (button) button.disabled = false;
    showError(err);
    // the named field has the focus now; else back to the button, to retry
    if (button && document.contains(button) && !document.querySelector('#view [aria-invalid="true"]'))
      button.focus();
    return undefined;
  } finally {
    if (button) button.disabled = false;
  }
}

// ---- fields ----

// A labelled input. opts: label, name (also data-field, so an API error
// naming the field marks it), type (also 'select' with options
// [[value, text]], 'textarea'), value, hint, autofocus, other attributes.
export function field(opts) {
  const { label, hint, name, autofocus, type = 'text', options = [], value, ...attrs } = opts;
  const id = uid(name || 'f');
  const hintId = hint ? `${id}-hint` : null;
  const common = {
    id, name, 'data-field': name, 'aria-describedby': hintId, 'data-autofocus': autofocus || null, ...attrs,
  };
  let input;
  if (type === 'select') input = h('select', common, options.map(([v, t]) => h('option', { value: v }, t)));
  else if (type === 'textarea') input = h('textarea', common);
  else input = h('input', { type, ...common });
  if (value !== undefined) input.value = value;
  const wrap = h('div', { class: 'field' }, h('label', { for: id }, label), input,
    hint ? h('p', { class: 'hint', id: hintId }, hint) : null);
  return { wrap, input };
}

// Radio buttons in a fieldset: [[value, text], ...]; returns {wrap, value()}.
export function choice(legend, name, options, checked) {
  const group = uid(name);
  const inputs = options.map(([value, text]) => {
    const input = h('input', { type: 'radio', name: group, value, 'data-field': name, checked: value === checked });
    return h('label', { class: 'choice' }, input, text);
  });
  const wrap = h('fieldset', {}, h('legend', {}, legend), h('div', { class: 'choices' }, inputs));
  return {
    wrap,
    value: () => (wrap.querySelector('input:checked') || {}).value,
  };
}

// Checkboxes in a fieldset; returns {wrap, values()}.
export function checks(legend, name, options) {
  const inputs = options.map((text) => h('label', { class: 'choice' },
    h('input', { type: 'checkbox', value: text, 'data-field': name }), text));
  const wrap = h('fieldset', {}, h('legend', {}, legend), h('div', { class: 'choices' }, inputs));
  return {
    wrap,
    values: () => Array.from(wrap.querySelectorAll('input:checked'), (i) => i.value),
  };
}

// A form that calls onSubmit(event) with its submit button busy.
export function form(children, onSubmit, attrs = {}) {
  const f = h('form', { novalidate: true, autocomplete: 'off', ...attrs }, children);
  f.addEventListener('submit', (e) => {
    e.preventDefault();
    const button = e.submitter || f.querySelector('button[type="submit"]');
    busy(button, () => onSubmit(e));
  });
  return f;
}

// A table of amounts: rows [[label, cents, note?], ...] and a total.
export function sums(rows, totalLabel, money) {
  const body = rows.map(([label, text, note]) => h('tr', {},
    h('td', {}, label, note ? h('div', { class: 'tariff' }, note) : null),
    h('td', { class: 'amount' }, text)));
  if (totalLabel) body.push(h('tr', { class: 'total' }, h('td', {}, totalLabel[0]), h('td', { class: 'amount' }, money(totalLabel[1]))));
  return h('table', { class: 'sums' }, h('tbody', {}, body));
}
