import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDecodeArgs, scaleFilter } from '../../src/video/decode-args.js';
import { SHARED } from './helpers.js';

interface MovinetFixture {
  decode: { args: string[] };
}

const fixtureDir = path.join(SHARED, 'fixtures/movinet');
const fixtureNames = readdirSync(fixtureDir).filter((f) => f.endsWith('.json'));

/** Our args minus the flags that only add timestamps/stream choice, plus the fixture's `-v error`. */
function pixelArgs(args: string[]): string[] {
  const out = ['-v', 'error'];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-nostdin' || a === '-hide_banner' || a === '-nostats') continue;
    if (a === '-loglevel' || a === '-map' || a === '-fps_mode') {
      i++;
      continue;
    }
    if (a === '-vf') {
      out.push(a, args[++i].replace(/,showinfo$/, ''));
      continue;
    }
    out.push(a);
  }
  return out;
}

describe('buildDecodeArgs', () => {
  it.each(fixtureNames)('%s: pixel-affecting args equal the fixture args', (name) => {
    const fixture = JSON.parse(readFileSync(path.join(fixtureDir, name), 'utf8')) as MovinetFixture;
    const fps = name.includes('_fps5') ? 5 : undefined;
    const args = buildDecodeArgs({ input: '<video>', geometry: { kind: 'exact', width: 172, height: 172 }, fps });
    expect(pixelArgs(args)).toEqual(fixture.decode.args);
    // showinfo must come after every pixel-affecting filter.
    expect(args[args.indexOf('-vf') + 1]).toMatch(/,showinfo$/);
  });

  it('adds the flags timestamps need and a frame limit', () => {
    const args = buildDecodeArgs({ input: '/v.mp4', geometry: { kind: 'native' }, maxFrames: 7 });
    expect(args.join(' ')).toContain('-loglevel level+info -i /v.mp4 -map 0:V:0 -fps_mode passthrough -vf showinfo -frames:v 7');
    expect(args.slice(-5)).toEqual(['-f', 'rawvideo', '-pix_fmt', 'rgb24', '-']);
  });

  it('keeps the aspect for short-side with expressions that round the long side half up', () => {
    expect(scaleFilter({ kind: 'short-side', size: 256 })).toBe(
      "scale=w='if(lte(iw,ih),256,floor(iw*256/ih+0.5))':h='if(lte(iw,ih),floor(ih*256/iw+0.5),256)':flags=bilinear",
    );
    expect(scaleFilter({ kind: 'native' })).toBeUndefined();
  });

  it.each([
    [{ geometry: { kind: 'exact', width: 0, height: 172 } }, /'geometry.width' must be an integer in \[1, 16384\], got 0/],
    [{ geometry: { kind: 'exact', width: 172, height: 17.5 } }, /'geometry.height' .* got 17.5/],
    [{ geometry: { kind: 'short-side', size: -1 } }, /'geometry.size' .* got -1/],
    [{ geometry: { kind: 'native' }, fps: 0 }, /'fps' must be a number in \(0, 1000\], got 0/],
    [{ geometry: { kind: 'native' }, maxFrames: 0 }, /'maxFrames' must be an integer/],
    [{ geometry: { kind: 'square' } }, /'geometry.kind' must be 'exact', 'short-side' or 'native', got 'square'/],
  ])('rejects bad options with AL_ERR_INVALID_SETTINGS: %j', (options, message) => {
    const build = () => buildDecodeArgs({ input: 'x.mp4', ...(options as never) });
    expect(build).toThrow(message);
    expect(build).toThrow(expect.objectContaining({ code: 'AL_ERR_INVALID_SETTINGS' }));
  });
});
