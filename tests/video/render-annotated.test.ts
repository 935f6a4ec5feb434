// The annotated MP4 export and the browser transcode, on the real shared clips: what comes out is
// checked with ffprobe and by decoding frames with ffmpeg, independently of the code under test.
import { spawnSync } from 'node:child_process';
import { mkdirSync, openSync, readdirSync, readFileSync, readSync, closeSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isActionLensError } from '../../src/core/errors.js';
import { assOverlayLayout } from '../../src/core/result/ass-overlay.js';
import { RESULT_SCHEMA_VERSION, type ResultDocument } from '../../src/core/result/schema.js';
import { validateResultDocument } from '../../src/core/result/validate.js';
import { DEFAULT_CONFIG } from '../../src/core/settings/defaults.js';
import type { VideoInfo } from '../../src/core/video-types.js';
import { locateFfmpeg } from '../../src/video/ffmpeg-locate.js';
import { probeVideo } from '../../src/video/probe.js';
import {
  escapeFilterValue,
  isBrowserPlayable,
  probeStreamDetails,
  renderAnnotatedVideo,
  stderrTail,
  transcodeForBrowser,
} from '../../src/video/render-annotated.js';
import { makeFaststart, makeRotated } from './clips.js';
import { makeClip, makeTempDir, media, run } from './helpers.js';

const tools = locateFfmpeg();
const ARM = media('arm_wrestling.mp4');
const LABELS = [
  { label: 'arm wrestling', index: 6 },
  { label: 'shaking hands', index: 286 },
  { label: 'punching person (boxing)', index: 260 },
];

/** A schema-valid document with 1 s windows over the real duration; the top label is 87 % for the first half. */
function makeDocument(info: VideoInfo, name: string): ResultDocument {
  const timeline = [];
  for (let t = 0; t < info.durationSec; t += 1) {
    const firstHalf = t < info.durationSec / 2;
    const [a, b, c] = firstHalf ? LABELS : [LABELS[2], LABELS[0], LABELS[1]];
    timeline.push({
      t_start: t,
      t_end: Math.min(t + 1, info.durationSec),
      topk: [
        { ...a, score: firstHalf ? 0.87 : 0.6 },
        { ...b, score: 0.08 },
        { ...c, score: 0.03 },
      ],
    });
  }
  return validateResultDocument({
    schema_version: RESULT_SCHEMA_VERSION,
    source: { name, sha256: null, duration_s: info.durationSec, fps: info.fps, width: info.width, height: info.height, frame_count: info.frameCount },
    model: { id: 'movinet-a0-stream-k600', artifact_sha256: 'b'.repeat(64), family: 'movinet' },
    settings: structuredClone(DEFAULT_CONFIG.analysis),
    timeline,
    aggregate: { method: 'mean', topk: [{ ...LABELS[0], score: 0.7 }] },
    events: [{ ...LABELS[0], start: 0, end: info.durationSec / 2, peak: 0.87 }],
    timings: { hash_ms: 1, probe_ms: 1, download_ms: 0, convert_ms: 0, load_ms: 1, decode_ms: 1, transform_ms: 1, infer_ms: 1, postprocess_ms: 1, total_ms: 7 },
    environment: { actionlens: '0.1.0', node: process.version, onnxruntime: '1.30.0', ffmpeg: '5.1', platform: `${process.platform}-${process.arch}`, execution_provider: 'cpu', threads: 1 },
    created_at: '2026-01-31T12:00:00.000Z',
  });
}

interface Probed {
  codec: string;
  pixFmt: string;
  width: number;
  height: number;
  duration: number;
  audio: string | null;
  rotation: string | undefined;
}

function ffprobe(file: string): Probed {
  const json = JSON.parse(run('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', file]).toString()) as {
    streams: { codec_type: string; codec_name: string; pix_fmt?: string; width?: number; height?: number; side_data_list?: { rotation?: string }[] }[];
    format: { duration: string };
  };
  const video = json.streams.find((s) => s.codec_type === 'video')!;
  const audio = json.streams.find((s) => s.codec_type === 'audio');
  return {
    codec: video.codec_name,
    pixFmt: video.pix_fmt ?? '',
    width: video.width ?? 0,
    height: video.height ?? 0,
    duration: Number(json.format.duration),
    audio: audio ? audio.codec_name : null,
    rotation: video.side_data_list?.find((sd) => sd.rotation !== undefined)?.rotation,
  };
}

