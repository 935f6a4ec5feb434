// The platform-free core: runs in Node and in the browser.
export * from './errors.js';
export * from './tensor.js';
export * from './video-types.js';
export * from './logger.js';
export * from './frame-to-tensor.js';
export * from './stable-json.js';
export * from './postprocess/index.js';
export * from './result/index.js';
export * from './settings/index.js';
export * from './sampling/index.js';
export * from './transforms/index.js';
