// Leading size-1 dimensions: TFLite MoViNet moves every activation between [1, 1, H, W, C] (5-D
// video) and [1, H, W, C] (4-D image) around each conv. Such a reshape never changes the data
// order, and elementwise ops broadcast from the right, so the converter can skip it and keep the
// value at its own rank until an op needs the exact shape (one Reshape then, shared by all users).
/** The dims without their leading 1s (at least one dim is kept). */
export function withoutLeadingOnes(dims: readonly number[]): number[] {
  let start = 0;
  while (start < dims.length - 1 && dims[start] === 1) start++;
  return dims.slice(start);
}

/** True when `a` and `b` differ only by leading 1s, e.g. [1, 1, 22, 22, 32] and [1, 22, 22, 32]. */
export function sameUpToLeadingOnes(a: readonly number[], b: readonly number[]): boolean {
  const x = withoutLeadingOnes(a);
  const y = withoutLeadingOnes(b);
  return x.length === y.length && x.every((d, i) => d === y[i]);
}

export function sameDims(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** NumPy broadcasting of static shapes (aligned from the right). */
export function broadcastDims(a: readonly number[], b: readonly number[]): number[] {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const x = a[a.length - rank + i] ?? 1;
    const y = b[b.length - rank + i] ?? 1;
    out.push(x === 1 ? y : x);
  }
  return out;
}
