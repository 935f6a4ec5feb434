// Bad inputs through the built CLI: each must end with a non-zero exit, its error code and a
// phrase a user can act on, no stack trace at the default log level, and no output file (not
// even a half-written temp file beside it).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertCliBuilt, makeCliSandbox, media, STACK_FRAME, type CliResult, type CliSandbox } from './cli.js';

let box: CliSandbox;
let outDir: string;
beforeAll(() => {
  assertCliBuilt();
  box = makeCliSandbox('e2e-bad');
  outDir = box.file('out');
  mkdirSync(outDir);
});
afterAll(() => box.cleanup());

const outFile = () => path.join(outDir, 'out.json');

/** The CLI as a user runs it: default log level (info), so stack traces would show if printed. */
const inferAtDefaultLevel = (args: string[]) => box.infer([...args, '--log-level', 'info']);

function expectCleanFailure(r: CliResult, code: string, phrase: RegExp): void {
  expect(r.code, r.stderr).not.toBe(0);
  expect(r.code).not.toBeNull(); // exited, not killed
  expect(r.stderr).toContain(code);
  expect(r.stderr).toMatch(phrase);
  expect(r.stderr).not.toContain('AL_ERR_INTERNAL');
  expect(r.stderr).not.toMatch(STACK_FRAME);
  expect(existsSync(outFile())).toBe(false);
  expect(readdirSync(outDir)).toEqual([]); // no temp file left either
}

function writeInput(name: string, data: string | Uint8Array): string {
  const file = box.file(name);
  writeFileSync(file, data);
  return file;
}

