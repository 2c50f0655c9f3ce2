// The public API, called with the key kept in this tab's session storage (or none: the Development allowance).
const KEY_NAME = 'eventMonitor.apiKey';

export const apiKey = {
  get: () => sessionStorage.getItem(KEY_NAME) ?? '',
  set: (value) => sessionStorage.setItem(KEY_NAME, value),
  clear: () => sessionStorage.removeItem(KEY_NAME),
};

export class ApiError extends Error {
  constructor(status, code, message, details) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details ?? {};
  }
}

/** Sends a request; answers the parsed JSON, or the Response itself with `raw`. Errors become ApiError. */
export async function api(method, path, body, { raw = false, headers = {} } = {}) {
  const sent = { Accept: 'application/json', ...headers };
  const key = apiKey.get();
  if (key) sent.Authorization = `Bearer ${key}`;
  const init = { method, headers: sent, cache: 'no-store', credentials: 'omit' };
  if (body !== undefined) {
    sent['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (e) {
    throw new ApiError(0, 'network', `The app could not be reached (${e.message}).`);
  }
  if (!response.ok) {
    let error = null;
    try {
      error = (await response.json()).error;
    } catch {
      // Not the error envelope (e.g. a proxy's page): report the status alone.
    }
    const err = new ApiError(response.status, error?.code ?? `http_${response.status}`, error?.message ?? `The request failed with ${response.status}.`, error?.details);
    if (response.status === 401) window.dispatchEvent(new CustomEvent('em:unauthorized', { detail: err }));
    throw err;
  }
  return raw ? response : response.json();
}

export const get = (path) => api('GET', path);
export const post = (path, body = {}) => api('POST', path, body);
export const put = (path, body) => api('PUT', path, body);
export const del = (path) => api('DELETE', path);

/** Builds a query string from the non-empty values of an object. */
export function query(params) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(name, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** Fetches a file with the key and saves it through a temporary object URL. */
export async function download(path, fallbackName) {
  const response = await api('GET', path, undefined, { raw: true, headers: { Accept: '*/*' } });
  const blob = await response.blob();
  const disposition = response.headers.get('Content-Disposition') ?? '';
  const match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition);
  const name = match ? decodeURIComponent(match[1]) : fallbackName;
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
  return name;
}

/** The API address of a stored output file, each path segment encoded. */
export const fileUrl = (path) => `/api/event-job/files/${path.split('/').map(encodeURIComponent).join('/')}`;

/** The text of a stored output file (a job's Markdown). */
export async function fileText(path) {
  const response = await api('GET', fileUrl(path), undefined, { raw: true, headers: { Accept: 'text/markdown, text/plain, */*' } });
  return response.text();
}
