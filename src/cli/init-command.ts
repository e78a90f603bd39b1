import type { Command } from 'commander';
import type { ContextFactory } from './options.js';

export function registerInit(program: Command, context: ContextFactory): void {
  program
    .command('init')
    .description(
      'point draft at a site: detect Hugo, Jekyll, Astro, Eleventy or Docusaurus in this folder or above, and write a\n' +
        'commented draft.config.json at the site root (Jekyll: .draftrc.json) ' +
        'with the posts folder, the file-name pattern and the front-matter mapping',
    )
    .option('--generator <name>', 'hugo, jekyll, astro, eleventy or docusaurus, instead of detecting it')
    .option('--bundles', 'Hugo: write page bundles, content/posts/{slug}/index.md')
    .option('--force', 'replace an existing config file')
    .option('--json', 'print the result as JSON on stdout')
    .action(async (options, cmd: Command) => {
      const { runInit } = await import('../commands/init.js');
      await runInit(options, await context(cmd.optsWithGlobals()));
    });
}
