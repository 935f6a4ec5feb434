// `actionlens infer` end to end: the built CLI on the real MoViNet-A0 file (converted once into
// this file's cache dir) and the real shared clips. Several assertions per run: each run costs
// a Node start and an ONNX Runtime session.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TIMELINE_CSV_HEADER, validateResultDocument, type ResultDocument } from '../../src/core/result/index.js';
import { assertCliBuilt, makeCliSandbox, media, resultCacheFiles, SHARED, type CliResult, type CliSandbox } from './cli.js';
import { checkJsonSchema } from './json-schema-subset.js';

let box: CliSandbox;
beforeAll(() => {
  assertCliBuilt();
  box = makeCliSandbox('e2e-infer');
});
afterAll(() => box.cleanup());

function ok(r: CliResult): CliResult {
  expect(r.stderr, 'stderr of a successful run at --log-level warn').not.toMatch(/"level":5\d|AL_ERR_/);
  expect(r.code).toBe(0);
  return r;
}

const readDoc = (file: string): ResultDocument => validateResultDocument(JSON.parse(readFileSync(file, 'utf8')));
const top1 = (doc: ResultDocument): string => doc.aggregate.topk[0].label;

interface MovinetFixture {
  num_frames: number;
  per_frame: { frame: number; top5: { index: number; label: string; prob: number }[] }[];
}
const movinetFixture = (name: string): MovinetFixture =>
  JSON.parse(readFileSync(path.join(SHARED, 'fixtures/movinet', name), 'utf8')) as MovinetFixture;

