import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fnv1a32, goldenInput, goldenTensor, ruleFor, uniformAt } from './golden-weights.js';

const SELF_CHECK = resolve(process.cwd(), '../shared/fixtures/mmaction2/_generator_selfcheck.json');

interface Case {
  key: string;
  shape: number[];
  rule: string;
  fnv1a32: number;
  elements: { i: number; z: number; u: string; value_f32: string; value_f32_bits: string }[];
}

describe('golden weight generator', () => {
  const cases = (JSON.parse(readFileSync(SELF_CHECK, 'utf8')) as { cases: Case[] }).cases;
  it.each(cases.map((c) => [c.key, c] as const))('%s matches the self-check bit for bit', (_k, c) => {
    expect(fnv1a32(c.key)).toBe(c.fnv1a32);
    const values = c.key === 'input' ? goldenInput(c.shape) : goldenTensor(c.key, c.shape);
    if (c.key !== 'input') expect(ruleFor(c.key, c.shape)).toBe(c.rule);
    const bits = new Uint32Array(values.buffer);
    for (const e of c.elements) {
      expect(uniformAt(c.fnv1a32, e.i)).toBe(Number(e.u));
      expect(bits[e.i]!.toString(16).padStart(8, '0')).toBe(e.value_f32_bits);
    }
  });
});
