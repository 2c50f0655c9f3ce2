// Job details: parameters, timings, attempts, results, and the event log, polled with `after` until the job ends.
import { ApiError, download, fileUrl, get } from '../api.js';
import { h, badge, externalLink, formatDuration, poller, progressBar, timeElement } from '../dom.js';
import { isTerminal, jobActions, reportError, showMarkdown } from '../ui.js';

export const title = 'Job';

const PARAMETERS = ['event', 'session', 'url', 'filename', 'track', 'day', 'starttime', 'endtime', 'speakers', 'video_url', 'attachments_url', 'subtitles_url', 'video_transcript', 'source_language', 'target_language', 'use_cache', 'webhook'];
const URL_PARAMETERS = new Set(['url', 'video_url', 'attachments_url', 'subtitles_url', 'webhook']);

export function mount(main, params, route) {
  const jobId = decodeURIComponent(route.rest ?? '');
  const heading = h('h1', { tabindex: '-1' }, jobId);
  const live = h('p', { class: 'live on' }, 'Live');
  const top = h('div');
  const details = h('div', { class: 'detail-grid' });
  const log = h('ol', { class: 'events', 'aria-label': 'Event log' });
  const logNote = h('p', { class: 'muted small' });
  const back = h('a', { href: '#/jobs' }, '← Jobs');
  main.append(
    h('p', {}, back),
    h('div', { class: 'page-head' }, heading, live),
    top,
    // The log comes first: it is what people open a job for.
    h('section', { class: 'card', 'aria-labelledby': 'log-heading' }, h('h2', { id: 'log-heading' }, 'Event log'), logNote, log),
    details);

  let lastEventId = 0;
  let lastSignature = '';
  let timer = null;

  const tick = async () => {
    let job;
    try {
      job = (await get(`/api/jobs/${encodeURIComponent(jobId)}`)).job;
    } catch (e) {
      if (e instanceof ApiError && (e.status === 404 || e.status === 400)) {
        timer.stop();
        live.classList.remove('on');
        live.textContent = 'Not found';
        top.replaceChildren(h('p', { class: 'card' }, e.status === 404 ? 'This job does not exist (or was deleted). ' : 'This is not a job id. ', h('a', { href: '#/jobs' }, 'Back to the jobs')));
        details.replaceChildren();
        return;
      }
      reportError(e, 'Job');
      return;
    }
    // Read the log after the job, so the final events of a job seen as terminal are in this read.
    await readEvents();
    const signature = JSON.stringify(job);
    if (signature !== lastSignature) {
      lastSignature = signature;
      show(job);
    }
    const terminal = isTerminal(job.status);
    live.classList.toggle('on', !terminal);
    live.textContent = terminal ? 'Finished · not updating' : 'Live · updating';
    if (terminal) timer.stop();
  };

  const readEvents = async () => {
    // Page through everything new; the API answers at most 200 per call.
    for (;;) {
      const r = await get(`/api/jobs/${encodeURIComponent(jobId)}/events?after=${lastEventId}&limit=200`);
      for (const event of r.events) {
        log.append(eventItem(event));
        lastEventId = Math.max(lastEventId, event.id);
      }
      logNote.textContent = `${log.children.length} events · newest last`;
      if (r.events.length < 200) return;
    }
  };

  // After an action (restart, cancel) the job is live again: start polling anew.
  const afterAction = () => {
    timer.stop();
    timer = poller(tick, 1000);
  };

  const show = (job) => {
    heading.textContent = job.job_name;
    document.title = `${job.job_name} · Event Monitor`;
    if (job.batch_id) {
      back.href = `#/jobs?batch_id=${encodeURIComponent(job.batch_id)}`;
      back.textContent = '← Jobs of this batch';
    }
    const percent = job.progress?.percent ?? 0;
    top.replaceChildren(
      h('section', { class: 'card', 'aria-label': 'Status' },
        h('div', { class: 'page-head' }, badge(job.status), h('span', { class: 'muted' }, job.progress?.message ?? '')),
        h('div', { class: 'progress-cell' },
          progressBar({ label: 'Job progress', percent, status: job.status, valueText: `${percent}% · ${job.progress?.step ?? ''}` }),
          h('span', { class: 'caption' }, `${percent}% · step ${job.progress?.step ?? '—'}`)),
        h('div', { class: 'page-head' }, jobActions(job, afterAction, { compact: false }))),
      job.error ? errorBox(job.error) : '');
    details.replaceChildren(parametersCard(job), timingsCard(job), resultsCard(job));
  };

  timer = poller(tick, 1000);
  return { dispose: () => timer.stop() };
}