/** One frame at `t` seconds as packed RGB (ffmpeg applies the display rotation, as a player does). */
function frameAt(file: string, t: number): { data: Buffer; width: number; height: number } {
  const { width, height } = ffprobeDisplaySize(file);
  const data = run('ffmpeg', ['-v', 'error', '-ss', String(t), '-i', file, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-']);
  expect(data.length).toBe(width * height * 3);
  return { data, width, height };
}

function ffprobeDisplaySize(file: string): { width: number; height: number } {
  const p = ffprobe(file);
  const quarter = p.rotation !== undefined && Math.abs(Number(p.rotation)) % 180 === 90;
  return quarter ? { width: p.height, height: p.width } : { width: p.width, height: p.height };
}

/** Mean absolute difference per channel over a rectangle of two same-size frames. */
function meanAbsDiff(a: Buffer, b: Buffer, width: number, rect: { x: number; y: number; w: number; h: number }): number {
  let sum = 0;
  for (let y = rect.y; y < rect.y + rect.h; y++) {
    for (let x = rect.x; x < rect.x + rect.w; x++) {
      const i = (y * width + x) * 3;
      sum += Math.abs(a[i] - b[i]) + Math.abs(a[i + 1] - b[i + 1]) + Math.abs(a[i + 2] - b[i + 2]);
    }
  }
  return sum / (rect.w * rect.h * 3);
}

function meanColour(frame: Buffer, width: number, rect: { x: number; y: number; w: number; h: number }): [number, number, number] {
  const sum = [0, 0, 0];
  for (let y = rect.y; y < rect.y + rect.h; y++) {
    for (let x = rect.x; x < rect.x + rect.w; x++) {
      const i = (y * width + x) * 3;
      for (let c = 0; c < 3; c++) sum[c] += frame[i + c];
    }
  }
  const n = rect.w * rect.h;
  return [sum[0] / n, sum[1] / n, sum[2] / n];
}

/** Offsets of the top-level MP4 boxes, to check that moov comes before mdat (+faststart). */
function topLevelBoxes(file: string): Map<string, number> {
  const boxes = new Map<string, number>();
  const fd = openSync(file, 'r');
  try {
    const header = Buffer.alloc(16);
    let offset = 0;
    for (;;) {
      if (readSync(fd, header, 0, 16, offset) < 8) break;
      let size = header.readUInt32BE(0);
      const type = header.toString('latin1', 4, 8);
      if (size === 1) size = Number(header.readBigUInt64BE(8));
      if (!boxes.has(type)) boxes.set(type, offset);
      if (size < 8) break;
      offset += size;
    }
  } finally {
    closeSync(fd);
  }
  return boxes;
}

function expectSameDuration(output: Probed, source: VideoInfo): void {
  const tolerance = Math.max(0.1, 1 / source.fps);
  expect(Math.abs(output.duration - source.durationSec)).toBeLessThanOrEqual(tolerance);
}

/** ffmpeg processes whose command line mentions `needle` (Linux /proc), to prove abort killed ours. */
function ffmpegProcessesMentioning(needle: string): number {
  if (process.platform !== 'linux') return 0;
  const ps = spawnSync('ps', ['-eo', 'args'], { encoding: 'utf8' });
  return ps.stdout.split('\n').filter((l) => l.includes('ffmpeg') && l.includes(needle)).length;
}

async function expectError(promise: Promise<unknown>, code: string): Promise<Error> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isActionLensError(err), `expected ActionLensError ${code}, got ${String(err)}`).toBe(true);
  expect((err as { code: string }).code).toBe(code);
  return err as Error;
}

