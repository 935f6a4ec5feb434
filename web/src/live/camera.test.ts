import { describe, expect, it } from 'vitest';
import { describeCameraError, openCamera } from './camera.js';

describe('camera errors', () => {
  it('says what happened and what to do for each way getUserMedia fails', () => {
    expect(describeCameraError(new DOMException('Permission denied', 'NotAllowedError'))).toMatchObject({
      message: 'Camera access was denied.',
      hint: expect.stringContaining('Allow the camera'),
    });
    expect(describeCameraError(new DOMException('', 'NotFoundError')).hint).toMatch(/Connect a webcam/);
    expect(describeCameraError(new DOMException('', 'NotReadableError')).hint).toMatch(/Close the other application/);
    expect(describeCameraError(new DOMException('', 'SecurityError')).hint).toMatch(/https:\/\/ .*localhost/);
    expect(describeCameraError(new TypeError('bad constraints')).message).toBe('The camera could not be started: bad constraints');
  });

  it('without mediaDevices (Node here; an http:// page in a browser) openCamera fails as a security error', async () => {
    const e = await openCamera().catch((err: unknown) => err);
    expect(describeCameraError(e).message).toBe('This page may not use the camera.');
  });
});
