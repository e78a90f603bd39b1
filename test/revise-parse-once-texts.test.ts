import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { watchParses, type ParseKind } from '../src/core/document/parse-watch.js';
import { drafter, SEED, text, writePost } from './fixtures/revise/harness.js';
import { useServerAndTempDir } from './support/server-and-dir.js';

const { server, tempDir } = useServerAndTempDir('draft-revise-parse-');
const draft = drafter(server, tempDir);

/** Every parse one revise makes, by kind and text; a fresh line keeps other tests' parses of the seed out of the caches. */
async function parsesOfRevise(args: string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const stop = watchParses((kind: ParseKind, parsed: string) => {
    const key = `${kind}\n${parsed}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  });
  try {
    const result = await draft(['revise', 'post.md', ...args, '--yes']);
    expect(result.code, result.stderr).toBe(0);
  } finally {
    stop();
  }
  return counts;
}

const twice = (counts: Map<string, number>) =>
  [...counts].filter(([, n]) => n > 1).map(([key, n]) => `${n}× ${key.slice(0, 120).replace(/\n/g, '⏎')}`);

describe('draft revise parses each text once (issue 15)', () => {
  it('a hand-written post: its front matter, its body, the part and the reply are each parsed once', async () => {
    const unique = SEED.replace('you’re not alone.', `you’re not alone (${randomUUID()}).`);
    const path = await writePost(tempDir(), 'post.md', unique);
    const counts = await parsesOfRevise(['--section', 'introduction', '--instruction', 'tighten']);
    expect(twice(counts)).toEqual([]);
    const body = unique.slice(unique.indexOf('\n---\n') + 5);
    expect(counts.get(`markdown\n${body}`)).toBe(1);
    expect([...counts.keys()].filter((k) => k.startsWith('yaml\n')).length).toBeGreaterThan(0);
    expect(await text(path)).not.toBe(unique);
  });

  it('a post the tool wrote (state in the front matter, hand edits checked): nothing parsed twice', async () => {
    const unique = SEED.replace('you’re not alone.', `you’re not alone (${randomUUID()}).`);
    await writePost(tempDir(), 'post.md', unique);
    await parsesOfRevise(['--section', 'introduction', '--instruction', 'tighten']);
    const counts = await parsesOfRevise(['--section', 'the market', '--instruction', 'add analysis']);
    expect(twice(counts)).toEqual([]);
  });

  it('a CRLF post: nothing parsed twice', async () => {
    const unique = SEED.replace('you’re not alone.', `you’re not alone (${randomUUID()}).`).replace(/\n/g, '\r\n');
    await writePost(tempDir(), 'post.md', unique);
    const counts = await parsesOfRevise(['--section', 'introduction', '--instruction', 'tighten']);
    expect(twice(counts)).toEqual([]);
  });
});
