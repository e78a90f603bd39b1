import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NOTES_END, NOTES_START } from '../src/core/document/notes-block.js';
import { draft, put, useBatchEnv } from './fixtures/batch/harness.js';
import { runDraft } from './support/run-command.js';
import { SEED_LINK_URL, seedNewArgs } from './support/seed-brief.js';

const env = useBatchEnv();

const LINK = SEED_LINK_URL;
const NEW_ARGS = [...seedNewArgs({ direction: false }), '--sections', '3', '--json'];

const check = (args: string[]) => runDraft(['check', ...args], { cwd: env.dir });

/** A post as three parts, so each mutation edits only the part it means to. */
function split(text: string): { front: string; article: string; notes: string } {
  const bodyStart = text.indexOf('\n---\n') + 5;
  const notesStart = text.indexOf(NOTES_START);
  return { front: text.slice(0, bodyStart), article: text.slice(bodyStart, notesStart), notes: text.slice(notesStart) };
}

/** 1-based line of the first occurrence of `needle` at or after `from`. */
function lineOf(text: string, needle: string, from = 0): number {
  const at = text.indexOf(needle, from);
  if (at === -1) throw new Error(`"${needle}" not in the text`);
  return text.slice(0, at).split('\n').length;
}

describe('draft check', () => {
  it('passes a clean draft made by `draft new`, sending nothing', async () => {
    const made = await draft(env, NEW_ARGS);
    expect(made.code).toBe(0);
    const sent = env.server.requests.length;
    const result = await check(['drafts']);
    expect(result.stdout).toBe('');
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('1 file(s) checked: no problems');
    expect(env.server.requests).toHaveLength(sent);
  });

  it('catches each problem it claims to, on the right line, and nothing else', async () => {
    const made = await draft(env, NEW_ARGS);
    const clean = await readFile(JSON.parse(made.stdout).path, 'utf8');
    const { front, article, notes } = split(clean);
    const firstSection = article.indexOf('\n## ') + 1;
    const at = (text: string, offset: number, insert: string) => text.slice(0, offset) + insert + text.slice(offset);

    const posts: Record<string, { text: string; expect: { rule: string; line: number; message: RegExp }[] }> = {};
    const add = (name: string, text: string, ...expected: { rule: string; line: number; message: RegExp }[]) =>
      (posts[name] = { text, expect: expected });

    add('clean.md', clean);
    add(
      'no-front-matter.md',
      article + notes,
      // Without draft_state the post is not draft's: its notes are its own, not checked against a log.
      { rule: 'front-matter', line: 1, message: /^no front matter \(required: title, date, description\)$/ },
    );
    const malformed = front.replace(/^title: .*$/m, 'title: a: b') + article + notes;
    add('malformed.md', malformed, { rule: 'front-matter', line: 2, message: /malformed YAML front matter/ });
    const missing = front.replace(/^title: .*\n/m, '').replace(/^date: .*\n/m, '') + article + notes;
    add(
      'missing-fields.md',
      missing,
      { rule: 'front-matter', line: 1, message: /no "title"/ },
      { rule: 'front-matter', line: 1, message: /no "date"/ },
    );
    const long = front.replace(/^description: .*$/m, `description: ${'A very long description. '.repeat(8).trim()}`) + article + notes;
    add('long-description.md', long, {
      rule: 'description',
      line: lineOf(long, 'description:'),
      message: /description is 199 characters; search engines cut it at 160/,
    });
    const unlinked = front + article.replace(/\[DeepSeek R1: Revolutionising Open-Source AI\]\([^)]+\)/g, 'our earlier post') + notes;
    add('missing-link.md', unlinked, {
      rule: 'link',
      line: lineOf(unlinked, LINK),
      message: new RegExp(`link ${LINK} \\("DeepSeek R1: Revolutionising Open-Source AI"\\) is not linked`),
    });
    const noKeyword = front + article.replace(/Nvidia/g, 'chipmakers') + notes;
    add('missing-keyword.md', noKeyword, {
      rule: 'keyword',
      line: lineOf(noKeyword, '\nkeywords:') + 1,
      message: /keyword "Nvidia" does not appear/,
    });
    const noNotes = `${front}${article.trimEnd()}\n`;
    add('no-notes.md', noNotes, { rule: 'notes', line: noNotes.split('\n').length, message: /no collaboration notes block/ });
    const edited = front + article + notes.replace('SEO keywords to target', 'Keywords we liked');
    add('stale-notes.md', edited, { rule: 'notes', line: lineOf(edited, 'Keywords we liked'), message: /do not match the log/ });
    const thinking = front + at(article, firstSection, '<think>The editor wants finance.</think>\n\n') + notes;
    add('think.md', thinking, { rule: 'think', line: lineOf(thinking, '<think>'), message: /leftover reasoning text "<think>"/ });
    const placeholders =
      front +
      at(
        article,
        firstSection,
        'TODO: add a chart.\n\nLorem ipsum dolor sit amet.\n\nSee the figure [insert chart here].\n\n' +
          // Not placeholders: code, inline code, and a link whose text starts like one.
          '```\n// TODO in a code sample\n```\n\nWrite `TODO` comments, and try the [add-ons](https://example.com/add-ons).\n\n',
      ) +
      notes;
    add(
      'placeholders.md',
      placeholders,
      { rule: 'placeholder', line: lineOf(placeholders, 'TODO: add'), message: /placeholder text "TODO"/ },
      { rule: 'placeholder', line: lineOf(placeholders, 'Lorem'), message: /placeholder text "Lorem ipsum"/ },
      { rule: 'placeholder', line: lineOf(placeholders, '[insert'), message: /placeholder text "\[insert chart here\]"/ },
    );
    const empty = front + at(article, firstSection, '## Coming Soon\n\n<!-- write this -->\n\n') + notes;
    add('empty-section.md', empty, {
      rule: 'empty-section',
      line: lineOf(empty, '## Coming Soon'),
      message: /section "Coming Soon" is empty/,
    });

    for (const [name, post] of Object.entries(posts)) await put(env, join('posts', name), post.text);
    const sent = env.server.requests.length;

    const result = await check(['posts', '--json']);
    expect(result.code).toBe(1);
    expect(env.server.requests).toHaveLength(sent);
    const report = JSON.parse(result.stdout);
    expect(report.files).toBe(Object.keys(posts).length);
    for (const [name, post] of Object.entries(posts)) {
      const found = report.problems.filter((p: any) => p.file === `posts/${name}`);
      expect(
        found.map((p: any) => `${p.rule}:${p.line}`),
        name,
      ).toEqual(post.expect.map((e) => `${e.rule}:${e.line}`));
      for (const [i, e] of post.expect.entries()) expect(found[i].message, name).toMatch(e.message);
    }

    // The plain form: one `file:line: message [rule]` line per problem on stdout, a summary on stderr.
    const plain = await check(['posts/think.md', 'posts/clean.md']);
    expect(plain.code).toBe(1);
    expect(plain.stdout).toBe(`posts/think.md:${lineOf(thinking, '<think>')}: leftover reasoning text "<think>" [think]\n`);
    expect(plain.stderr).toContain('error: 1 problem(s) in 1 of 2 file(s)');
  });

  it('reports an empty file as a problem, and a missing path as a usage error', async () => {
    await put(env, 'posts/empty.md', '');
    const result = await check(['posts']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('posts/empty.md:1: the file is empty [file]\n');
    const missing = await check(['nowhere']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nowhere: no such file or folder');
  });

  it('checks the configured drafts folder when given no path', async () => {
    await put(env, 'draft.config.json', JSON.stringify({ outDir: 'content/posts' }));
    await put(
      env,
      'content/posts/a.md',
      `---\ntitle: A\ndate: 2024-01-01\ndescription: Short\n---\nText.\n\nTODO: finish.\n\n${NOTES_START}\n## Notes\n${NOTES_END}\n`,
    );
    const result = await check([]);
    expect(result.code).toBe(1);
    // No draft_state: the notes are the writer's own and are not checked.
    expect(result.stdout).toBe('content/posts/a.md:8: placeholder text "TODO" [placeholder]\n');
  });
});
