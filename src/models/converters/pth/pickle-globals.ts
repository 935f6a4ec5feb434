// The allowlist. A pickle names Python globals and asks to call them (REDUCE), instantiate them
// (NEWOBJ) and set their state (BUILD). Only the inert builders below are replayed, as pure
// functions on plain data; every other global (os.system, builtins.eval, subprocess.Popen, ...)
// becomes a PickleObject record of the call that was asked for. Nothing is ever executed.
import { invalidCheckpoint } from './checkpoint-error.js';
import { emptyNumpyArray, numpyDtype, numpyScalar, setNumpyArrayState, setNumpyDtypeState } from './numpy-values.js';
import { latin1Encode } from './pickle-text.js';
import {
  describeValue,
  isPickleDict,
  isPickleTuple,
  pickleDict,
  pickleObject,
  pickleTuple,
  type PickleDict,
  type PickleGlobal,
  type PickleValue,
} from './pickle-values.js';
import { rebuildParameter, rebuildTensor, type PendingTensor } from './torch-tensors.js';
import { dtypeOfAlias, dtypeOfStorageClass } from './torch-values.js';

/** What the builders may touch: the list of tensors waiting for their storage bytes. */
export interface BuildContext {
  readonly pendingTensors: PendingTensor[];
}

type Builder = (args: PickleValue[], context: BuildContext) => PickleValue;

const items = (v: PickleValue | undefined): readonly PickleValue[] | undefined =>
  Array.isArray(v) ? v : isPickleTuple(v) ? v.items : v !== undefined && typeof v === 'object' && v !== null && 'kind' in v && v.kind === 'set' ? v.items : undefined;

function orderedDict(args: PickleValue[]): PickleValue {
  const dict = pickleDict(true);
  for (const pair of items(args[0]) ?? []) {
    const kv = items(pair);
    if (!kv || kv.length !== 2) throw invalidCheckpoint(`collections.OrderedDict: each initial item must be a (key, value) pair, got ${describeValue(pair)}.`);
    dict.entries.set(kv[0]!, kv[1]!);
  }
  return dict;
}

function setOf(frozen: boolean): Builder {
  return (args) => ({ kind: 'set', frozen, items: [...(items(args[0]) ?? [])] });
}

/** `_codecs.encode(text, 'latin1')`: how protocol 2 pickles `bytes`. */
function codecsEncode(args: PickleValue[]): PickleValue {
  const [text, encoding] = args;
  if (typeof text !== 'string') throw invalidCheckpoint(`_codecs.encode: argument 'obj' must be a str, got ${describeValue(text)}.`);
  const name = typeof encoding === 'string' ? encoding.toLowerCase().replace(/[-_]/g, '') : 'utf8';
  if (name === 'latin1' || name === 'iso88591') return latin1Encode(text);
  if (name === 'utf8') return new TextEncoder().encode(text);
  throw invalidCheckpoint(`_codecs.encode: encoding '${String(encoding)}' is not supported (allowed: latin1, utf-8).`);
}

function byteArray(args: PickleValue[]): PickleValue {
  const [source, encoding] = args;
  if (source === undefined) return new Uint8Array(0);
  if (source instanceof Uint8Array) return new Uint8Array(source); // a copy (Buffer#slice would not copy)
  if (typeof source === 'string') return codecsEncode([source, encoding ?? 'utf-8']);
  const list = items(source);
  if (list && list.every((b) => typeof b === 'number' && Number.isInteger(b) && b >= 0 && b < 256)) return Uint8Array.from(list as number[]);
  throw invalidCheckpoint(`bytearray: argument must be bytes, str or a list of ints in 0..255, got ${describeValue(source)}.`);
}

/** `copyreg._reconstructor(cls, base, state)`: protocol 0/1 object creation; BUILD follows. */
function reconstructor(args: PickleValue[]): PickleValue {
  const cls = args[0];
  if (!isGlobal(cls)) throw invalidCheckpoint(`copyreg._reconstructor: argument 'cls' must be a class, got ${describeValue(cls)}.`);
  return instantiate(cls, []);
}

/** `torch._tensor._rebuild_from_type_v2(func, new_type, args, state)`: tensor subclasses / tensors with attributes. */
function rebuildFromType(args: PickleValue[], context: BuildContext): PickleValue {
  const [func, , funcArgs] = args;
  return callGlobal(func, [...(items(funcArgs) ?? [])], context);
}