/** RFC 4180 rows (CRLF, quoted fields with doubled quotes). */
function parseCsv(text: string): string[][] {
  expect(text.endsWith('\r\n')).toBe(true);
  return text
    .slice(0, -2)
    .split('\r\n')
    .map((line) => [...line.matchAll(/("(?:[^"]|"")*"|[^,]*)(?:,|$)/g)].slice(0, -1).map((m) => m[1].replace(/^"(.*)"$/s, '$1').replace(/""/g, '"')));
}

describe('actionlens infer: recognition', () => {
  it('names the action of each shared clip, several videos in one call giving a JSON array', async () => {
    const out = box.file('three.json');
    const r = ok(await box.infer([media('carving_ice.mp4'), media('jumpingjack.gif'), media('arm_wrestling.mp4'), '--json', out]));
    const docs = JSON.parse(readFileSync(out, 'utf8')) as unknown[];
    expect(Array.isArray(docs)).toBe(true);
    const [carving, jumping, wrestling] = docs.map(validateResultDocument);
    expect(carving.source.name).toBe('carving_ice.mp4');
    expect(jumping.source.name).toBe('jumpingjack.gif');
    expect(wrestling.source.name).toBe('arm_wrestling.mp4');
    expect(top1(carving)).toBe('carving ice');
    expect(top1(jumping)).toBe('jumping jacks');
    expect(top1(wrestling)).toBe('arm wrestling');
    // the human-readable table goes to stdout, one block per video
    for (const name of ['carving_ice.mp4', 'jumpingjack.gif', 'arm_wrestling.mp4']) expect(r.stdout).toContain(name);
    expect(r.stdout).toMatch(/1\s+carving ice/);
    // the shipped model was converted once into this sandbox's cache, from the local mirror
    expect(carving.model.artifact_sha256).toBe('6125b36e2485eeb5cc1fd6206cf5e5d70235593fbc84610d1dce97fe3aa9c2ac');
  });

  it('a .mov and a .mkv remux of a clip give the same scores as the .mp4', async () => {
    const mov = box.file('carving_ice.mov');
    const mkv = box.file('carving_ice.mkv');
    for (const target of [mov, mkv]) execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', media('carving_ice.mp4'), '-c', 'copy', target]);
    const out = box.file('remux.json');
    ok(await box.infer([media('carving_ice.mp4'), mov, mkv, '--json', out]));
    const [mp4Doc, ...remuxes] = (JSON.parse(readFileSync(out, 'utf8')) as unknown[]).map(validateResultDocument);
    expect(top1(mp4Doc)).toBe('carving ice');
    for (const doc of remuxes) {
      expect(doc.source.sha256).not.toBe(mp4Doc.source.sha256); // really another file
      expect(doc.aggregate).toEqual(mp4Doc.aggregate);
      expect(doc.timeline.length).toBe(mp4Doc.timeline.length);
      doc.timeline.forEach((w, i) => {
        expect(w.t_start).toBe(mp4Doc.timeline[i].t_start);
        expect(w.topk).toEqual(mp4Doc.timeline[i].topk);
      });
      // The last window ends at each container's own duration (mov: 131/30 s; mkv: ms time base
      // and a 23 ms start offset), which differs from the mp4's by a few ms.
      expect(doc.timeline.at(-1)!.t_end).toBeCloseTo(doc.source.duration_s, 3);
      expect(Math.abs(doc.source.duration_s - mp4Doc.source.duration_s)).toBeLessThan(0.05);
      expect(doc.events.map((e) => [e.label, e.start])).toEqual(mp4Doc.events.map((e) => [e.label, e.start]));
    }
  });

  it('decodes mpeg4-in-AVI into a document valid against the zod schema and schemas/result.schema.json', async () => {
    const out = box.file('makeup.json');
    ok(await box.infer([media('makeup_mpeg4.avi'), '--json', out]));
    const raw = JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown>;
    const doc = validateResultDocument(raw);
    const schema = JSON.parse(readFileSync(path.resolve(process.cwd(), 'schemas/result.schema.json'), 'utf8')) as Record<string, unknown>;
    expect(checkJsonSchema(raw, schema)).toEqual([]);
    // the check can fail: a document with a bad score and an extra field is caught
    const bad = JSON.parse(JSON.stringify(raw)) as { aggregate: { topk: { score: unknown }[] }; extra?: number };
    bad.aggregate.topk[0].score = 'high';
    bad.extra = 1;
    expect(checkJsonSchema(bad, schema).length).toBeGreaterThanOrEqual(2);

    const probe = execFileSync('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=width,height', '-of', 'csv=p=0', media('makeup_mpeg4.avi')], { encoding: 'utf8' });
    expect(`${doc.source.width},${doc.source.height}`).toBe(probe.trim());
    expect(doc.timeline.length).toBe(Math.ceil(doc.source.duration_s / doc.settings.window_sec - 1e-9));
    for (const w of doc.timeline) {
      expect(w.topk).toHaveLength(5);
      const scores = w.topk.map((s) => s.score);
      expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    }
  });

  it('--precision int8 runs a stream model as it is (its TFLite weights are int8 already), with the same timeline', async () => {
    const fp32 = box.file('carving-fp32.json');
    const int8 = box.file('carving-int8.json');
    ok(await box.infer([media('carving_ice.mp4'), '--no-result-cache', '--json', fp32]));
    ok(await box.infer([media('carving_ice.mp4'), '--no-result-cache', '--precision', 'int8', '--json', int8]));
    const a = validateResultDocument(JSON.parse(readFileSync(fp32, 'utf8')));
    const b = validateResultDocument(JSON.parse(readFileSync(int8, 'utf8')));
    expect(a.model.precision).toBe('fp32');
    expect(b.model.precision).toBe('int8');
    expect(b.model.quantization).toBeUndefined();
    expect(b.model.onnx_sha256).toBe(a.model.onnx_sha256);
    expect(b.timeline).toEqual(a.timeline);
  });
});

describe('actionlens infer: determinism and the result cache', () => {
  it('recomputes a byte-identical timeline with --no-result-cache, and writes no cache entry', async () => {
    const cacheBefore = resultCacheFiles(box.cacheDir).sort();
    const texts: string[] = [];
    const created: string[] = [];
    for (const name of ['a.json', 'b.json']) {
      ok(await box.infer([media('arm_wrestling.mp4'), '--no-result-cache', '--json', box.file(name)]));
      const doc = JSON.parse(readFileSync(box.file(name), 'utf8')) as ResultDocument;
      texts.push(JSON.stringify(doc.timeline));
      created.push(doc.created_at);
    }
    expect(texts[0]).toBe(texts[1]);
    expect(created[0]).not.toBe(created[1]); // really computed twice
    expect(resultCacheFiles(box.cacheDir).sort()).toEqual(cacheBefore);
  });

  it('serves a repeated run from the result cache, and recomputes a corrupted or truncated entry', async () => {
    const args = [media('jumpingjack.gif'), '--topk', '4'];
    const before = new Set(resultCacheFiles(box.cacheDir));
    ok(await box.infer([...args, '--json', box.file('first.json')]));
    const first = readDoc(box.file('first.json'));
    const entries = resultCacheFiles(box.cacheDir).filter((f) => !before.has(f));
    expect(entries).toHaveLength(1);
    const [entry] = entries;

    const again = ok(await box.infer([...args, '--json', box.file('again.json'), '--log-level', 'info']));
    expect(readDoc(box.file('again.json'))).toEqual(first); // created_at and timings included
    expect(again.stderr).toContain('served from the result cache');

    // An edited score: the entry's checksum no longer matches.
    const edited = JSON.parse(readFileSync(entry, 'utf8')) as { document: { timeline: { topk: { score: number }[] }[] } };
    edited.document.timeline[0].topk[0].score = 0.5;
    writeFileSync(entry, JSON.stringify(edited));
    const afterEdit = ok(await box.infer([...args, '--json', box.file('recomputed.json')]));
    expect(afterEdit.stderr).toMatch(/result cache entry is corrupt; recomputing/);
    const recomputed = readDoc(box.file('recomputed.json'));
    expect(recomputed.created_at).not.toBe(first.created_at);
    expect(recomputed.timeline).toEqual(first.timeline);

    // The recomputed result replaced the bad entry: the next run is served from it.
    ok(await box.infer([...args, '--json', box.file('served.json')]));
    expect(readDoc(box.file('served.json')).created_at).toBe(recomputed.created_at);

    // A truncated entry (a crash mid-write on a file system without atomic rename).
    const text = readFileSync(entry, 'utf8');
    writeFileSync(entry, text.slice(0, text.length >> 1));
    const afterTruncate = ok(await box.infer([...args, '--json', box.file('truncated.json')]));
    expect(afterTruncate.stderr).toMatch(/result cache entry is corrupt; recomputing/);
    const fresh = readDoc(box.file('truncated.json'));
    expect(fresh.created_at).not.toBe(recomputed.created_at);
    expect(fresh.aggregate).toEqual(first.aggregate);
  });
});

describe('actionlens infer: outputs and flags', () => {
  it('--json - writes only the JSON document to stdout, and --csv FILE holds the same timeline', async () => {
    const csvFile = box.file('timeline.csv');
    const r = ok(await box.infer([media('carving_ice.mp4'), '--json', '-', '--csv', csvFile]));
    expect(r.stdout.trimStart().startsWith('{')).toBe(true);
    const doc = validateResultDocument(JSON.parse(r.stdout)); // throws on anything but one JSON value
    expect(top1(doc)).toBe('carving ice');

    const [header, ...rows] = parseCsv(readFileSync(csvFile, 'utf8'));
    expect(header).toEqual([...TIMELINE_CSV_HEADER]);
    const expected = doc.timeline.flatMap((w) => w.topk.map((s, i) => [w.t_start, w.t_end, i + 1, s.label, s.index, s.score].map(String)));
    expect(rows).toEqual(expected);
    expect(rows.length).toBe(doc.timeline.length * doc.settings.topk);
  });

  it('flags change the settings, and --save-config then --config restores exactly those settings', async () => {
    const cfg = box.file('saved.yaml');
    ok(await box.infer([media('arm_wrestling.mp4'), '--topk', '3', '--window', '2', '--smooth', '0', '--aggregate', 'max', '--save-config', cfg, '--json', box.file('flags.json')]));
    const flagged = readDoc(box.file('flags.json'));
    expect(flagged.settings).toMatchObject({ topk: 3, window_sec: 2, smoothing: { method: 'none' }, aggregate: 'max' });
    expect(flagged.aggregate.method).toBe('max');
    expect(flagged.aggregate.topk).toHaveLength(3);
    flagged.timeline.forEach((w, i) => {
      expect(w.topk).toHaveLength(3);
      expect(w.t_start).toBe(2 * i);
      if (i < flagged.timeline.length - 1) expect(w.t_end).toBe(2 * (i + 1));
    });
    expect(flagged.timeline.length).toBe(Math.ceil(flagged.source.duration_s / 2));
    expect(existsSync(cfg)).toBe(true);

    // recomputed from the saved file alone (no result cache), not from the flags
    ok(await box.infer([media('arm_wrestling.mp4'), '--config', cfg, '--no-result-cache', '--json', box.file('from-config.json')]));
    const restored = readDoc(box.file('from-config.json'));
    expect(restored.settings).toEqual(flagged.settings);
    expect(restored.timeline).toEqual(flagged.timeline);
    expect(restored.created_at).not.toBe(flagged.created_at);
  });

  it('--sample-fps all feeds every frame to the model, the default the model rate of 5 fps', async () => {
    // Windows of 20 ms hold at most one frame (frames are 33 ms apart): a window with scores is a frame.
    const fine = ['--window', '0.02', '--smooth', '0'];
    ok(await box.infer([media('carving_ice.mp4'), '--sample-fps', 'all', ...fine, '--json', box.file('all.json')]));
    ok(await box.infer([media('carving_ice.mp4'), ...fine, '--json', box.file('default.json')]));
    const all = readDoc(box.file('all.json'));
    const byDefault = readDoc(box.file('default.json'));
    expect(all.settings.sample_fps).toBe('all');
    expect(byDefault.settings.sample_fps).toBeNull();

    const scored = (d: ResultDocument) => d.timeline.filter((w) => w.topk.length > 0);
    const reference = movinetFixture('carving_ice_fpsall.json');
    expect(scored(all)).toHaveLength(all.source.frame_count);
    expect(scored(all)).toHaveLength(reference.num_frames);
    expect(scored(byDefault)).toHaveLength(movinetFixture('carving_ice_fps5.json').num_frames);

    // frame k of our run is frame k of the official TFLite run: same top-1 on (nearly) every frame
    const agree = scored(all).filter((w, k) => w.topk[0].index === reference.per_frame[k].top5[0].index).length;
    expect(agree).toBeGreaterThanOrEqual(Math.floor(0.95 * reference.num_frames));
  });
});
