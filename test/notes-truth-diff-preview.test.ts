import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runRevise } from '../src/commands/revise.js';
import { runCommand } from './support/run-command.js';
import { useServerAndTempDir } from './support/server-and-dir.js';

const { server, tempDir } = useServerAndTempDir('draft-notes-diff-');

function revise(file: string, options: Record<string, unknown>) {
  return runCommand(
    (ctx) => runRevise(file, { section: [], keyword: [], baseUrl: server().url, retries: '0', timeout: '5', ...options }, ctx),
    {
      cwd: tempDir(),
      env: { OPENAI_API_KEY: 'sk-test-0123456789' },
    },
  );
}

const HUGO =
  '+++\ntitle = "Markets"\nauthor = "Jane Doe"\n+++\nA lead paragraph.\n\n## First\n\nSome text about chips.\n\n## Second\n\nMore text.\n';

/** The lines of the file that belong to the tool's state: its TOML tables. */
function stateLines(text: string): string[] {
  const front = text.slice(0, text.indexOf('+++', 3));
  const at = front.indexOf('[draft_state]');
  return at === -1
    ? []
    : front
        .slice(at)
        .split('\n')
        .filter((l, i, all) => i < all.length - 1 || l !== '');
}

describe('the diff preview tells the truth about the front matter', () => {
  it('a hand-written TOML post: the folded draft_state line says how many lines the file gains, and in what', async () => {
    const path = join(tempDir(), 'post.md');
    await writeFile(path, HUGO);
    const preview = await revise('post.md', { section: ['first'], instruction: 'tighten it', dryRun: true });
    expect(await readFile(path, 'utf8')).toBe(HUGO);
    await revise('post.md', { section: ['first'], instruction: 'tighten it', yes: true });
    const gained = stateLines(await readFile(path, 'utf8')).length;
    expect(gained).toBeGreaterThan(20);
    const folded = preview.stdout.split('\n').filter((l) => l.includes('draft_state'));
    expect(folded).toEqual([`+draft_state = "(draft’s own state, folded: +${gained} lines: log, hashes, usage, provider, model)"`]);
  });

  it('a second revision: the fold shows the state changing, with added and removed line counts', async () => {
    const path = join(tempDir(), 'post.md');
    await writeFile(path, HUGO);
    await revise('post.md', { section: ['first'], instruction: 'tighten it', yes: true });
    const once = await readFile(path, 'utf8');
    const preview = await revise('post.md', { section: ['second'], instruction: 'add figures', dryRun: true });
    const folded = preview.stdout.split('\n').filter((l) => l.includes('draft_state'));
    expect(folded[0]).toBe('-draft_state = "(draft’s own state, folded; see `draft history`)"');
    expect(folded[1]).toMatch(/^\+draft_state = "\(draft’s own state, folded: \+\d+ -\d+ lines: log, hashes, usage\)"$/);
    expect(folded).toHaveLength(2);
    expect(await readFile(path, 'utf8')).toBe(once);
  });
});
