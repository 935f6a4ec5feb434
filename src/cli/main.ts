#!/usr/bin/env node
// The actionlens command line. Errors print their code, message and hint, and the exit code is
// non-zero; a stack trace only at --log-level debug.
import { Command, Option } from 'commander';
import { createLogger } from '../app/create-logger.js';
import { actionlensVersion } from '../app/environment.js';
import { ActionLensError, isActionLensError } from '../core/errors.js';
import { PRECISIONS, type AppConfig } from '../core/settings/index.js';
import { resolveConfig } from '../config/index.js';
import { collect, commonOverrides, inferOverrides, parseNumber, parseSampleFps, type CommonFlags, type InferFlags } from './flags.js';
import { runInfer } from './infer-command.js';
import { runServe, serveOverrides, type ServeFlags } from './serve-command.js';
import { runModelsConvert, runModelsList, runModelsPath, runModelsPull, type ModelsConvertFlags } from './models-command.js';

function addCommonOptions(cmd: Command): Command {
  return cmd
    .option('--config <file>', 'settings file (YAML or JSON); flags override it')
    .option('--model <id>', 'model id (see `actionlens models list`) or a model spec file (.yaml/.json)')
    .option('--threads <n>', 'ONNX Runtime threads (0 = auto)', parseNumber('--threads', { integer: true, min: 0, max: 1024 }))
    .option('--device <providers>', 'execution providers in order, e.g. cuda,cpu (repeatable)', collect)
    .addOption(new Option('--precision <p>', 'fp32, or int8: clip models run statically quantized (faster on CPUs with VNNI)').choices([...PRECISIONS]))
    .option('--calibration <video>', 'video to calibrate int8 on (repeatable; default: the first video analysed)', collect)
    .option('--cache-dir <dir>', 'where models and results are cached')
    .option('--mirror <dir>', 'local folder with model files, looked up before downloading (repeatable)', collect)
    .option('--offline', 'never use the network')
    .option('--no-result-cache', 'always recompute, never serve from the result cache')
    .addOption(new Option('--log-level <level>', 'log level').choices(['trace', 'debug', 'info', 'warn', 'error', 'silent']));
}

async function loadConfig(flags: CommonFlags, overrides = commonOverrides(flags)): Promise<AppConfig> {
  const { config } = await resolveConfig({ configPath: flags.config, overrides });
  return config;
}

