// The safe unpickler on hand-written pickles: every protocol 2-5 opcode a checkpoint can use,
// the protocol 0 text opcodes, and clear errors for bad input.
import { describe, expect, it } from 'vitest';
import { ActionLensError } from '../../src/core/errors.js';
import { ByteReader } from '../../src/models/converters/pth/byte-reader.js';
import type { PickleDict, PickleObject, PickleSet, PickleTuple, PickleValue } from '../../src/models/converters/pth/index.js';
import { OP } from '../../src/models/converters/pth/pickle-opcodes.js';
import { unpickle } from '../../src/models/converters/pth/unpickler.js';
import { PickleWriter } from './helpers/pickle-writer.js';

function load(w: PickleWriter | Uint8Array): PickleValue {
  const bytes = w instanceof PickleWriter ? w.bytes() : w;
  return unpickle(new ByteReader(bytes, 'test.pkl'), { context: { pendingTensors: [] } }).value;
}

function loadError(w: PickleWriter | Uint8Array): ActionLensError {
  try {
    load(w);
  } catch (e) {
    expect(e).toBeInstanceOf(ActionLensError);
    expect((e as ActionLensError).code).toBe('AL_ERR_CHECKPOINT_INVALID');
    return e as ActionLensError;
  }
  throw new Error('expected the pickle to be rejected');
}

describe('protocol 2 opcodes', () => {
  it('reads ints of every width, floats, bools and None into a tuple', () => {
    const w = new PickleWriter().proto(2).mark();
    w.binInt1(200).binInt2(60000).binInt(-5).long(1099511627783n).long(-42n).long(2n ** 70n + 1n, 'LONG4').long(0n);
    w.binFloat(-2.5).bool(true).bool(false).none().tuple().stop();
    const t = load(w) as PickleTuple;
    expect(t.kind).toBe('tuple');
    expect(t.items).toEqual([200, 60000, -5, 1099511627783, -42, 2n ** 70n + 1n, 0, -2.5, true, false, null]);
  });

  it('builds TUPLE1-3, lists with APPEND/APPENDS, dicts with SETITEM/SETITEMS and uses the memo', () => {
    const w = new PickleWriter().proto(2).emptyDict().binPut(0);
    w.binUnicode('pair').binInt1(1).binInt1(2).tupleN(2).setItem();
    w.mark().binUnicode('list').emptyList().binPut(1).binInt1(7).append().mark().binInt1(8).binInt1(9).appends();
    w.binUnicode('one').binInt1(3).tupleN(1).binUnicode('three').binInt1(1).binInt1(2).binInt1(3).tupleN(3);
    w.binUnicode('again').binGet(1).setItems();
    w.binUnicode('self').longBinPut(300).longBinGet(300).setItem().stop();
    const d = load(w) as PickleDict;
    expect([...d.entries.keys()]).toEqual(['pair', 'list', 'one', 'three', 'again', 'self']);
    expect((d.entries.get('pair') as PickleTuple).items).toEqual([1, 2]);
    expect(d.entries.get('list')).toEqual([7, 8, 9]);
    expect(d.entries.get('again')).toBe(d.entries.get('list')); // memo gives the same object, as in Python
    expect((d.entries.get('one') as PickleTuple).items).toEqual([3]);
    expect((d.entries.get('three') as PickleTuple).items).toEqual([1, 2, 3]);
    expect(d.entries.get('self')).toBe('self');
  });

  it('handles POP, POP_MARK and DUP', () => {
    const w = new PickleWriter().proto(2).binInt1(1).binInt1(2).pop().mark().binInt1(5).binInt1(6).popMark().dup().tupleN(2).stop();
    expect((load(w) as PickleTuple).items).toEqual([1, 1]);
  });

  it('decodes protocol-2 bytes (_codecs.encode latin1) and OrderedDict from pairs', () => {
    const w = new PickleWriter().proto(2).mark();
    w.global('_codecs', 'encode').binUnicode('\u00ff\u0080A').binUnicode('latin1').tupleN(2).reduce();
    w.global('collections', 'OrderedDict').emptyList().mark().binUnicode('b').binInt1(2).tupleN(2).binUnicode('a').binInt1(1).tupleN(2).appends().tupleN(1).reduce();
    w.tuple().stop();
    const [bytes, od] = (load(w) as PickleTuple).items as [Uint8Array, PickleDict];
    expect(Array.from(bytes)).toEqual([0xff, 0x80, 0x41]);
    expect(od.ordered).toBe(true);
    expect([...od.entries]).toEqual([['b', 2], ['a', 1]]);
  });
});

