// Multiply-adds of one ONNX Runtime run, counted from its profiler's kernel events (each carries
// the input and output shapes the kernel saw): Conv-like kernels and MatMul/Gemm-like kernels,
// which is where all but a sliver of a video network's arithmetic is.

const numel = (dims) => dims.reduce((n, d) => n * d, 1);
const shapesOf = (list) => (list ?? []).map((entry) => Object.values(entry)[0] ?? []);

/** MACs of one kernel event, or 0 for kernels that do no multiply-adds worth counting. */
export function kernelMacs(event) {
  const op = event.args?.op_name ?? '';
  const inputs = shapesOf(event.args?.input_type_shape);
  const [out] = shapesOf(event.args?.output_type_shape);
  if (!out || inputs.length < 2) return 0;
  if (/Conv/.test(op) && !/Transpose/.test(op)) {
    // Each output element takes (C_in / groups) * kernel volume MACs = numel(W) / C_out.
    const weight = inputs[1];
    return (numel(out) * numel(weight)) / out[1];
  }
  if (/MatMul/.test(op)) return numel(out) * inputs[0][inputs[0].length - 1]; // [.., M, K] x [.., K, N]
  if (/Gemm/.test(op)) return numel(out) * (numel(inputs[0]) / out[0]); // A [M, K] (or [K, M]) -> out [M, N]
  return 0;
}

/** Sum over the kernel events of a profile (one run), in MACs; also per op type. */
export function profileMacs(events) {
  const perOp = {};
  let total = 0;
  for (const e of events) {
    if (e.cat !== 'Node' || !String(e.name).endsWith('_kernel_time')) continue;
    const macs = kernelMacs(e);
    if (macs === 0) continue;
    total += macs;
    const op = e.args.op_name;
    perOp[op] = (perOp[op] ?? 0) + macs;
  }
  return { total, perOp };
}
