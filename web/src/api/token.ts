// The server token: taken from the page URL (?token=...) once, kept for the tab's lifetime in
// sessionStorage, and sent as a Bearer header where the browser lets us set headers. EventSource,
// <video>, <track> and download links cannot send headers, so they carry it as a query parameter.

export const TOKEN_STORAGE_KEY = 'actionlens.token';

/** What the token functions need of sessionStorage (so tests can pass a plain map). */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/**
 * The token for this tab: the URL's `token` parameter (remembered in `store`), else the one
 * remembered earlier, else null. Returns the URL without the parameter in `cleanUrl` when it had
 * one, so the caller can replace the address bar and keep the token out of history and bookmarks.
 */
export function resolveToken(pageUrl: string, store: KeyValueStore | null): { token: string | null; cleanUrl: string | null } {
  const url = new URL(pageUrl);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl !== null && fromUrl !== '') {
    try {
      store?.setItem(TOKEN_STORAGE_KEY, fromUrl);
    } catch {
      // Storage can be disabled (privacy settings); the token still works for this page view.
    }
    url.searchParams.delete('token');
    return { token: fromUrl, cleanUrl: url.toString() };
  }
  let remembered: string | null = null;
  try {
    remembered = store?.getItem(TOKEN_STORAGE_KEY) ?? null;
  } catch {
    remembered = null;
  }
  return { token: remembered !== null && remembered !== '' ? remembered : null, cleanUrl: null };
}

/** `path` with `token=<token>` appended as a query parameter (unchanged when there is no token). */
export function withToken(path: string, token: string | null): string {
  if (token === null) return path;
  const hashAt = path.indexOf('#');
  const base = hashAt >= 0 ? path.slice(0, hashAt) : path;
  const hash = hashAt >= 0 ? path.slice(hashAt) : '';
  const sep = base.includes('?') ? (base.endsWith('?') || base.endsWith('&') ? '' : '&') : '?';
  return `${base}${sep}token=${encodeURIComponent(token)}${hash}`;
}

/** Headers for fetch/XHR: the Bearer token when there is one. */
export function authHeaders(token: string | null): Record<string, string> {
  return token === null ? {} : { Authorization: `Bearer ${token}` };
}
