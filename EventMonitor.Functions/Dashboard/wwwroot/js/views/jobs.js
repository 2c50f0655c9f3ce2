// Job table, for one batch or all jobs: server-side filters, sort and paging; live progress; job actions.
import { get, query } from '../api.js';
import { h, badge, cell, poller, progressBar, syncRows, timeElement } from '../dom.js';
import { jobActions, reportError } from '../ui.js';
import { readParams, writeParams, select, textInput, pager } from './filters.js';

const PAGE = 25;
const DEFAULTS = { batch_id: '', status: '', job_type: '', q: '', sort: 'created_at', order: 'desc', skip: '0' };
const STATUSES = ['pending', 'processing', 'completed', 'failed', 'cancelled'];
const COLUMNS = 8;

export const title = 'Jobs';

export function mount(main, params) {
  const state = readParams(params, DEFAULTS);
  const tbody = h('tbody');
  const pages = pager('Job pages');
  const heading = h('h1', { tabindex: '-1' }, 'Jobs');
  const batchSummary = h('p', { class: 'muted' });
  const batchNames = new Map();
  let timer = null;
  const refreshNow = () => timer?.now();
  const apply = () => {
    writeParams('jobs', state, DEFAULTS);
    refreshNow();
  };
  const change = (name) => (value) => {
    state[name] = value;
    state.skip = '0';
    apply();
  };

  const batchSelect = select('job-batch', 'Batch', state.batch_id, [['', 'All batches'], ...(state.batch_id ? [[state.batch_id, state.batch_id]] : [])], change('batch_id'));
  const searchInput = textInput('job-q', 'Search', state.q, 'Name, event or session');
  const form = h('form', {
    class: 'filters', role: 'search', 'aria-label': 'Filter jobs',
    onsubmit: (e) => {
      e.preventDefault();
      state.q = searchInput.querySelector('input').value.trim();
      state.skip = '0';
      apply();
    },
  },
  batchSelect,
  select('job-status', 'Status', state.status, [['', 'Any status'], ...STATUSES.map((s) => [s, s])], change('status')),
  select('job-type', 'Type', state.job_type, [['', 'Any type'], ['session', 'session']], change('job_type')),
  searchInput,
  select('job-sort', 'Sort by', state.sort, [['created_at', 'Created'], ['updated_at', 'Updated'], ['status', 'Status'], ['job_name', 'Name']], change('sort')),
  select('job-order', 'Order', state.order, [['desc', 'Descending'], ['asc', 'Ascending']], change('order')),
  h('div', { class: 'buttons' }, h('button', { type: 'submit' }, 'Apply')));

  pages.previous.addEventListener('click', () => { state.skip = String(Math.max(0, Number(state.skip) - PAGE)); apply(); });
  pages.next.addEventListener('click', () => { state.skip = String(Number(state.skip) + PAGE); apply(); });

  main.append(
    h('div', { class: 'page-head' }, heading, batchSummary),
    h('section', { class: 'card' }, form),
    h('section', { class: 'card', 'aria-labelledby': 'job-table-caption' },
      h('div', { class: 'table-wrap' },
        h('table', { class: 'data' },
          h('caption', { id: 'job-table-caption', class: 'visually-hidden' }, 'Jobs'),
          h('thead', {}, h('tr', {}, ['Job', 'Status', 'Progress', 'Batch', 'Attempts', 'Updated', 'Error', 'Actions'].map((c) => h('th', { scope: 'col' }, c)))),
          tbody)),
      pages.element));

  // The batch choices: the newest 100 batches (the current one is kept even when older).
  get('/api/event-job/batches' + query({ limit: 100, sort: 'created_at', order: 'desc' })).then((r) => {
    const choice = batchSelect.querySelector('select');
    const known = new Set([...choice.options].map((o) => o.value));
    for (const b of r.data.batches) {
      batchNames.set(b.batch_id, b.batch_name);
      if (known.has(b.batch_id)) {
        [...choice.options].find((o) => o.value === b.batch_id).textContent = b.batch_name;
      } else {
        choice.append(h('option', { value: b.batch_id, selected: b.batch_id === state.batch_id }, b.batch_name));
      }
    }
    refreshNow();
  }, (e) => reportError(e, 'Batches'));

  const refresh = async () => {
    try {
      const [r, batch] = await Promise.all([
        get('/api/event-job/jobs' + query({ ...state, limit: PAGE })),
        state.batch_id ? get(`/api/event-job/batches/${encodeURIComponent(state.batch_id)}?limit=1`).then((b) => b.data) : null,
      ]);
      heading.textContent = batch ? `Jobs of ${batch.batch_name}` : 'Jobs';
      batchSummary.replaceChildren(...(batch ? [badge(batch.status), ` ${batch.completed_count} completed, ${batch.failed_count} failed, ${batch.pending_count + batch.processing_count} unfinished of ${batch.job_count} · `, h('a', { href: '#/batches' }, 'All batches')] : []));
      const { jobs, total, skip } = r.data;
      // The batch name is part of the row, so a row is redrawn when the name becomes known.
      const rows = jobs.map((j) => ({ ...j, batch_name: batchNames.get(j.batch_id) }));
      syncRows(tbody, rows, (j) => j.job_id, (j) => row(j, refreshNow, j.batch_name), 'No jobs match.', COLUMNS);
      pages.update(skip, PAGE, jobs.length, total);
    } catch (e) {
      reportError(e, 'Jobs');
    }
  };
  timer = poller(refresh, 2000);
  return { dispose: () => timer.stop() };
}

function row(job, after, batchName) {
  const percent = job.progress?.percent ?? 0;
  return h('tr', { dataset: { jobId: job.job_id, status: job.status } },
    cell('Job', h('div', { class: 'name-cell' },
      h('a', { href: `#/job/${encodeURIComponent(job.job_id)}` }, job.job_name),
      h('span', { class: 'id' }, job.job_id))),
    cell('Status', badge(job.status), job.next_attempt_at ? h('div', { class: 'small muted' }, 'retry at ', timeElement(job.next_attempt_at)) : null),
    cell('Progress', h('div', { class: 'progress-cell' },
      progressBar({ label: `Progress of ${job.job_name}`, percent, status: job.status, valueText: `${percent}% · ${job.progress?.step ?? ''}` }),
      h('span', { class: 'caption' }, `${percent}% · ${job.progress?.step ?? ''}`))),
    cell('Batch', job.batch_id ? h('a', { href: `#/jobs?batch_id=${encodeURIComponent(job.batch_id)}`, class: 'small', title: job.batch_id }, batchName ?? `${job.batch_id.slice(0, 14)}…`) : h('span', { class: 'muted' }, 'stand-alone')),
    cell('Attempts', String(job.attempts)),
    cell('Updated', timeElement(job.updated_at)),
    cell('Error', job.error ? h('span', { class: 'error-text small' }, h('strong', {}, job.error.code), ': ', job.error.message) : h('span', { class: 'muted' }, '—')),
    cell('Actions', jobActions(job, after)));
}
