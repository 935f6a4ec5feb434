// MMAction2 1.2.0's own figures on this kind of machine (2 vCPU AMD EPYC, torch CPU, 2 threads,
// float32), copied from ../shared/fixtures/mmaction2-baseline.md: the anchor the benches compare with.

/** Measured float32 GEMM peak (4096^2 matmul, 2 threads), in GFLOP/s (2 flops per multiply-add). */
export const GEMM_PEAK_GFLOPS = 205;

/** Single forward pass, single view, quiet machine, seconds; keyed by golden fixture name. */
export const MMACTION2_FORWARD_S = {
  tsn_r50_1x1x8_8seg: 0.49,
  tsm_r50_1x1x8: 0.55,
  tsm_mobilenetv2_1x1x8: 0.27,
  x3d_s_13x6x1: 0.45,
  x3d_m_16x5x1: 0.88,
  c2d_r50_8x8x1: 0.37,
  slowonly_r50_8x8x1: 0.92,
  i3d_r50_32x2x1: 1.24,
  slowfast_r50_4x16x1: 1.68,
  r2plus1d_r34_32x2x1: 3.6,
  timesformer_divst_8x32x1: 3.6,
  videomae_vit_b_16x4x1: 4.0,
  mvit_s_16x4x1: 3.4,
  swin_t_32x2x1: 3.8,
};

/** `inference_recognizer` with the full test protocol on arm_wrestling.mp4: median of 5, seconds, GB. */
export const MMACTION2_E2E_ARM_WRESTLING = {
  tsn_r50_8clips_centercrop: { end_to_end_s: 0.68, pipeline_s: 0.23, model_s: 0.44, peak_rss_gb: 0.64 },
  tsn_r50_25x10: { end_to_end_s: 20.9, pipeline_s: 0.72, model_s: 19.6, peak_rss_gb: 3.4 },
  tsm_r50_8x10: { end_to_end_s: 8.2, pipeline_s: 0.26, model_s: 8.3, peak_rss_gb: 1.9 },
  slowonly_r50_8x8_10x3: { end_to_end_s: 45.1, pipeline_s: 2.0, model_s: 41.4, peak_rss_gb: 4.3 },
  x3d_s_10x3: { end_to_end_s: 19.6, pipeline_s: 4.0, model_s: 14.4, peak_rss_gb: 2.5 },
  slowfast_r50_4x16_10x3: { end_to_end_s: 47.8, pipeline_s: 9.9, model_s: 42.5, peak_rss_gb: 4.9 },
};

/** The pipeline alone on stretching_1080p.mp4 (OpenCV seeks for almost every sampled frame), seconds. */
export const MMACTION2_PIPELINE_1080P_S = {
  tsn_r50_8clips_centercrop: 0.59,
  tsn_r50_25x10: 2.0,
  x3d_s_10x3: 11.3,
  slowonly_r50_8x8_10x3: 6.7,
  slowfast_r50_4x16_10x3: 31.3,
};
