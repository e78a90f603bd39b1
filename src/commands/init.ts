import { relative } from 'node:path';
import * as z from 'zod';
import { UsageError } from '../core/errors.js';
import { detectGenerator } from '../core/site/detect-generator.js';
import { initSite } from '../core/site/init-site.js';
import { SITE_GENERATORS } from '../core/site/site-schema.js';
import { siteProfile } from '../core/site/site-profile.js';
import { parseOrThrow } from '../core/validation.js';
import type { CommandContext } from './context.js';

const InitOptionsSchema = z.object({
  generator: z.enum(SITE_GENERATORS, { message: `must be one of ${SITE_GENERATORS.join(', ')}` }).optional(),
  bundles: z.boolean().default(false),
  force: z.boolean().default(false),
  json: z.boolean().default(false),
});

export async function runInit(rawOptions: Record<string, unknown>, ctx: CommandContext): Promise<void> {
  const options = parseOrThrow(InitOptionsSchema, rawOptions, 'options', 'see `draft init --help`');
  const detected = await detectGenerator(ctx.cwd);
  if (!detected && !options.generator) {
    throw new UsageError('no site generator found in this folder or its parents', {
      hint: `run draft init at the site's root, or name it: --generator ${SITE_GENERATORS.join('|')}`,
    });
  }
  if (options.bundles && (options.generator ?? detected?.generator) !== 'hugo') {
    throw new UsageError('--bundles only works for a Hugo site', { hint: 'page bundles ({slug}/index.md) are a Hugo layout' });
  }
  // --generator overrides what was found; the site root stays where the marker was, else here.
  const generator = options.generator ?? detected!.generator;
  const root = detected && (!options.generator || options.generator === detected.generator) ? detected.root : ctx.cwd;
  const profile = await siteProfile(generator, root, { bundles: options.bundles });
  const result = await initSite(root, profile, { force: options.force });
  const shown = relative(ctx.cwd, result.configPath) || profile.configName;
  if (options.json) {
    ctx.ui.json({
      generator,
      root,
      config: result.configPath,
      outDir: profile.outDir,
      fileName: profile.fileName,
      frontMatter: profile.frontMatter,
      publish: profile.publish,
      ignored: result.ignored,
      notes: profile.notes,
    });
    return;
  }
  ctx.ui.success(
    `Wrote ${shown} for a ${generator} site${detected && generator === detected.generator ? ` (found ${detected.marker})` : ''}`,
  );
  ctx.ui.info(
    `  posts     ${profile.outDir}/${profile.fileName}` +
      `${profile.publish ? `, published to ${profile.publish.outDir}/${profile.publish.fileName}` : ''}`,
  );
  ctx.ui.info(`  date key  ${profile.frontMatter.dateKey}, draft marker ${profile.frontMatter.draft}`);
  ctx.ui.info(
    '  state     in .draft/state/ beside the config, out of the front matter ' +
      '(`draft state move FILE --to front-matter` for a self-contained post)',
  );
  for (const file of result.ignored) ctx.ui.info(`  ignored   .draft/ added to ${file}`);
  for (const note of profile.notes) ctx.ui.info(`  note      ${note}`);
}
