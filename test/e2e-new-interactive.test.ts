import { chmod, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { baseEnv } from './support/cli.js';
import { KEYS, startPty } from './support/pty.js';
import { lastUserMessage, requestKind } from './support/scripted-model.js';
import { useServerAndTempDir } from './support/server-and-dir.js';

const { server, tempDir } = useServerAndTempDir();

async function onlyDraft(): Promise<{ data: any; text: string }> {
  const files = await readdir(join(tempDir(), 'drafts'));
  expect(files).toHaveLength(1);
  const text = await readFile(join(tempDir(), 'drafts', files[0]!), 'utf8');
  return { data: parseYaml(/^---\n([\s\S]*?)\n---\n/.exec(text)![1]!), text };
}

describe('draft new on a terminal', () => {
  it('asks for the missing topic, shows the outline, and regenerates it with the writer’s feedback', async () => {
    const env = { ...baseEnv(tempDir()), OPENAI_API_KEY: 'sk-test' };
    const pty = startPty(['new', '--base-url', server().url, '--author', 'Ana'], { cwd: tempDir(), env });
    await pty.waitFor(/Topic of the post/);
    pty.send(`Chip export controls${KEYS.enter}`);
    await pty.waitFor(/Direction/);
    pty.send(`Focus on the money${KEYS.enter}`);
    await pty.waitFor(/Draft from this outline\?/);
    expect(pty.screen).toContain('Understanding Chip export controls');
    pty.send(KEYS.down + KEYS.down + KEYS.enter); // "Regenerate it"
    await pty.waitFor(/What should change\?/);
    pty.mark();
    pty.send(`More on competitors${KEYS.enter}`);
    await pty.waitFor(/Proposed outline[\s\S]*Draft from this outline\?/);
    pty.send(KEYS.enter); // accept
    expect(await pty.exit).toBe(0);

    const outlines = server().requests.filter((r) => requestKind(r) === 'outline');
    expect(outlines).toHaveLength(2);
    expect(lastUserMessage(outlines[0]!)).toContain('Topic: Chip export controls');
    expect(lastUserMessage(outlines[0]!)).toContain("Editor's direction (the angle to take): Focus on the money");
    // The feedback comes with the outline it is about.
    expect(lastUserMessage(outlines[1]!)).toContain('The editor asked for these changes to it: More on competitors');
    expect(lastUserMessage(outlines[1]!)).toContain('Your previous outline, which the editor reviewed:\n{');
    // No section was drafted before the outline was accepted.
    const firstSection = server().requests.findIndex((r) => requestKind(r) === 'section');
    expect(firstSection).toBe(2);

    const { data, text } = await onlyDraft();
    const actions = data.draft_state.log.map((e: any) => `${e.actor}:${e.action}`);
    expect(actions).toEqual(expect.arrayContaining(['editor:outline-regenerated', 'editor:outline-accepted']));
    expect(text).toContain('A request for a new outline: “More on competitors”.');
    expect(text).toContain('Approval of the outline.');
  });

  it('lets the writer edit the outline in $EDITOR before any section is drafted', async () => {
    const editor = join(tempDir(), 'fake-editor.sh');
    // A stand-in for a person in their editor: retitle the post and rename the first section.
    await writeFile(
      editor,
      `#!/bin/sh\nsed -i -e 's/^title: .*/title: Edited By Hand/' -e '0,/heading: .*/s//heading: My Own Section/' "$1"\n`,
    );
    await chmod(editor, 0o755);
    const env = { ...baseEnv(tempDir()), OPENAI_API_KEY: 'sk-test', EDITOR: editor, VISUAL: editor };
    const pty = startPty(['new', '--base-url', server().url, '--topic', 'Open models'], { cwd: tempDir(), env });
    await pty.waitFor(/Draft from this outline\?/);
    pty.send(KEYS.down + KEYS.enter); // "Edit it in $EDITOR"
    await pty.waitFor(/Press <enter> to launch/i);
    pty.send(KEYS.enter);
    expect(await pty.exit).toBe(0);

    const { data, text } = await onlyDraft();
    expect(data.title).toBe('Edited By Hand');
    expect(text).toContain('## My Own Section');
    const sectionPrompts = server()
      .requests.filter((r) => requestKind(r) === 'section')
      .map(lastUserMessage);
    expect(sectionPrompts.some((p) => p.includes('Write now: the section "My Own Section"'))).toBe(true);
    expect(text).toMatch(
      /Edits to the outline \(title set to “Edited By Hand”; added “My Own Section”; removed “Part 1: The Market Fallout”\)/,
    );
  });

  it('Ctrl-C at a question exits 130 and writes nothing', async () => {
    const env = { ...baseEnv(tempDir()), OPENAI_API_KEY: 'sk-test' };
    const pty = startPty(['new', '--base-url', server().url], { cwd: tempDir(), env });
    await pty.waitFor(/Topic of the post/);
    pty.send('\x03');
    expect(await pty.exit).toBe(130);
    expect(pty.screen).not.toMatch(/unexpected failure/);
    expect(server().requests).toHaveLength(0);
    await expect(readdir(join(tempDir(), 'drafts'))).rejects.toThrow();
  });
});
