// A small ONNX graph builder: declare inputs, initializers and nodes by name, keep track of each
// value's dtype and dims where known (so converters can check shapes), then serialise.
import { ActionLensError } from '../../../core/errors.js';
import { elementCount, type OnnxDataType, type OnnxTensorData } from './dtypes.js';
import { concatChunks, encodeModelChunks, type Dim, type OnnxAttribute, type OnnxNode, type OnnxValueInfo } from './onnx-proto.js';

export const DEFAULT_OPSET = 17;
export const DEFAULT_IR_VERSION = 8;

/** Attribute values: plain integers, integer arrays and strings are inferred; floats must be tagged. */
export type AttributeInput = OnnxAttribute | number | bigint | string | readonly number[] | readonly string[];

export const attr = {
  float: (value: number): OnnxAttribute => ({ type: 'float', value }),
  floats: (value: readonly number[]): OnnxAttribute => ({ type: 'floats', value }),
  int: (value: number | bigint): OnnxAttribute => ({ type: 'int', value }),
  ints: (value: readonly (number | bigint)[]): OnnxAttribute => ({ type: 'ints', value }),
  string: (value: string): OnnxAttribute => ({ type: 'string', value }),
  tensor: (value: OnnxTensorData): OnnxAttribute => ({ type: 'tensor', value }),
};

export interface ValueInfo {
  dtype?: OnnxDataType;
  dims?: readonly Dim[];
}

export interface NodeOptions {
  /** Output names (default: one fresh name derived from the op type). */
  outputs?: readonly string[];
  /** Number of fresh outputs when `outputs` is not given. */
  outputCount?: number;
  name?: string;
  domain?: string;
  /** dtype/dims of each output, when the caller knows them. */
  outputInfo?: readonly ValueInfo[];
}

export interface ModelOptions {
  producer: string;
  producerVersion?: string;
  opset?: number;
  irVersion?: number;
  /** Extra operator sets, e.g. [{ domain: 'com.microsoft', version: 1 }]. */
  extraOpsets?: readonly { domain: string; version: number }[];
  metadata?: Readonly<Record<string, string>>;
  /** Write value_info for intermediate values whose dtype and dims are known. */
  emitValueInfo?: boolean;
}

export interface GraphBuilder {
  readonly name: string;
  input(name: string, dtype: OnnxDataType, dims: readonly Dim[]): string;
  /** Marks a value as a graph output (its dtype/dims default to what is known about it). */
  output(name: string, dtype?: OnnxDataType, dims?: readonly Dim[]): string;
  initializer(name: string, tensor: OnnxTensorData): string;
  /** An initializer with a fresh name derived from `hint`. */
  constant(hint: string, tensor: OnnxTensorData): string;
  node(opType: string, inputs: readonly string[], attrs?: Readonly<Record<string, AttributeInput>>, options?: NodeOptions): string[];
  /** A name not used yet, derived from `hint` (hint itself when free). */
  uniqueName(hint: string): string;
  has(name: string): boolean;
  info(name: string): ValueInfo | undefined;
  setInfo(name: string, info: ValueInfo): void;
  /** Constant data of an initializer, or undefined. */
  constantValue(name: string): OnnxTensorData | undefined;
  readonly nodeCount: number;
  toModel(options: ModelOptions): Uint8Array;
  /** toModel as chunks that share the initializers' memory (see encodeModelChunks). */
  toModelChunks(options: ModelOptions): Uint8Array[];
}

