// Entry point: the hash router, the API key panel, and focus management between views.
import { apiKey } from './api.js';
import { toast } from './ui.js';
import * as overview from './views/overview.js';
import * as batches from './views/batches.js';
import * as jobs from './views/jobs.js';
import * as job from './views/job.js';

const ROUTES = { '': overview, batches, jobs, job };
const main = document.getElementById('main');
let current = null;
let firstRender = true;
// One key prompt per page, not one per failed poll.
let prompted = false;

function parse() {
  const hash = location.hash.startsWith('#/') ? location.hash.slice(2) : '';
  const [path, search = ''] = hash.split('?');
  const [name, ...rest] = path.split('/');
  return { name, rest: rest.join('/'), params: new URLSearchParams(search) };
}

function navigate() {
  // In-page anchors such as the skip link are not routes.
  if (location.hash && !location.hash.startsWith('#/')) return;
  const route = parse();
  const view = ROUTES[route.name] ?? overview;
  prompted = false;
  current?.dispose();
  main.replaceChildren();
  current = view.mount(main, route.params, route);
  document.title = `${view.title} · Event Monitor`;
  for (const link of document.querySelectorAll('[data-nav]')) {
    const active = link.dataset.nav === (route.name === 'job' ? 'jobs' : route.name || 'overview');
    if (active) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  // Move the focus to the new page's heading, as a full page load would, except on the first load.
  if (!firstRender) main.querySelector('h1')?.focus();
  firstRender = false;
}

function setupKey() {
  const panel = document.getElementById('key-panel');
  const form = document.getElementById('key-form');
  const input = document.getElementById('api-key');
  const summary = document.getElementById('key-summary');
  const describe = () => {
    summary.textContent = apiKey.get() ? 'API key: set' : 'API key: none';
  };
  describe();
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const value = input.value.trim();
    if (!value) {
      input.focus();
      return;
    }
    apiKey.set(value);
    input.value = '';
    panel.open = false;
    describe();
    toast('API key saved for this tab.');
    navigate();
  });
  document.getElementById('key-forget').addEventListener('click', () => {
    apiKey.clear();
    describe();
    toast('API key forgotten.');
    navigate();
  });
  window.addEventListener('em:unauthorized', () => {
    if (panel.open || prompted) return;
    prompted = true;
    panel.open = true;
    toast('An API key is needed: enter it under "API key".', { error: true });
    input.focus();
  });
}

document.getElementById('skip-link').addEventListener('click', (event) => {
  event.preventDefault();
  main.focus();
});
setupKey();
window.addEventListener('hashchange', navigate);
navigate();
