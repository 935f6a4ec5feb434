// A safe unpickler: a stack machine over the pickle opcodes (protocols 0-5) that builds only
// inert values. Globals go through the allowlist in pickle-globals.ts; nothing is executed.
import { ByteReader } from './byte-reader.js';
import { invalidCheckpoint } from './checkpoint-error.js';
import { applyState, callGlobal, instantiate, resolveGlobal, type BuildContext } from './pickle-globals.js';
import { OP, opcodeName } from './pickle-opcodes.js';
import { py2StringDecode, utf8Decode } from './pickle-text.js';
import { describeValue, isPickleDict, pickleDict, pickleTuple, type PickleObject, type PickleValue } from './pickle-values.js';

/** Python ints wider than this many bytes are refused (no checkpoint needs them; BigInt parsing is quadratic). */
const MAX_LONG_BYTES = 1024;

export interface UnpickleOptions {
  /** Resolves persistent ids (torch storages); without it a persistent id is an error. */
  persistentLoad?: (pid: PickleValue) => PickleValue;
  context: BuildContext;
}

export interface UnpickleResult {
  value: PickleValue;
  /** Offset just past the STOP opcode (the next pickle of a legacy stream starts there). */
  end: number;
}

/** Reads one pickle starting at `reader.offset`. */
export function unpickle(reader: ByteReader, options: UnpickleOptions): UnpickleResult {
  const stack: PickleValue[] = [];
  const marks: number[] = [];
  const memo = new Map<number, PickleValue>();
  let opOffset = 0;
  let code = 0;

  const fail = (message: string) => invalidCheckpoint(`${reader.what}: ${opcodeName(code)} at offset ${opOffset}: ${message}`);
  const pop = (): PickleValue => {
    if (stack.length === 0 || (marks.length > 0 && stack.length <= marks[marks.length - 1]!)) throw fail('the stack is empty.');
    return stack.pop()!;
  };
  const top = (): PickleValue => {
    if (stack.length === 0) throw fail('the stack is empty.');
    return stack[stack.length - 1]!;
  };
  const popMark = (): PickleValue[] => {
    const mark = marks.pop();
    if (mark === undefined) throw fail('no MARK to pop to.');
    return stack.splice(mark);
  };
  const memoGet = (index: number): PickleValue => {
    if (!memo.has(index)) throw fail(`memo entry ${index} was never stored.`);
    return memo.get(index)!;
  };
  const persistent = (pid: PickleValue): PickleValue => {
    if (!options.persistentLoad) throw fail(`a persistent id (${describeValue(pid)}) appears outside a checkpoint.`);
    return options.persistentLoad(pid);
  };
  const setItems = (target: PickleValue, pairs: PickleValue[]): void => {
    if (pairs.length % 2 !== 0) throw fail(`expected key/value pairs, got ${pairs.length} items.`);
    const map = isPickleDict(target) ? target.entries : isObjectRecord(target) ? target.dictItems : undefined;
    if (!map) throw fail(`cannot set items on ${describeValue(target)}.`);
    for (let i = 0; i < pairs.length; i += 2) map.set(pairs[i]!, pairs[i + 1]!);
  };
  const appendItems = (target: PickleValue, values: PickleValue[]): void => {
    const list = Array.isArray(target) ? target : isObjectRecord(target) ? target.listItems : undefined;
    if (!list) throw fail(`cannot append to ${describeValue(target)}.`);
    for (const v of values) list.push(v);
  };
  const readString = (length: number | bigint, kind: 'unicode' | 'bytes' | 'py2') => {
    const bytes = reader.take(length, opcodeName(code));
    if (kind === 'bytes') return new Uint8Array(bytes); // a copy, even when the input is a Node Buffer
    return kind === 'unicode' ? utf8Decode(bytes, reader.what) : py2StringDecode(bytes);
  };

  for (;;) {
    opOffset = reader.offset;
    if (reader.remaining === 0) throw invalidCheckpoint(`${reader.what}: the pickle ends at offset ${opOffset} without a STOP opcode (truncated).`);
    code = reader.u8();
    switch (code) {
      case OP.PROTO: {
        const protocol = reader.u8('protocol number');
        if (protocol > 5) throw fail(`pickle protocol ${protocol} is not supported (allowed: 0..5).`);
        break;
      }
      case OP.FRAME:
        reader.need(reader.u64('frame size'), 'FRAME'); // a hint only: opcodes are read straight through
        break;
      case OP.STOP:
        if (stack.length !== 1 || marks.length) throw fail(`STOP with ${stack.length} values and ${marks.length} marks left (expected one value).`);
        return { value: stack[0]!, end: reader.offset };
      case OP.MARK:
        marks.push(stack.length);
        break;
      case OP.POP:
        if (marks.length > 0 && stack.length === marks[marks.length - 1]) marks.pop(); // POP of a bare MARK
        else pop();
        break;
      case OP.POP_MARK:
        popMark();
        break;
      case OP.DUP:
        stack.push(top());
        break;
      // --- constants and numbers ---
      case OP.NONE:
        stack.push(null);
        break;
      case OP.NEWTRUE:
        stack.push(true);
        break;
      case OP.NEWFALSE:
        stack.push(false);
        break;
      case OP.BININT:
        stack.push(reader.i32());
        break;
      case OP.BININT1:
        stack.push(reader.u8());
        break;
      case OP.BININT2:
        stack.push(reader.u16());
        break;
      case OP.LONG1:
        stack.push(readLong(reader, reader.u8('LONG1 length'), fail));
        break;
      case OP.LONG4:
        stack.push(readLong(reader, reader.i32('LONG4 length'), fail));
        break;
      case OP.BINFLOAT:
        stack.push(reader.f64be());
        break;
      case OP.INT: {
        const text = reader.line('INT');
        if (text === '00' || text === '01') stack.push(text === '01');
        else stack.push(parseTextInt(text, fail));
        break;
      }
      case OP.LONG:
        stack.push(parseTextInt(reader.line('LONG').replace(/L$/, ''), fail));
        break;
      case OP.FLOAT: {
        const text = reader.line('FLOAT');
        const value = Number(text);
        if (Number.isNaN(value) && !/^[-+]?nan$/i.test(text)) throw fail(`'${text}' is not a float.`);
        stack.push(value);
        break;
      }
      // --- strings and bytes ---
      case OP.BINUNICODE:
        stack.push(readString(reader.u32('BINUNICODE length'), 'unicode'));
        break;
      case OP.SHORT_BINUNICODE:
        stack.push(readString(reader.u8('SHORT_BINUNICODE length'), 'unicode'));
        break;
      case OP.BINUNICODE8:
        stack.push(readString(reader.u64('BINUNICODE8 length'), 'unicode'));
        break;
      case OP.BINBYTES:
        stack.push(readString(reader.u32('BINBYTES length'), 'bytes'));
        break;
      case OP.SHORT_BINBYTES:
        stack.push(readString(reader.u8('SHORT_BINBYTES length'), 'bytes'));
        break;
      case OP.BINBYTES8:
      case OP.BYTEARRAY8:
        stack.push(readString(reader.u64('BINBYTES8 length'), 'bytes'));
        break;
      case OP.BINSTRING:
        stack.push(readString(reader.i32('BINSTRING length'), 'py2'));
        break;
      case OP.SHORT_BINSTRING:
        stack.push(readString(reader.u8('SHORT_BINSTRING length'), 'py2'));
        break;
      case OP.STRING:
        stack.push(unquote(reader.line('STRING'), fail));
        break;
      case OP.UNICODE:
        stack.push(reader.line('UNICODE').replace(/\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})/g, (_, u4: string, u8: string) => String.fromCodePoint(parseInt(u4 ?? u8, 16))));
        break;
      // --- containers ---
      case OP.EMPTY_LIST:
        stack.push([]);
        break;
      case OP.EMPTY_DICT:
        stack.push(pickleDict());
        break;
      case OP.EMPTY_TUPLE:
        stack.push(pickleTuple([]));
        break;
      case OP.EMPTY_SET:
        stack.push({ kind: 'set', frozen: false, items: [] });
        break;
      case OP.TUPLE1:
      case OP.TUPLE2:
      case OP.TUPLE3: {
        const n = code - OP.TUPLE1 + 1;
        const items = Array.from({ length: n }, () => pop()).reverse();
        stack.push(pickleTuple(items));
        break;
      }
      case OP.TUPLE:
        stack.push(pickleTuple(popMark()));
        break;
      case OP.LIST:
        stack.push(popMark());
        break;
      case OP.DICT: {
        const dict = pickleDict();
        setItems(dict, popMark());
        stack.push(dict);
        break;
      }
      case OP.FROZENSET:
        stack.push({ kind: 'set', frozen: true, items: popMark() });
        break;
      case OP.APPEND: {
        const value = pop();
        appendItems(top(), [value]);
        break;
      }
      case OP.APPENDS: {
        const values = popMark();
        appendItems(top(), values);
        break;
      }
      case OP.SETITEM: {
        const value = pop();
        const key = pop();
        setItems(top(), [key, value]);
        break;
      }
      case OP.SETITEMS: {
        const pairs = popMark();
        setItems(top(), pairs);
        break;
      }
      case OP.ADDITEMS: {
        const values = popMark();
        const set = top();
        if (typeof set !== 'object' || set === null || !('kind' in set) || set.kind !== 'set') throw fail(`cannot add items to ${describeValue(set)}.`);
        set.items.push(...values);
        break;
      }
      // --- memo ---
      case OP.BINPUT:
        memo.set(reader.u8(), top());
        break;
      case OP.LONG_BINPUT:
        memo.set(reader.u32(), top());
        break;
      case OP.PUT:
        memo.set(parseTextIndex(reader.line('PUT'), fail), top());
        break;
      case OP.MEMOIZE:
        memo.set(memo.size, top());
        break;
      case OP.BINGET:
        stack.push(memoGet(reader.u8()));
        break;
      case OP.LONG_BINGET:
        stack.push(memoGet(reader.u32()));
        break;
      case OP.GET:
        stack.push(memoGet(parseTextIndex(reader.line('GET'), fail)));
        break;
      // --- globals and objects (never executed: see pickle-globals.ts) ---
      case OP.GLOBAL: {
        const module = reader.line('GLOBAL module');
        stack.push(resolveGlobal(module, reader.line('GLOBAL name')));
        break;
      }
      case OP.STACK_GLOBAL: {
        const name = pop();
        const module = pop();
        if (typeof module !== 'string' || typeof name !== 'string') throw fail(`module and name must be strings, got ${describeValue(module)} and ${describeValue(name)}.`);
        stack.push(resolveGlobal(module, name));
        break;
      }
      case OP.REDUCE: {
        const args = pop();
        const callable = pop();
        stack.push(callGlobal(callable, argList(args, fail), options.context));
        break;
      }
      case OP.NEWOBJ: {
        const args = pop();
        const cls = pop();
        stack.push(instantiate(cls, argList(args, fail)));
        break;
      }
      case OP.NEWOBJ_EX: {
        const kwargs = pop();
        const args = pop();
        const cls = pop();
        stack.push(instantiate(cls, argList(args, fail), isPickleDict(kwargs) ? kwargs : undefined));
        break;
      }
      case OP.INST: {
        const module = reader.line('INST module');
        const cls = resolveGlobal(module, reader.line('INST name'));
        stack.push(callGlobal(cls, popMark(), options.context));
        break;
      }
      case OP.OBJ: {
        const [cls, ...args] = popMark();
        stack.push(callGlobal(cls, args, options.context));
        break;
      }
      case OP.BUILD: {
        const state = pop();
        applyState(top(), state);
        break;
      }
      case OP.BINPERSID:
        stack.push(persistent(pop()));
        break;
      case OP.PERSID:
        stack.push(persistent(reader.line('PERSID')));
        break;
      case OP.READONLY_BUFFER:
        top();
        break;
      case OP.NEXT_BUFFER:
        throw fail('out-of-band buffers (pickle protocol 5 buffer_callback) are not supported in checkpoints.');
      case OP.EXT1:
      case OP.EXT2:
      case OP.EXT4:
        throw fail('the copyreg extension registry is not supported.');
      default:
        throw invalidCheckpoint(`${reader.what}: unknown pickle opcode ${opcodeName(code)} at offset ${opOffset}; the file is corrupt or not a pickle.`);
    }
  }
}

