export * from './schema.js';
export { validateResultDocument } from './validate.js';
export { resultJsonSchema } from './json-schema.js';
export { timelineToCsv, csvField, TIMELINE_CSV_HEADER } from './csv.js';
