// Decoders hand over RGB; some models were trained on BGR (MMAction2's `to_rgb=False` with cv2 frames).
import { ActionLensError } from '../errors.js';
import type { ImageU8 } from './image.js';

export type ChannelOrder = 'RGB' | 'BGR';

/** For each output channel, the RGB input channel it reads. */
export function channelSources(order: ChannelOrder): readonly [number, number, number] {
  if (order === 'RGB') return [0, 1, 2];
  if (order === 'BGR') return [2, 1, 0];
  throw new ActionLensError('AL_ERR_INVALID_SETTINGS', `channel order is '${String(order)}', allowed: 'RGB', 'BGR'`);
}

/** A copy with red and blue swapped (RGB <-> BGR). */
export function swapRedBlue(image: ImageU8): ImageU8 {
  const src = image.data;
  const data = new Uint8Array(src.length);
  for (let i = 0; i < src.length; i += 3) {
    data[i] = src[i + 2]!;
    data[i + 1] = src[i + 1]!;
    data[i + 2] = src[i]!;
  }
  return { width: image.width, height: image.height, data };
}
