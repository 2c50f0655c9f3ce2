// Shared page furniture: the status toast, the confirmation dialog, the Markdown viewer, job actions.
import { ApiError, download, fileText, post, del } from './api.js';
import { render } from './markdown.js';
import { h } from './dom.js';

let toastTimer = null;

/** Announces a message in the polite live region (and shows it as a toast). */
export function toast(message, { error = false } = {}) {
  const box = document.getElementById('status');
  box.classList.toggle('error', error);
  box.textContent = message;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { box.textContent = ''; }, error ? 10_000 : 5_000);
}

export function reportError(e, what) {
  const message = e instanceof ApiError ? e.message : String(e?.message ?? e);
  toast(what ? `${what}: ${message}` : message, { error: true });
}

/** Asks before a destructive action; resolves to false, or to true (or the reason text when asked for one). */
export function confirmAction({ title, message, confirmLabel = 'Confirm', reason = null }) {
  const dialog = document.getElementById('confirm-dialog');
  const form = document.getElementById('confirm-form');
  const ok = document.getElementById('confirm-ok');
  const cancel = document.getElementById('confirm-cancel');
  const reasonField = document.getElementById('confirm-reason-field');
  const reasonInput = document.getElementById('confirm-reason');
  document.getElementById('confirm-title').textContent = title;
  document.getElementById('confirm-message').textContent = message;
  ok.textContent = confirmLabel;
  reasonField.hidden = reason === null;
  reasonInput.value = reason ?? '';
  const opener = document.activeElement;
  return new Promise((resolve) => {
    let answer = false;
    const onSubmit = (event) => {
      event.preventDefault();
      answer = reason === null ? true : (reasonInput.value.trim() || reason);
      dialog.close();
    };
    const onCancel = () => dialog.close();
    const onClose = () => {
      form.removeEventListener('submit', onSubmit);
      cancel.removeEventListener('click', onCancel);
      dialog.removeEventListener('close', onClose);
      if (opener instanceof HTMLElement && opener.isConnected) opener.focus();
      resolve(answer);
    };
    form.addEventListener('submit', onSubmit);
    cancel.addEventListener('click', onCancel);
    dialog.addEventListener('close', onClose);
    dialog.showModal();
    (reason === null ? cancel : reasonInput).focus();
  });
}

/** Shows a job's Markdown, rendered safely, with its source one click away. */
export async function showMarkdown(job) {
  const path = job.results?.markdown_file;
  if (!path) return;
  let text;
  try {
    text = await fileText(path);
  } catch (e) {
    reportError(e, 'Could not open the Markdown');
    return;
  }
  const dialog = document.getElementById('markdown-dialog');
  const body = document.getElementById('markdown-body');
  const renderedButton = document.getElementById('markdown-rendered');
  const sourceButton = document.getElementById('markdown-source');
  document.getElementById('markdown-title').textContent = job.job_name;
  document.getElementById('markdown-path').textContent = path;
  const show = (source) => {
    renderedButton.setAttribute('aria-pressed', String(!source));
    sourceButton.setAttribute('aria-pressed', String(source));
    body.replaceChildren(source ? h('pre', { class: 'source' }, text) : render(text));
  };
  show(false);
  renderedButton.onclick = () => show(false);
  sourceButton.onclick = () => show(true);
  document.getElementById('markdown-close').onclick = () => dialog.close();
  const opener = document.activeElement;
  dialog.addEventListener('close', () => { if (opener instanceof HTMLElement && opener.isConnected) opener.focus(); }, { once: true });
  dialog.showModal();
  document.getElementById('markdown-close').focus();
}

const TERMINAL = new Set(['completed', 'failed', 'cancelled']);
export const isTerminal = (status) => TERMINAL.has(status);

/** A click handler for an action button: disabled while it runs, a toast or an error after, then `after`. */
export const actionRunner = (after) => (label, work) => async (event) => {
  const button = event.currentTarget;
  button.disabled = true;
  try {
    const message = await work();
    if (message) toast(message);
  } catch (e) {
    reportError(e, `${label} failed`);
  } finally {
    button.disabled = false;
    after();
  }
};

/** The buttons a job offers in the table and on its page; `after` refreshes the view. */
export function jobActions(job, after, { compact = true } = {}) {
  const size = compact ? 'small' : '';
  const name = job.job_name;
  const run = actionRunner(after);
  const terminal = isTerminal(job.status);
  return h('div', { class: 'row-actions' },
    h('button', {
      type: 'button', class: `secondary ${size}`, 'data-action': 'restart', disabled: !terminal, 'aria-label': `Restart ${name}`,
      onclick: run('Restart', async () => { await post(`/api/event-job/jobs/${job.job_id}/restart`); return `Restarted ${name}.`; }),
    }, 'Restart'),
    h('button', {
      type: 'button', class: `secondary ${size}`, 'data-action': 'cancel', disabled: terminal, 'aria-label': `Cancel ${name}`,
      onclick: run('Cancel', async () => { await post(`/api/event-job/jobs/${job.job_id}/cancel`); return `Cancel sent for ${name}.`; }),
    }, 'Cancel'),
    h('button', {
      type: 'button', class: `secondary ${size}`, 'data-action': 'markdown', disabled: !job.results?.markdown_file, 'aria-label': `Open the Markdown of ${name}`,
      onclick: () => showMarkdown(job),
    }, 'Markdown'),
    h('button', {
      type: 'button', class: `secondary ${size}`, 'data-action': 'zip', disabled: !job.results, 'aria-label': `Download ${name} as ZIP`,
      onclick: run('Download', async () => `Downloaded ${await download(`/api/event-job/jobs/${job.job_id}/download-archive`, `${job.job_id}.zip`)}.`),
    }, 'ZIP'),
    h('button', {
      type: 'button', class: `danger ${size}`, 'data-action': 'delete', disabled: !terminal, 'aria-label': `Delete ${name}`,
      onclick: run('Delete', async () => {
        const sure = await confirmAction({ title: 'Delete job?', message: `Delete "${name}" with its files and event log? This cannot be undone.`, confirmLabel: 'Delete job' });
        if (!sure) return null;
        await del(`/api/event-job/jobs/${job.job_id}`);
        return `Deleted ${name}.`;
      }),
    }, 'Delete'));
}
