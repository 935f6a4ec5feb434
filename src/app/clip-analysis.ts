// One video through a clip model (MMAction2 TSN / TSM / X3D / SlowFast ... as ONNX). The timeline
// (our main output) comes from windows sliding over the video; with protocol 'full' the aggregate
// is replaced by MMAction2's whole-video test protocol (all views of SampleFrames x crops, averaged
// as the model's average_clip), i.e. the number the model zoo's accuracy refers to.
import { ActionLensError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { createTimelineBuilder, roundSignificant, topK, type TimelineResult, type ViewAverage } from '../core/postprocess/index.js';
import type { AnalysisSettings } from '../core/settings/index.js';
import type { VideoInfo } from '../core/video-types.js';
import type { ModelSpec } from '../models/spec.js';
import type { InferenceSession } from '../runtime/session.js';
import { clipGeometry } from './clip-input.js';
import { countFrames, runClipProtocol } from './clip-protocol.js';
import { analyzeClipTimeline } from './clip-timeline.js';

/** 'timeline': aggregate over the timeline windows; 'full': aggregate = MMAction2's test protocol. */
export type ClipProtocol = AnalysisSettings['clip_protocol'];

export interface ClipAnalysisInput {
  videoPath: string;
  info: VideoInfo;
  spec: ModelSpec;
  labels: string[];
  session: Pick<InferenceSession, 'run'>;
  analysis: AnalysisSettings;
  /** Default: analysis.clip_protocol. */
  protocol?: ClipProtocol;
  ffmpeg: string;
  queueFrames?: number;
  logger: Logger;
  signal?: AbortSignal;
  /** Source frames between timeline windows; default: one window span (windows touch). */
  strideFrames?: number;
  /** Views per model call in the full protocol. */
  viewsPerRun?: number;
  onWindow?: (tSec: number, windows: number, probs: Float32Array) => void;
}

export interface ClipAnalysisOutput {
  result: TimelineResult;
  windows: number;
  /** Most decoded frames held at once in timeline mode (flat in the video's length). */
  peakFramesHeld: number;
  /** Set when protocol is 'full': views run and frames the protocol sampled. */
  protocol?: { views: number; sampledFrames: number; totalFrames: number };
  timings: { decode_ms: number; transform_ms: number; infer_ms: number; postprocess_ms: number };
}

/**
 * How MMAction2 merges the views of this model. A TSNHead averages features over every segment of
 * every view before its fc layer and applies one softmax; the fc is affine and views hold equal
 * segment counts, so that equals averaging the views' raw scores: 'score'. Others: the spec's choice.
 */
export function protocolViewAverage(spec: ModelSpec): ViewAverage {
  const head = spec.mmaction2?.model.cls_head.type;
  if (spec.input.layout === 'NCHW-segments' && head === 'TSNHead') return 'score';
  return spec.output.view_average;
}

export async function analyzeClip(input: ClipAnalysisInput): Promise<ClipAnalysisOutput> {
  const { spec, analysis } = input;
  const protocol = input.protocol ?? analysis.clip_protocol;
  if (protocol !== 'timeline' && protocol !== 'full') {
    throw new ActionLensError('AL_ERR_INVALID_SETTINGS', `analysis.clip_protocol is '${String(protocol)}', allowed: 'timeline', 'full'`, {
      hint: "Set analysis.clip_protocol to 'timeline' (default) or 'full'.",
    });
  }
  if (input.labels.length !== spec.num_classes) {
    throw new ActionLensError('AL_ERR_INTERNAL', `model ${spec.id}: ${input.labels.length} labels for num_classes ${spec.num_classes}`);
  }
  const geometry = clipGeometry(spec);
  const decode = { videoPath: input.videoPath, info: input.info, ffmpeg: input.ffmpeg, queueFrames: input.queueFrames, logger: input.logger, signal: input.signal };
  const totalFrames = await countFrames(decode);
  if (totalFrames < 1) {
    throw new ActionLensError('AL_ERR_DECODE_FAILED', `No frames could be decoded from ${input.videoPath}.`, {
      hint: 'Check that the file plays in a video player; re-encode it with ffmpeg if it does not.',
    });
  }
  const info = { ...input.info, frameCount: totalFrames, frameCountEstimated: false };

  const builder = createTimelineBuilder({ labels: input.labels, ...analysis });
  const timeline = await analyzeClipTimeline({
    ...decode,
    info,
    totalFrames,
    geometry,
    numClasses: spec.num_classes,
    session: input.session,
    builder,
    segmentWindowSec: analysis.window_sec,
    strideFrames: input.strideFrames,
    onWindow: input.onWindow,
  });
  const timings = { ...timeline.timings };
  const p0 = performance.now();
  const result = builder.finish(info.durationSec);
  timings.postprocess_ms += performance.now() - p0;
  if (protocol === 'timeline') return { result, windows: timeline.windows, peakFramesHeld: timeline.peakFramesHeld, timings };

  const full = await runClipProtocol({
    ...decode,
    info,
    geometry,
    session: input.session,
    numClasses: spec.num_classes,
    viewAverage: protocolViewAverage(spec),
    viewsPerRun: input.viewsPerRun,
  });
  for (const key of Object.keys(timings) as (keyof typeof timings)[]) timings[key] += full.timings[key];
  const topk = topK(full.probs, analysis.topk, analysis.threshold, input.labels).map((s) => ({ ...s, score: roundSignificant(s.score, 6) }));
  return {
    result: { ...result, aggregate: { method: result.aggregate.method, topk } },
    windows: timeline.windows,
    peakFramesHeld: timeline.peakFramesHeld,
    protocol: { views: full.views, sampledFrames: full.frameIndices.length, totalFrames: full.totalFrames },
    timings,
  };
}
