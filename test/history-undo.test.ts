import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bytes, drafter, listDir, plain, SEED, writePost } from './fixtures/revise/harness.js';
import { useServerAndTempDir } from './support/server-and-dir.js';

const { server, tempDir } = useServerAndTempDir('draft-history-');
const draft = drafter(server, tempDir);
const run = plain(tempDir);

async function twoRevisions(): Promise<{ path: string; v0: Buffer; v1: Buffer; v2: Buffer }> {
  // A BOM and CRLF make "exactly the bytes" mean something.
  const v0 = Buffer.from(`\uFEFF${SEED.replace(/\n/g, '\r\n')}`);
  const path = await writePost(tempDir(), 'post.md', v0);
  expect((await draft(['revise', 'post.md', '--section', 'The Market', '--focus', 'finance', '--yes'])).code).toBe(0);
  const v1 = await bytes(path);
  expect((await draft(['revise', 'post.md', '--add-section', 'Market analysis', '--yes'])).code).toBe(0);
  const v2 = await bytes(path);
  return { path, v0, v1, v2 };
}

describe('draft undo', () => {
  it('restores the previous version byte for byte, repeatedly, and records each undo', async () => {
    const { path, v0, v1, v2 } = await twoRevisions();
    expect(v1).not.toEqual(v0);
    expect(v2).not.toEqual(v1);

    const first = await run(['undo', 'post.md']);
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(/Undid #2 of post\.md; recorded as #3/);
    expect(await bytes(path)).toEqual(v1);

    const second = await run(['undo', 'post.md']);
    expect(second.code).toBe(0);
    expect(await bytes(path)).toEqual(v0);

    const third = await run(['undo', 'post.md']);
    expect(third.code).toBe(2);
    expect(third.stderr).toMatch(/nothing left to undo/);
    expect(await bytes(path)).toEqual(v0);

    // The undos are versions too: each kept the bytes it replaced.
    const history = JSON.parse((await run(['history', 'post.md', '--json'])).stdout);
    expect(history.entries.map((e: any) => `${e.id}:${e.action}`)).toEqual(['1:revise', '2:revise', '3:undo', '4:undo']);
    expect(history.entries[2].undoes).toBe(2);
    const snapshots = (await listDir(join(tempDir(), '.draft', 'history', 'post.md.d'))).filter((n) => n.endsWith('.snapshot'));
    expect(snapshots).toEqual(['0001.snapshot', '0002.snapshot', '0003.snapshot', '0004.snapshot']);
    expect(await bytes(join(tempDir(), '.draft', 'history', 'post.md.d', '0003.snapshot'))).toEqual(v2);
  });

  it('an undo can itself be undone with --to, and a new revision after undos is undone first', async () => {
    const { path, v1, v2 } = await twoRevisions();
    expect((await run(['undo', 'post.md'])).code).toBe(0); // #3 undoes #2
    const back = await run(['undo', 'post.md', '--to', '3']);
    expect(back.code).toBe(0);
    expect(back.stderr).toMatch(/Restored post\.md to the version saved by #3; recorded as #4/);
    expect(await bytes(path)).toEqual(v2);
    // The restore is the newest change still in effect, so a plain undo takes it back.
    expect((await run(['undo', 'post.md'])).code).toBe(0);
    expect(await bytes(path)).toEqual(v1);
  });

  it('keeps the editor’s later hand edits in history when undoing over them', async () => {
    const { path, v1, v2 } = await twoRevisions();
    const edited = Buffer.concat([v2, Buffer.from('A hand-written line.\r\n')]);
    await writeFile(path, edited);
    const result = await run(['undo', 'post.md']);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/warning: post\.md was edited after draft last wrote it/);
    expect(await bytes(path)).toEqual(v1);
    expect(await bytes(join(tempDir(), '.draft', 'history', 'post.md.d', '0003.snapshot'))).toEqual(edited);
  });

  it('--dry-run shows the diff and writes nothing; a file without history is a usage error', async () => {
    const { path, v2 } = await twoRevisions();
    const dry = await run(['undo', 'post.md', '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/^-## Market analysis$/m);
    expect(await bytes(path)).toEqual(v2);
    await writePost(tempDir(), 'other.md', '## A\n\ntext\n');
    const none = await run(['undo', 'other.md']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/other\.md: no history/);
    const missing = await run(['undo', 'gone.md']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/gone\.md: no such file/);
  });

  it('undoing a --rename puts the old bytes back under the old name', async () => {
    const path = await writePost(tempDir(), 'post.md', SEED);
    expect((await draft(['revise', 'post.md', '--title', '--pick', '1', '--rename', '--yes'])).code).toBe(0);
    const renamed = (await listDir(tempDir())).filter((n) => n.endsWith('.md'));
    expect(renamed).toEqual(['deepseeks-disruption-what-investors-should-know.md']);
    const result = await run(['undo', renamed[0]!]);
    expect(result.code).toBe(0);
    expect(await listDir(tempDir())).toEqual(['.draft', 'post.md']);
    expect(await bytes(path)).toEqual(Buffer.from(SEED));
    expect(await listDir(join(tempDir(), '.draft', 'history'))).toEqual(['post.md.d']);
  });
});

describe('draft history', () => {
  it('lists each version with what changed, and which revision undo would take back', async () => {
    await twoRevisions();
    await run(['undo', 'post.md']);
    const result = await run(['history', 'post.md']);
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines.find((l) => l.startsWith('#1 '))).toMatch(/revise\s+revised “The Market Fallout”\s+\[saved \d+ bytes\]/);
    expect(lines.find((l) => l.startsWith('#2 '))).toMatch(/revise\s+added the section “Market analysis” \(undone\)/);
    expect(lines.find((l) => l.startsWith('#3 '))).toMatch(/undo\s+undid #2/);
    expect(result.stdout).toContain('`draft undo post.md` takes back #1');
  });

  it('a revision that changes nothing is not stored as a version', async () => {
    const linked = SEED.replace(
      /see our earlier post:\s(DeepSeek R1[^.]*)\./,
      'see our earlier post: [$1](https://example.com/blog/deepseek-r1).',
    );
    expect(linked).not.toBe(SEED);
    const path = await writePost(tempDir(), 'post.md', linked);
    const result = await draft(['revise', 'post.md', '--link', 'DeepSeek R1=https://example.com/blog/deepseek-r1', '--yes']);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/Nothing to change in post\.md; nothing written/);
    expect(server().requests).toHaveLength(0);
    expect(await bytes(path)).toEqual(Buffer.from(linked));
    expect((await run(['history', 'post.md'])).stdout).toMatch(/no history yet/);
  });
});
