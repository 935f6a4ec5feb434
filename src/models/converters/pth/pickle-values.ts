// The inert value model the safe unpickler builds. Nothing here can run code: Python objects
// become plain data, and any class the reader does not know becomes a `PickleObject` record.
//
// Python -> JS: None -> null, bool -> boolean, int -> number (bigint beyond 2^53), float -> number
// (so 2.0 and 2 read the same), str -> string, bytes/bytearray -> Uint8Array, list -> array,
// tuple -> PickleTuple, dict/OrderedDict -> PickleDict, set/frozenset -> PickleSet.
import type { NumpyArray, NumpyDtype, NumpyScalar } from './numpy-values.js';
import type { TorchDtypeValue, TorchStorageRef, TorchStorageType, TorchTensor } from './torch-values.js';

export type PickleValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | PickleValue[]
  | PickleTuple
  | PickleDict
  | PickleSet
  | PickleGlobal
  | PickleObject
  | NumpyArray
  | NumpyDtype
  | NumpyScalar
  | TorchTensor
  | TorchStorageRef
  | TorchStorageType
  | TorchDtypeValue;

export interface PickleTuple {
  readonly kind: 'tuple';
  readonly items: readonly PickleValue[];
}

export interface PickleDict {
  readonly kind: 'dict';
  /** true for collections.OrderedDict (plain dicts keep insertion order too). */
  readonly ordered: boolean;
  readonly entries: Map<PickleValue, PickleValue>;
  /** Python attributes set by BUILD (e.g. a state dict's `_metadata`). */
  readonly attributes: Map<string, PickleValue>;
}

export interface PickleSet {
  readonly kind: 'set';
  readonly frozen: boolean;
  readonly items: PickleValue[];
}

/** A reference to a Python global (class or function) that was never resolved or called. */
export interface PickleGlobal {
  readonly kind: 'global';
  readonly module: string;
  readonly name: string;
}

/**
 * What calling or instantiating an unknown global produced: a record of the call, never the call.
 * `os.system('rm -rf /')` reads as `{ $global: 'os.system', args: ['rm -rf /'] }`.
 */
export interface PickleObject {
  readonly kind: 'object';
  readonly $global: string;
  readonly args: PickleValue[];
  /** Keyword arguments from NEWOBJ_EX. */
  kwargs: PickleDict | undefined;
  /** What BUILD would have passed to __setstate__ (usually the instance __dict__). */
  state: PickleValue | undefined;
  /** Items APPEND/APPENDS added (list subclasses). */
  readonly listItems: PickleValue[];
  /** Items SETITEM/SETITEMS added (dict subclasses, e.g. mmengine ConfigDict). */
  readonly dictItems: Map<PickleValue, PickleValue>;
}

export function pickleTuple(items: readonly PickleValue[]): PickleTuple {
  return { kind: 'tuple', items };
}

export function pickleDict(ordered = false): PickleDict {
  return { kind: 'dict', ordered, entries: new Map(), attributes: new Map() };
}

export function pickleObject(global: PickleGlobal, args: PickleValue[]): PickleObject {
  return {
    kind: 'object',
    $global: `${global.module}.${global.name}`,
    args,
    kwargs: undefined,
    state: undefined,
    listItems: [],
    dictItems: new Map(),
  };
}

/** The `kind` of a value, or its JS type for primitives; for error messages. */
export function describeValue(value: PickleValue | undefined): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'None';
  if (Array.isArray(value)) return 'list';
  if (value instanceof Uint8Array) return 'bytes';
  if (typeof value === 'object') {
    if (value.kind === 'global' || value.kind === 'object') {
      return `${value.kind} ${value.kind === 'global' ? `${value.module}.${value.name}` : value.$global}`;
    }
    return value.kind;
  }
  return typeof value;
}

export function isPickleDict(value: PickleValue | undefined): value is PickleDict {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array) && value.kind === 'dict';
}

export function isPickleTuple(value: PickleValue | undefined): value is PickleTuple {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array) && value.kind === 'tuple';
}

/** Looks up a string key in a dict (the common case for checkpoints). */
export function dictGet(dict: PickleDict, key: string): PickleValue | undefined {
  return dict.entries.get(key);
}
