// The recognizer: the one API the CLI, the server and the tests call. It ties the data path
// together: hash + probe the video -> result cache? -> model (download, convert, session) ->
// decode -> model -> postprocess -> result document (validated) -> result cache.
import { basename, join } from 'node:path';
import type { Logger } from '../core/logger.js';
import { silentLogger } from '../core/logger.js';
import { RESULT_SCHEMA_VERSION, validateResultDocument, type ResultDocument } from '../core/result/index.js';
import type { AnalysisSettings, AppConfig } from '../core/settings/index.js';
import type { VideoInfo } from '../core/video-types.js';
import { sha256File } from '../io/file-sha256.js';
import { resolveCacheDir } from '../models/store/index.js';
import { createInferenceSession, type CreateSessionOptions, type InferenceSession } from '../runtime/session.js';
import { ffmpegVersion, locateFfmpeg, probeVideo, type FfmpegTools } from '../video/index.js';
import { actionlensVersion, platformName } from './environment.js';
import { openWindowedStream, type WindowedStream } from './windowed-stream.js';
import { prepareModel, type PreparedModel } from './prepare-model.js';
import { ensureQuantized, type QuantizedModel } from './quantize-model.js';
import { createResultCache, resultCacheKey, type ResultCache } from './result-cache.js';
import { analyzeClip } from './clip-analysis.js';
import { analyzeStream, type StreamAnalysisOutput } from './stream-analysis.js';

export type AnalysisStage = 'hash' | 'probe' | 'model' | 'download' | 'analyze' | 'done';

export interface AnalysisProgress {
  stage: AnalysisStage;
  /** 0..1 within the stage where known. */
  fraction?: number;
  framesDone?: number;
  /** Seconds left in the analyze stage, from the pace so far. */
  etaSec?: number;
  /** Video time reached, in seconds. */
  videoSec?: number;
}

export interface AnalyzeOptions {
  signal?: AbortSignal;
  onProgress?: (p: AnalysisProgress) => void;
  /** Each scored frame as it comes (for live partial timelines). */
  onFrame?: (tSec: number, frames: number, probs: Float32Array) => void;
  /** Analysis settings for this video only (the server's jobs); default: the recognizer's config. */
  analysis?: AnalysisSettings;
  /** The name the result document gives the source (default: the file's name), e.g. an upload's original name. */
  sourceName?: string;
}

export interface AnalyzeResult {
  document: ResultDocument;
  /** True when the document came from the result cache. */
  cached: boolean;
}

export interface Recognizer {
  readonly config: AppConfig;
  analyze(videoPath: string, opts?: AnalyzeOptions): Promise<AnalyzeResult>;
  close(): Promise<void>;
}

interface LoadedModel {
  prepared: PreparedModel;
  /** The int8 copy that runs instead of the fp32 ONNX when runtime.precision is 'int8'. */
  quantized?: QuantizedModel;
  quantizeMs: number;
  /** Clip models: whole views run through this session. */
  session?: InferenceSession;
  /** Stream models (MoViNet): frame by frame, in windows when the spec asks for them. */
  stream?: WindowedStream;
  provider: string;
  ortVersion: string;
  loadMs: number;
}

