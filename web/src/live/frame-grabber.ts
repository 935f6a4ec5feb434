// Camera frames for the model: the <video>'s current picture drawn onto a canvas at the model's size
// (plain resize, aspect not kept, as the file decoder scales for MoViNet), read back as packed RGB.
import type { FrameSource } from './live-loop.js';

type Context2D = CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D;

/** RGBA (canvas pixels) to packed RGB: the alpha byte of every pixel is dropped. */
export function rgbaToRgb(rgba: Uint8ClampedArray | Uint8Array): Uint8Array {
  if (rgba.length % 4 !== 0) throw new RangeError(`RGBA data has ${rgba.length} bytes, not a multiple of 4`);
  const pixels = rgba.length / 4;
  const rgb = new Uint8Array(pixels * 3);
  for (let p = 0, i = 0, o = 0; p < pixels; p++, i += 4, o += 3) {
    rgb[o] = rgba[i]!;
    rgb[o + 1] = rgba[i + 1]!;
    rgb[o + 2] = rgba[i + 2]!;
  }
  return rgb;
}

function context2d(width: number, height: number): Context2D {
  const options: CanvasRenderingContext2DSettings = { alpha: false, willReadFrequently: true };
  let ctx: Context2D | null;
  if (typeof OffscreenCanvas !== 'undefined') {
    ctx = new OffscreenCanvas(width, height).getContext('2d', options);
  } else {
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    ctx = canvas.getContext('2d', options);
  }
  if (!ctx) throw new Error('this browser cannot draw video frames onto a 2D canvas');
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'high'; // closest to ffmpeg's bicubic scaling
  return ctx;
}

/** Grabs what the video shows now; null until it has a picture. Each grab is a new array (the engine keeps it). */
export function createFrameGrabber(video: HTMLVideoElement, width: number, height: number): FrameSource {
  const ctx = context2d(width, height);
  return {
    grab() {
      if (video.readyState < HTMLMediaElement.HAVE_CURRENT_DATA || video.videoWidth === 0) return null;
      ctx.drawImage(video, 0, 0, width, height);
      return rgbaToRgb(ctx.getImageData(0, 0, width, height).data);
    },
  };
}
