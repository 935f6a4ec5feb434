// Runs one analysis through the library API in a fresh process and prints the peak RSS of this
// process (main thread + inference worker; ffmpeg is a separate process) as JSON.
import { createRecognizer } from '../../dist/app/recognizer.js';
import { resolveConfig } from '../../dist/config/index.js';

const [video, cacheDir, mirror] = process.argv.slice(2);
const { config } = await resolveConfig({
  useShippedConfig: true,
  overrides: { store: { cache_dir: cacheDir, mirrors: [mirror] }, result_cache: { enabled: false }, runtime: { threads: 1 } },
});
const recognizer = await createRecognizer(config);
const { document } = await recognizer.analyze(video);
await recognizer.close();
process.stdout.write(
  JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS, windows: document.timeline.length, duration: document.source.duration_s }) + '\n',
);
