export * from './schema.js';
export { DEFAULT_CONFIG } from './defaults.js';
export { validateConfig, applyOverrides, applyConfigData, validateAnalysisSettings, type ConfigOverrides } from './validate.js';
export { deepMerge, isPlainObject, type DeepPartial } from './deep-merge.js';
export { formatIssues, formatPath, formatValue } from './format-issues.js';
export { configJsonSchema } from './json-schema.js';
