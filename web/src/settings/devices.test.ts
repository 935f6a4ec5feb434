import { describe, expect, it } from 'vitest';
import { defaultProviders, deviceChoices, providersValue } from './devices.js';

describe('device choices', () => {
  it('offers each provider, then each accelerator with CPU fallback', () => {
    const choices = deviceChoices(['cuda', 'cpu']);
    expect(choices.map((c) => c.value)).toEqual(['cuda', 'cpu', 'cuda,cpu']);
    expect(choices[2].label).toBe('CUDA (NVIDIA GPU), falling back to CPU');
  });
  it('offers no fallback when the server has no CPU provider', () => {
    expect(deviceChoices(['webgpu', 'wasm']).map((c) => c.value)).toEqual(['webgpu', 'wasm']);
  });
  it('adds the current list when it is none of the choices', () => {
    const choices = deviceChoices(['cuda', 'dml', 'cpu'], ['dml', 'cuda', 'cpu']);
    expect(choices[choices.length - 1].value).toBe('dml,cuda,cpu');
    expect(deviceChoices(['cpu'], ['cpu'])).toHaveLength(1);
  });
  it('defaults to the server\'s first provider, with CPU behind an accelerator', () => {
    expect(defaultProviders(['cuda', 'cpu'])).toEqual(['cuda', 'cpu']);
    expect(defaultProviders(['cpu', 'cuda'])).toEqual(['cpu']);
    expect(defaultProviders(['coreml'])).toEqual(['coreml']);
    expect(defaultProviders([])).toEqual(['cpu']);
    expect(providersValue(['cuda', 'cpu'])).toBe('cuda,cpu');
  });
});
