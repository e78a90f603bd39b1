/**
 * Issue 15: the built CLI takes its built-in templates' front matter from the build
 * (dist/prompts/prebuilt.json) instead of parsing their YAML at start-up. Overrides are still read and
 * parsed as before: the same precedence (project, then user, then built-in) and the same errors. Each
 * case is compared with the same command in-process, where the templates come from src/prompts and
 * nothing is prebuilt. Needs the built CLI (`npm run build`).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { runDraft } from './support/run-command.js';
import { useServerAndTempDir } from './support/server-and-dir.js';

const { tempDir } = useServerAndTempDir('draft-prebuilt-templates-');
const DRY_RUN = ['new', '--topic', 'Prebuilt templates', '--sections', '2', '--dry-run'];

async function override(dir: string, name: string, text: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, name), text);
}

/** The built CLI and the in-process program, run the same way: their outputs must be the same. */
async function both(args: string[]) {
  const cli = await runCli(args, { cwd: tempDir() });
  const inProcess = await runDraft(args, { cwd: tempDir() });
  expect({ code: cli.code, stdout: cli.stdout, stderr: cli.stderr }).toEqual({
    code: inProcess.code,
    stdout: inProcess.stdout,
    stderr: inProcess.stderr,
  });
  return cli;
}

describe('built-in templates from the build, overrides parsed as before (the built CLI)', () => {
  it('with the built-in templates only, the requests are the ones parsing them gives', async () => {
    const run = await both(DRY_RUN);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('Plan a blog post from this brief.');
  });

  it('overrides are still parsed: with a user and a project override, the project one wins', async () => {
    // The precedence itself is templates.test.ts's subject; here, that the built CLI still parses overrides.
    await override(
      join(tempDir(), '.config', 'draft', 'prompts'),
      'outline.md',
      '---\ndescription: "the user\'s: outline"\n---\n=== user ===\nUSER OUTLINE for {{topic}}\n',
    );
    await override(
      join(tempDir(), '.draft', 'prompts'),
      'outline.md',
      '---\ndescription: project\n---\n=== user ===\nPROJECT OUTLINE {{topic}}\n',
    );
    const fromProject = await both(DRY_RUN);
    expect(fromProject.code, fromProject.stderr).toBe(0);
    expect(fromProject.stdout).toContain('PROJECT OUTLINE Prebuilt templates');
    expect(fromProject.stdout).not.toContain('USER OUTLINE');
    expect(fromProject.stdout).not.toContain('Plan a blog post from this brief.');
  });

  it('an override with broken YAML front matter fails as before, naming the file, before anything is sent', async () => {
    await override(join(tempDir(), '.draft', 'prompts'), 'section.md', '---\ndescription: [unclosed\n---\n=== user ===\nx\n');
    const run = await both(DRY_RUN);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/\.draft\/prompts\/section\.md: malformed front matter: /);
    expect(run.stdout).toBe('');
  });
});
