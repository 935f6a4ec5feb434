export { loadConfig, resolveConfig, type ResolveConfigOptions, type ResolvedConfig } from './load-config.js';
export { saveConfig } from './save-config.js';
export { readConfigFile, configFormatOf, type ConfigFormat } from './read-config-file.js';
export { defaultConfigPath, shippedConfigPath, packageRoot } from './package-paths.js';
export { writeOutputFile } from '../io/atomic-write.js';
export { schemaFiles, writeSchemaFiles } from './generate-schemas.js';
