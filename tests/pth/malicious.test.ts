// Pickles that would run commands under torch.load (weights_only=False) must read as inert records.
// Each command would create a marker file; the test checks the file never appears.
import { existsSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractStateDict, readCheckpoint, type PickleDict, type PickleObject, type PickleTuple } from '../../src/models/converters/pth/index.js';
import { float32Bytes, legacyCheckpoint, zipCheckpoint } from './helpers/checkpoint-writer.js';
import { PickleWriter, rebuildTensor } from './helpers/pickle-writer.js';

const marker = path.join(os.tmpdir(), `actionlens-pth-pwned-${process.pid}`);
const command = `touch ${marker}`;

beforeAll(() => rmSync(marker, { force: true }));
afterAll(() => rmSync(marker, { force: true }));

/** GLOBAL module name + (command,) + REDUCE: the classic `__reduce__` exploit. */
function reduceExploit(w: PickleWriter, module: string, name: string, arg: string): PickleWriter {
  return w.global(module, name).binUnicode(arg).tupleN(1).reduce();
}

describe('malicious globals are recorded, never called', () => {
  it('os.system via GLOBAL + REDUCE in a zip checkpoint', () => {
    const pickle = reduceExploit(new PickleWriter().proto(2), 'os', 'system', command).stop().bytes();
    const { root } = readCheckpoint(zipCheckpoint(pickle));
    const o = root as PickleObject;
    expect(o.kind).toBe('object');
    expect(o.$global).toBe('os.system');
    expect(o.args).toEqual([command]);
    expect(o.state).toBeUndefined();
    expect(existsSync(marker)).toBe(false);
  });

  it('builtins.eval via STACK_GLOBAL (protocol 4)', () => {
    const code = `__import__('os').system('${command}')`;
    const pickle = new PickleWriter().proto(4).stackGlobal('builtins', 'eval').memoize().shortBinUnicode(code).tupleN(1).reduce().stop().bytes();
    const o = readCheckpoint(zipCheckpoint(pickle)).root as PickleObject;
    expect([o.$global, o.args]).toEqual(['builtins.eval', [code]]);
    expect(existsSync(marker)).toBe(false);
  });

  it('subprocess.Popen via NEWOBJ + BUILD', () => {
    const w = new PickleWriter().proto(2).global('subprocess', 'Popen');
    w.mark().binUnicode('sh').binUnicode('-c').binUnicode(command).raw(0x6c /* LIST */).tupleN(1).newObj();
    w.emptyDict().binUnicode('shell').bool(true).setItem().build().stop();
    const o = readCheckpoint(zipCheckpoint(w.bytes())).root as PickleObject;
    expect(o.$global).toBe('subprocess.Popen');
    expect(o.args).toEqual([['sh', '-c', command]]);
    expect([...(o.state as PickleDict).entries]).toEqual([['shell', true]]);
    expect(existsSync(marker)).toBe(false);
  });

  it('posix.system in a legacy checkpoint', () => {
    const pickle = reduceExploit(new PickleWriter().proto(2), 'posix', 'system', command).stop().bytes();
    const checkpoint = readCheckpoint(legacyCheckpoint(pickle));
    expect(checkpoint.format).toBe('legacy');
    expect((checkpoint.root as PickleObject).$global).toBe('posix.system');
    expect(existsSync(marker)).toBe(false);
  });

  it('an exploit hidden in meta next to real weights: weights load, the exploit is a record', () => {
    const w = new PickleWriter().proto(2).emptyDict().mark();
    w.binUnicode('meta');
    reduceExploit(w, 'os', 'system', command);
    w.binUnicode('state_dict').global('collections', 'OrderedDict').emptyTuple().reduce();
    w.binUnicode('fc.weight');
    rebuildTensor(w, { cls: 'FloatStorage', key: '0', numel: 4 }, 0, [2, 2], [2, 1]);
    w.setItem().setItems().stop();
    const checkpoint = readCheckpoint(zipCheckpoint(w.bytes(), [{ key: '0', numel: 4, data: float32Bytes([1, 2, 3, 4]) }]));
    const { tensors } = extractStateDict(checkpoint.root);
    expect(Array.from(tensors.get('fc.weight')!.data as Float32Array)).toEqual([1, 2, 3, 4]);
    expect(((checkpoint.root as PickleDict).entries.get('meta') as PickleObject).$global).toBe('os.system');
    expect(existsSync(marker)).toBe(false);
  });

  it('a placeholder where a storage belongs is a clear error, not a call', () => {
    const w = new PickleWriter().proto(2).global('torch._utils', '_rebuild_tensor_v2').mark();
    reduceExploit(w, 'os', 'system', command);
    w.binInt1(0).binInt1(1).tupleN(1).binInt1(1).tupleN(1).bool(false).none().tuple().reduce().stop();
    expect(() => readCheckpoint(zipCheckpoint(w.bytes()))).toThrow(/argument 'storage' must be a storage reference, got object os.system/);
    expect(existsSync(marker)).toBe(false);
  });

  it('a state dict whose entry is a placeholder is refused by extractStateDict', () => {
    const w = new PickleWriter().proto(2).global('collections', 'OrderedDict').emptyTuple().reduce().binUnicode('fc.weight');
    reduceExploit(w, 'builtins', 'exec', command).setItem().stop();
    const { root } = readCheckpoint(zipCheckpoint(w.bytes()));
    const entry = (root as PickleDict).entries.get('fc.weight') as PickleObject;
    expect(entry.$global).toBe('builtins.exec');
    expect(() => extractStateDict(root)).toThrow(/no state dict|not a tensor/);
    expect(existsSync(marker)).toBe(false);
  });

  it('records a tuple of nested exploits as plain data', () => {
    const w = new PickleWriter().proto(2).mark();
    reduceExploit(w, 'os', 'system', command);
    reduceExploit(w, 'builtins', 'eval', '1+1');
    w.global('builtins', 'getattr').global('os', 'system').tupleN(1).reduce(); // REDUCE on an argument that is a global
    w.tuple().stop();
    const items = (readCheckpoint(zipCheckpoint(w.bytes())).root as PickleTuple).items as PickleObject[];
    expect(items.map((o) => o.$global)).toEqual(['os.system', 'builtins.eval', 'builtins.getattr']);
    expect(items[2]!.args).toEqual([{ kind: 'global', module: 'os', name: 'system' }]);
    expect(existsSync(marker)).toBe(false);
  });
});

