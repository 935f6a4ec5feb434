// The machine a figure was measured on, printed with every bench result.
import os from 'node:os';
import * as ort from 'onnxruntime-node';

export function machineInfo() {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpu_model: cpus[0]?.model ?? 'unknown',
    load_average: os.loadavg().map((x) => Number(x.toFixed(2))), // 1, 5, 15 min
    total_memory_gib: Number((os.totalmem() / 2 ** 30).toFixed(1)),
    platform: `${process.platform}-${process.arch}`,
    node: process.version,
    onnxruntime: ort.env.versions?.node ?? ort.env.versions?.common ?? 'unknown',
  };
}