function errorBox(error) {
  const details = Object.entries(error.details ?? {});
  return h('section', { class: 'error-box', 'aria-labelledby': 'error-heading' },
    h('h2', { id: 'error-heading' }, 'Error'),
    h('p', { class: 'error-message' }, h('strong', {}, error.code), ': ', error.message),
    details.length ? h('dl', { class: 'kv' }, details.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, String(v))])) : null);
}

function kv(pairs) {
  return h('dl', { class: 'kv' }, pairs.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v ?? h('span', { class: 'muted' }, '—'))]));
}

function parametersCard(job) {
  const p = job.parameters ?? {};
  const given = PARAMETERS.filter((name) => p[name] !== null && p[name] !== undefined && p[name] !== '' && !(Array.isArray(p[name]) && p[name].length === 0));
  return h('section', { class: 'card', 'aria-labelledby': 'parameters-heading' },
    h('h2', { id: 'parameters-heading' }, 'Parameters'),
    given.length === 0 ? h('p', { class: 'muted' }, 'None given.') : kv(given.map((name) => {
      const value = p[name];
      if (URL_PARAMETERS.has(name)) return [name, externalLink(String(value))];
      return [name, Array.isArray(value) ? value.join(', ') : String(value)];
    })));
}

function timingsCard(job) {
  const ms = (a, b) => (a && b ? Date.parse(b) - Date.parse(a) : null);
  return h('section', { class: 'card', 'aria-labelledby': 'timings-heading' },
    h('h2', { id: 'timings-heading' }, 'Timings and attempts'),
    kv([
      ['job id', h('span', { class: 'mono' }, job.job_id)],
      ['type', job.job_type],
      ['batch', job.batch_id ? h('a', { href: `#/jobs?batch_id=${encodeURIComponent(job.batch_id)}`, class: 'mono' }, job.batch_id) : 'stand-alone'],
      ['attempts', h('span', { 'data-field': 'attempts' }, String(job.attempts))],
      ['created', timeElement(job.created_at)],
      ['started', timeElement(job.started_at)],
      ['completed', timeElement(job.completed_at)],
      ['updated', timeElement(job.updated_at)],
      ['waited', formatDuration(ms(job.created_at, job.started_at))],
      ['ran', formatDuration(ms(job.started_at, job.completed_at))],
      ['next attempt', job.next_attempt_at ? timeElement(job.next_attempt_at) : null],
      ['cancel requested', job.cancel_requested ? 'yes' : 'no'],
    ]));
}

function resultsCard(job) {
  const r = job.results;
  const body = !r
    ? h('p', { class: 'muted' }, isTerminal(job.status) ? 'No results.' : 'Not finished yet.')
    : kv([
      ['Markdown', h('div', { class: 'row-actions' },
        h('button', { type: 'button', class: 'secondary small', onclick: () => showMarkdown(job) }, 'Open Markdown'),
        fileButton(r.markdown_file))],
      ['file', h('span', { class: 'mono small' }, r.markdown_file)],
      ['assets', r.assets?.length ? h('ul', {}, r.assets.map((a) => h('li', {}, fileButton(a)))) : null],
      ['source', r.source_url ? externalLink(r.source_url) : null],
      ['content hash', r.content_hash ? h('span', { class: 'mono small' }, r.content_hash) : null],
      ['generator', r.generator ?? null],
      ['fetched', r.fetched_at ? timeElement(r.fetched_at) : null],
    ]);
  return h('section', { class: 'card', 'aria-labelledby': 'results-heading' }, h('h2', { id: 'results-heading' }, 'Results'), body);
}

function fileButton(path) {
  const name = path.split('/').pop();
  return h('button', {
    type: 'button', class: 'secondary small', 'aria-label': `Download ${name}`,
    onclick: async () => {
      try {
        await download(fileUrl(path), name);
      } catch (e) {
        reportError(e, 'Download');
      }
    },
  }, `Download ${name}`);
}

function eventItem(event) {
  const level = ['info', 'success', 'warning', 'error'].includes(event.level) ? event.level : 'info';
  const payload = event.payload && Object.keys(event.payload).length ? JSON.stringify(event.payload, null, 2) : null;
  return h('li', { class: `level-${level}`, dataset: { eventId: String(event.id), level, type: event.type } },
    h('span', { class: 'level' }, level),
    h('span', { class: 'time' }, clock(event.timestamp)),
    h('span', { class: 'type' }, event.type),
    h('span', { class: 'message' }, event.message),
    payload ? h('details', {}, h('summary', { class: 'small' }, 'Payload'), h('pre', {}, payload)) : null);
}

function clock(seconds) {
  const date = new Date(seconds * 1000);
  const pad = (n) => String(n).padStart(2, '0');
  return h('time', { datetime: date.toISOString(), title: date.toISOString() }, `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`);
}
