import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { structuredPatch } from 'diff';
import { describe, expect, it } from 'vitest';
import { runRevise } from '../src/commands/revise.js';
import { parseSource } from '../src/core/document/front-matter.js';
import { runCommand } from './support/run-command.js';
import { useServerAndTempDir } from './support/server-and-dir.js';

const { server, tempDir } = useServerAndTempDir('draft-notes-log-');

function revise(file: string, options: Record<string, unknown>) {
  return runCommand(
    (ctx) => runRevise(file, { section: [], keyword: [], yes: true, baseUrl: server().url, retries: '0', timeout: '5', ...options }, ctx),
    {
      cwd: tempDir(),
      env: { OPENAI_API_KEY: 'sk-test-0123456789' },
    },
  );
}

const BODY = 'A lead paragraph about markets.\n\n## First\n\nSome text about chips.\n\n## Second\n\nMore text about demand.\n';
const POSTS: Record<string, string> = {
  yaml: `---\ntitle: Markets\nauthor: Jane Doe\n---\n${BODY}`,
  toml: `+++\ntitle = "Markets"\nauthor = "Jane Doe"\n+++\n${BODY}`,
  json: `---json\n{\n  "title": "Markets",\n  "author": "Jane Doe"\n}\n---\n${BODY}`,
};

/** The lines a diff of the two front matter blocks removes and adds. */
function frontMatterChanges(before: string, after: string): { removed: string[]; added: string[] } {
  const a = parseSource(before, 'before').frontMatter;
  const b = parseSource(after, 'after').frontMatter;
  const patch = structuredPatch('a', 'b', a, b, undefined, undefined, { context: 0 });
  const lines = patch.hunks.flatMap((h) => h.lines);
  return {
    removed: lines.filter((l) => l.startsWith('-')).map((l) => l.slice(1)),
    added: lines.filter((l) => l.startsWith('+')).map((l) => l.slice(1)),
  };
}

describe('the log in the front matter is append-only on disk', () => {
  for (const [format, text] of Object.entries(POSTS)) {
    it(`${format}: a second revision keeps every earlier log entry byte-for-byte and only adds to the log`, async () => {
      const path = join(tempDir(), 'post.md');
      await writeFile(path, text);
      await revise('post.md', { section: ['first'], instruction: 'tighten it', author: 'Manolo' });
      const once = await readFile(path, 'utf8');
      const logBefore = (parseSource(once, 'once').data.draft_state as { log: unknown[] }).log;
      await revise('post.md', { section: ['second'], instruction: 'add figures', author: 'Manolo' });
      const twice = await readFile(path, 'utf8');
      const state = parseSource(twice, 'twice').data.draft_state as { log: unknown[] };
      expect(state.log.slice(0, logBefore.length)).toEqual(logBefore);
      expect(state.log.length).toBeGreaterThan(logBefore.length);

      const { removed, added } = frontMatterChanges(once, twice);
      // What may change besides new log lines: the running usage totals and the section hashes.
      const allowed = /^\s*(?:"?(?:inputTokens|outputTokens|requests|costUsd|hash)"?\s*[:=]|\s*\}?,?\s*$)/;
      expect(
        removed.filter((l) => !allowed.test(l)),
        'removed lines',
      ).toEqual([]);
      // The earlier log entries are all still there, in the same bytes.
      const logLines = (s: string) => {
        const fm = parseSource(s, 'x').frontMatter;
        const start = format === 'toml' ? fm.indexOf('[[draft_state.log]]') : fm.indexOf(format === 'json' ? '"log"' : '  log:');
        return fm.slice(start).split('\n');
      };
      const oldLog = logLines(once);
      const newLog = logLines(twice);
      // Every old log line is still there, in place; only closing brackets and fences (which now come
      // after the new entries) may differ, and the last entry's `}` gains a comma in JSON.
      let same = 0;
      while (same < oldLog.length && oldLog[same] === newLog[same]) same++;
      expect(oldLog.slice(same).filter((l) => !/^\s*(?:[\]}],?|\+\+\+|---)?\s*$/.test(l))).toEqual([]);
      expect(same).toBeGreaterThan(10);
      expect(added.length).toBeGreaterThan(removed.length);
    });
  }

  it('entries written by an older draft, keys in another order, keep their bytes too', async () => {
    // draft before 2026-12 wrote `action` before `name`, and usage before brief.
    const legacy = `---
title: Markets
draft_state:
  version: 1
  usage:
    inputTokens: 10
    outputTokens: 20
    requests: 1
    costUsd: 0.001
  brief:
    topic: Markets
    author: Manolo
  sections: []
  log:
    - at: 2026-11-01T10:00:00.000Z
      actor: editor
      action: brief
      name: Manolo
      details:
        topic: Markets
    - at: 2026-11-01T10:00:01.000Z
      actor: ai
      action: sections-drafted
      name: gpt-4o-mini
---
${BODY}`;
    const path = join(tempDir(), 'post.md');
    await writeFile(path, legacy);
    await revise('post.md', { section: ['first'], instruction: 'tighten it' });
    const after = await readFile(path, 'utf8');
    const oldLog = legacy.slice(legacy.indexOf('  log:\n'), legacy.indexOf('---\n', 4));
    expect(after).toContain(oldLog);
    expect(after).toContain(legacy.slice(legacy.indexOf('  brief:'), legacy.indexOf('  sections:')));
  });
});