export function createGraphBuilder(name: string): GraphBuilder {
  const nodes: OnnxNode[] = [];
  const inputs: OnnxValueInfo[] = [];
  const outputs: { name: string; dtype?: OnnxDataType; dims?: readonly Dim[] }[] = [];
  const initializers = new Map<string, OnnxTensorData>();
  const infos = new Map<string, ValueInfo>();
  const used = new Set<string>(); // names handed out or defined
  const bound = new Set<string>(); // names that hold a value (inputs, initializers, node outputs)
  const counters = new Map<string, number>();

  function uniqueName(hint: string): string {
    const base = hint || 'v';
    if (!used.has(base)) {
      used.add(base);
      return base;
    }
    let n = counters.get(base) ?? 1;
    while (used.has(`${base}_${n}`)) n++;
    counters.set(base, n + 1);
    const name = `${base}_${n}`;
    used.add(name);
    return name;
  }

  /** Binds a value to a name; a name from uniqueName() may be bound once. */
  function claim(name: string, what: string): void {
    if (bound.has(name)) {
      throw new ActionLensError('AL_ERR_CONVERSION_FAILED', `ONNX graph "${graphName}": ${what} name "${name}" is already defined.`, {
        hint: 'Use uniqueName() for generated names.',
      });
    }
    used.add(name);
    bound.add(name);
  }

  function addInitializer(valueName: string, tensor: OnnxTensorData): string {
    if (tensor.data.length !== elementCount(tensor.dims)) {
      throw new ActionLensError(
        'AL_ERR_CONVERSION_FAILED',
        `Initializer "${valueName}": dims [${tensor.dims.join(',')}] need ${elementCount(tensor.dims)} values, got ${tensor.data.length}.`,
      );
    }
    bound.add(valueName);
    initializers.set(valueName, tensor);
    infos.set(valueName, { dtype: tensor.dtype, dims: tensor.dims });
    return valueName;
  }

  const graphName = name;
  const builder: GraphBuilder = {
    name,
    input(valueName, dtype, dims) {
      claim(valueName, 'input');
      inputs.push({ name: valueName, dtype, dims });
      infos.set(valueName, { dtype, dims });
      return valueName;
    },
    output(valueName, dtype, dims) {
      outputs.push({ name: valueName, dtype, dims });
      return valueName;
    },
    initializer(valueName, tensor) {
      claim(valueName, 'initializer');
      return addInitializer(valueName, tensor);
    },
    constant(hint, tensor) {
      return addInitializer(uniqueName(hint), tensor);
    },
    node(opType, nodeInputs, attrs = {}, options = {}) {
      const outs = options.outputs ? [...options.outputs] : Array.from({ length: options.outputCount ?? 1 }, () => uniqueName(`${opType}_out`));
      for (const o of outs) claim(o, `output of ${opType}`);
      const attributes: Record<string, OnnxAttribute> = {};
      for (const [key, value] of Object.entries(attrs)) attributes[key] = toAttribute(opType, key, value);
      nodes.push({
        opType,
        domain: options.domain,
        name: options.name ?? uniqueName(opType),
        inputs: nodeInputs,
        outputs: outs,
        attributes,
      });
      options.outputInfo?.forEach((info, i) => infos.set(outs[i], info));
      return outs;
    },
    uniqueName,
    has: (valueName) => used.has(valueName),
    info: (valueName) => infos.get(valueName),
    setInfo: (valueName, info) => void infos.set(valueName, info),
    constantValue: (valueName) => initializers.get(valueName),
    get nodeCount() {
      return nodes.length;
    },
    toModel(options) {
      return concatChunks(builder.toModelChunks(options));
    },
    toModelChunks(options) {
      checkWiring(graphName, nodes, inputs, initializers, outputs);
      const graphOutputs = outputs.map((o): OnnxValueInfo => {
        const known = infos.get(o.name);
        const dtype = o.dtype ?? known?.dtype;
        if (!dtype) {
          throw new ActionLensError('AL_ERR_CONVERSION_FAILED', `ONNX graph "${graphName}": output "${o.name}" has no known dtype.`, {
            hint: 'Pass the dtype to output(), or outputInfo to the node that makes it.',
          });
        }
        return { name: o.name, dtype, dims: o.dims ?? known?.dims };
      });
      const boundary = new Set([...inputs.map((i) => i.name), ...outputs.map((o) => o.name), ...initializers.keys()]);
      const valueInfo = options.emitValueInfo
        ? [...infos.entries()]
            .filter(([n, i]) => !boundary.has(n) && i.dtype && i.dims)
            .map(([n, i]): OnnxValueInfo => ({ name: n, dtype: i.dtype as OnnxDataType, dims: i.dims }))
        : [];
      return encodeModelChunks({
        irVersion: options.irVersion ?? DEFAULT_IR_VERSION,
        producerName: options.producer,
        producerVersion: options.producerVersion,
        opsets: [{ domain: '', version: options.opset ?? DEFAULT_OPSET }, ...(options.extraOpsets ?? [])],
        metadata: options.metadata,
        graph: {
          name: graphName,
          nodes,
          initializers: [...initializers.entries()].map(([n, t]) => ({ ...t, name: n })),
          inputs,
          outputs: graphOutputs,
          valueInfo,
        },
      });
    },
  };
  return builder;
}

function toAttribute(opType: string, key: string, value: AttributeInput): OnnxAttribute {
  if (typeof value === 'string') return { type: 'string', value };
  if (typeof value === 'bigint') return { type: 'int', value };
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) {
      throw new ActionLensError('AL_ERR_CONVERSION_FAILED', `${opType} attribute "${key}" = ${value} is not an integer; write attr.float(${value}) for a float attribute.`, {
        hint: 'Tag float attributes with attr.float(value).',
      });
    }
    return { type: 'int', value };
  }
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v === 'string')) return { type: 'strings', value: value as string[] };
    if (value.every((v) => Number.isInteger(v))) return { type: 'ints', value: value as number[] };
    throw new ActionLensError('AL_ERR_CONVERSION_FAILED', `${opType} attribute "${key}" = [${value.join(',')}] mixes types or has non-integers.`, {
      hint: 'Tag float lists with attr.floats(values).',
    });
  }
  return value as OnnxAttribute;
}

/** Every node input must exist before the node (graphs are written in topological order). */
function checkWiring(
  graphName: string,
  nodes: readonly OnnxNode[],
  inputs: readonly OnnxValueInfo[],
  initializers: ReadonlyMap<string, OnnxTensorData>,
  outputs: readonly { name: string }[],
): void {
  const defined = new Set<string>([...inputs.map((i) => i.name), ...initializers.keys(), '']);
  for (const node of nodes) {
    for (const i of node.inputs) {
      if (!defined.has(i)) {
        throw new ActionLensError('AL_ERR_CONVERSION_FAILED', `ONNX graph "${graphName}": node ${node.name} (${node.opType}) reads "${i}", which is not defined before it.`);
      }
    }
    for (const o of node.outputs) defined.add(o);
  }
  for (const o of outputs) {
    if (!defined.has(o.name)) {
      throw new ActionLensError('AL_ERR_CONVERSION_FAILED', `ONNX graph "${graphName}": output "${o.name}" is never produced.`);
    }
  }
}
