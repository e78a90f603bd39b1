import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readAstroCollection } from './astro-schema.js';
import type { SiteFrontMatter, SiteGenerator } from './site-schema.js';

/** What `draft init` writes for a site, with the notes it tells the user. */
export interface SiteProfile {
  generator: SiteGenerator;
  /** The config file's name: Jekyll copies any root file not starting with `.` or `_` into the site. */
  configName: string;
  outDir: string;
  fileName: string;
  frontMatter: SiteFrontMatter;
  publish?: { outDir: string; fileName: string };
  /** Lines appended to an ignore file so the generator never reads `.draft/`. */
  ignore?: { file: string; entries: string[] };
  notes: string[];
}

/** Keys every Astro blog schema in the wild accepts; used when the schema cannot be read. */
const ASTRO_COMMON_KEYS = ['title', 'description', 'pubDate'];

export async function siteProfile(generator: SiteGenerator, root: string, options: { bundles?: boolean } = {}): Promise<SiteProfile> {
  switch (generator) {
    case 'hugo':
      return {
        generator,
        configName: 'draft.config.json',
        outDir: 'content/posts',
        fileName: options.bundles ? '{slug}/index.md' : '{slug}.md',
        frontMatter: { dateKey: 'date', draft: 'draft-key' },
        notes: ['Hugo leaves `draft: true` posts out unless built with --buildDrafts'],
      };
    case 'jekyll':
      return {
        generator,
        configName: '.draftrc.json',
        outDir: '_drafts',
        fileName: '{slug}.md',
        frontMatter: { dateKey: 'date', draft: 'drafts-folder' },
        publish: { outDir: '_posts', fileName: '{date}-{slug}.md' },
        notes: [
          'Jekyll ignores `draft: true`: new posts go to _drafts/ (shown only with --drafts), ' +
            'and `draft publish` moves them to _posts/{date}-{slug}.md',
          'the config is .draftrc.json because Jekyll copies every other root file into _site',
        ],
      };
    case 'astro': {
      const collection = await readAstroCollection(root);
      const keys = collection?.keys ?? ASTRO_COMMON_KEYS;
      const dateKey = keys.includes('pubDate') ? 'pubDate' : keys.includes('date') ? 'date' : 'pubDate';
      return {
        generator,
        configName: 'draft.config.json',
        outDir: `src/content/${collection?.name ?? 'blog'}`,
        fileName: '{slug}.md',
        frontMatter: { dateKey, draft: keys.includes('draft') ? 'draft-key' : 'none', keys: withDate(keys, dateKey) },
        notes: collection
          ? [
              `front-matter keys read from ${collection.file} ` +
                `(collection "${collection.name}"${collection.strict ? ', strict' : ''}): ${keys.join(', ')}`,
            ]
          : [
              'no collection schema could be read from src/content.config.* or src/content/config.*: ' +
                `only the common keys (${ASTRO_COMMON_KEYS.join(', ')}) are written; add yours under frontMatter.keys`,
            ],
      };
    }
    case 'eleventy': {
      const input = await eleventyInput(root);
      return {
        generator,
        configName: 'draft.config.json',
        outDir: input === '.' ? 'posts' : `${input}/posts`,
        fileName: '{slug}.md',
        frontMatter: { dateKey: 'date', draft: 'draft-key' },
        ignore: { file: '.eleventyignore', entries: ['.draft/'] },
        notes: ['Eleventy publishes `draft: true` posts unless its config skips them (see README "Eleventy")'],
      };
    }
    case 'docusaurus':
      return {
        generator,
        configName: 'draft.config.json',
        outDir: 'blog',
        fileName: '{date}-{slug}.md',
        frontMatter: { dateKey: 'date', draft: 'draft-key' },
        notes: ['Docusaurus reads .md as MDX; the notes markers are written in a form both accept'],
      };
  }
}

function withDate(keys: string[], dateKey: string): string[] {
  return keys.includes(dateKey) ? keys : [...keys, dateKey];
}

/** The input folder an Eleventy config names (`dir: { input: "src" }`), read without running it. */
async function eleventyInput(root: string): Promise<string> {
  for (const name of ['eleventy.config.js', 'eleventy.config.mjs', 'eleventy.config.cjs', 'eleventy.config.ts', '.eleventy.js']) {
    const text = await readFile(join(root, name), 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    const input = /\binput\s*:\s*['"]([^'"]+)['"]/.exec(text)?.[1];
    return input ? input.replace(/^\.\/|\/$/g, '') || '.' : '.';
  }
  return '.';
}
