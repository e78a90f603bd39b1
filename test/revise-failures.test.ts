import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bytes, drafter, listDir, SEED, writePost } from './fixtures/revise/harness.js';
import { scriptedModel, type RequestKind } from './support/scripted-model.js';
import type { Reply } from './support/test-server.js';
import { useServerAndTempDir } from './support/server-and-dir.js';

const { server, tempDir } = useServerAndTempDir('draft-revise-fail-');
const draft = drafter(server, tempDir);

const REVISE = ['--yes'];

describe('draft revise refuses bad input before calling the model (exit 2, file untouched)', () => {
  const cases: { name: string; make: (dir: string) => Promise<Buffer | undefined>; arg?: string; message: RegExp }[] = [
    { name: 'a missing file', make: async () => undefined, arg: 'nope.md --focus finance', message: /error: nope\.md: no such file/ },
    {
      name: 'a directory',
      make: async (dir) => {
        await mkdir(join(dir, 'post.md'));
        return undefined;
      },
      message: /error: post\.md: is a directory, not a file/,
    },
    {
      name: 'a binary file',
      make: async (dir) => raw(dir, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0x02])),
      message: /looks like a binary file/,
    },
    {
      name: 'a non-UTF-8 file',
      make: async (dir) => raw(dir, Buffer.from('## Caf\xe9\n\nna\xefve text\n', 'latin1')),
      message: /post\.md:1:7: not valid UTF-8/,
    },
    { name: 'an empty file', make: async (dir) => raw(dir, Buffer.from('  \n\n')), message: /post\.md: the file is empty/ },
    {
      name: 'malformed front matter',
      make: async (dir) => raw(dir, Buffer.from('---\ntitle: "ok"\ntags: [a, b\n---\n\n## A\n\nText.\n')),
      message: /error: post\.md:\d+:\d+: malformed YAML front matter/,
    },
    {
      name: 'an unknown focus',
      make: async (dir) => raw(dir, Buffer.from(SEED)),
      arg: 'post.md --section Who --focus crypto',
      message: /unknown focus "crypto"; known focus presets: concise, finance, general-audience, seo, technical/,
    },
    {
      name: 'an unknown section',
      make: async (dir) => raw(dir, Buffer.from(SEED)),
      arg: 'post.md --section Markets --focus finance',
      // The headings come as an outline in the hint, each with the @N that names it.
      message:
        /no section matches "Markets"\nhint: [^\n]*\n {2}@1 "Who is DeepSeek\?"\n {2}@2 "The Market Fallout"\n[\s\S]*@7 "Conclusion: A Wake-Up Call, Not an Apocalypse"/,
    },
    {
      name: 'an ambiguous section',
      make: async (dir) => raw(dir, Buffer.from(SEED)),
      arg: 'post.md --section w --focus finance',
      message: /"w" matches several sections: "Who is DeepSeek\?", "What’s Next for the AI Business Landscape\?"/,
    },
    {
      name: 'a damaged draft_state (it would be overwritten, losing the log)',
      make: async (dir) => raw(dir, Buffer.from('---\ntitle: x\ndraft_state: "hand-mangled"\n---\n\n## A\n\nText.\n')),
      message: /post\.md: the draft_state front matter key is not in the form draft writes/,
    },
    {
      name: 'a post with nothing after its front matter',
      make: async (dir) => raw(dir, Buffer.from('---\ntitle: x\n---\n')),
      message: /no text to revise/,
    },
  ];

  for (const c of cases) {
    it(c.name, async () => {
      const before = await c.make(tempDir());
      const [file, ...extra] = (c.arg ?? 'post.md --focus finance').split(' ');
      const result = await draft(['revise', file!, ...extra, ...REVISE]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(c.message);
      expect(result.stderr).toMatch(/\nhint: /);
      expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
      expect(server().requests).toHaveLength(0);
      if (before) expect(await bytes(join(tempDir(), 'post.md'))).toEqual(before);
      expect(await listDir(join(tempDir(), '.draft'))).toEqual([]);
    });
  }
});

describe('draft revise refuses an unusable reply (exit 1, file untouched, no history)', () => {
  const cases: { name: string; reply: Reply; message: RegExp }[] = [
    {
      name: 'an empty reply',
      reply: { content: '' },
      message: /the model returned an empty reply for the revision of “The Market Fallout”/,
    },
    {
      name: 'only the heading',
      reply: { content: '## The Market Fallout\n' },
      message: /reply for “The Market Fallout” had no text besides its heading/,
    },
    {
      name: 'a reply cut off (finish_reason length)',
      reply: { content: 'The market fell and', finishReason: 'length' },
      message: /was cut off \(finish_reason: length\)/,
    },
    {
      name: 'several sections',
      reply: { content: 'Market text.\n\n## Behind the Innovation\n\nOther text.' },
      message: /is not that section: it contains the section “Behind the Innovation”/,
    },
    {
      name: 'another heading first',
      reply: { content: '## Stock Market Panic\n\nText.' },
      message: /is not that section alone: it contains the heading “Stock Market Panic”/,
    },
  ];

  for (const c of cases) {
    it(c.name, async () => {
      const path = await writePost(tempDir(), 'post.md', SEED);
      server().setHandler(scriptedModel({ override: (kind: RequestKind) => (kind === 'revise' ? c.reply : undefined) }));
      const result = await draft(['revise', 'post.md', '--section', 'The Market Fallout', '--focus', 'finance', ...REVISE]);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(c.message);
      expect(result.stderr).toMatch(/nothing was written/i);
      expect(await bytes(path)).toEqual(Buffer.from(SEED));
      expect(await listDir(join(tempDir(), '.draft'))).toEqual([]);
    });
  }

  it('one bad part among many: nothing of the others is written either', async () => {
    const path = await writePost(tempDir(), 'post.md', SEED);
    server().setHandler(
      scriptedModel({
        override: (kind, req) =>
          kind === 'revise' && JSON.stringify(req.body).includes('Revise now: the section \\"A Geopolitical Lens\\"')
            ? { content: '' }
            : undefined,
      }),
    );
    const result = await draft(['revise', 'post.md', '--focus', 'finance', ...REVISE]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/empty reply for the revision of “A Geopolitical Lens”/);
    expect(await bytes(path)).toEqual(Buffer.from(SEED));
  });
});

async function raw(dir: string, content: Buffer): Promise<Buffer> {
  await writePost(dir, 'post.md', content);
  return content;
}
