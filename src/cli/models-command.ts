import type { Command } from 'commander';
import type { ContextFactory } from './options.js';

export function registerModels(program: Command, context: ContextFactory): void {
  const models = program.command('models').description('local GGUF models for --provider local');
  models
    .command('list')
    .description('GGUF files in the models folder, with architecture, parameters, quantisation, context length and size')
    .option('--dir <folder>', 'models folder (default: $DRAFT_MODELS_DIR or ~/.cache/draft/models)')
    .option('--json', 'print the list as JSON on stdout')
    .action(async (options, cmd: Command) => {
      const { modelsList } = await import('../commands/models.js');
      await modelsList(options, await context(cmd.optsWithGlobals()));
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
      const { modelsPull } = await import('../commands/models.js');
      await modelsPull(name, options, await context(cmd.optsWithGlobals()));
    });
}
