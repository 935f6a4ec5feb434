// The part of `ffprobe -print_format json -show_format -show_streams` that probe reads, checked
// with zod at the boundary. ffprobe prints numbers as strings in some places and numbers in others.
import { z } from 'zod';

const numberish = z.union([z.number(), z.string()]).optional();

const sideDataSchema = z.looseObject({
  side_data_type: z.string().optional(),
  /** Counter-clockwise degrees, as av_display_rotation_get returns them. */
  rotation: numberish,
});

export const ffprobeStreamSchema = z.looseObject({
  index: z.number(),
  codec_type: z.string().optional(),
  codec_name: z.string().optional(),
  width: z.number().optional(),
  height: z.number().optional(),
  r_frame_rate: z.string().optional(),
  avg_frame_rate: z.string().optional(),
  nb_frames: z.string().optional(),
  nb_read_packets: z.string().optional(),
  duration: z.string().optional(),
  start_time: z.string().optional(),
  disposition: z.looseObject({ attached_pic: z.number().optional() }).optional(),
  tags: z.record(z.string(), z.string()).optional(),
  side_data_list: z.array(sideDataSchema).optional(),
});

export const ffprobeOutputSchema = z.looseObject({
  streams: z.array(ffprobeStreamSchema).default([]),
  format: z
    .looseObject({
      format_name: z.string().optional(),
      duration: z.string().optional(),
      size: z.string().optional(),
    })
    .optional(),
});

export type FfprobeStream = z.infer<typeof ffprobeStreamSchema>;
export type FfprobeOutput = z.infer<typeof ffprobeOutputSchema>;