describe('renderAnnotatedVideo', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let armInfo: VideoInfo;
  let armDoc: ResultDocument;

  beforeAll(async () => {
    tmp = makeTempDir(); // here, not in the describe body: a filtered run skips the hooks
    armInfo = await probeVideo(ARM);
    armDoc = makeDocument(armInfo, 'arm_wrestling.mp4');
  });
  afterAll(() => tmp.remove());

  it('writes a browser-ready H.264 MP4 of the same length with the overlay burnt into the top-left only', async () => {
    const dir = path.join(tmp.dir, 'plain');
    mkdirSync(dir);
    const output = path.join(dir, 'annotated.mp4');
    const progress: number[] = [];
    await renderAnnotatedVideo({ input: ARM, output, document: armDoc, ffmpeg: tools.ffmpeg, onProgress: (f) => progress.push(f) });

    expect(readdirSync(dir)).toEqual(['annotated.mp4']); // no temp video, no .ass left
    const out = ffprobe(output);
    expect(out).toMatchObject({ codec: 'h264', pixFmt: 'yuv420p', width: armInfo.width, height: armInfo.height, audio: null });
    expectSameDuration(out, armInfo);
    const boxes = topLevelBoxes(output);
    expect(boxes.get('moov')).toBeLessThan(boxes.get('mdat')!);

    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)).toBe(1);
    expect(progress.every((f, i) => f >= 0 && f <= 1 && (i === 0 || f >= progress[i - 1]))).toBe(true);

    // Same instant in source and output: the panel region changes a lot, the far corner hardly.
    const t = 2.5; // first half: "arm wrestling 87%" on top
    const src = frameAt(ARM, t);
    const dst = frameAt(output, t);
    const { width, height } = src;
    const layout = assOverlayLayout(width, height);
    const panel = { x: layout.margin + 2, y: layout.margin + 2, w: layout.labelX - layout.margin, h: 2 * layout.pad + 3 * layout.rowHeight - 4 };
    const farCorner = { x: Math.round(width * 0.6), y: Math.round(height * 0.6), w: Math.round(width * 0.4), h: Math.round(height * 0.4) };
    const panelDiff = meanAbsDiff(src.data, dst.data, width, panel);
    const cornerDiff = meanAbsDiff(src.data, dst.data, width, farCorner);
    expect(panelDiff, `panel ${panelDiff.toFixed(1)} vs corner ${cornerDiff.toFixed(1)}`).toBeGreaterThan(25);
    expect(cornerDiff).toBeLessThan(4);

    // The first bar is filled amber to 87 % of its width, its end is the grey track.
    const rowCentre = layout.margin + layout.pad + Math.round(layout.rowHeight / 2);
    const filled = Math.round(layout.barWidth * 0.87);
    const bar = { x: layout.barX + 1, y: rowCentre - 2, w: filled - 2, h: 4 };
    const [r, g, b] = meanColour(dst.data, width, bar);
    expect(r, `bar colour ${[r, g, b].map(Math.round)}`).toBeGreaterThan(200);
    expect(g).toBeGreaterThan(140);
    expect(b).toBeLessThan(120);
    const [tr, , tb] = meanColour(dst.data, width, { x: layout.barX + filled + 2, y: rowCentre - 2, w: layout.barWidth - filled - 4, h: 4 });
    expect(Math.abs(tr - tb)).toBeLessThan(40); // grey, not amber
  });

  it('works when the output path has spaces, a colon, a comma, quotes, brackets and a semicolon', async () => {
    const dir = path.join(tmp.dir, "it's a: [weird], dir; ok");
    mkdirSync(dir);
    const output = path.join(dir, "out: it's, \"[1]\".mp4");
    const short = path.join(dir, 'in put, 2s.mp4');
    makeClip(['-i', ARM, '-t', '2', '-c', 'copy', short]);
    const info = await probeVideo(short);
    await renderAnnotatedVideo({ input: short, output, document: makeDocument(info, 'in put, 2s.mp4'), ffmpeg: tools.ffmpeg });
    expect(readdirSync(dir).sort()).toEqual([path.basename(short), path.basename(output)].sort());
    const src = frameAt(short, 1);
    const dst = frameAt(output, 1);
    const layout = assOverlayLayout(src.width, src.height);
    const panel = { x: layout.margin + 2, y: layout.margin + 2, w: layout.labelX - layout.margin, h: 2 * layout.pad + layout.rowHeight };
    expect(meanAbsDiff(src.data, dst.data, src.width, panel)).toBeGreaterThan(25);
  });

  it('escapes filter values for both of ffmpeg\'s parsers', () => {
    expect(escapeFilterValue('/tmp/plain.ass')).toBe('/tmp/plain.ass');
    // option level: \ ' : get a backslash; graph level: \ ' [ ] , ; get one more
    expect(escapeFilterValue("/a b/it's:x")).toBe("/a b/it\\\\\\'s\\\\:x");
    expect(escapeFilterValue('C:\\v\\[1],2;3')).toBe('C\\\\:\\\\\\\\v\\\\\\\\\\[1\\]\\,2\\;3');
  });

  it('abort mid-render kills ffmpeg and leaves neither output nor temp files', async () => {
    const dir = path.join(tmp.dir, 'abort');
    mkdirSync(dir);
    const output = path.join(dir, 'annotated.mp4');
    // 60 s (arm_wrestling six times, stream copy) so ffmpeg's first progress report comes long before the end.
    const looped = tmp.file('looped.mp4');
    makeClip(['-stream_loop', '5', '-i', ARM, '-c', 'copy', looped]);
    const loopedInfo = await probeVideo(looped);
    const controller = new AbortController();
    let abortedAt: number | undefined;
    const promise = renderAnnotatedVideo({
      input: looped,
      output,
      document: makeDocument(loopedInfo, 'looped.mp4'),
      ffmpeg: tools.ffmpeg,
      signal: controller.signal,
      onProgress: (fraction) => {
        abortedAt ??= fraction;
        controller.abort();
      },
    });
    const err = await expectError(promise, 'AL_ERR_ABORTED');
    expect(err.message).toContain('cancelled');
    expect(abortedAt).toBeLessThan(0.99); // ffmpeg was still encoding
    expect(readdirSync(dir)).toEqual([]);
    expect(ffmpegProcessesMentioning(dir)).toBe(0);

    // Already aborted: nothing starts.
    await expectError(renderAnnotatedVideo({ input: ARM, output, document: armDoc, ffmpeg: tools.ffmpeg, signal: AbortSignal.abort() }), 'AL_ERR_ABORTED');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a bad input fails with a video error or AL_ERR_RENDER_FAILED (with ffmpeg\'s words) and writes nothing', async () => {
    const dir = path.join(tmp.dir, 'bad');
    mkdirSync(dir);
    const output = path.join(dir, 'annotated.mp4');

    const text = path.join(dir, 'notes.mp4');
    writeFileSync(text, 'this is not a video\n'.repeat(100));
    await expectError(renderAnnotatedVideo({ input: text, output, document: armDoc, ffmpeg: tools.ffmpeg }), 'AL_ERR_VIDEO_UNREADABLE');

    // A valid header (the probe passes) over frame data that is all zeros: ffmpeg decodes nothing.
    const zeroed = path.join(dir, 'zeroed.mp4');
    makeFaststart(zeroed);
    const bytes = readFileSync(zeroed);
    const mdat = topLevelBoxes(zeroed).get('mdat')!;
    bytes.fill(0, mdat + 8);
    writeFileSync(zeroed, bytes);
    const err = await expectError(renderAnnotatedVideo({ input: zeroed, output, document: armDoc, ffmpeg: tools.ffmpeg }), 'AL_ERR_RENDER_FAILED');
    expect(err.message).toContain('ffmpeg said:');
    expect(err.message).toMatch(/NAL unit|Invalid data/);
    expect(err.message.length).toBeLessThan(2000);

    await expectError(renderAnnotatedVideo({ input: path.join(dir, 'missing.mp4'), output, document: armDoc, ffmpeg: tools.ffmpeg }), 'AL_ERR_INPUT_NOT_FOUND');
    await expectError(
      renderAnnotatedVideo({ input: ARM, output, document: armDoc, ffmpeg: path.join(dir, 'no-ffmpeg'), ffprobe: tools.ffprobe }),
      'AL_ERR_FFMPEG_NOT_FOUND',
    );
    const nowhere = path.join(dir, 'no such folder', 'out.mp4');
    await expectError(renderAnnotatedVideo({ input: ARM, output: nowhere, document: armDoc, ffmpeg: tools.ffmpeg }), 'AL_ERR_OUTPUT_UNWRITABLE');
    await expectError(transcodeForBrowser({ input: ARM, output: nowhere, ffmpeg: tools.ffmpeg }), 'AL_ERR_OUTPUT_UNWRITABLE');
    expect(readdirSync(dir).sort()).toEqual(['notes.mp4', 'zeroed.mp4']);
    expect(existsSync(output)).toBe(false);
  });

  it('renders a rotated video upright at its display size, and crops an odd size to even', async () => {
    const dir = path.join(tmp.dir, 'geometry');
    mkdirSync(dir);
    const rotated = path.join(dir, 'rotated.mp4');
    const short = path.join(dir, 'short.mp4');
    makeClip(['-i', ARM, '-t', '2', '-c', 'copy', short]);
    makeRotated(rotated, short, 90);
    const info = await probeVideo(rotated);
    expect([info.width, info.height]).toEqual([armInfo.height, armInfo.width]);
    const output = path.join(dir, 'rotated.out.mp4');
    await renderAnnotatedVideo({ input: rotated, output, document: makeDocument(info, 'rotated.mp4'), ffmpeg: tools.ffmpeg });
    const out = ffprobe(output);
    expect([out.width, out.height]).toEqual([info.width, info.height]);
    expect(out.rotation === undefined || Number(out.rotation) === 0).toBe(true);
    const src = frameAt(rotated, 1);
    const dst = frameAt(output, 1);
    const layout = assOverlayLayout(info.width, info.height);
    const panel = { x: layout.margin + 2, y: layout.margin + 2, w: layout.labelX - layout.margin, h: 2 * layout.pad + 2 * layout.rowHeight };
    const corner = { x: Math.round(info.width * 0.6), y: Math.round(info.height * 0.6), w: Math.round(info.width * 0.4), h: Math.round(info.height * 0.4) };
    expect(meanAbsDiff(src.data, dst.data, info.width, panel)).toBeGreaterThan(25);
    expect(meanAbsDiff(src.data, dst.data, info.width, corner)).toBeLessThan(4);

    const odd = path.join(dir, 'odd.mp4');
    makeClip(['-f', 'lavfi', '-i', 'testsrc=s=171x97:d=1:r=10', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv444p', odd]);
    const oddInfo = await probeVideo(odd);
    const oddOut = path.join(dir, 'odd.out.mp4');
    await renderAnnotatedVideo({ input: odd, output: oddOut, document: makeDocument(oddInfo, 'odd.mp4'), ffmpeg: tools.ffmpeg, topk: 1 });
    expect(ffprobe(oddOut)).toMatchObject({ codec: 'h264', pixFmt: 'yuv420p', width: 170, height: 96 });
  });
});

describe('transcodeForBrowser', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  beforeAll(() => {
    tmp = makeTempDir();
  });
  afterAll(() => tmp.remove());

  it('re-encodes an MPEG-4 part 2 AVI with MP3 audio to H.264 + AAC in MP4, same length, picture unchanged', async () => {
    const input = media('makeup_mpeg4.avi');
    const info = await probeVideo(input);
    const output = tmp.file('avi.mp4');
    await transcodeForBrowser({ input, output, ffmpeg: tools.ffmpeg });
    const out = ffprobe(output);
    expect(out).toMatchObject({ codec: 'h264', pixFmt: 'yuv420p', width: 320, height: 240, audio: 'aac' });
    expectSameDuration(out, info);
    const boxes = topLevelBoxes(output);
    expect(boxes.get('moov')).toBeLessThan(boxes.get('mdat')!);
    const src = frameAt(input, 3);
    const dst = frameAt(output, 3);
    expect(meanAbsDiff(src.data, dst.data, 320, { x: 0, y: 0, w: 320, h: 240 })).toBeLessThan(4); // no overlay
    expect(isBrowserPlayable({ ...(await probeVideo(output)), ...(await probeStreamDetails(output, { ffprobe: tools.ffprobe })) })).toBe(true);
  });

  it('re-encodes a GIF (no audio) and copies AAC audio as it is', async () => {
    const gif = media('jumpingjack.gif');
    const gifInfo = await probeVideo(gif);
    const gifOut = tmp.file('gif.mp4');
    await transcodeForBrowser({ input: gif, output: gifOut, ffmpeg: tools.ffmpeg });
    const out = ffprobe(gifOut);
    expect(out).toMatchObject({ codec: 'h264', pixFmt: 'yuv420p', width: 300, height: 300, audio: null });
    expectSameDuration(out, gifInfo);

    const carving = media('carving_ice.mp4');
    const carvingOut = tmp.file('carving.mp4');
    await transcodeForBrowser({ input: carving, output: carvingOut, ffmpeg: tools.ffmpeg });
    const audioPackets = (file: string) =>
      run('ffprobe', ['-v', 'error', '-select_streams', 'a:0', '-show_entries', 'packet=size', '-of', 'csv=p=0', file]).toString().trim();
    expect(audioPackets(carvingOut)).toBe(audioPackets(carving)); // copied, not re-encoded
    expectSameDuration(ffprobe(carvingOut), await probeVideo(carving));
  });
});

describe('isBrowserPlayable', () => {
  it('decides from the real clips\' container and codecs', async () => {
    const verdicts: Record<string, boolean> = {};
    for (const name of ['arm_wrestling.mp4', 'carving_ice.mp4', 'jumpingjack.gif', 'makeup_mpeg4.avi']) {
      const info = await probeVideo(media(name));
      const details = await probeStreamDetails(media(name), { ffprobe: tools.ffprobe });
      expect(isBrowserPlayable(info)).toBe(isBrowserPlayable({ ...info, ...details }));
      verdicts[name] = isBrowserPlayable({ ...info, ...details });
    }
    expect(verdicts).toEqual({ 'arm_wrestling.mp4': true, 'carving_ice.mp4': true, 'jumpingjack.gif': false, 'makeup_mpeg4.avi': false });
  });

  it('follows what Chrome and Firefox both play', () => {
    const mp4 = 'mov,mp4,m4a,3gp,3g2,mj2';
    const mkv = 'matroska,webm';
    const yes = (codec: string, container: string, extra = {}) => expect(isBrowserPlayable({ codec, container, ...extra }), `${codec} in ${container}`).toBe(true);
    const no = (codec: string, container: string, extra = {}) => expect(isBrowserPlayable({ codec, container, ...extra }), `${codec} in ${container}`).toBe(false);
    yes('h264', mp4);
    yes('av1', mp4);
    yes('vp9', mp4);
    yes('vp8', mkv);
    yes('vp9', mkv, { audioCodec: 'opus' });
    yes('av1', mkv);
    yes('h264', mp4, { pixelFormat: 'yuvj420p', audioCodec: 'aac' });
    no('h264', mkv); // MKV with H.264: not WebM, Firefox refuses it
    no('hevc', mp4); // no HEVC in Firefox
    no('mpeg4', mp4);
    no('mpeg4', 'avi');
    no('h264', 'avi');
    no('gif', 'gif');
    no('h264', 'mpegts');
    no('h264', mp4, { pixelFormat: 'yuv444p' }); // High 4:4:4
    no('h264', mp4, { pixelFormat: 'yuv420p10le' }); // High 10
    no('h264', mp4, { audioCodec: 'ac3' });
    no('vp9', mkv, { audioCodec: 'aac' });
  });
});

describe('stderrTail', () => {
  it('folds repeated decoder errors and keeps the last, decisive lines in order', () => {
    const lines = [
      ...Array.from({ length: 50 }, (_, i) => `[h264 @ 0x55d4${i}] Invalid NAL unit size (0 > ${i + 100}).`),
      '    Last message repeated 2 times',
      'Cannot determine format of input stream 0:0 after EOF',
      'Error marking filters as finished',
    ];
    expect(stderrTail(lines)).toBe('h264: Invalid NAL unit size (0 > 149). (x50) | Cannot determine format of input stream 0:0 after EOF | Error marking filters as finished');
  });
});
