import type { Command } from 'commander';
import type { ContextFactory } from './options.js';
import * as defaults from '../core/defaults.js';

export function registerModels(program: Command, context: ContextFactory): void {
  const models = program.command('models').description('local GGUF models for --provider local');
  models
    .command('list')
    .description(
      'GGUF files in the models folder (architecture, parameters, quantisation, context, size); ' +
        'with --provider or --base-url, the models that server offers',
    )
    .option('--dir <folder>', 'models folder (default: $DRAFT_MODELS_DIR or ~/.cache/draft/models)')
    .option('--provider <name>', "list a server's models from its /models: any preset (`draft providers`); * marks the configured model")
    .option('--base-url <url>', 'list the models of any OpenAI-compatible server')
    .option('--model <name>', 'the model to mark as configured')
    .option('--api-key-env <NAME>', 'read the API key from this environment variable')
    .option('--timeout <seconds>', `give up after this many seconds without an answer (default ${defaults.DEFAULT_TIMEOUT_SECONDS})`)
    .option('--config <file>', 'config file (default: ./draft.config.json)')
    .option('--json', 'print the list as JSON on stdout')
    .action(async (options, cmd: Command) => {
      const { runModelsList } = await import('../commands/models.js');
      await runModelsList(options, await context(cmd.optsWithGlobals()));
    });
  models
    .command('pull')
    .description('download a recommended model (resumable, checksum verified)')
    .argument('<name>', 'a catalogue name (e.g. qwen2.5-3b-instruct), a URL, or a *.gguf file name on --base-url')
    .option('--base-url <url>', 'where to download from (default: $DRAFT_MODELS_BASE_URL or the catalogue URL)')
    .option('--dir <folder>', 'models folder (default: $DRAFT_MODELS_DIR or ~/.cache/draft/models)')
    .option('--sha256 <hex>', 'expected checksum, for a URL outside the catalogue')
    .option('--force', 'download again even if the file is there')
    .action(async (name: string, options, cmd: Command) => {
      const { runModelsPull } = await import('../commands/models.js');
      await runModelsPull(name, options, await context(cmd.optsWithGlobals()));
    });
}
