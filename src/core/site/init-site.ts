import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseJsonc } from 'jsonc-parser';
import { ConfigFileSchema, CONFIG_FILE_NAMES } from '../config.js';
import { UsageError } from '../errors.js';
import { replaceFile, writeNewFile } from '../fs/atomic-write.js';
import { fileNameFor } from '../slug.js';
import { parseOrThrow } from '../validation.js';
import type { SiteProfile } from './site-profile.js';
import { exists } from '../fs/exists.js';

export interface InitResult {
  configPath: string;
  /** Ignore files that gained entries, relative to the root. */
  ignored: string[];
}

const DRAFT_MARKER_TEXT: Record<string, string> = {
  'draft-key': 'new posts get `draft: true`; `draft publish` sets it to false',
  'published-false': 'new posts get `published: false`; `draft publish` removes it',
  'drafts-folder': 'the folder marks a draft: `draft publish` moves the post to publish.outDir',
  none: 'the site has no draft marker: a new post is published by the next build',
};

/** The commented config `draft init` writes; every value is validated as `draft` will read it. */
export function renderSiteConfig(profile: SiteProfile): string {
  const fm = profile.frontMatter;
  const lines = [
    '// draft.config: written by `draft init`; comments are allowed. See README "Sites".',
    '{',
    `  // The site generator this project builds with.`,
    `  "generator": ${JSON.stringify(profile.generator)},`,
    `  // Where \`draft new\` writes posts, relative to this file; file names may hold folders ({slug}/index.md).`,
    `  "outDir": ${JSON.stringify(profile.outDir)},`,
    `  "fileName": ${JSON.stringify(profile.fileName)},`,
    ...(profile.publish
      ? [
          `  // Where \`draft publish\` moves a post.`,
          `  "publish": ${JSON.stringify(profile.publish).replace(/,/g, ', ').replace(/:/g, ': ')},`,
        ]
      : []),
    `  // Where each post's log, hashes and usage live: "sidecar" keeps them in .draft/state/ at this folder, out of the`,
    `  // front matter the generator shows to templates; "front-matter" keeps a post self-contained (draft_state).`,
    `  "state": "sidecar",`,
    `  "frontMatter": {`,
    `    // The key the post's date is written under.`,
    `    "dateKey": ${JSON.stringify(fm.dateKey)},`,
    `    // ${DRAFT_MARKER_TEXT[fm.draft ?? 'draft-key']}`,
    `    "draft": ${JSON.stringify(fm.draft)},`,
    `    // Who wrote the post (human-only, ai-assisted, ai-autonomous, mixed) and with which models, kept current.`,
    `    "disclosureKey": "ai_disclosure"${fm.keys ? ',' : ''}`,
    ...(fm.keys
      ? [
          `    // Only these keys are written: the collection schema accepts no others.`,
          `    "keys": ${JSON.stringify(fm.keys).replace(/,/g, ', ')}`,
        ]
      : []),
    `  }`,
    '}',
    '',
  ];
  return lines.join('\n');
}

export async function initSite(root: string, profile: SiteProfile, options: { force: boolean }): Promise<InitResult> {
  const text = renderSiteConfig(profile);
  // What is written must load: the same parse and schema every command uses.
  const config = parseOrThrow(ConfigFileSchema, parseJsonc(text), profile.configName, 'this is a bug in draft init');
  fileNameFor(config.fileName, { slug: 'x', date: '2000-01-01' });
  if (!options.force) {
    for (const name of CONFIG_FILE_NAMES) {
      if (await exists(join(root, name))) {
        throw new UsageError(`${name} already exists in ${root}, so draft init changed nothing`, {
          hint: 'edit it by hand, or pass --force to replace it',
        });
      }
    }
  }
  const configPath = await writeNewFile(root, profile.configName, text, { force: options.force });
  const ignored: string[] = [];
  if (profile.ignore) {
    const path = join(root, profile.ignore.file);
    const before = await readFile(path, 'utf8').catch(() => '');
    const present = new Set(before.split(/\r?\n/).map((l) => l.trim()));
    const missing = profile.ignore.entries.filter((e) => !present.has(e) && !present.has(e.replace(/\/$/, '')));
    if (missing.length > 0) {
      const after = `${before}${before && !before.endsWith('\n') ? '\n' : ''}${missing.join('\n')}\n`;
      if (before) await replaceFile(path, after);
      else await writeNewFile(root, profile.ignore.file, after);
      ignored.push(profile.ignore.file);
    }
  }
  return { configPath, ignored };
}
