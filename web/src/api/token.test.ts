import { describe, expect, it } from 'vitest';
import { authHeaders, resolveToken, TOKEN_STORAGE_KEY, withToken, type KeyValueStore } from './token.js';

function memoryStore(initial: Record<string, string> = {}): KeyValueStore & { data: Record<string, string> } {
  const data = { ...initial };
  return {
    data,
    getItem: (k) => (k in data ? data[k] : null),
    setItem: (k, v) => {
      data[k] = v;
    },
  };
}

describe('resolveToken', () => {
  it('takes the token from the URL, remembers it and gives the URL without it', () => {
    const store = memoryStore();
    const r = resolveToken('http://host:8731/?token=s3cret%2Bx&tab=url#top', store);
    expect(r.token).toBe('s3cret+x');
    expect(store.data[TOKEN_STORAGE_KEY]).toBe('s3cret+x');
    expect(r.cleanUrl).toBe('http://host:8731/?tab=url#top');
  });
  it('falls back to the remembered token after a reload without the parameter', () => {
    const store = memoryStore({ [TOKEN_STORAGE_KEY]: 'abc' });
    expect(resolveToken('http://host/', store)).toEqual({ token: 'abc', cleanUrl: null });
  });
  it('has no token when neither has one, and survives storage that throws', () => {
    expect(resolveToken('http://host/', memoryStore()).token).toBeNull();
    const broken: KeyValueStore = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('denied');
      },
    };
    expect(resolveToken('http://host/', broken).token).toBeNull();
    expect(resolveToken('http://host/?token=t', broken).token).toBe('t');
  });
});

describe('withToken', () => {
  it('appends the token as a query parameter, escaped', () => {
    expect(withToken('/api/jobs/x/video', 'a b&c')).toBe('/api/jobs/x/video?token=a%20b%26c');
    expect(withToken('/api/x?y=1', 't')).toBe('/api/x?y=1&token=t');
    expect(withToken('/api/x?y=1#f', 't')).toBe('/api/x?y=1&token=t#f');
  });
  it('leaves the URL alone without a token', () => {
    expect(withToken('/api/x', null)).toBe('/api/x');
  });
});

describe('authHeaders', () => {
  it('sends a Bearer token only when there is one', () => {
    expect(authHeaders('t')).toEqual({ Authorization: 'Bearer t' });
    expect(authHeaders(null)).toEqual({});
  });
});
