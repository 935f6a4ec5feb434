import { describe, expect, it } from 'vitest';
import { liveSocketUrl } from './server-engine.js';

describe('liveSocketUrl', () => {
  it('follows the page: same origin over ws, https pages over wss, the token as a query parameter', () => {
    expect(liveSocketUrl('', 'movinet-a0-stream-k600', null, 'http://127.0.0.1:8731/')).toBe('ws://127.0.0.1:8731/api/live/movinet-a0-stream-k600/ws');
    expect(liveSocketUrl('', 'm', 'a b+c', 'https://example.org/app/?token=x')).toBe('wss://example.org/api/live/m/ws?token=a+b%2Bc');
    expect(liveSocketUrl('http://10.0.0.2:9000', 'm', 't', 'https://example.org/')).toBe('ws://10.0.0.2:9000/api/live/m/ws?token=t');
  });
});
