// Filter forms whose state lives in the URL hash, so a filtered list can be bookmarked and shared.
import { h } from '../dom.js';

/** Reads the view's query from the hash, keeping only known names. */
export function readParams(params, defaults) {
  const out = { ...defaults };
  for (const name of Object.keys(defaults)) {
    const value = params.get(name);
    if (value !== null) out[name] = value;
  }
  return out;
}

/** Writes the state back into the hash without a navigation (no re-mount, focus stays put). */
export function writeParams(path, state, defaults) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(state)) {
    if (value !== '' && value !== defaults[name]) search.set(name, value);
  }
  const text = search.toString();
  history.replaceState(null, '', `#/${path}${text ? `?${text}` : ''}`);
}

export function select(id, label, value, options, onchange) {
  return h('div', { class: 'field' },
    h('label', { for: id }, label),
    h('select', { id, name: id, onchange: (e) => onchange(e.target.value) },
      options.map(([v, text]) => h('option', { value: v, selected: v === value }, text))));
}

export function textInput(id, label, value, placeholder) {
  return h('div', { class: 'field' },
    h('label', { for: id }, label),
    h('input', { id, name: id, type: 'search', value, placeholder, autocomplete: 'off' }));
}

/** "Showing 1–25 of 80" with Previous / Next. */
export function pager(label) {
  const text = h('span', { 'aria-live': 'polite' });
  const previous = h('button', { type: 'button', class: 'secondary', 'data-action': 'previous' }, 'Previous');
  const next = h('button', { type: 'button', class: 'secondary', 'data-action': 'next' }, 'Next');
  const element = h('nav', { class: 'pager', 'aria-label': label }, previous, next, text);
  return {
    element,
    previous,
    next,
    update(skip, limit, shown, total) {
      text.textContent = total === 0 ? 'Nothing to show.' : `Showing ${skip + 1}–${skip + shown} of ${total}`;
      previous.disabled = skip === 0;
      next.disabled = skip + shown >= total;
    },
  };
}
