// The webcam: getUserMedia with a modest resolution (the model sees 172x172; more pixels only cost
// the browser), and every way it can fail in words a user can act on.
import type { UserFacingError } from '../api/errors.js';

/** The camera's stream; rejects with a DOMException (see describeCameraError) or a TypeError. */
export function openCamera(): Promise<MediaStream> {
  const devices = globalThis.navigator?.mediaDevices;
  if (!devices?.getUserMedia) {
    return Promise.reject(new DOMException('navigator.mediaDevices.getUserMedia is not available', 'SecurityError'));
  }
  return devices.getUserMedia({ audio: false, video: { width: { ideal: 640 }, height: { ideal: 480 }, frameRate: { ideal: 30 } } });
}

export function stopCamera(stream: MediaStream | null): void {
  for (const track of stream?.getTracks() ?? []) track.stop();
}

/** A camera failure as the error box shows it: what happened and what to do. */
export function describeCameraError(e: unknown): UserFacingError {
  const name = e instanceof DOMException || e instanceof Error ? e.name : '';
  switch (name) {
    case 'NotAllowedError':
    case 'PermissionDeniedError':
      return {
        message: 'Camera access was denied.',
        hint: "Allow the camera for this site (the camera icon in the browser's address bar, or the system's privacy settings), then press Start again.",
      };
    case 'NotFoundError':
    case 'DevicesNotFoundError':
    case 'OverconstrainedError':
      return { message: 'No camera was found.', hint: 'Connect a webcam (or enable the built-in one), then press Start again.' };
    case 'NotReadableError':
    case 'TrackStartError':
    case 'AbortError':
      return { message: 'The camera could not be started: another application or tab may be using it.', hint: 'Close the other application or tab that uses the camera, then press Start again.' };
    case 'SecurityError':
      return {
        message: 'This page may not use the camera.',
        hint: 'Browsers allow the camera only on https:// pages or on http://localhost / http://127.0.0.1. Open the server at one of those addresses.',
      };
    default:
      return { message: `The camera could not be started: ${e instanceof Error ? e.message : String(e)}`, hint: 'Check the camera in another application, then press Start again.' };
  }
}