function isObjectRecord(value: PickleValue): value is PickleObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array) && value.kind === 'object';
}

function argList(args: PickleValue, fail: (m: string) => Error): PickleValue[] {
  if (typeof args === 'object' && args !== null && !Array.isArray(args) && !(args instanceof Uint8Array) && args.kind === 'tuple') return [...args.items];
  throw fail(`arguments must be a tuple, got ${describeValue(args)}.`);
}

/** Little-endian two's complement of `length` bytes (LONG1/LONG4). */
function readLong(reader: ByteReader, length: number, fail: (m: string) => Error): number | bigint {
  if (length < 0 || length > MAX_LONG_BYTES) throw fail(`an integer of ${length} bytes is outside the allowed 0..${MAX_LONG_BYTES}.`);
  const bytes = reader.take(length, 'LONG bytes');
  if (length === 0) return 0;
  let value = 0n;
  for (let i = length - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[i]!);
  if (bytes[length - 1]! & 0x80) value -= 1n << BigInt(8 * length);
  return narrowInt(value);
}

function narrowInt(value: bigint): number | bigint {
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
}

function parseTextInt(text: string, fail: (m: string) => Error): number | bigint {
  if (!/^[-+]?\d{1,2048}$/.test(text)) throw fail(`'${text.slice(0, 40)}' is not an integer.`);
  return narrowInt(BigInt(text));
}

function parseTextIndex(text: string, fail: (m: string) => Error): number {
  const value = parseTextInt(text, fail);
  if (typeof value !== 'number' || value < 0) throw fail(`memo index '${text}' is out of range.`);
  return value;
}

/** Protocol 0 STRING: a Python repr in quotes; only simple escapes are understood. */
function unquote(text: string, fail: (m: string) => Error): string {
  const quote = text[0];
  if ((quote !== "'" && quote !== '"') || text[text.length - 1] !== quote || text.length < 2) throw fail('STRING argument is not quoted.');
  return text
    .slice(1, -1)
    .replace(/\\(x[0-9a-fA-F]{2}|[\\'"nrt])/g, (_, e: string) =>
      e[0] === 'x' ? String.fromCharCode(parseInt(e.slice(1), 16)) : ({ n: '\n', r: '\r', t: '\t' } as Record<string, string>)[e] ?? e,
    );
}