export async function createRecognizer(config: AppConfig, opts: { logger?: Logger } = {}): Promise<Recognizer> {
  const logger = opts.logger ?? silentLogger;
  const tools: FfmpegTools = locateFfmpeg({ ffmpegPath: config.video.ffmpeg ?? undefined, ffprobePath: config.video.ffprobe ?? undefined });
  const ffmpeg = await ffmpegVersion(tools.ffmpeg).catch(() => 'unknown');
  const cacheDir = resolveCacheDir({ cacheDir: config.store.cache_dir ?? undefined });
  const resultCache: ResultCache<ResultDocument> | undefined = config.result_cache.enabled
    ? createResultCache(join(cacheDir, 'results'), validateResultDocument, logger)
    : undefined;
  let model: Promise<LoadedModel> | undefined;

  // Loaded on first use and kept: one session (one worker) serves every video of this recognizer.
  const loadModel = (analyzeOpts: AnalyzeOptions, video: { path: string; sha256: string }): Promise<LoadedModel> => {
    model ??= (async () => {
      analyzeOpts.onProgress?.({ stage: 'model' });
      const prepared = await prepareModel(config, {
        logger,
        signal: analyzeOpts.signal,
        onDownloadProgress: (received, total) =>
          analyzeOpts.onProgress?.({ stage: 'download', fraction: total ? received / total : undefined }),
      });
      const runtime = { threads: config.runtime.threads, executionProviders: config.runtime.execution_providers, logger };
      const q0 = performance.now();
      let quantized: QuantizedModel | undefined;
      if (config.runtime.precision === 'int8') {
        // Stream models come from quantized TFLite files: they already are int8 and run as they are.
        if (prepared.spec.output.stream) logger.info({ model: prepared.spec.id }, 'int8: a stream model already runs int8 weights; running it as it is');
        else quantized = await quantize(prepared, runtime, video, analyzeOpts.signal);
      }
      const quantizeMs = performance.now() - q0;
      const onnxPath = quantized?.onnxPath ?? prepared.onnxPath;
      const l0 = performance.now();
      if (prepared.spec.output.stream) {
        const stream = await openWindowedStream(prepared.spec, onnxPath, runtime);
        return { prepared, quantized, quantizeMs, stream, provider: stream.provider, ortVersion: stream.info.ortVersion, loadMs: performance.now() - l0 };
      }
      const session = await createInferenceSession(onnxPath, runtime);
      return { prepared, quantized, quantizeMs, session, provider: session.provider, ortVersion: session.info.ortVersion, loadMs: performance.now() - l0 };
    })();
    // A failed load (offline, bad checksum) is not cached: the next call tries again.
    model.catch(() => {
      model = undefined;
    });
    return model;
  };

  // int8: calibrated on runtime.calibration, else on the first video this recognizer analyses.
  const quantize = (prepared: PreparedModel, runtime: CreateSessionOptions, video: { path: string; sha256: string }, signal?: AbortSignal) => {
    const listed = config.runtime.calibration;
    if (listed.length === 0) logger.info({ video: basename(video.path) }, 'int8: calibrating on this video (set runtime.calibration to calibrate on videos of your own choice); later videos reuse it');
    return ensureQuantized({
      spec: prepared.spec,
      fp32OnnxPath: prepared.onnxPath,
      fp32OnnxSha256: prepared.onnxSha256,
      calibrationVideos: listed.length > 0 ? listed.map((path) => ({ path })) : [video],
      cacheDir,
      tools,
      runtime,
      logger,
      signal,
    });
  };

  const analyze = async (videoPath: string, analyzeOpts: AnalyzeOptions = {}): Promise<AnalyzeResult> => {
    const { signal, onProgress } = analyzeOpts;
    const analysis = analyzeOpts.analysis ?? config.analysis;
    const tStart = performance.now();

    onProgress?.({ stage: 'probe' });
    const p0 = performance.now();
    const info: VideoInfo = await probeVideo(videoPath, { tools, signal });
    const probeMs = performance.now() - p0;

    onProgress?.({ stage: 'hash' });
    const h0 = performance.now();
    const videoSha256 = await sha256File(videoPath, signal);
    const hashMs = performance.now() - h0;

    const loaded = await loadModel(analyzeOpts, { path: videoPath, sha256: videoSha256 });
    const { prepared } = loaded;
    const key = resultCacheKey({
      videoSha256,
      modelId: prepared.spec.id,
      artifactSha256: prepared.artifactSha256,
      converterVersion: prepared.converterVersion,
      analysis,
      // The ONNX that runs: an int8 copy (and its calibration) gives different scores than fp32;
      // the precision asked for is in the document, so it is part of the key even when it changes nothing.
      precision: config.runtime.precision,
      ...(loaded.quantized ? { onnxSha256: loaded.quantized.onnxSha256 } : {}),
    });
    const hit = await resultCache?.get(key);
    if (hit) {
      logger.info({ video: basename(videoPath), key: key.slice(0, 12) }, 'served from the result cache');
      onProgress?.({ stage: 'done', fraction: 1 });
      // Same bytes, maybe another name: the document names the file asked about.
      return { document: { ...hit, source: { ...hit.source, name: analyzeOpts.sourceName ?? basename(videoPath) } }, cached: true };
    }

    const a0 = performance.now();
    // Frames (stream models) or windows (clip models) as they are scored.
    const onScored = (tSec: number, frames: number, probs: Float32Array) => {
      analyzeOpts.onFrame?.(tSec, frames, probs);
      if (!onProgress) return;
      const fraction = info.durationSec > 0 ? Math.min(1, tSec / info.durationSec) : undefined;
      const elapsed = (performance.now() - a0) / 1000;
      const etaSec = fraction && fraction > 0.02 ? (elapsed * (1 - fraction)) / fraction : undefined;
      onProgress({ stage: 'analyze', fraction, framesDone: frames, etaSec, videoSec: tSec });
    };
    const common = {
      videoPath,
      info,
      spec: prepared.spec,
      labels: prepared.labels,
      analysis,
      ffmpeg: tools.ffmpeg,
      queueFrames: config.video.queue_frames,
      logger,
      signal,
    };
    // Stream models step frame by frame; clip models (NCHW segments / NCTHW clips) run windows of views.
    const out: Pick<StreamAnalysisOutput, 'result' | 'timings'> = loaded.stream
      ? await analyzeStream({ ...common, stream: loaded.stream, onFrame: onScored })
      : await analyzeClip({ ...common, session: loaded.session!, onWindow: onScored });

    const timings = {
      hash_ms: hashMs,
      probe_ms: probeMs,
      ...prepared.timings,
      ...(loaded.quantized ? { quantize_ms: loaded.quantizeMs } : {}),
      load_ms: loaded.loadMs,
      ...out.timings,
      total_ms: performance.now() - tStart,
    };
    // Model preparation is paid once per recognizer: later videos report it as 0.
    prepared.timings = { download_ms: 0, convert_ms: 0 };
    loaded.loadMs = 0;
    loaded.quantizeMs = 0;
    for (const [stage, ms] of Object.entries(timings)) logger.debug({ stage, ms: Math.round(ms * 10) / 10 }, 'stage timing');

    const document = validateResultDocument({
      schema_version: RESULT_SCHEMA_VERSION,
      source: {
        name: analyzeOpts.sourceName ?? basename(videoPath),
        sha256: videoSha256,
        duration_s: info.durationSec,
        fps: info.fps,
        width: info.width,
        height: info.height,
        frame_count: info.frameCount,
      },
      model: {
        id: prepared.spec.id,
        artifact_sha256: prepared.artifactSha256,
        onnx_sha256: loaded.quantized?.onnxSha256 ?? prepared.onnxSha256,
        labels_sha256: prepared.spec.labels.sha256,
        family: prepared.spec.family,
        precision: config.runtime.precision,
        ...(loaded.quantized
          ? { quantization: { method: 'static-qdq' as const, quantizer_version: loaded.quantized.quantizerVersion, calibration: loaded.quantized.calibration } }
          : {}),
      },
      settings: analysis,
      timeline: out.result.timeline,
      aggregate: out.result.aggregate,
      events: out.result.events,
      timings: Object.fromEntries(Object.entries(timings).map(([k, v]) => [k, Math.round(v * 1000) / 1000])),
      environment: {
        actionlens: actionlensVersion(),
        node: process.versions.node,
        onnxruntime: loaded.ortVersion,
        ffmpeg,
        platform: platformName(),
        execution_provider: loaded.provider,
        threads: config.runtime.threads,
      },
      created_at: new Date().toISOString(),
    });
    await resultCache?.put(key, document).catch((e: unknown) => logger.warn({ err: (e as Error).message }, 'could not write the result cache'));
    onProgress?.({ stage: 'done', fraction: 1 });
    return { document, cached: false };
  };

  return {
    config,
    analyze,
    async close() {
      const m = await model?.catch(() => undefined);
      await m?.session?.close();
      await m?.stream?.close();
    },
  };
}
