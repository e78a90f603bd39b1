/**
 * Issue 15: the build parses the built-in templates' front matter (scripts/copy-prompts.mjs writes
 * prompts/prebuilt.json), so that a run with only built-in templates never loads the YAML parser before
 * its first request. What the build wrote must be what parsing gives, and it must never stand in for a
 * text it was not made from. (That the built CLI does use it, and that overrides are still parsed: see
 * test/e2e-startup-prebuilt-templates.test.ts.)
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDataFile } from '../src/core/templates/data-file.js';
import { PREBUILT_FILE, prebuiltDataFile } from '../src/core/templates/prebuilt-templates.js';
import { templateFromDataFile } from '../src/core/templates/render-template.js';
import { parseTemplate } from '../src/core/templates/template.js';
import { REPO_ROOT } from './support/cli.js';

let out: string;
let prompts: string;

beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'draft-prebuilt-'));
  await promisify(execFile)(process.execPath, [join(REPO_ROOT, 'scripts', 'copy-prompts.mjs'), out]);
  prompts = join(out, 'prompts') + sep;
});
afterAll(() => rm(out, { recursive: true, force: true }));

describe('the built-in templates parsed at build time', () => {
  it('every built-in template has an entry, and it gives what parsing its file gives', async () => {
    const names = (await readdir(join(REPO_ROOT, 'src', 'prompts'))).filter((n) => n.endsWith('.md'));
    expect(names).toContain('outline.md');
    const entries = JSON.parse(await readFile(join(prompts, PREBUILT_FILE), 'utf8'));
    expect(Object.keys(entries).sort()).toEqual(names.sort());
    for (const name of names) {
      const path = join(prompts, name);
      const text = await readFile(path, 'utf8');
      const prebuilt = prebuiltDataFile(path, text, prompts);
      expect(prebuilt, name).toEqual(readDataFile(path, text));
      expect(prebuilt!.data.description, name).toMatch(/\w/);
      const template = name.slice(0, -3);
      expect(templateFromDataFile(template, path, prebuilt!), name).toEqual(parseTemplate(template, path, text));
    }
  });

  it('is used only for the very text it was made from, and only inside the built-in folder', async () => {
    const path = join(prompts, 'outline.md');
    const text = await readFile(path, 'utf8');
    expect(prebuiltDataFile(path, text, prompts)).toBeDefined();
    // Edited after the build (a description changed): parsed again, so the edit counts.
    const edited = text.replace(/^description: .*$/m, 'description: Edited after the build');
    expect(edited).not.toBe(text);
    expect(prebuiltDataFile(path, edited, prompts)).toBeUndefined();
    expect(prebuiltDataFile(path, text.replace(/\n/g, '\r\n'), prompts)).toBeUndefined();
    // The same text as an override in a project is the project's file: parsed, whatever it holds.
    expect(prebuiltDataFile(join(out, '.draft', 'prompts', 'outline.md'), text, prompts)).toBeUndefined();
    // A folder without a build (src/prompts when running from source) has nothing prebuilt.
    const source = join(REPO_ROOT, 'src', 'prompts') + sep;
    expect(prebuiltDataFile(join(source, 'outline.md'), await readFile(join(source, 'outline.md'), 'utf8'), source)).toBeUndefined();
  });

  it('each caller gets its own copy of the values', async () => {
    const path = join(prompts, 'section.md');
    const text = await readFile(path, 'utf8');
    prebuiltDataFile(path, text, prompts)!.data.description = 'changed by a caller';
    expect(prebuiltDataFile(path, text, prompts)!.data.description).not.toBe('changed by a caller');
  });
});