describe('protocol 3-5 opcodes', () => {
  it('reads bytes, bytearrays and every unicode width inside a FRAME', () => {
    const body = new PickleWriter().mark()
      .shortBinBytes(Uint8Array.of(1, 2)).binBytes(Uint8Array.of(3)).binBytes8(Uint8Array.of(4, 5, 6)).byteArray8(Uint8Array.of(7))
      .shortBinUnicode('café').memoize().binUnicode8('动作').binUnicode('✓').binGet(0).tuple().stop().bytes();
    const w = new PickleWriter().proto(4).frame(body.length).raw(...body);
    const items = (load(w) as PickleTuple).items;
    expect(items.slice(0, 4).map((b) => Array.from(b as Uint8Array))).toEqual([[1, 2], [3], [4, 5, 6], [7]]);
    expect(items.slice(4)).toEqual(['café', '动作', '✓', 'café']);
  });

  it('builds sets and frozensets (EMPTY_SET/ADDITEMS/FROZENSET)', () => {
    const w = new PickleWriter().proto(4).emptySet().mark().binInt1(1).binInt1(2).addItems().mark().binUnicode('x').frozenSet().tupleN(2).stop();
    const [set, frozen] = (load(w) as PickleTuple).items as [PickleSet, PickleSet];
    expect([set.frozen, set.items]).toEqual([false, [1, 2]]);
    expect([frozen.frozen, frozen.items]).toEqual([true, ['x']]);
  });

  it('records STACK_GLOBAL + NEWOBJ_EX + BUILD on an unknown class without running it', () => {
    const w = new PickleWriter().proto(5).stackGlobal('mmengine.config', 'ConfigDict').memoize();
    w.binInt1(1).tupleN(1).emptyDict().binUnicode('flag').bool(true).setItem().newObjEx();
    w.emptyDict().binUnicode('x').binInt1(9).setItem().build();
    w.binUnicode('key').binUnicode('value').setItem().stop();
    const o = load(w) as PickleObject;
    expect(o.kind).toBe('object');
    expect(o.$global).toBe('mmengine.config.ConfigDict');
    expect(o.args).toEqual([1]);
    expect([...o.kwargs!.entries]).toEqual([['flag', true]]);
    expect([...(o.state as PickleDict).entries]).toEqual([['x', 9]]);
    expect([...o.dictItems]).toEqual([['key', 'value']]);
  });

  it('sets an OrderedDict _metadata attribute by BUILD', () => {
    const w = new PickleWriter().proto(2).global('collections', 'OrderedDict').emptyTuple().newObj();
    w.binUnicode('w').binInt1(1).setItem().emptyDict().binUnicode('_metadata').binUnicode('m').setItem().build().stop();
    const d = load(w) as PickleDict;
    expect([...d.entries]).toEqual([['w', 1]]);
    expect(d.attributes.get('_metadata')).toBe('m');
  });
});

describe('protocol 0 text opcodes', () => {
  it('reads INT, LONG, FLOAT, STRING, UNICODE, DICT, LIST, PUT and GET', () => {
    const w = new PickleWriter().mark();
    w.textOp(OP.INT, '42').textOp(OP.INT, '01').textOp(OP.LONG, '-123456789012345678901L').textOp(OP.FLOAT, '0.125');
    w.textOp(OP.STRING, "'it\\'s'").textOp(OP.UNICODE, 'caf\\u00e9').textOp(OP.PUT, '3');
    w.mark().textOp(OP.STRING, "'k'").textOp(OP.INT, '1').raw(OP.DICT);
    w.mark().textOp(OP.INT, '2').raw(OP.LIST).textOp(OP.GET, '3').tuple().stop();
    const items = (load(w) as PickleTuple).items;
    expect(items.slice(0, 6)).toEqual([42, true, -123456789012345678901n, 0.125, "it's", 'café']);
    expect([...(items[6] as PickleDict).entries]).toEqual([['k', 1]]);
    expect(items.slice(7)).toEqual([[2], 'café']);
  });
});

describe('errors', () => {
  it('names an unknown opcode and its offset', () => {
    const e = loadError(Uint8Array.of(0x80, 0x02, 0x4b, 0x01, 0xff, 0x2e));
    expect(e.message).toContain('unknown pickle opcode 0xff at offset 4');
  });

  it('rejects a pickle with no STOP (truncated)', () => {
    expect(loadError(new PickleWriter().proto(2).emptyList().binInt1(1)).message).toMatch(/without a STOP opcode/);
  });

  it('rejects lengths beyond the data before allocating anything', () => {
    expect(loadError(new PickleWriter().proto(4).binUnicode8Length(2n ** 60n)).message).toMatch(/BINUNICODE8 length .* larger than any real file/);
    expect(loadError(new PickleWriter().proto(2).raw(OP.BINUNICODE, 0xff, 0xff, 0xff, 0x7f)).message).toMatch(/needs 2147483647 bytes but only 0 remain/);
    expect(loadError(new PickleWriter().proto(2).long4Length(0x7fffffff)).message).toMatch(/integer of 2147483647 bytes is outside the allowed 0..1024/);
  });

  it('rejects a memo lookup that was never stored, an empty stack and a bad protocol', () => {
    expect(loadError(new PickleWriter().proto(2).binGet(7).stop()).message).toMatch(/memo entry 7 was never stored/);
    expect(loadError(new PickleWriter().proto(2).append().stop()).message).toMatch(/APPEND \(0x61\) at offset 2: the stack is empty/);
    expect(loadError(new PickleWriter().proto(6).stop()).message).toMatch(/protocol 6 is not supported \(allowed: 0..5\)/);
  });

  it('refuses a persistent id outside a checkpoint and out-of-band buffers', () => {
    expect(loadError(new PickleWriter().proto(2).binUnicode('x').binPersId().stop()).message).toMatch(/persistent id/);
    expect(loadError(new PickleWriter().proto(5).raw(OP.NEXT_BUFFER).stop()).message).toMatch(/out-of-band buffers/);
  });
});
