// A stream model's state wiring: which inputs are recurrent states and which outputs feed them back.
// Shared by file analysis (the recognizer) and live analysis (the server's webcam socket).
import { decodeModel } from '../models/converters/onnx/index.js';
import type { ModelSpec } from '../models/spec.js';
import { STATE_NAMES_METADATA_KEY, STATE_OUTPUT_SUFFIX } from '../models/converters/tflite/index.js';
import type { InferenceSession, StreamSession } from '../runtime/session.js';

export interface StreamWiring {
  imageInput: string;
  logitsOutput: string;
  states: { input: string; output: string }[];
}

/** What the wiring reads of a model: its metadata and input names (a session's info, or a decoded file). */
export interface ModelInterface {
  metadata: Readonly<Record<string, string>>;
  inputs: readonly { name: string }[];
}

/** The interface of an ONNX file read without a runtime (decoded: a few ms, no worker, no ORT). */
export function onnxModelInterface(bytes: Uint8Array): ModelInterface {
  const model = decodeModel(bytes);
  return { metadata: model.metadata ?? {}, inputs: model.graph.inputs };
}

/** The spec's state names, else those the converter recorded in the ONNX metadata, else every other input. */
export function streamWiring(spec: ModelSpec, model: ModelInterface): StreamWiring {
  const stream = spec.output.stream;
  if (!stream) throw new Error(`model ${spec.id} is not a stream model`);
  const imageInput = stream.image_input;
  const recorded = model.metadata[STATE_NAMES_METADATA_KEY];
  const states = stream.state_names
    ? stream.state_names.map((input) => ({ input, output: input + STATE_OUTPUT_SUFFIX }))
    : recorded
      ? (JSON.parse(recorded) as { input: string; output: string }[])
      : model.inputs.filter((i) => i.name !== imageInput).map((i) => ({ input: i.name, output: i.name + STATE_OUTPUT_SUFFIX }));
  return { imageInput, logitsOutput: stream.logits_output, states };
}

export function openModelStream(spec: ModelSpec, session: InferenceSession): Promise<StreamSession> {
  return session.openStream(streamWiring(spec, session.info));
}
