// Batch list: status, progress, counts, flags; filters, sort and paging on the server; batch actions.
import { get, post, put, del, download, query } from '../api.js';
import { h, badge, cell, poller, progressBar, syncRows, timeElement } from '../dom.js';
import { actionRunner, confirmAction, reportError } from '../ui.js';
import { readParams, writeParams, select, textInput, pager } from './filters.js';

const PAGE = 25;
const DEFAULTS = { status: '', active: '', archived: '', event: '', q: '', sort: 'created_at', order: 'desc', skip: '0' };
const STATUSES = ['pending', 'running', 'paused', 'completed', 'completed_with_errors', 'cancelled'];
const TERMINAL = new Set(['completed', 'completed_with_errors', 'cancelled']);
const COLUMNS = 7;

export const title = 'Batches';

export function mount(main, params) {
  const state = readParams(params, DEFAULTS);
  const tbody = h('tbody');
  const pages = pager('Batch pages');
  let timer = null;
  const refreshNow = () => timer?.now();
  const apply = () => {
    writeParams('batches', state, DEFAULTS);
    refreshNow();
  };
  const change = (name) => (value) => {
    state[name] = value;
    state.skip = '0';
    apply();
  };
  const eventInput = textInput('batch-event', 'Event', state.event, 'e.g. FOSDEM 2026');
  const searchInput = textInput('batch-q', 'Search', state.q, 'Name or event');
  const form = h('form', {
    class: 'filters', role: 'search', 'aria-label': 'Filter batches',
    onsubmit: (e) => {
      e.preventDefault();
      state.event = eventInput.querySelector('input').value.trim();
      state.q = searchInput.querySelector('input').value.trim();
      state.skip = '0';
      apply();
    },
  },
  select('batch-status', 'Status', state.status, [['', 'Any status'], ...STATUSES.map((s) => [s, s.replaceAll('_', ' ')])], change('status')),
  select('batch-active', 'Active', state.active, [['', 'Active or paused'], ['true', 'Active'], ['false', 'Paused']], change('active')),
  select('batch-archived', 'Archived', state.archived, [['', 'Archived or not'], ['false', 'Not archived'], ['true', 'Archived']], change('archived')),
  eventInput, searchInput,
  select('batch-sort', 'Sort by', state.sort, [['created_at', 'Created'], ['updated_at', 'Updated'], ['status', 'Status'], ['batch_name', 'Name']], change('sort')),
  select('batch-order', 'Order', state.order, [['desc', 'Descending'], ['asc', 'Ascending']], change('order')),
  h('div', { class: 'buttons' }, h('button', { type: 'submit' }, 'Apply')));

  pages.previous.addEventListener('click', () => { state.skip = String(Math.max(0, Number(state.skip) - PAGE)); apply(); });
  pages.next.addEventListener('click', () => { state.skip = String(Number(state.skip) + PAGE); apply(); });

  const failEverything = h('button', {
    type: 'button', class: 'danger',
    onclick: actionRunner(refreshNow)('Fail all', async () => {
      const reason = await confirmAction({
        title: 'Fail all unfinished batches?',
        message: 'Every unfinished job of your active, unarchived batches will be marked failed.',
        confirmLabel: 'Fail all', reason: 'Failed from the dashboard.',
      });
      if (!reason) return null;
      const r = await post('/api/event-job/batches/fail-all', { confirm: true, reason });
      return `Failed ${r.data.failed_count} jobs in ${r.data.batch_ids.length} batches.`;
    }),
  }, 'Fail all unfinished…');

  main.append(
    h('div', { class: 'page-head' }, h('h1', { tabindex: '-1' }, 'Batches'), h('div', { class: 'actions' }, failEverything)),
    h('section', { class: 'card' }, form),
    h('section', { class: 'card', 'aria-labelledby': 'batch-table-caption' },
      h('div', { class: 'table-wrap' },
        h('table', { class: 'data' },
          h('caption', { id: 'batch-table-caption', class: 'visually-hidden' }, 'Batches'),
          h('thead', {}, h('tr', {}, ['Batch', 'Status', 'Progress', 'State', 'Created', 'Counts', 'Actions'].map((c) => h('th', { scope: 'col' }, c)))),
          tbody)),
      pages.element));

  const refresh = async () => {
    try {
      const r = await get('/api/event-job/batches' + query({ ...state, limit: PAGE }));
      const { batches, total, skip } = r.data;
      syncRows(tbody, batches, (b) => b.batch_id, (b) => row(b, refreshNow), 'No batches match.', COLUMNS);
      pages.update(skip, PAGE, batches.length, total);
    } catch (e) {
      reportError(e, 'Batches');
    }
  };
  timer = poller(refresh, 2000);
  return { dispose: () => timer.stop() };
}