async function main(argv: string[]): Promise<number> {
  let logLevel = 'info';
  let exitCode = 0;
  const program = new Command('actionlens')
    .description('Video action recognition: top-K actions, a timeline of scores, events.')
    .version(actionlensVersion())
    .showHelpAfterError()
    // Usage errors (bad flag values, unknown options) carry a stable code like every other error.
    .configureOutput({ outputError: (text, write) => write(text.replace(/^error: /, 'error AL_ERR_INVALID_SETTINGS: ')) })
    .exitOverride();

  addCommonOptions(
    program
      .command('infer')
      .description('recognise the actions in one or more videos')
      .argument('<video...>', 'video files (.mp4 .mov .avi .mkv .webm .gif)')
      .option('--topk <k>', 'labels to list', parseNumber('--topk', { integer: true, min: 1, max: 1000 }))
      .option('--threshold <t>', 'minimum score to list a label (0..1)', parseNumber('--threshold', { min: 0, max: 1 }))
      .option('--sample-fps <f>', 'frames per second fed to the model, or "all"', parseSampleFps)
      .option('--window <sec>', 'timeline window length in seconds', parseNumber('--window', { min: 0.001, max: 3600 }))
      .option('--smooth <sigma>', 'Gaussian smoothing sigma in seconds (0 = none)', parseNumber('--smooth', { min: 0, max: 3600 }))
      .addOption(new Option('--aggregate <method>', 'whole-video score').choices(['mean', 'max']))
      .option('--json <file>', 'write the result document (JSON); - for stdout')
      .option('--csv <file>', 'write the timeline as CSV; - for stdout')
      .option('--save-config <file>', 'save the effective settings (YAML or JSON by extension)')
      .option('--no-progress', 'no progress bar'),
  ).action(async (videos: string[], flags: InferFlags) => {
    const config = await loadConfig(flags, inferOverrides(flags));
    logLevel = config.log_level;
    exitCode = await runInfer(videos, flags, config, createLogger(config.log_level));
  });

  const models = program.command('models').description('the model zoo and the local model cache');
  addCommonOptions(models.command('list').description('list the zoo with download/convert status').option('--json', 'as JSON')).action(
    async (flags: CommonFlags & { json?: boolean }) => {
      exitCode = await runModelsList(await loadConfig(flags), Boolean(flags.json));
    },
  );
  addCommonOptions(models.command('pull').description('download, verify and convert models ahead of time').argument('<id...>')).action(
    async (ids: string[], flags: CommonFlags) => {
      const config = await loadConfig(flags);
      logLevel = config.log_level;
      exitCode = await runModelsPull(ids, config, createLogger(config.log_level));
    },
  );
  addCommonOptions(models.command('path').description('where a model is cached').argument('<id>')).action(async (id: string, flags: CommonFlags) => {
    exitCode = await runModelsPath(id, await loadConfig(flags));
  });
  models
    .command('convert')
    .description("convert your own MMAction2 checkpoint (.pth) to ONNX, loading it strictly")
    .argument('<checkpoint>', 'the .pth file')
    .requiredOption('--arch <arch>', 'zoo id or family (e.g. tsm-r50-1x1x8-k400, x3d), or a config model dict as .json/.yaml')
    .option('--num-classes <n>', 'classes of your fine-tuned head', parseNumber('--num-classes', { integer: true, min: 1, max: 100000 }))
    .option('--labels <file>', 'label map, one label a line; also writes <out>.model.yaml')
    .option('--out <file>', 'ONNX file to write (default: beside the checkpoint)')
    .addOption(new Option('--log-level <level>', 'log level').choices(['trace', 'debug', 'info', 'warn', 'error', 'silent']).default('info'))
    .action(async (checkpoint: string, flags: ModelsConvertFlags & { logLevel: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'silent' }) => {
      logLevel = flags.logLevel;
      exitCode = await runModelsConvert(checkpoint, flags, createLogger(flags.logLevel));
    });

  addCommonOptions(
    program
      .command('serve')
      .description('run the web app (upload, URL or webcam in; timeline, overlay and exports out)')
      .option('--host <address>', 'address to bind (default 127.0.0.1; others require a token)')
      .option('--port <n>', 'TCP port (default 8731; 0 = any free port)', parseNumber('--port', { integer: true, min: 0, max: 65535 }))
      .option('--token <token>', 'token clients must send (at least 16 characters)')
      .option('--samples <dir>', 'folder of sample clips offered in the page')
      .option('--concurrency <n>', 'analyses run at the same time', parseNumber('--concurrency', { integer: true, min: 1, max: 64 })),
  ).action(async (flags: ServeFlags) => {
    const config = await loadConfig(flags, serveOverrides(flags));
    logLevel = config.log_level;
    exitCode = await runServe(config, createLogger(config.log_level));
  });

  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (e) {
    const err = e as { code?: string; exitCode?: number };
    if (typeof err.code === 'string' && err.code.startsWith('commander.')) {
      // help / version print and exit 0; usage errors were already printed by commander
      return err.exitCode ?? 2;
    }
    if (isActionLensError(e)) {
      process.stderr.write(`error ${e.toUserString()}\n`);
      if (logLevel === 'debug' || logLevel === 'trace') process.stderr.write(`${e.stack ?? ''}\n`);
      return 1;
    }
    process.stderr.write(`error AL_ERR_INTERNAL: ${(e as Error).message ?? String(e)}\n${(e as Error).stack ?? ''}\n`);
    return 1;
  }
}

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`error ${e instanceof ActionLensError ? e.toUserString() : String(e)}\n`);
    process.exitCode = 1;
  },
);
