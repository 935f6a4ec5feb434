// Which frames feed which model input: MMAction2's test protocol and the timeline's sliding windows.
export { clipFrameOffsets, clipSpanFrames, sampleFrames } from './sample-frames.js';
export type { OutOfBoundOpt, SampleFramesOptions } from './sample-frames.js';
export { planWindows, windowSpanFrames } from './plan-windows.js';
export type { Window, WindowPlanOptions } from './plan-windows.js';
