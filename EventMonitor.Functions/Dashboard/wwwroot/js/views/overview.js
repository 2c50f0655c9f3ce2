// Overview: counters by status and a throughput sparkline, refreshed every few seconds.
import { get, query } from '../api.js';
import { h, svg, humanize, poller, timeElement } from '../dom.js';
import { reportError } from '../ui.js';

const JOB_STATUSES = ['pending', 'processing', 'completed', 'failed', 'cancelled'];
const BATCH_STATUSES = ['pending', 'running', 'paused', 'completed', 'completed_with_errors', 'cancelled'];
const MINUTES = 60;

export const title = 'Overview';

export function mount(main) {
  const jobCounters = h('ul', { class: 'counters', 'aria-label': 'Jobs by status' });
  const batchCounters = h('ul', { class: 'counters', 'aria-label': 'Batches by status' });
  const spark = h('div', { class: 'spark' });
  const failures = h('div');
  const updated = h('p', { class: 'live on', 'aria-live': 'off' }, 'Loading…');
  main.append(
    h('div', { class: 'page-head' }, h('h1', { tabindex: '-1' }, 'Overview'), updated),
    h('section', { class: 'card', 'aria-labelledby': 'jobs-heading' }, h('h2', { id: 'jobs-heading' }, 'Jobs'), jobCounters),
    h('section', { class: 'card', 'aria-labelledby': 'batches-heading' }, h('h2', { id: 'batches-heading' }, 'Batches'), batchCounters),
    h('div', { class: 'grid-2' },
      h('section', { class: 'card', 'aria-labelledby': 'throughput-heading' }, h('h2', { id: 'throughput-heading' }, 'Throughput'), spark),
      h('section', { class: 'card', 'aria-labelledby': 'failures-heading' }, h('h2', { id: 'failures-heading' }, 'Recent failures'), failures)));

  // The sparkline's buckets are minutes: its 500 newest completions are read every 30 s, not every tick.
  let sparkReadAt = 0;
  const refresh = async () => {
    try {
      const count = (path, params) => get(path + query({ ...params, limit: 1 })).then((r) => r.data.total);
      const readSpark = Date.now() - sparkReadAt >= 30000;
      const [jobCounts, batchCounts, failed, completed] = await Promise.all([
        Promise.all(['pending', 'processing', 'completed', 'cancelled'].map((status) => count('/api/event-job/jobs', { status }))),
        Promise.all(BATCH_STATUSES.map((status) => count('/api/event-job/batches', { status }))),
        get('/api/event-job/jobs' + query({ status: 'failed', sort: 'updated_at', order: 'desc', limit: 5 })),
        readSpark ? get('/api/event-job/jobs' + query({ status: 'completed', sort: 'updated_at', order: 'desc', limit: 500 })) : null,
      ]);
      const byStatus = { pending: jobCounts[0], processing: jobCounts[1], completed: jobCounts[2], cancelled: jobCounts[3], failed: failed.data.total };
      jobCounters.replaceChildren(...JOB_STATUSES.map((s) => counter(s, byStatus[s], `#/jobs?status=${s}`)));
      batchCounters.replaceChildren(...BATCH_STATUSES.map((s, i) => counter(s, batchCounts[i], `#/batches?status=${s}`)));
      if (completed) {
        spark.replaceChildren(...sparkline(completed.data.jobs));
        sparkReadAt = Date.now();
      }
      failures.replaceChildren(recentFailures(failed.data.jobs));
      updated.textContent = `Updated ${new Date().toLocaleTimeString()}`;
    } catch (e) {
      updated.textContent = 'Could not refresh.';
      reportError(e, 'Overview');
    }
  };
  const timer = poller(refresh, 5000);
  return { dispose: () => timer.stop() };
}

function counter(status, n, href) {
  return h('li', {}, h('a', { class: `counter s-${status}`, href },
    h('span', { class: 'n' }, String(n)), h('span', { class: 'label' }, humanize(status))));
}

/** Completed jobs per minute over the last hour, from the newest 500 completions. */
function sparkline(jobs) {
  const now = Date.now();
  const buckets = new Array(MINUTES).fill(0);
  for (const job of jobs) {
    const at = Date.parse(job.completed_at ?? job.updated_at);
    const age = Math.floor((now - at) / 60_000);
    if (age >= 0 && age < MINUTES) buckets[MINUTES - 1 - age]++;
  }
  const total = buckets.reduce((a, b) => a + b, 0);
  const last5 = buckets.slice(-5).reduce((a, b) => a + b, 0);
  const peak = Math.max(1, ...buckets);
  const width = 300;
  const height = 60;
  const x = (i) => (i / (MINUTES - 1)) * width;
  const y = (v) => height - 2 - (v / peak) * (height - 6);
  const points = buckets.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  const summary = `${total} jobs completed in the last hour, ${last5} in the last 5 minutes; peak ${Math.max(...buckets)} per minute.`;
  const chart = svg('svg', { class: 'sparkline', viewBox: `0 0 ${width} ${height}`, preserveAspectRatio: 'none', role: 'img', 'aria-label': summary },
    svg('polygon', { class: 'area', points: `0,${height} ${points} ${width},${height}` }),
    svg('line', { class: 'axis', x1: 0, y1: height - 1, x2: width, y2: height - 1 }),
    svg('polyline', { class: 'line', points }));
  return [
    chart,
    h('div', { class: 'spark-legend', 'aria-hidden': 'true' }, h('span', {}, '60 min ago'), h('span', {}, 'now')),
    h('p', {}, h('strong', {}, String(total)), ' completed in the last hour · ', h('strong', {}, String(last5)), ' in the last 5 minutes'),
  ];
}

function recentFailures(jobs) {
  if (jobs.length === 0) return h('p', { class: 'muted' }, 'No failed jobs.');
  return h('ul', { class: 'failures' }, jobs.map((job) => h('li', {},
    h('a', { href: `#/job/${encodeURIComponent(job.job_id)}` }, job.job_name), ' ',
    h('span', { class: 'small muted' }, timeElement(job.completed_at ?? job.updated_at)),
    h('div', { class: 'small error-text' }, job.error ? `${job.error.code}: ${job.error.message}` : 'No error recorded.'))));
}
