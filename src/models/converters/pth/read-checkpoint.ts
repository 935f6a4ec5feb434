// Entry point: reads a PyTorch .pth (zip or legacy) without executing anything from it.
import type { Checkpoint, ReadCheckpointOptions } from './checkpoint-types.js';
import { invalidCheckpoint } from './checkpoint-error.js';
import { readLegacyCheckpoint } from './legacy-checkpoint.js';
import { OP } from './pickle-opcodes.js';
import { isZip } from './zip-archive.js';
import { readZipCheckpoint } from './zip-checkpoint.js';

const HOST_IS_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Reads a checkpoint from its bytes. Tensors come back as contiguous typed arrays; globals outside
 * the allowlist come back as inert `{ $global, args, state }` records. Little-endian files only.
 */
export function readCheckpoint(bytes: Uint8Array, options: ReadCheckpointOptions = {}): Checkpoint {
  if (!HOST_IS_LITTLE_ENDIAN) throw invalidCheckpoint('This reader needs a little-endian host (x86, ARM): typed arrays use the host byte order.');
  if (bytes.length === 0) throw invalidCheckpoint('The checkpoint file is empty (0 bytes).');
  if (isZip(bytes)) return readZipCheckpoint(bytes, options);
  if (bytes[0] === OP.PROTO) return readLegacyCheckpoint(bytes);
  const head = Array.from(bytes.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join(' ');
  throw invalidCheckpoint(
    `Not a PyTorch checkpoint: it starts with bytes ${head}, neither a zip ('PK\\x03\\x04') nor a pickle (0x80).`,
    'Pass a .pth/.pt file written by torch.save (safetensors files and the tar checkpoints of torch < 0.4 are not read here).',
  );
}
