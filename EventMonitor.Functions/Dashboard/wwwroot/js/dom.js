// DOM helpers. Text always goes in through text nodes: nothing from the API is ever parsed as HTML.

const PROPERTIES = new Set(['value', 'checked', 'disabled', 'hidden', 'selected', 'type', 'id', 'title', 'tabIndex']);

/** h('a', {href, class, onclick}, 'text', child, [more]) */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') el.className = value;
    else if (name === 'dataset') Object.assign(el.dataset, value);
    else if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2), value);
    else if (PROPERTIES.has(name)) el[name] = value;
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

const SVG = 'http://www.w3.org/2000/svg';
export function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, String(value));
  for (const child of children) if (child) el.append(child);
  return el;
}

/** Only absolute http(s) links leave the dashboard; anything else is shown as text. */
export function safeHref(url) {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
  } catch {
    return null;
  }
}

export function externalLink(url, text = url) {
  const href = safeHref(url);
  return href ? h('a', { href, rel: 'noopener noreferrer nofollow', target: '_blank' }, text) : h('span', {}, text);
}

export const humanize = (status) => String(status ?? '').replaceAll('_', ' ');

export function badge(status) {
  return h('span', { class: `badge s-${String(status).replace(/[^a-z_]/g, '')}` }, humanize(status));
}

export function formatTime(value) {
  if (value === undefined || value === null || value === '') return '—';
  const date = typeof value === 'number' ? new Date(value * 1000) : new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  const pad = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

export function timeElement(value) {
  if (!value) return h('span', { class: 'muted' }, '—');
  const iso = typeof value === 'number' ? new Date(value * 1000).toISOString() : value;
  return h('time', { datetime: iso, title: iso }, formatTime(value));
}

export function formatDuration(ms) {
  if (ms === null || ms === undefined || Number.isNaN(ms) || ms < 0) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${Math.round(s % 60)} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/**
 * A progress bar: one fill, or several coloured segments. Widths go through the CSSOM, which the
 * CSP allows (style attributes would not be).
 */
export function progressBar({ label, percent, segments, valueText, status = '' }) {
  const bar = h('div', {
    class: 'progress',
    role: 'progressbar',
    'aria-label': label,
    'aria-valuemin': 0,
    'aria-valuemax': 100,
    'aria-valuenow': Math.round(percent),
    'aria-valuetext': valueText ?? `${Math.round(percent)}%`,
  });
  for (const segment of segments ?? [{ className: `fill s-${status}`, percent }]) {
    const part = h('span', { class: segment.className });
    part.style.width = `${Math.max(0, Math.min(100, segment.percent))}%`;
    bar.append(part);
  }
  return bar;
}

/** A table cell with the label phones show in front of it. */
export function cell(label, ...children) {
  return h('td', { 'data-label': label }, ...children);
}

const signatures = new WeakMap();

/**
 * Brings a tbody up to date with as little change as possible: unchanged rows stay, so a refresh
 * never steals the keyboard focus; a focused control in a replaced row gets the focus back.
 */
export function syncRows(tbody, items, keyOf, render, emptyText, columns) {
  const active = document.activeElement;
  let focus = null;
  if (active && tbody.contains(active)) {
    focus = { key: active.closest('tr')?.dataset.key, action: active.dataset.action };
  }
  if (items.length === 0) {
    tbody.replaceChildren(h('tr', {}, h('td', { class: 'empty', colspan: columns }, emptyText)));
    return;
  }
  const existing = new Map();
  for (const row of tbody.children) if (row.dataset.key) existing.set(row.dataset.key, row);
  const rows = items.map((item) => {
    const key = keyOf(item);
    const signature = JSON.stringify(item);
    const previous = existing.get(key);
    if (previous && signatures.get(previous) === signature) return previous;
    const row = render(item);
    row.dataset.key = key;
    signatures.set(row, signature);
    return row;
  });
  const same = rows.length === tbody.children.length && rows.every((row, i) => tbody.children[i] === row);
  if (!same) tbody.replaceChildren(...rows);
  if (focus && !tbody.contains(active) && focus.action) {
    const row = [...tbody.children].find((r) => r.dataset.key === focus.key);
    row?.querySelector(`[data-action="${CSS.escape(focus.action)}"]`)?.focus();
  }
}

/** Runs `tick` now and then every `ms` after the previous run ended, until stopped; `now()` runs it again at once. */
export function poller(tick, ms) {
  let timer = null;
  let stopped = false;
  let running = false;
  let again = false;
  const run = async () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = true;
    clearTimeout(timer);
    try {
      await tick();
    } finally {
      running = false;
      if (!stopped) {
        timer = setTimeout(run, again ? 0 : ms);
        again = false;
      }
    }
  };
  run();
  return {
    now: run,
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