describe('actionlens infer: bad videos', () => {
  it('an empty file', async () => {
    const r = await inferAtDefaultLevel([writeInput('empty.mp4', ''), '--json', outFile()]);
    expectCleanFailure(r, 'AL_ERR_VIDEO_EMPTY', /is empty \(0 bytes\)/);
  });

  it('a truncated mp4 (the first half of arm_wrestling.mp4)', async () => {
    const full = readFileSync(media('arm_wrestling.mp4'));
    const r = await inferAtDefaultLevel([writeInput('truncated.mp4', full.subarray(0, full.length >> 1)), '--json', outFile()]);
    expectCleanFailure(r, 'AL_ERR_VIDEO_UNREADABLE', /truncated, corrupt or not a video/);
    expect(r.stderr).toContain('truncated.mp4');
    expect(r.stderr).toMatch(/no output file written/);
  });

  it('a text file named .mp4', async () => {
    const r = await inferAtDefaultLevel([writeInput('notes.mp4', 'these are my notes, not a video\n'), '--json', outFile()]);
    expectCleanFailure(r, 'AL_ERR_VIDEO_UNREADABLE', /is not a readable video/);
  });

  it('an mp4 with audio only', async () => {
    const audio = box.file('tone.mp4');
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=1', audio]);
    const r = await inferAtDefaultLevel([audio, '--json', outFile()]);
    expectCleanFailure(r, 'AL_ERR_VIDEO_NO_STREAM', /has no video stream \(streams found: audio/);
  });

  it('a missing file, even beside a good one (nothing is analysed)', async () => {
    const r = await inferAtDefaultLevel([media('carving_ice.mp4'), box.file('missing.mp4'), '--json', outFile()]);
    expectCleanFailure(r, 'AL_ERR_INPUT_NOT_FOUND', /missing\.mp4' does not exist/);
    // the stack is there for whoever asks for it (and the no-stack check above can fail)
    const debug = await box.infer([box.file('missing.mp4'), '--log-level', 'debug']);
    expect(debug.stderr).toMatch(STACK_FRAME);
  });
});

describe('actionlens infer: bad models', () => {
  it('an unknown model id lists the known ids', async () => {
    const r = await inferAtDefaultLevel([media('carving_ice.mp4'), '--model', 'nope', '--json', outFile()]);
    expectCleanFailure(r, 'AL_ERR_UNKNOWN_MODEL', /Unknown model id 'nope'\. Known ids: .*movinet-a0-stream-k600/);
  });

  it('a mirror holding a wrong file under the official name, offline: the mismatch and the offline state are both said', async () => {
    const mirror = box.file('bad-mirror');
    mkdirSync(mirror);
    writeFileSync(path.join(mirror, 'movinet_a0_stream_int8_kinetics600.tflite'), 'not the model');
    const r = await box.infer([media('carving_ice.mp4'), '--offline', '--json', outFile()], { cacheDir: box.file('empty-cache'), mirror });
    expect(r.stderr).toMatch(/wrong sha256/);
    expectCleanFailure(r, 'AL_ERR_OFFLINE', /offline mode is on/);
    expect(r.stderr).toContain('6125b36e2485eeb5cc1fd6206cf5e5d70235593fbc84610d1dce97fe3aa9c2ac'); // the sha256 to look for
    // in the error itself, not only in a warn line that --log-level error would hide
    expect(r.stderr).toMatch(/AL_ERR_OFFLINE: [^\n]*Mirror file [^\n]*bad-mirror[^\n]* was rejected/);
  });
});

describe('actionlens infer: unwritable outputs (checked before any work)', () => {
  it('a folder that does not exist', async () => {
    const target = path.join(outDir, 'no-such-folder', 'out.json');
    const r = await inferAtDefaultLevel([media('carving_ice.mp4'), '--json', target]);
    expectCleanFailure(r, 'AL_ERR_OUTPUT_UNWRITABLE', /no-such-folder does not exist/);
    expect(r.stdout).toBe(''); // failed before the analysis, which would print a table
  });

  it('a path whose parent is a file', async () => {
    const parent = writeInput('plain-file', 'x');
    const r = await inferAtDefaultLevel([media('carving_ice.mp4'), '--csv', path.join(parent, 'out.csv'), '--json', outFile()]);
    expectCleanFailure(r, 'AL_ERR_OUTPUT_UNWRITABLE', /plain-file is not a folder/);
    expect(readFileSync(parent, 'utf8')).toBe('x');
  });

  it('a path that is a folder', async () => {
    const folder = box.file('a-folder');
    mkdirSync(folder);
    const r = await inferAtDefaultLevel([media('carving_ice.mp4'), '--json', folder]);
    expectCleanFailure(r, 'AL_ERR_OUTPUT_UNWRITABLE', /it is a folder/);
    expect(statSync(folder).isDirectory()).toBe(true);
    expect(readdirSync(folder)).toEqual([]);
  });
});

describe('actionlens infer: bad settings', () => {
  const cases: [string[], RegExp][] = [
    [['--topk', '0'], /--topk expects an integer in 1\.\.1000, got '0'/],
    [['--sample-fps', '-1'], /--sample-fps expects a number in 0\.001\.\.1000, got '-1'/],
    [['--window', 'abc'], /--window expects a number in 0\.001\.\.3600, got 'abc'/],
  ];
  for (const [flags, message] of cases) {
    it(`${flags.join(' ')} names the flag, the value and the allowed range`, async () => {
      const r = await inferAtDefaultLevel([media('carving_ice.mp4'), ...flags, '--json', outFile()]);
      expectCleanFailure(r, 'AL_ERR_INVALID_SETTINGS', message);
      expect(r.stderr.split('\n')[0]).toMatch(/^error AL_ERR_INVALID_SETTINGS: /); // the error comes first, before the usage text
    });
  }

  it('a config file with a bad field names the file, the field and what is allowed', async () => {
    const cfg = writeInput('bad.yaml', 'analysis:\n  topk: 3\n  window_sec: -2\nruntime:\n  threads: 1\n');
    const r = await inferAtDefaultLevel([media('carving_ice.mp4'), '--config', cfg, '--json', outFile()]);
    expectCleanFailure(r, 'AL_ERR_INVALID_SETTINGS', /analysis\.window_sec: .*-2/);
    expect(r.stderr).toContain(cfg);

    const misspelt = writeInput('misspelt.yaml', 'analysis:\n  topK: 3\n');
    const r2 = await inferAtDefaultLevel([media('carving_ice.mp4'), '--config', misspelt, '--json', outFile()]);
    expectCleanFailure(r2, 'AL_ERR_INVALID_SETTINGS', /analysis\.topK: unknown field; allowed here: topk,/);
  });
});
