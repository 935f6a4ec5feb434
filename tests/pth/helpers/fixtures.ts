// Test helper: the golden .pth fixtures in ../shared and a matcher for their typed JSON encoding.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import type { PickleValue } from '../../../src/models/converters/pth/index.js';

export const PTH_FIXTURES = path.resolve(process.cwd(), '../shared/fixtures/pth');
export const FIXTURE_NAMES = ['mm_ckpt_zip', 'mm_ckpt_legacy', 'bare_sd_zip', 'bare_sd_legacy'] as const;

export interface FixtureTensor {
  key: string;
  dtype: string;
  storage_class: string;
  shape: number[];
  stride: number[];
  storage_offset: number;
  storage_key: string;
  storage_numel: number;
  requires_grad: boolean;
  is_parameter: boolean;
  values: number[];
  persistent_id: unknown[];
}

export interface FixtureStorage {
  key: string;
  dtype: string;
  numel: number;
  nbytes: number;
  sha256: string;
  bytes_hex: string;
  shared_by: string[];
}

export interface FixtureJson {
  serialization: 'zip' | 'legacy';
  size_bytes: number;
  top_level_type: 'dict' | 'OrderedDict';
  top_level_keys: string[];
  state_dict_keys: string[];
  state_dict_metadata: unknown;
  tensors: FixtureTensor[];
  storages: FixtureStorage[];
  meta?: unknown;
  zip_entries?: { name: string; size: number; compress_type: number; header_offset: number; data_offset: number; general_flags: number; crc32: number }[];
  legacy_storage_keys_order?: string[];
}

export function loadFixture(name: string): { bytes: Uint8Array; json: FixtureJson } {
  const bytes = new Uint8Array(readFileSync(path.join(PTH_FIXTURES, `${name}.pth`)));
  const json = JSON.parse(readFileSync(path.join(PTH_FIXTURES, `${name}.json`), 'utf8')) as FixtureJson;
  return { bytes, json };
}

export const hex = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');

type Tagged = Record<string, unknown>;

/**
 * Asserts that `actual` is the value the fixture's typed JSON describes (see meta_encoding in the
 * fixture): {__float__}, {__tuple__}, {__dict__}, {__odict__}, {__ndarray__}, {__npscalar__}, {__object__}.
 */
export function expectTypedJson(actual: PickleValue | undefined, expected: unknown, at = '$'): void {
  if (expected === null || typeof expected === 'string' || typeof expected === 'boolean') {
    expect(actual, at).toBe(expected);
    return;
  }
  if (typeof expected === 'number') {
    expect(typeof actual === 'bigint' ? Number(actual) : actual, at).toBe(expected);
    expect(Number.isInteger(expected), `${at}: plain JSON numbers are Python ints`).toBe(true);
    return;
  }
  if (Array.isArray(expected)) {
    expect(Array.isArray(actual), `${at} is a list`).toBe(true);
    const list = actual as PickleValue[];
    expect(list.length, `${at} length`).toBe(expected.length);
    expected.forEach((e, i) => expectTypedJson(list[i], e, `${at}[${i}]`));
    return;
  }
  const tagged = expected as Tagged;
  const a = actual as Exclude<PickleValue, null | boolean | number | bigint | string | Uint8Array | PickleValue[]>;
  if ('__float__' in tagged) {
    expect(actual, at).toBe(Number(tagged.__float__));
  } else if ('__tuple__' in tagged) {
    expect(a.kind, at).toBe('tuple');
    const items = (tagged.__tuple__ as unknown[]);
    const got = (a as { items: PickleValue[] }).items;
    expect(got.length, `${at} tuple length`).toBe(items.length);
    items.forEach((e, i) => expectTypedJson(got[i], e, `${at}(${i})`));
  } else if ('__dict__' in tagged || '__odict__' in tagged) {
    expect(a.kind, at).toBe('dict');
    const dict = a as { ordered: boolean; entries: Map<PickleValue, PickleValue> };
    expect(dict.ordered, `${at} ordered`).toBe('__odict__' in tagged);
    const pairs = (tagged.__dict__ ?? tagged.__odict__) as [string, unknown][];
    expect([...dict.entries.keys()], `${at} keys`).toEqual(pairs.map(([k]) => k));
    for (const [k, v] of pairs) expectTypedJson(dict.entries.get(k), v, `${at}.${k}`);
  } else if ('__ndarray__' in tagged) {
    const e = tagged.__ndarray__ as { dtype: string; shape: number[]; fortran_order: boolean; values: number[]; bytes_hex: string };
    expect(a.kind, at).toBe('ndarray');
    const arr = a as { dtype: string; shape: number[]; fortranOrder: boolean; bytes: Uint8Array; data: ArrayLike<number | bigint> };
    expect(arr.dtype, `${at} dtype`).toBe(e.dtype);
    expect(arr.shape, `${at} shape`).toEqual(e.shape);
    expect(arr.fortranOrder, `${at} fortran`).toBe(e.fortran_order);
    expect(hex(arr.bytes), `${at} bytes`).toBe(e.bytes_hex);
    expect(Array.from(arr.data, (v) => Number(v)), `${at} values`).toEqual(e.values);
  } else if ('__npscalar__' in tagged) {
    const e = tagged.__npscalar__ as { dtype: string; value: number; bytes_hex: string };
    expect(a.kind, at).toBe('npscalar');
    const s = a as { dtype: string; value: number; bytes: Uint8Array };
    expect(s.dtype, `${at} dtype`).toBe(e.dtype);
    expect(s.value, `${at} value`).toBe(e.value);
    expect(hex(s.bytes), `${at} bytes`).toBe(e.bytes_hex);
  } else if ('__object__' in tagged) {
    const e = tagged.__object__ as { module: string; name: string; state: Record<string, unknown> };
    expect(a.kind, at).toBe('object');
    const o = a as { $global: string; state: PickleValue };
    expect(o.$global, `${at} class`).toBe(`${e.module}.${e.name}`);
    // The state is the instance __dict__: a plain dict written here as a JSON object.
    expectTypedJson(o.state, { __dict__: Object.entries(e.state) }, `${at}.__dict__`);
  } else {
    throw new Error(`${at}: unknown typed JSON ${JSON.stringify(expected).slice(0, 80)}`);
  }
}
