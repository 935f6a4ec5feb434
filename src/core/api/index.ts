export * from './schema.js';
export * from './live-frame.js';