function row(batch, after) {
  const finished = batch.completed_count + batch.failed_count + batch.cancelled_count;
  const pct = (n) => (batch.job_count ? (n / batch.job_count) * 100 : 0);
  const percent = pct(finished);
  const counts = [['pending', batch.pending_count], ['processing', batch.processing_count], ['completed', batch.completed_count], ['failed', batch.failed_count], ['cancelled', batch.cancelled_count]];
  const name = batch.batch_name;
  return h('tr', { dataset: { batchId: batch.batch_id } },
    cell('Batch', h('div', { class: 'name-cell' },
      h('a', { href: `#/jobs?batch_id=${encodeURIComponent(batch.batch_id)}` }, name),
      h('span', { class: 'id' }, batch.batch_id))),
    cell('Status', badge(batch.status)),
    cell('Progress', h('div', { class: 'progress-cell' },
      progressBar({
        label: `Progress of ${name}`,
        percent,
        valueText: `${finished} of ${batch.job_count} jobs finished`,
        segments: [
          { className: 'seg-completed', percent: pct(batch.completed_count) },
          { className: 'seg-failed', percent: pct(batch.failed_count) },
          { className: 'seg-cancelled', percent: pct(batch.cancelled_count) },
        ],
      }),
      h('span', { class: 'caption' }, `${finished}/${batch.job_count} · ${Math.round(percent)}%`))),
    cell('State', h('div', { class: 'row-actions' },
      h('span', { class: `badge ${batch.active ? 's-running' : 's-paused'}` }, batch.active ? 'active' : 'paused'),
      batch.archived ? h('span', { class: 'badge tag' }, 'archived') : null)),
    cell('Created', timeElement(batch.created_at)),
    cell('Counts', h('ul', { class: 'counts' }, counts.filter(([, n]) => n > 0).map(([s, n]) => h('li', {}, `${n} ${s}`)))),
    cell('Actions', actions(batch, after)));
}

function actions(batch, after) {
  const name = batch.batch_name;
  const id = batch.batch_id;
  const terminal = TERMINAL.has(batch.status);
  const run = actionRunner(after);
  const button = (action, text, label, work, { disabled = false, danger = false } = {}) =>
    h('button', { type: 'button', class: `${danger ? 'danger' : 'secondary'} small`, 'data-action': action, 'aria-label': `${label} ${name}`, disabled, onclick: run(text, work) }, text);

  return h('div', { class: 'row-actions' },
    button('toggle', batch.active ? 'Pause' : 'Resume', batch.active ? 'Pause' : 'Resume', async () => {
      const r = await post(`/api/event-job/batches/${id}/toggle-active`);
      return r.message ?? (r.data.active ? 'Batch resumed.' : 'Batch paused.');
    }),
    button('restart', 'Restart failed', 'Restart failed jobs of', async () => {
      const r = await post(`/api/event-job/batches/${id}/restart`, {});
      return `Restarted ${r.data.restarted_count} jobs of ${name}.`;
    }, { disabled: batch.failed_count === 0 }),
    button('fail', 'Fail unfinished', 'Fail unfinished jobs of', async () => {
      const reason = await confirmAction({
        title: 'Fail unfinished jobs?',
        message: `Every pending or processing job of "${name}" will be marked failed.`,
        confirmLabel: 'Fail jobs', reason: 'Failed from the dashboard.',
      });
      if (!reason) return null;
      const r = await post('/api/event-job/batches/fail-all', { batch_id: id, reason });
      return `Failed ${r.data.failed_count} jobs of ${name}.`;
    }, { disabled: terminal, danger: true }),
    button('cancel', 'Cancel', 'Cancel unfinished jobs of', async () => {
      const sure = await confirmAction({
        title: 'Cancel unfinished jobs?',
        message: `Pending jobs of "${name}" are cancelled at once; running ones stop at their next step.`,
        confirmLabel: 'Cancel jobs',
      });
      if (!sure) return null;
      const r = await post(`/api/event-job/batches/${id}/cancel`);
      const stopping = r.data.cancel_requested_count ? `; ${r.data.cancel_requested_count} stop at their next step` : '';
      return `Cancelled ${r.data.cancelled_count} jobs of ${name}${stopping}.`;
    }, { disabled: terminal, danger: true }),
    batch.archived
      ? button('archive', 'Unarchive', 'Unarchive', async () => { await put(`/api/event-job/batches/${id}`, { archived: false }); return `Unarchived ${name}.`; })
      : button('archive', 'Archive', 'Archive', async () => { await post(`/api/event-job/batches/${id}/archive`); return `Archived ${name}.`; }, { disabled: !terminal }),
    button('zip', 'ZIP', 'Download as ZIP', async () => `Downloaded ${await download(`/api/event-job/batches/${id}/archive`, `${id}.zip`)}.`, { disabled: batch.completed_count === 0 }),
    button('delete', 'Delete', 'Delete', async () => {
      const sure = await confirmAction({ title: 'Delete batch?', message: `Delete "${name}" with all its jobs, files and logs? This cannot be undone.`, confirmLabel: 'Delete batch' });
      if (!sure) return null;
      await del(`/api/event-job/batches/${id}`);
      return `Deleted ${name}.`;
    }, { danger: true }));
}
