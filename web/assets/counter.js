// The counter's start page: scan, or look a household up.
import { h, show } from './ui.js';
import { householdSearch } from './find.js';

export function counterHome() {
  show([
    h('section', { class: 'card', 'aria-labelledby': 'home-title' },
      h('h1', { id: 'home-title' }, 'Balie'),
      h('p', {}, 'Scan een voorwerp om het uit te lenen of terug te nemen. Scan een lidkaart om het gezin te openen.')),
    h('section', { class: 'card', 'aria-labelledby': 'find-title' },
      h('h2', { id: 'find-title' }, 'Gezin opzoeken'),
      householdSearch({ autofocus: false, onPick: (hh) => { location.hash = `#/gezin/${hh.number}`; } })),
  ]);
}
