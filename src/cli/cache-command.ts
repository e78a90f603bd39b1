import type { Command } from 'commander';
import type { ContextFactory } from './options.js';

export function registerCache(program: Command, context: ContextFactory): void {
  const cache = program.command('cache').description('the on-disk cache of model replies used by `draft batch`');
  cache
    .command('clear')
    .description('delete every cached reply')
    .option('--cache-dir <dir>', 'cache folder (default: $DRAFT_CACHE_DIR or $XDG_CACHE_HOME/draft/responses)')
    .action(async (options: { cacheDir?: string }, cmd: Command) => {
      const { runCacheClear } = await import('../commands/cache.js');
      await runCacheClear(options, await context(cmd.optsWithGlobals()));
    });
  cache
    .command('path')
    .description('print the cache folder (to keep it between CI jobs)')
    .option('--cache-dir <dir>', 'cache folder')
    .action(async (options: { cacheDir?: string }, cmd: Command) => {
      const { runCachePath } = await import('../commands/cache.js');
      await runCachePath(options, await context(cmd.optsWithGlobals()));
    });
}
