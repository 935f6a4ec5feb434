// What every route shares: the effective config, the temp area, pending uploads, the job queue,
// the recognizer pool and ffmpeg. Built once by createServer.
import type { Logger } from '../core/logger.js';
import type { AppConfig } from '../core/settings/index.js';
import type { FfmpegTools } from '../video/index.js';
import type { JobQueue } from './job-queue.js';
import type { RecognizerPool } from './recognizer-pool.js';
import type { TempArea } from './temp-area.js';
import type { UploadStore } from './upload-store.js';

export interface ServerContext {
  config: AppConfig;
  logger: Logger;
  temp: TempArea;
  uploads: UploadStore;
  jobs: JobQueue;
  pool: RecognizerPool;
  tools: FfmpegTools;
  /** Bumped whenever a job may have downloaded or converted a model: the cached model list is stale. */
  modelCache: { generation: number };
}
