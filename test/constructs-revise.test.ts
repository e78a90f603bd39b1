/**
 * Non-prose constructs survive `draft revise`, and every reference still resolves: in-process,
 * through the revise command, against the scripted test server with bad replies queued per test.
 */
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runRevise } from '../src/commands/revise.js';
import type { DraftError } from '../src/core/errors.js';
import { runCommand } from './support/run-command.js';
import { lastUserMessage, scriptedModel } from './support/scripted-model.js';
import { useServerAndTempDir } from './support/server-and-dir.js';

const { server, tempDir } = useServerAndTempDir('draft-constructs-');
const KEY = 'sk-test-constructs-0123456789';

const SHORTCODE = '{{< figure src="/img/nvda.png" caption="Nvidia, January" >}}';
const CODE = '```python\ndef drop(price, pct):\n    return price * (1 - pct)\n```';
const LIQUID_LINK = "Read the [earlier post]({{ '/posts/r1/' | url }}).";

const POST = `---
title: Pricing notes
---

Training was cheap.[^cost] See [the filing][sec].

## The Market Fallout

Nvidia fell hard on the news, and the chart shows how far.

${SHORTCODE}

${CODE}

${LIQUID_LINK}

## Behind the Innovation

The model was trained with [R1][r1] methods.

[sec]: https://example.com/sec
[r1]: https://example.com/r1
[^cost]: Training cost as reported by the company.

More prose after the definitions, so they are not a trailing block.

## Conclusion

Watch the margins.
`;

/** The Market Fallout's text with `change` applied, as a model reply. */
function fallout(change: (text: string) => string): string {
  const text = POST.split('## The Market Fallout\n')[1]!.split('## Behind the Innovation')[0]!.trim();
  return change(text);
}

async function revise(options: Record<string, unknown>): Promise<{ error?: DraftError; file: string; stderr: string }> {
  const path = join(tempDir(), 'post.md');
  let stderr = '';
  let error: DraftError | undefined;
  try {
    ({ stderr } = await runCommand(
      (ctx) => runRevise('post.md', { yes: true, baseUrl: server().url, retries: '0', timeout: '5', ...options }, ctx),
      { cwd: tempDir(), env: { OPENAI_API_KEY: KEY } },
    ));
  } catch (caught) {
    error = caught as DraftError;
  }
  return { error, file: await readFile(path, 'utf8'), stderr };
}

async function writePost(text = POST): Promise<void> {
  await writeFile(join(tempDir(), 'post.md'), text);
}

async function draftDir(): Promise<string[]> {
  return readdir(join(tempDir(), '.draft')).catch(() => []);
}

