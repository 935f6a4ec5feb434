import { ActionLensError } from '../../../core/errors.js';

const DEFAULT_HINT = 'The file is corrupt, truncated or not a PyTorch checkpoint: download it again or check its sha256.';

/** AL_ERR_CHECKPOINT_INVALID with a default hint; every reader error goes through here. */
export function invalidCheckpoint(message: string, hint: string = DEFAULT_HINT): ActionLensError {
  return new ActionLensError('AL_ERR_CHECKPOINT_INVALID', message, { hint });
}
