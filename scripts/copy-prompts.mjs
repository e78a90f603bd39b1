// Built-in prompt templates and focus presets are data files, not TypeScript:
// tsc does not copy them, so the build does. It also parses the templates' front matter, with the CLI's
// own readDataFile (bundled here by rolldown), into dist/prompts/prebuilt.json: a run that uses only
// built-in templates then never loads the YAML parser before its first request
// (src/core/templates/prebuilt-templates.ts reads it, and only for the exact text it was made from).
// Usage: node scripts/copy-prompts.mjs [outdir=dist]
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { rolldown } from 'rolldown';

const prompts = process.argv[2] ? pathToFileURL(join(process.argv[2], 'prompts/')) : new URL('../dist/prompts/', import.meta.url);
rmSync(prompts, { recursive: true, force: true });
cpSync(new URL('../src/prompts', import.meta.url), prompts, {
  recursive: true,
  filter: (src) => !src.endsWith('.ts'),
});

const scratch = mkdtempSync(join(tmpdir(), 'draft-prompts-'));
let readDataFile;
try {
  const bundle = await rolldown({
    input: new URL('../src/core/templates/data-file.ts', import.meta.url).pathname,
    platform: 'node',
    resolve: { mainFields: ['module', 'main'] },
    transform: { target: 'node20.19' },
    logLevel: 'warn',
  });
  await bundle.write({ file: join(scratch, 'data-file.cjs'), format: 'cjs', strict: true });
  await bundle.close();
  ({ readDataFile } = createRequire(import.meta.url)(join(scratch, 'data-file.cjs')));
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

const prebuilt = {};
for (const name of readdirSync(prompts)
  .filter((n) => n.endsWith('.md'))
  .sort()) {
  const path = new URL(name, prompts).pathname;
  const text = readFileSync(path, 'utf8');
  const { data, content } = readDataFile(path, text); // a broken built-in template fails the build
  // Only what JSON keeps as it is (YAML could give a value JSON cannot hold); the rest is parsed at run time.
  if (isDeepStrictEqual(JSON.parse(JSON.stringify(data)), data)) prebuilt[name] = { text, data, content };
}
writeFileSync(new URL('prebuilt.json', prompts), `${JSON.stringify(prebuilt)}\n`);
