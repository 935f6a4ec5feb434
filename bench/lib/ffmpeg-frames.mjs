// Decodes a whole (short) clip to rgb24 frames with ffmpeg, using argument lists in the fixtures'
// form: `<video>` stands for the input path. Benchmarks replay the same frames, so keep them all.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

export const FFMPEG_PATH = process.env.FFMPEG_PATH ?? '/usr/bin/ffmpeg';

/** The argument list the MoViNet fixtures record, for `fps` = 'all' or a positive number. */
export function movinetDecodeArgs({ fps, size = 172 }) {
  const fpsFilter = fps === 'all' ? '' : `fps=${fps},`;
  return ['-v', 'error', '-i', '<video>', '-vf', `${fpsFilter}scale=${size}:${size}:flags=bilinear`,
    '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'];
}

/**
 * @param {{ videoPath: string, args: string[], width: number, height: number }} options
 * @returns {Promise<Uint8Array[]>} one rgb24 HWC frame per entry, [H, W, 3]
 */
export async function decodeRgbFrames({ videoPath, args, width, height }) {
  if (!existsSync(videoPath)) throw new Error(`Video not found: ${videoPath}. Pass an existing file.`);
  if (!existsSync(FFMPEG_PATH)) throw new Error(`ffmpeg not found at ${FFMPEG_PATH}; install it or set FFMPEG_PATH.`);
  if (!args.includes('<video>')) throw new Error(`decode args must contain '<video>': got ${JSON.stringify(args)}.`);
  const concreteArgs = args.map((a) => (a === '<video>' ? videoPath : a));
  const chunks = [];
  let stderr = '';
  const code = await new Promise((resolve, reject) => {
    const child = spawn(FFMPEG_PATH, concreteArgs, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk) => chunks.push(chunk));
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    child.on('error', reject);
    child.on('close', resolve);
  });
  if (code !== 0) throw new Error(`ffmpeg exited with ${code} on ${videoPath}: ${stderr.trim().slice(0, 500)}`);
  const bytes = Buffer.concat(chunks);
  const frameBytes = width * height * 3;
  if (bytes.length === 0 || bytes.length % frameBytes !== 0) {
    throw new Error(`ffmpeg gave ${bytes.length} bytes for ${videoPath}, not a whole number of ${width}x${height} rgb24 frames.`);
  }
  const frames = [];
  for (let offset = 0; offset < bytes.length; offset += frameBytes) {
    frames.push(new Uint8Array(bytes.buffer, bytes.byteOffset + offset, frameBytes));
  }
  return frames;
}

/** rgb24 bytes -> float32 in [0, 1], the MoViNet input (plain /255, no mean/std). */
export function rgb24ToUnitFloat(rgb) {
  const out = new Float32Array(rgb.length);
  for (let i = 0; i < rgb.length; i++) out[i] = rgb[i] / 255;
  return out;
}
