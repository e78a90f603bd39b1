/**
 * What a person at a terminal sees, through a real pty: no colour under NO_COLOR, progress that
 * keeps moving after the outline review, and a finished batch that says what it wrote.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { baseEnv } from './support/cli.js';
import { KEYS, startPty } from './support/pty.js';
import { lastUserMessage, requestKind, scriptedModel, type ScriptedModelOptions } from './support/scripted-model.js';
import { useServerAndTempDir } from './support/server-and-dir.js';
import type { Handler } from './support/test-server.js';

const { server, tempDir } = useServerAndTempDir('draft-terminal-');

const SPINNER = '[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]';
/** Any SGR sequence: colour, bold, dim. */
const COLOUR_CODE = /\x1b\[[0-9;]*m/;

/** The scripted model, with section replies held back long enough for the spinner to be drawn. */
function slowSections(options: ScriptedModelOptions = {}): Handler {
  const model = scriptedModel(options);
  return async (req, index) => {
    const reply = await model(req, index);
    return requestKind(req) === 'section' && 'content' in reply ? { ...reply, delayMs: 250 } : reply;
  };
}

function pty(args: string[], env: Record<string, string> = {}) {
  const base: Record<string, string> = { ...baseEnv(tempDir()), OPENAI_API_KEY: 'sk-test', ...env };
  return startPty([...args, '--base-url', server().url, '--retries', '0'], { cwd: tempDir(), env: base });
}

describe('on a terminal', () => {
  it('NO_COLOR: the spinner still animates, but no colour code is printed anywhere', async () => {
    server().setHandler(slowSections());
    const plain = pty(['new', '--yes', '--topic', 'Chip export controls'], { NO_COLOR: '1' });
    expect(await plain.exitWithin(20_000)).toBe(0);
    expect(plain.screen).toMatch(new RegExp(`${SPINNER} Drafting sections`));
    expect(plain.raw).not.toMatch(COLOUR_CODE);

    // The same run without NO_COLOR is in colour: the check above can see colour when there is some.
    const { NO_COLOR: _, ...withColour } = baseEnv(tempDir());
    const coloured = startPty(['new', '--yes', '--topic', 'Open models', '--base-url', server().url], {
      cwd: tempDir(),
      env: { ...withColour, OPENAI_API_KEY: 'sk-test' },
    });
    expect(await coloured.exitWithin(20_000)).toBe(0);
    expect(coloured.raw).toMatch(/\x1b\[36m/);
  });

  it('after the outline is accepted, the spinner shows section progress until the draft is done', async () => {
    server().setHandler(slowSections());
    const session = pty(['new', '--topic', 'Chip export controls']);
    await session.waitFor(/Draft from this outline\?/);
    session.mark();
    session.send(KEYS.enter); // accept
    await session.waitFor(new RegExp(`${SPINNER} Drafting sections: \\d/\\d[\\s\\S]*✔ Drafted`), 20_000);
    expect(await session.exitWithin(10_000)).toBe(0);
  });

  it('a finished batch lists each draft it wrote and the keyword problems in them', async () => {
    // The second brief's keyword never makes it into the prose: `draft check` would flag it.
    server().setHandler(
      slowSections({
        override: (kind, req) =>
          kind === 'section' && lastUserMessage(req).includes('Zanzibar') ? { content: 'Markets moved, and costs fell.' } : undefined,
      }),
    );
    await writeFile(
      join(tempDir(), 'briefs.yaml'),
      '- id: one\n  topic: Chip export controls\n  keywords: [Nvidia]\n- id: two\n  topic: Open models\n  keywords: [Zanzibar]\n',
    );
    const session = pty(['batch', 'briefs.yaml', '--no-cache']);
    expect(await session.exitWithin(30_000)).toBe(0);
    const screen = session.screen;
    expect(screen).toMatch(/Wrote 2 draft\(s\):\n {2}drafts\/one\.md {2}.+\n {2}drafts\/two\.md {2}.+\n/);
    expect(screen).toMatch(/1 link or keyword problem\(s\)/);
    expect(screen).toMatch(/ {2}drafts\/two\.md:\d+: keyword "Zanzibar" does not appear in the post \[keyword\]/);
    expect(screen).not.toMatch(/drafts\/one\.md:\d+:/);
    expect(screen).toMatch(/Batch finished: 2 ok/);
  });
});
