// The model zoo: one typed table of pretrained models that actionlens knows how to fetch and run.
// Platform-free (the web app lists the same models). Add a model by adding an entry here.
import { ActionLensError } from '../core/errors.js';
import { LABEL_MAPS } from './labels.js';
import { validateModelSpec, type ModelSpec, type ModelSpecInput } from './spec.js';
import { MMACTION2_ZOO_ENTRIES } from './zoo/mmaction2-entries.js';

const ZOO_ENTRIES = [
  {
    id: 'movinet-a0-stream-k600',
    display_name: 'MoViNet-A0 Stream (int8 TFLite, Kinetics-600)',
    family: 'movinet',
    dataset: 'kinetics-600',
    num_classes: 600,
    labels: LABEL_MAPS.kinetics600,
    source: {
      // TF Hub redirects to Kaggle Models; the store follows redirects.
      urls: [
        'https://tfhub.dev/tensorflow/lite-model/movinet/a0/stream/kinetics-600/classification/tflite/int8/1?lite-format=tflite',
      ],
      file_name: 'movinet_a0_stream_int8_kinetics600.tflite',
      sha256: '6125b36e2485eeb5cc1fd6206cf5e5d70235593fbc84610d1dce97fe3aa9c2ac',
      size_bytes: 3_276_048,
      license: 'Apache-2.0',
      converter: 'tflite',
    },
    input: {
      layout: 'NTHWC-stream', // image [1, 1, 172, 172, 3], one frame per step
      size: { width: 172, height: 172 }, // plain resize, aspect not kept
      value_scale: 1 / 255, // RGB in [0, 1], no mean/std
      mean: [0, 0, 0],
      std: [1, 1, 1],
      channel_order: 'rgb',
      default_fps: 5,
    },
    output: {
      kind: 'logits', // logits [1, 600]
      view_average: 'prob',
      // 50 frames = the 10 s training clips; longer streams saturate the int8 running average.
      stream: { image_input: 'image', logits_output: 'logits', window_frames: 50 },
    },
    // Reported by tensorflow/models for the float A0-Stream on Kinetics-600 (the int8 file may differ slightly).
    accuracy: { top1: 72.05, top5: 90.63 },
    flops: 2.7e9,
    params: 3_100_000,
    input_size: '50 x 172 x 172 (10 s at 5 fps, streamed one frame at a time)',
  },
  // MMAction2 checkpoints (Kinetics-400), generated from the golden fixtures' configs and metafiles.
  ...MMACTION2_ZOO_ENTRIES,
] as const satisfies readonly ModelSpecInput[];

const ZOO: readonly ModelSpec[] = ZOO_ENTRIES.map((entry) => validateModelSpec(entry, 'zoo entry'));

/** The ids the zoo knows, e.g. 'movinet-a0-stream-k600'. */
export type ZooModelId = (typeof ZOO_ENTRIES)[number]['id'];

/** Every zoo model, in table order. Returns copies: callers may not change the table. */
export function listModels(): ModelSpec[] {
  return ZOO.map((spec) => structuredClone(spec));
}

/** The spec for a zoo id; unknown ids throw AL_ERR_UNKNOWN_MODEL naming the known ids and the closest one. */
export function getModelSpec(id: string): ModelSpec {
  const spec = ZOO.find((s) => s.id === id);
  if (spec) return structuredClone(spec);
  const known = ZOO.map((s) => s.id);
  const closest = closestId(id, known);
  throw new ActionLensError('AL_ERR_UNKNOWN_MODEL', `Unknown model id '${id}'. Known ids: ${known.join(', ')}.`, {
    hint: closest ? `Did you mean '${closest}'? Run 'actionlens models list' to see every model.` : "Run 'actionlens models list' to see every model.",
  });
}

/** The known id with the smallest edit distance, if it is close enough to be a plausible typo. */
function closestId(id: string, known: readonly string[]): string | undefined {
  const wanted = id.toLowerCase();
  let best: { id: string; distance: number } | undefined;
  for (const candidate of known) {
    const distance = editDistance(wanted, candidate);
    if (!best || distance < best.distance) best = { id: candidate, distance };
  }
  if (best && best.distance <= Math.max(3, Math.floor(best.id.length / 3))) return best.id;
  // Not a typo: maybe a fragment of an id, e.g. 'movinet' or 'a0-stream'.
  return wanted.length >= 3 ? known.find((k) => k.includes(wanted)) : undefined;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}
