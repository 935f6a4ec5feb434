// The "device" setting: which ONNX Runtime execution providers the server tries, in order. The
// page offers each provider the server has, and each accelerator with a CPU fallback.
import type { EXECUTION_PROVIDERS } from '../../../src/core/settings/schema.js';

export type ExecutionProvider = (typeof EXECUTION_PROVIDERS)[number];

export interface DeviceChoice {
  /** Option value: the providers joined by ','. */
  value: string;
  label: string;
  providers: ExecutionProvider[];
}

const NAMES: Partial<Record<ExecutionProvider, string>> = {
  cpu: 'CPU',
  cuda: 'CUDA (NVIDIA GPU)',
  tensorrt: 'TensorRT (NVIDIA GPU)',
  dml: 'DirectML (Windows GPU)',
  coreml: 'Core ML (Apple)',
  webgpu: 'WebGPU',
  wasm: 'WebAssembly',
  webnn: 'WebNN',
};

export function providersValue(providers: readonly ExecutionProvider[]): string {
  return providers.join(',');
}

function labelOf(providers: readonly ExecutionProvider[]): string {
  const [first, ...rest] = providers.map((p) => NAMES[p] ?? p);
  return rest.length === 0 ? (first ?? '') : `${first}, falling back to ${rest.join(', then ')}`;
}

/**
 * Options for the device select: every available provider alone, then each non-CPU provider with
 * CPU as fallback. `current` is added when it is none of those (e.g. from a loaded file).
 */
export function deviceChoices(available: readonly ExecutionProvider[], current?: readonly ExecutionProvider[]): DeviceChoice[] {
  const lists: ExecutionProvider[][] = available.map((p) => [p]);
  if (available.includes('cpu')) {
    for (const p of available) if (p !== 'cpu') lists.push([p, 'cpu']);
  }
  if (current !== undefined && current.length > 0 && !lists.some((l) => providersValue(l) === providersValue(current))) {
    lists.push([...current]);
  }
  return lists.map((providers) => ({ value: providersValue(providers), label: labelOf(providers), providers }));
}

/**
 * The device used when nothing was chosen: the server's first provider (it lists them in its
 * preferred order), with CPU behind an accelerator so a missing driver does not fail the job.
 */
export function defaultProviders(available: readonly ExecutionProvider[]): ExecutionProvider[] {
  const first = available[0];
  if (first === undefined) return ['cpu'];
  return first !== 'cpu' && available.includes('cpu') ? [first, 'cpu'] : [first];
}
