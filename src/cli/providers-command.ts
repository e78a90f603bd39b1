import type { Command } from 'commander';
import { providerOptions, type ContextFactory } from './options.js';

export function registerProviders(program: Command, context: ContextFactory): void {
  const cmd = program
    .command('providers')
    .description('the provider presets (base URL, key variable set or not, default model) and which one these settings would use, and why');
  providerOptions(cmd)
    .option('--json', 'print it as JSON on stdout')
    .action(async (options, command: Command) => {
      const { runProviders } = await import('../commands/providers.js');
      await runProviders(options, await context(command.optsWithGlobals()));
    });
}
