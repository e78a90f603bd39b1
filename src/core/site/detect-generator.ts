import { dirname, resolve } from 'node:path';
import type { SiteGenerator } from './site-schema.js';
import { namesIn } from '../fs/names-in.js';

/** The files that name each generator's site root, most specific first. */
const MARKERS: readonly { generator: SiteGenerator; test: (name: string) => boolean }[] = [
  { generator: 'docusaurus', test: (n) => /^docusaurus\.config\.(js|mjs|cjs|ts|mts)$/.test(n) },
  { generator: 'astro', test: (n) => /^astro\.config\.(js|mjs|cjs|ts|mts)$/.test(n) },
  { generator: 'eleventy', test: (n) => /^eleventy\.config\.(js|mjs|cjs|ts|mts)$/.test(n) || n === '.eleventy.js' },
  { generator: 'hugo', test: (n) => /^hugo\.(toml|yaml|yml|json)$/.test(n) || n === 'config.toml' },
  { generator: 'jekyll', test: (n) => n === '_config.yml' || n === '_config.yaml' },
];

export interface DetectedSite {
  generator: SiteGenerator;
  root: string;
  /** The file that gave it away, e.g. `hugo.toml`. */
  marker: string;
}

/** The nearest folder, walking up from `startDir`, holding a generator's config file. */
export async function detectGenerator(startDir: string): Promise<DetectedSite | undefined> {
  for (let dir = resolve(startDir); ; dir = dirname(dir)) {
    const names = await namesIn(dir);
    for (const { generator, test } of MARKERS) {
      const marker = names.find(test);
      if (marker) return { generator, root: dir, marker };
    }
    if (names.includes('.git') || dirname(dir) === dir) return undefined;
  }
}