const BUILDERS = new Map<string, Builder>([
  ['collections.OrderedDict', orderedDict],
  ['builtins.set', setOf(false)],
  ['builtins.frozenset', setOf(true)],
  ['__builtin__.set', setOf(false)],
  ['__builtin__.frozenset', setOf(true)],
  ['builtins.bytearray', byteArray],
  ['__builtin__.bytearray', byteArray],
  ['_codecs.encode', codecsEncode],
  ['copyreg._reconstructor', reconstructor],
  ['copy_reg._reconstructor', reconstructor],
  ['torch.Size', (args) => pickleTuple([...(items(args[0]) ?? [])])],
  ['torch._utils._rebuild_tensor', (args, c) => rebuildTensor(args, c.pendingTensors)],
  ['torch._utils._rebuild_tensor_v2', (args, c) => rebuildTensor(args, c.pendingTensors)],
  ['torch._utils._rebuild_tensor_v3', (args, c) => rebuildTensor(args, c.pendingTensors, dtypeArg(args[6]))],
  ['torch._utils._rebuild_parameter', rebuildParameter],
  ['torch._utils._rebuild_parameter_with_state', rebuildParameter],
  ['torch._tensor._rebuild_from_type_v2', rebuildFromType],
  ['numpy.core.multiarray._reconstruct', () => emptyNumpyArray()],
  ['numpy._core.multiarray._reconstruct', () => emptyNumpyArray()],
  ['numpy.dtype', numpyDtype],
  ['numpy.core.multiarray.scalar', numpyScalar],
  ['numpy._core.multiarray.scalar', numpyScalar],
]);

function dtypeArg(value: PickleValue | undefined) {
  if (typeof value === 'object' && value !== null && 'kind' in value && value.kind === 'torch-dtype') return value.dtype;
  throw invalidCheckpoint(`_rebuild_tensor_v3: argument 'dtype' must be a torch dtype, got ${describeValue(value)}.`);
}

const TORCH_MODULES = new Set(['torch', 'torch.cuda', 'torch.storage']);

/** GLOBAL / STACK_GLOBAL: torch storage classes and dtypes become typed values, the rest inert references. */
export function resolveGlobal(module: string, name: string): PickleValue {
  if (TORCH_MODULES.has(module)) {
    const storageDtype = name.endsWith('Storage') ? dtypeOfStorageClass(name) : undefined;
    if (storageDtype) return { kind: 'storage-type', name, dtype: storageDtype };
    const dtype = module === 'torch' ? dtypeOfAlias(name) : undefined;
    if (dtype) return { kind: 'torch-dtype', dtype };
  }
  return { kind: 'global', module, name };
}

function isGlobal(value: PickleValue | undefined): value is PickleGlobal {
  return typeof value === 'object' && value !== null && 'kind' in value && value.kind === 'global';
}

/** The global a callable value stands for, if it is one (storage classes and dtypes included). */
function asGlobal(value: PickleValue | undefined): PickleGlobal | undefined {
  if (isGlobal(value)) return value;
  if (typeof value === 'object' && value !== null && 'kind' in value && value.kind === 'storage-type') return { kind: 'global', module: 'torch', name: value.name };
  return undefined;
}

/** REDUCE: `callable(*args)`. Allowlisted builders run on plain data; anything else is recorded. */
export function callGlobal(callable: PickleValue | undefined, args: PickleValue[], context: BuildContext): PickleValue {
  const global = asGlobal(callable);
  if (!global) throw invalidCheckpoint(`REDUCE: the callable must be a global, got ${describeValue(callable)}.`);
  const builder = BUILDERS.get(`${global.module}.${global.name}`);
  return builder ? builder(args, context) : pickleObject(global, args);
}

/** NEWOBJ / NEWOBJ_EX: `cls.__new__(cls, *args, **kwargs)`. */
export function instantiate(cls: PickleValue | undefined, args: PickleValue[], kwargs?: PickleDict): PickleValue {
  const global = asGlobal(cls);
  if (!global) throw invalidCheckpoint(`NEWOBJ: the class must be a global, got ${describeValue(cls)}.`);
  const qualified = `${global.module}.${global.name}`;
  if (qualified === 'collections.OrderedDict') return pickleDict(true);
  if (qualified === 'builtins.dict') return pickleDict(false);
  if (qualified === 'builtins.list') return [];
  if (qualified === 'builtins.set' || qualified === 'builtins.frozenset') return { kind: 'set', frozen: qualified === 'builtins.frozenset', items: [] };
  const record = pickleObject(global, args);
  record.kwargs = kwargs;
  return record;
}

/** BUILD: `obj.__setstate__(state)` or `obj.__dict__.update(state)`, on inert values only. */
export function applyState(target: PickleValue | undefined, state: PickleValue): void {
  if (typeof target !== 'object' || target === null || Array.isArray(target) || target instanceof Uint8Array) {
    throw invalidCheckpoint(`BUILD: cannot set state on ${describeValue(target)}.`);
  }
  switch (target.kind) {
    case 'object':
      target.state = state;
      return;
    case 'dict': {
      // (dict_state, slot_state) or a plain dict of attributes, e.g. OrderedDict._metadata.
      const parts = isPickleTuple(state) ? state.items : [state];
      for (const part of parts) {
        if (!isPickleDict(part)) continue;
        for (const [key, value] of part.entries) if (typeof key === 'string') target.attributes.set(key, value);
      }
      return;
    }
    case 'ndarray':
      return setNumpyArrayState(target, state);
    case 'npdtype':
      return setNumpyDtypeState(target, state);
    default:
      throw invalidCheckpoint(`BUILD: cannot set state on ${describeValue(target)}.`);
  }
}
