import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runRevise } from '../src/commands/revise.js';
import { CollaborationLog, knownEvents, LogEventSchema, type LogEntry } from '../src/core/collab/log.js';
import { renderNotes } from '../src/core/collab/notes.js';
import { parseSource } from '../src/core/document/front-matter.js';
import { readMachineState } from '../src/core/document/machine-state.js';
import { runCommand } from './support/run-command.js';
import { useServerAndTempDir } from './support/server-and-dir.js';

const at = '2026-11-28T13:15:55.000Z';
const clock = () => new Date(at);

describe('log events are typed by kind', () => {
  it('a misspelt action or detail does not compile', () => {
    const log = new CollaborationLog([], clock);
    // @ts-expect-error: no such kind of event
    expect(() => log.add('editor', undefined, 'dirction', { text: 'x' })).toThrow(/does not match its schema/);
    // @ts-expect-error: direction's detail is `text`
    expect(() => log.add('editor', undefined, 'direction', { txt: 'x' })).toThrow(/does not match its schema/);
    // @ts-expect-error: a kind with required details needs them
    expect(() => log.add('ai', 'm', 'section-added')).toThrow(/does not match its schema/);
    expect(log.events).toEqual([]);
  });

  it('what is written reads back as the same event, details in the order they were given', () => {
    const log = new CollaborationLog([], clock);
    log.add('editor', 'Manolo', 'title-chosen', { title: 'B', from: 'A', of: 3, rank: 2 });
    log.add('tool', undefined, 'outline-accepted', { auto: true });
    log.add('editor', undefined, 'titles-requested');
    const stored = JSON.parse(JSON.stringify(log.events)) as LogEntry[];
    expect(Object.keys(stored[0]!.details!)).toEqual(['title', 'from', 'of', 'rank']);
    expect(stored[2]).toEqual({ at, actor: 'editor', action: 'titles-requested' });
    expect(knownEvents(stored)).toEqual(log.events);
    for (const event of stored) expect(LogEventSchema.safeParse(event).success).toBe(true);
  });

  it('unknown kinds, and known kinds with details of the wrong shape, load but are left out of the notes', () => {
    const entries: LogEntry[] = [
      { at, actor: 'editor', action: 'direction', details: { text: 'Follow the money' } },
      { at, actor: 'ai', name: 'future-model', action: 'podcast-recorded', details: { minutes: 12 } },
      { at, actor: 'editor', action: 'keywords-requested', details: { keywords: 'not a list' } },
    ];
    const state = readMachineState({ draft_state: { version: 1, log: entries } });
    expect(state?.log).toEqual(entries);
    expect(knownEvents(entries).map((e) => e.action)).toEqual(['direction']);
    const notes = renderNotes(entries);
    expect(notes).toContain('Follow the money');
    expect(notes).not.toMatch(/future-model|not a list|keywords/i);
  });
});

const { server, tempDir } = useServerAndTempDir('draft-log-events-');

describe('a log from another version', () => {
  it('keeps its unknown entries byte-for-byte through a revision, and the notes skip them', async () => {
    const path = join(tempDir(), 'post.md');
    await writeFile(path, '---\ntitle: Markets\n---\nA lead paragraph.\n\n## First\n\nSome text about chips.\n');
    const revise = (instruction: string) =>
      runCommand(
        (ctx) =>
          runRevise(
            'post.md',
            { section: ['first'], keyword: [], instruction, yes: true, baseUrl: server().url, retries: '0', timeout: '5' },
            ctx,
          ),
        { cwd: tempDir(), env: { OPENAI_API_KEY: 'sk-test-0123456789' } },
      );
    await revise('tighten it');
    const once = await readFile(path, 'utf8');
    // An entry a newer version wrote, with its own key order, spliced in at the log's end.
    const foreign =
      '    - at: 2026-11-28T13:15:55.000Z\n      actor: tool\n' +
      '      action: podcast-recorded\n      details:\n        zeta: 1\n        alpha: two\n';
    const lastLogLine = once.lastIndexOf('\n    - at:');
    const insertAt = once.indexOf('\n---', lastLogLine) + 1;
    const spliced = once.slice(0, insertAt) + foreign + once.slice(insertAt);
    expect((parseSource(spliced, 'spliced').data.draft_state as { log: LogEntry[] }).log.at(-1)?.action).toBe('podcast-recorded');
    await writeFile(path, spliced);

    await revise('add figures');
    const twice = await readFile(path, 'utf8');
    expect(twice).toContain(foreign);
    const log = (parseSource(twice, 'twice').data.draft_state as { log: LogEntry[] }).log;
    expect(log.filter((e) => e.action === 'podcast-recorded')).toHaveLength(1);
    expect(log.at(-1)?.action).not.toBe('podcast-recorded');
    const body = parseSource(twice, 'twice').body;
    expect(body).not.toMatch(/podcast|alpha|zeta/);
  });
});
