// Names for what a rewrite adds to a graph: free among the graph's inputs, initializers, node
// outputs and node names (ONNX Runtime refuses two nodes with one name), and among each other.
import type { OnnxGraph } from '../converters/onnx/onnx-proto.js';

export function freshNamesFor(graph: OnnxGraph): (hint: string) => string {
  const taken = new Set<string>([...graph.inputs.map((i) => i.name), ...graph.initializers.map((t) => t.name)]);
  for (const node of graph.nodes) {
    taken.add(node.name);
    for (const o of node.outputs) taken.add(o);
  }
  return (hint) => {
    let name = hint;
    for (let n = 1; taken.has(name); n++) name = `${hint}_${n}`;
    taken.add(name);
    return name;
  };
}
