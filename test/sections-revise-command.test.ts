/**
 * `draft revise --section` end to end, in-process, against the scripted model: the boundaries of a
 * section (trailing definitions, trailing blank lines) and headings nested under a mid-post H1.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runRevise } from '../src/commands/revise.js';
import { UsageError } from '../src/core/errors.js';
import { runCommand } from './support/run-command.js';
import { lastUserMessage, requestKind } from './support/scripted-model.js';
import { useServerAndTempDir } from './support/server-and-dir.js';

const { server, tempDir } = useServerAndTempDir('draft-sections-');

async function revise(file: string, options: Record<string, unknown>) {
  return runCommand(
    (ctx) => runRevise(file, { section: [], keyword: [], yes: true, baseUrl: server().url, retries: '0', timeout: '5', ...options }, ctx),
    { cwd: tempDir(), env: { OPENAI_API_KEY: 'sk-test-0123456789' } },
  );
}

const revisePrompts = () =>
  server()
    .requests.filter((r) => requestKind(r) === 'revise')
    .map(lastUserMessage);

/** The body after the front matter the tool adds (and the blank line it puts after it). */
const bodyOf = (file: string): string => file.replace(/^---\n[\s\S]*?\n---\n\n/, '');

const NOTES_END = '<!-- /draft:collaboration-notes -->\n';
const DEFINITIONS =
  '[docs]: https://example.com/docs "The docs"\n[^1]: A footnote,\n    on two lines.\n[rel]: <https://example.com/release notes>\n';

describe('draft revise: section boundaries', () => {
  it('revising the last section never sends nor replaces the trailing definitions, and keeps the trailing blank lines', async () => {
    const head = 'Lead with [the docs][docs].\n\n## First\n\nSee [notes][rel].\n\n## Last\n';
    const post = `${head}\nThe end[^1].\n\n${DEFINITIONS}\n\n\n`;
    const path = join(tempDir(), 'post.md');
    await writeFile(path, post);
    await revise('post.md', { section: ['last'], instruction: 'tighten it' });

    const [prompt] = revisePrompts();
    expect(prompt).toContain('The end[^1].');
    expect(prompt).not.toContain('https://example.com/docs');
    expect(prompt).not.toContain('A footnote');
    const body = bodyOf(await readFile(path, 'utf8'));
    expect(body.startsWith(head)).toBe(true);
    expect(body).toContain('tighten it');
    // The definitions block, byte for byte, then the generated notes, then the post's own ending.
    expect(body).toMatch(
      /tighten it\.\n\n\[docs\]: https:\/\/example\.com\/docs "The docs"\n\[\^1\]: A footnote,\n {4}on two lines\.\n\[rel\]: <https:\/\/example\.com\/release notes>\n\n<!-- draft:collaboration-notes -->\n/,
    );
    expect(body.endsWith(`${NOTES_END}\n\n\n`)).toBe(true);

    // A second revision keeps all of it again: the notes block now exists and is replaced in place.
    await revise('post.md', { section: ['last'], instruction: 'once more' });
    const again = bodyOf(await readFile(path, 'utf8'));
    expect(again).toContain(`once more.\n\n${DEFINITIONS}\n<!-- draft:collaboration-notes -->\n`);
    expect(again.endsWith(`${NOTES_END}\n\n\n`)).toBe(true);
  });

  it('keeps the blank lines a post ends with when the notes are appended after the revised last section', async () => {
    const path = join(tempDir(), 'post.md');
    await writeFile(path, 'Lead.\n\n## A\n\nText a.\n\n## Last\n\ns.\n\n\n\n');
    await revise('post.md', { section: ['last'], instruction: 'x' });
    const body = bodyOf(await readFile(path, 'utf8'));
    expect(body.startsWith('Lead.\n\n## A\n\nText a.\n\n## Last\n\ns.\n\nRevised: x.\n\n<!-- draft:collaboration-notes -->\n')).toBe(true);
    expect(body.endsWith(`${NOTES_END}\n\n\n`)).toBe(true);
  });

  it('revises a ## under a mid-post H1 alone; the introduction is only the text before the first heading', async () => {
    const post = [
      'Opening words.',
      '',
      '## Setup',
      '',
      'Install it.',
      '',
      '# Part Two',
      '',
      'Part two lead.',
      '',
      '## Introduction to RL',
      '',
      'Rewards and policies.',
      '',
      '### Details',
      '',
      'Deep details.',
      '',
      '## Results',
      '',
      'Numbers.',
      '',
    ].join('\n');
    const path = join(tempDir(), 'post.md');
    await writeFile(path, post);
    await revise('post.md', { section: ['introduction to rl'], instruction: 'explain more' });
    const [prompt] = revisePrompts();
    expect(prompt).toContain('Revise now: the section "Introduction to RL"');
    expect(prompt).toContain('- Part Two   <- the part to revise, "Introduction to RL", is inside this one');
    expect(prompt).toContain('Rewards and policies.');
    expect(prompt).toContain('### Details');
    expect(prompt).not.toContain('Numbers.');
    expect(prompt).not.toContain('Part two lead.');
    const body = bodyOf(await readFile(path, 'utf8'));
    const at = body.indexOf('## Results');
    expect(body.slice(0, body.indexOf('Rewards and policies.'))).toBe(post.slice(0, post.indexOf('Rewards and policies.')));
    expect(body.slice(at).startsWith('## Results\n\nNumbers.\n')).toBe(true);
    expect(body.slice(0, at)).toContain('Deep details.\n\nRevised: explain more.\n\n');

    server().requests.length = 0;
    await revise('post.md', { section: ['introduction'], instruction: 'hook them' });
    const [intro] = revisePrompts();
    expect(intro).toContain('Revise now: the introduction');
    expect(intro).toContain('Opening words.');
    expect(intro).not.toContain('Install it.');
    expect(intro).not.toContain('## Setup');
    const after = bodyOf(await readFile(path, 'utf8'));
    expect(after).toContain('Opening words.\n\nRevised: hook them.\n\n## Setup\n\nInstall it.\n\n# Part Two\n');
  });

  it('without --section revises the top-level parts once each: a mid-post H1 with its ## headings is one part', async () => {
    const post = 'Opening.\n\n## Setup\n\nInstall.\n\n# Part Two\n\nLead two.\n\n## Deep\n\nDive.\n\n## Results\n\nNumbers.\n';
    const path = join(tempDir(), 'post.md');
    await writeFile(path, post);
    await revise('post.md', { instruction: 'shorter' });
    const sent = revisePrompts();
    expect(sent.map((p) => /^Revise now: (.*)$/m.exec(p)?.[1]).sort()).toEqual([
      'the introduction',
      'the section "Part Two"',
      'the section "Setup"',
    ]);
    // The H1's reply keeps its ## headings, and they are accepted as part of it.
    const body = bodyOf(await readFile(path, 'utf8'));
    expect(body).toContain('# Part Two\n\nLead two.\n\n## Deep\n\nDive.\n\n## Results\n\nNumbers.\n\nRevised: shorter.\n');
    expect(body.match(/Revised: shorter\./g)).toHaveLength(3);
  });

  it('refuses two --section names that overlap, before calling the model', async () => {
    await writeFile(join(tempDir(), 'post.md'), '# One\n\na\n\n## Two\n\nb\n\n# Three\n\nc\n');
    const refused = revise('post.md', { section: ['one', 'two'], instruction: 'x' });
    await expect(refused).rejects.toThrow(UsageError);
    await expect(refused).rejects.toThrow('post.md: the sections "Two" and "One" overlap: the first is part of the second');
    expect(server().requests).toHaveLength(0);
  });
});
