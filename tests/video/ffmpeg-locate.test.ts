import { execFileSync } from 'node:child_process';
import { chmodSync, symlinkSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { isActionLensError } from '../../src/core/errors.js';
import { ffmpegVersion, findOnPath, locateFfmpeg, parseFfmpegVersion } from '../../src/video/ffmpeg-locate.js';
import { makeTempDir } from './helpers.js';

const temp = makeTempDir();
afterAll(() => temp.remove());

const systemFfmpeg = findOnPath('ffmpeg') as string;
const systemFfprobe = findOnPath('ffprobe') as string;

function catchError(fn: () => unknown) {
  try {
    fn();
  } catch (err) {
    if (isActionLensError(err)) return err;
    throw err;
  }
  throw new Error('expected an ActionLensError');
}

describe('locateFfmpeg', () => {
  it('finds both tools on PATH', () => {
    const tools = locateFfmpeg({ env: { PATH: process.env.PATH } });
    expect(tools.source).toEqual({ ffmpeg: 'path', ffprobe: 'path' });
    expect(tools.ffmpeg).toBe(systemFfmpeg);
    expect(tools.ffprobe).toBe(systemFfprobe);
  });

  it('prefers the env vars over PATH, and the explicit option over both', () => {
    const linkedFfmpeg = temp.file('my-ffmpeg');
    const linkedFfprobe = temp.file('my-ffprobe');
    symlinkSync(systemFfmpeg, linkedFfmpeg);
    symlinkSync(systemFfprobe, linkedFfprobe);
    const env = { PATH: process.env.PATH, ACTIONLENS_FFMPEG: linkedFfmpeg, ACTIONLENS_FFPROBE: linkedFfprobe };
    expect(locateFfmpeg({ env })).toMatchObject({ ffmpeg: linkedFfmpeg, ffprobe: linkedFfprobe, source: { ffmpeg: 'env', ffprobe: 'env' } });
    const explicit = locateFfmpeg({ env, ffmpegPath: systemFfmpeg });
    expect(explicit).toMatchObject({ ffmpeg: systemFfmpeg, ffprobe: linkedFfprobe, source: { ffmpeg: 'option', ffprobe: 'env' } });
  });

  it('says how to install ffmpeg when it is not on PATH', () => {
    const err = catchError(() => locateFfmpeg({ env: { PATH: temp.dir } }));
    expect(err.code).toBe('AL_ERR_FFMPEG_NOT_FOUND');
    expect(err.message).toMatch(/ffmpeg was not found on PATH, in ACTIONLENS_FFMPEG/);
    expect(err.hint).toMatch(/apt-get install ffmpeg/);
    expect(err.hint).toMatch(/brew install ffmpeg/);
    expect(err.hint).toMatch(/Windows/);
  });

  it('rejects an env var or option that points at nothing usable, naming it', () => {
    const envErr = catchError(() => locateFfmpeg({ env: { PATH: process.env.PATH, ACTIONLENS_FFPROBE: temp.file('nope') } }));
    expect(envErr.code).toBe('AL_ERR_FFMPEG_NOT_FOUND');
    expect(envErr.message).toContain(`ACTIONLENS_FFPROBE = '${temp.file('nope')}'`);

    const notExecutable = temp.file('ffmpeg.txt');
    writeFileSync(notExecutable, 'not a program');
    chmodSync(notExecutable, 0o644);
    const optErr = catchError(() => locateFfmpeg({ ffmpegPath: notExecutable }));
    expect(optErr.message).toContain(`ffmpeg.path = '${notExecutable}'`);
  });
});

describe('ffmpegVersion', () => {
  it('reports the same version ffmpeg prints', async () => {
    const firstLine = execFileSync(systemFfmpeg, ['-version']).toString().split('\n')[0];
    const version = await ffmpegVersion(systemFfmpeg);
    expect(firstLine).toContain(`ffmpeg version ${version} `);
    expect(version).toMatch(/^n?\d+\.\d+/);
  });

  it('parses release and git-build version lines', () => {
    expect(parseFfmpegVersion('ffmpeg version 6.1.1-3ubuntu5 Copyright (c) 2000-2023')).toBe('6.1.1-3ubuntu5');
    expect(parseFfmpegVersion('ffmpeg version N-113576-g1234abcd Copyright')).toBe('N-113576-g1234abcd');
    expect(parseFfmpegVersion('no version here')).toBeUndefined();
  });
});