describe('constructs of the revised section survive', () => {
  it('a reply that drops a shortcode is retried with the problem stated, and the good second reply is written', async () => {
    await writePost();
    const good = fallout((t) => t.replace('Nvidia fell hard', 'Nvidia fell very hard'));
    server().queue({ content: fallout((t) => t.replace(SHORTCODE, '')) }, { content: good });
    const { error, file } = await revise({ section: ['The Market Fallout'], focus: 'finance' });

    expect(error).toBeUndefined();
    expect(server().requests).toHaveLength(2);
    const retry = lastUserMessage(server().requests[1]!);
    expect(retry).toContain(`Your previous reply was rejected: it dropped the Hugo shortcode \`${SHORTCODE}\``);
    expect(retry).toMatch(/verbatim/);
    expect(lastUserMessage(server().requests[0]!)).not.toContain('rejected');
    expect(file).toContain('Nvidia fell very hard');
    expect(file).toContain(SHORTCODE);
  });

  it('a reply dropping a fenced code block twice is refused: exit 1, the section and the code named, file byte-identical', async () => {
    await writePost();
    const bad = { content: fallout((t) => t.replace(CODE, 'The formula is simple.')) };
    server().queue(bad, bad);
    const { error, file } = await revise({ section: ['The Market Fallout'], focus: 'finance' });

    expect(error?.exitCode).toBe(1);
    expect(error?.message).toMatch(/revision of “The Market Fallout” dropped the code block ```python starting “def drop\(price, pct\):”/);
    expect(`${error?.message} ${error?.hint}`).toMatch(/nothing was written/);
    expect(server().requests).toHaveLength(2);
    expect(lastUserMessage(server().requests[1]!)).toContain('dropped the code block ```python starting “def drop(price, pct):”');
    expect(file).toBe(POST);
    expect(await draftDir()).toEqual([]);
  });

  it('an unbalanced {{ is refused, even when every construct is still there', async () => {
    await writePost();
    const bad = { content: fallout((t) => t.replace('how far.', 'how far ({{).')) };
    server().queue(bad, bad);
    const { error, file } = await revise({ section: ['The Market Fallout'], focus: 'finance' });

    expect(error?.exitCode).toBe(1);
    expect(error?.message).toMatch(/left `\{\{` … `\}\}` unbalanced \(2 opened, 1 closed/);
    expect(lastUserMessage(server().requests[1]!)).toMatch(/unbalanced/);
    expect(file).toBe(POST);
  });

  it('a Liquid link broken into `{{)` is refused, naming the tag that was lost', async () => {
    await writePost();
    const bad = { content: fallout((t) => t.replace(LIQUID_LINK, 'Read the [earlier post]({{).')) };
    server().queue(bad, bad);
    const { error, file } = await revise({ section: ['The Market Fallout'], focus: 'finance' });

    expect(error?.message).toContain("dropped the template tag `{{ '/posts/r1/' | url }}`");
    expect(error?.message).toMatch(/unbalanced/);
    expect(file).toBe(POST);
  });

  it('a reply that removes a definition used elsewhere is refused, naming the label', async () => {
    await writePost();
    const section = POST.split('## Behind the Innovation\n')[1]!.split('## Conclusion')[0]!.trim();
    const bad = { content: section.replace(/\[\^cost\]: .*\n/, '') };
    server().queue(bad, bad);
    const { error, file } = await revise({ section: ['Behind the Innovation'], focus: 'finance' });

    expect(error?.exitCode).toBe(1);
    expect(error?.message).toMatch(/revision of “Behind the Innovation” dropped the definition of \[\^cost\]/);
    expect(file).toBe(POST);
  });

  it('a footnote reference whose definition is in another section counts too', async () => {
    await writePost();
    const bad = { content: 'Training was cheap. See [the filing][sec].' };
    server().queue(bad, bad);
    const { error, file } = await revise({ section: ['introduction'], focus: 'finance' });

    expect(error?.message).toMatch(/revision of the introduction dropped the footnote reference `\[\^cost\]`/);
    expect(file).toBe(POST);
  });

  it('a normal revision still passes with one request, and keeps every construct', async () => {
    await writePost();
    const { error, file } = await revise({ section: ['The Market Fallout'], focus: 'finance' });

    expect(error).toBeUndefined();
    expect(server().requests).toHaveLength(1);
    expect(file).toMatch(/Revised with the finance focus/);
    for (const construct of [SHORTCODE, CODE, LIQUID_LINK, '[sec]: https://example.com/sec', '[^cost]: Training cost'])
      expect(file).toContain(construct);
  });

  it('an instruction that asks for the code to go lets the reply drop it', async () => {
    await writePost();
    server().queue({ content: fallout((t) => t.replace(CODE, 'The formula is simple.')) });
    const { error, file } = await revise({ section: ['The Market Fallout'], instruction: 'remove the code example' });

    expect(error).toBeUndefined();
    expect(server().requests).toHaveLength(1);
    expect(file).not.toContain('def drop');
    expect(file).toContain(SHORTCODE);
  });
});

describe('every reference still resolves in the whole proposed file', () => {
  it('an SEO introduction that drops a definition used in a section is refused, naming the label and where it is used', async () => {
    const post =
      `---\ntitle: Pricing notes\n---\n\nIntro text.\n\n[filing]: https://example.com/sec\n` +
      `\nMore of the introduction.\n\n## Markets\n\nSee [the filing][filing] for details.\n`;
    await writePost(post);
    server().setHandler(
      scriptedModel({
        override: (kind) =>
          kind === 'seo'
            ? {
                content: JSON.stringify({
                  description: 'Nvidia and DeepSeek.',
                  title: 'Pricing notes',
                  introduction: 'A better intro about Nvidia.',
                  headings: [],
                }),
              }
            : undefined,
      }),
    );
    const { error, file } = await revise({ seo: true, keyword: ['Nvidia'] });

    expect(error?.exitCode).toBe(1);
    expect(error?.message).toMatch(
      /post\.md: the revision removes the definition of a reference the post still uses: \[filing\] \(line \d+, in “Markets”\)/,
    );
    expect(file).toBe(post);
    expect(await draftDir()).toEqual([]);
  });
});

describe('a new section', () => {
  it('may not leave a template tag unclosed: retried, then refused, file byte-identical', async () => {
    await writePost();
    const bad = { content: 'Margins matter ({{ and more).' };
    server().queue(bad, bad);
    const { error, file } = await revise({ addSection: 'Market analysis', after: 'The Market Fallout' });

    expect(error?.exitCode).toBe(1);
    expect(error?.message).toMatch(/revision of the new section “Market analysis” left `\{\{` … `\}\}` unbalanced \(1 opened, 0 closed\)/);
    expect(server().requests).toHaveLength(2);
    expect(file).toBe(POST);
  });
});
