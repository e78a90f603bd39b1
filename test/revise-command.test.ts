import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { drafter, listDir, SEED, SEED_HEADINGS, splitYaml, text, writePost } from './fixtures/revise/harness.js';
import { lastUserMessage, requestKind, scriptedModel } from './support/scripted-model.js';
import { useServerAndTempDir } from './support/server-and-dir.js';

const { server, tempDir } = useServerAndTempDir('draft-revise-');
const draft = drafter(server, tempDir);

const seedPost = () => writePost(tempDir(), 'post.md', SEED);
const prompts = (kind?: string) =>
  server()
    .requests.filter((r) => !kind || requestKind(r) === kind)
    .map(lastUserMessage);
const state = (file: string) => parseYaml(splitYaml(file).frontMatter.slice(4, -4)).draft_state;

describe('draft revise: sections', () => {
  it('revises one named section: sends that section, the headings and the focus; every other byte stays as it was', async () => {
    const path = await seedPost();
    const result = await draft([
      'revise',
      'post.md',
      '--focus',
      'finance',
      '--section',
      'the market',
      '--instruction',
      'add market analysis; emphasise competitor impacts',
      '--yes',
    ]);
    expect(result.stderr).not.toMatch(/error/);
    expect(result.code).toBe(0);

    expect(server().requests).toHaveLength(1);
    const [prompt] = prompts('revise');
    expect(prompt).toContain('Revise now: the section "The Market Fallout"');
    expect(prompt).toContain('Focus of this revision (finance)');
    expect(prompt).toContain('share-price moves'); // the preset's text
    expect(prompt).toContain("The editor's instruction: add market analysis; emphasise competitor impacts");
    for (const heading of SEED_HEADINGS) expect(prompt).toContain(`- ${heading}`);
    expect(prompt).toContain('Broadcom, AMD, and Qualcomm'); // the section itself
    expect(prompt).not.toContain('Founded in 2023 in Hangzhou'); // another section
    expect(prompt).not.toContain('pass@1 score of 79.8%');

    const after = await text(path);
    const before = splitYaml(SEED);
    const now = splitYaml(after);
    // Front matter: the author's keys byte for byte, the tool's key appended.
    expect(now.frontMatter.startsWith(before.frontMatter.slice(0, -'---\n'.length))).toBe(true);
    expect(now.frontMatter.slice(before.frontMatter.length - 4)).toMatch(/^draft_state:\n/);
    // Body: everything before the section's text and everything after it is untouched.
    const sectionStart = before.body.indexOf('## The Market Fallout\n') + '## The Market Fallout\n'.length;
    const nextHeading = before.body.indexOf('## Behind the Innovation');
    expect(now.body.slice(0, sectionStart)).toBe(before.body.slice(0, sectionStart));
    const rest = before.body.slice(nextHeading);
    const restAt = now.body.indexOf(rest);
    expect(restAt).toBeGreaterThan(sectionStart);
    expect(now.body.slice(sectionStart, restAt)).toContain(
      'Revised with the finance focus: add market analysis; emphasise competitor impacts.',
    );
    // After the untouched rest, only the generated notes were added.
    expect(now.body.slice(restAt + rest.length)).toMatch(
      /^\n<!-- draft:collaboration-notes -->\n## Collaboration notes\n[\s\S]*<!-- \/draft:collaboration-notes -->\n$/,
    );

    const log = state(after).log.map((e: any) => `${e.actor}:${e.action}`);
    expect(log).toEqual(['editor:hand-written', 'editor:revision-requested', 'ai:sections-revised']);
    // Manolo is the post's author, so its writer; nobody named asked for the revision.
    expect(after).toContain('Manolo wrote this post by hand; the editor directed revisions and the AI (gpt-4o-mini) drafted them.');
    expect(after).toContain(
      'A request to revise “The Market Fallout” with a finance focus: “add market analysis; emphasise competitor impacts”.',
    );
    // The diff went to stdout.
    expect(result.stdout).toContain('--- a/post.md');
    expect(result.stdout).toMatch(/^\+Revised with the finance focus/m);
  });

  it('without --section revises every part, each in its own call, several at once', async () => {
    await seedPost();
    server().setDelay(60);
    const result = await draft(['revise', 'post.md', '--focus', 'concise', '--yes', '--concurrency', '3']);
    expect(result.code).toBe(0);
    const sent = prompts('revise');
    expect(sent).toHaveLength(SEED_HEADINGS.length + 1); // the introduction too
    for (const p of sent) expect(p.match(/^Revise now:/gm)).toHaveLength(1);
    expect(sent.some((p) => p.includes('Revise now: the introduction'))).toBe(true);
    expect(server().maxInFlight).toBeGreaterThan(1);
    expect(server().maxInFlight).toBeLessThanOrEqual(3);
    const after = await text(join(tempDir(), 'post.md'));
    expect(after.match(/Revised with the concise focus/g)).toHaveLength(SEED_HEADINGS.length + 1);
    expect(after.match(/^## /gm)).toHaveLength(SEED_HEADINGS.length + 1); // + the notes heading
  });

  it('accepts a reply that repeats the section’s own heading, without doubling it', async () => {
    const path = await seedPost();
    server().setHandler(
      scriptedModel({ override: (kind) => (kind === 'revise' ? { content: '## The Market Fallout\n\nShorter market text.' } : undefined) }),
    );
    const result = await draft(['revise', 'post.md', '--section', 'The Market Fallout', '--instruction', 'shorten', '--yes']);
    expect(result.code).toBe(0);
    const after = await text(path);
    expect(after.match(/^## The Market Fallout$/gm)).toHaveLength(1);
    expect(after).toContain('## The Market Fallout\n\nShorter market text.\n\n## Behind the Innovation');
  });

  it('revises a post with no headings as one body', async () => {
    const path = await writePost(tempDir(), 'plain.md', 'Just one paragraph about DeepSeek and Nvidia.\n\nAnd a second one.\n');
    const result = await draft(['revise', 'plain.md', '--instruction', 'make it punchier', '--yes']);
    expect(result.code).toBe(0);
    expect(prompts('revise')).toHaveLength(1);
    expect(prompts('revise')[0]).toContain('Revise now: the introduction');
    const after = await text(path);
    expect(after).toMatch(
      /^---\ndraft_state:\n[\s\S]*\n---\n\nJust one paragraph about DeepSeek and Nvidia\.\n\nAnd a second one\.\n\nRevised: make it punchier\.\n\n<!-- draft:collaboration-notes -->/,
    );
  });
});

describe('draft revise: approval', () => {
  it('--dry-run prints the diff on stdout and writes nothing', async () => {
    const path = await seedPost();
    const result = await draft(['revise', 'post.md', '--focus', 'finance', '--section', 'Who', '--section', 'behind', '--dry-run']);
    expect(result.code).toBe(0);
    expect(
      prompts('revise')
        .map((p) => /^Revise now: (.+)$/m.exec(p)?.[1])
        .sort(),
    ).toEqual(['the section "Behind the Innovation"', 'the section "Who is DeepSeek?"']);
    expect(result.stdout).toMatch(/^--- a\/post\.md\n\+\+\+ b\/post\.md\n@@ /m);
    expect(result.stdout).toMatch(/^\+Revised with the finance focus/m);
    expect(result.stdout).not.toMatch(/\x1b\[/);
    expect(result.stderr).toContain('Dry run: nothing written.');
    expect(await text(path)).toBe(SEED);
    expect(await listDir(join(tempDir(), '.draft'))).toEqual([]);
  });

  it('without a terminal and without --yes or --dry-run, stops before calling the model (exit 2)', async () => {
    const path = await seedPost();
    const result = await draft(['revise', 'post.md', '--focus', 'finance']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/error: stdin is not a terminal/);
    expect(result.stderr).toMatch(/hint: pass --yes to apply it, or --dry-run/);
    expect(server().requests).toHaveLength(0);
    expect(await text(path)).toBe(SEED);
  });

  it('with nothing asked for, says what can be asked (exit 2)', async () => {
    await seedPost();
    const bare = await draft(['revise', 'post.md', '--yes']);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toMatch(/nothing to revise[\s\S]*--focus, --instruction, --title/);
    const where = await draft(['revise', 'post.md', '--section', 'Who', '--yes']);
    expect(where.code).toBe(2);
    expect(where.stderr).toMatch(/--section says where, but not what/);
    expect(server().requests).toHaveLength(0);
  });
});

describe('draft revise: options combine', () => {
  it('one run: a focused section, a new section, a link and SEO, recorded together, with --author, --max-tokens and --json', async () => {
    const path = await seedPost();
    const result = await draft([
      'revise',
      'post.md',
      '--focus',
      'finance',
      '--section',
      'The Market Fallout',
      '--instruction',
      'emphasise competitors',
      '--add-section',
      'Market analysis',
      '--after',
      'The Market Fallout',
      '--link',
      'DeepSeek R1: Revolutionising Open-Source AI=https://example.com/blog/deepseek-r1',
      '--seo',
      '--keyword',
      'Nvidia',
      '--author',
      'Ana',
      '--max-tokens',
      '900',
      '--json',
      '--yes',
    ]);
    expect(result.stderr).not.toMatch(/error/);
    expect(result.code).toBe(0);
    expect(server().requests.map(requestKind)).toEqual(['revise', 'add-section', 'link', 'seo']);
    for (const r of server().requests) expect(r.body.max_tokens).toBe(900);
    // The new section is told about the focus and the instruction too.
    expect(prompts('add-section')[0]).toContain("The editor's instruction: emphasise competitors");

    const json = JSON.parse(result.stdout);
    expect(json).toMatchObject({ file: 'post.md', changed: true, written: true, history: 1 });
    expect(json.changes).toMatchObject({
      focus: 'finance',
      sections: ['The Market Fallout'],
      added: 'Market analysis',
      link: { url: 'https://example.com/blog/deepseek-r1' },
    });
    expect(json.usage.requests).toBe(4);
    expect(json.diff).toMatch(/^\+## Market analysis$/m);

    const after = await text(path);
    const log = state(after).log;
    // Every request is Ana's; the post itself was written by its author, Manolo.
    expect(log.filter((e: any) => e.actor === 'editor' && e.action !== 'hand-written').every((e: any) => e.name === 'Ana')).toBe(true);
    expect(log[0]).toMatchObject({ action: 'hand-written', details: { writer: 'Manolo' } });
    expect(log[0].name).toBeUndefined();
    expect(log.map((e: any) => e.action)).toEqual([
      'hand-written',
      'revision-requested',
      'section-requested',
      'links-requested',
      'seo-requested',
      'sections-revised',
      'section-added',
      'link-added',
      'seo-revised',
    ]);
    expect(after).toContain('**Ana provided:**');
    expect(after).toMatch(/## The Market Fallout[^#]*Revised with the finance focus: emphasise competitors\.\n\n## Market analysis\n/);
  });

  it('colours the diff only when colour is on', async () => {
    await seedPost();
    const result = await draft(['revise', 'post.md', '--focus', 'finance', '--section', 'Who', '--dry-run'], {
      env: { NO_COLOR: '', FORCE_COLOR: '1' },
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('\x1b[32m+Revised with the finance focus');
    expect(result.stdout).toContain('\x1b[36m@@ ');
    expect(result.stdout).toContain('\x1b[1m--- a/post.md');
  });

  it('accepts JSON front matter and keeps its other keys as they were', async () => {
    const source = '{\n  "title": "JSON post",\n  "tags": ["a"]\n}\n\n## One\n\nFirst.\n\n## Two\n\nSecond.\n';
    const path = await writePost(tempDir(), 'json.md', source);
    const result = await draft(['revise', 'json.md', '--section', 'Two', '--instruction', 'expand', '--yes']);
    expect(result.code).toBe(0);
    const after = await text(path);
    const data = JSON.parse(after.slice(0, after.indexOf('\n}\n') + 2));
    expect(data.title).toBe('JSON post');
    expect(data.tags).toEqual(['a']);
    expect(data.draft_state.sections.map((s: any) => s.heading)).toEqual(['One', 'Two']);
    expect(after).toContain('\n\n## One\n\nFirst.\n\n## Two\n\nSecond.\n\nRevised: expand.\n');
  });
});

describe('draft revise --title', () => {
  const withH1 = SEED.replace(
    '---\n\nIf recent',
    '---\n\n# DeepSeek’s Disruption: The Financial Ripple in the AI Ecosystem\n\nIf recent',
  ).replace('author: Manolo\n', 'author: Manolo\nslug: deepseek-disruption\n');

  it('proposes titles from the whole post (structured output) and --pick sets the front matter title and the H1', async () => {
    const path = await writePost(tempDir(), 'deepseek-disruption.md', withH1);
    const result = await draft(['revise', 'deepseek-disruption.md', '--title', '--pick', '2', '--yes']);
    expect(result.code).toBe(0);
    expect(server().requests).toHaveLength(1);
    const request = server().requests[0]!;
    expect(request.body.response_format.type).toBe('json_schema');
    const prompt = lastUserMessage(request);
    expect(prompt).toContain('Number of titles: 5');
    expect(prompt).toContain('Founded in 2023 in Hangzhou'); // the whole post
    expect(prompt).toContain('pass@1 score of 79.8%');
    expect(result.stderr).toMatch(/Proposed titles:\n\s+1\. .+\n\s+Angle 1[\s\S]*\n\s+5\. /);

    const after = await text(path);
    const chosen = 'DeepSeek’s Disruption: The Money Behind the Hype';
    expect(after).toContain(`title: "${chosen}"`);
    expect(after).toContain(`\n# ${chosen}\n`);
    expect(after).toContain('slug: deepseek-disruption\n'); // unchanged without --rename
    expect(await listDir(tempDir())).toEqual(['.draft', 'deepseek-disruption.md']);
    expect(after).toContain(`The choice of “${chosen}” from 5 proposed titles.`);
  });

  it('--rename changes the slug and the file name, never over another file, and history follows', async () => {
    await writePost(tempDir(), 'deepseek-disruption.md', withH1);
    const taken = await writePost(tempDir(), 'deepseeks-disruption-the-money-behind-the-hype.md', 'someone else’s post\n');
    const result = await draft(['revise', 'deepseek-disruption.md', '--title', '--pick', '2', '--rename', '--yes']);
    expect(result.code).toBe(0);
    expect(await text(taken)).toBe('someone else’s post\n');
    const renamed = 'deepseeks-disruption-the-money-behind-the-hype-2.md';
    expect(await listDir(tempDir())).toEqual(['.draft', 'deepseeks-disruption-the-money-behind-the-hype.md', renamed].sort());
    // The slug follows the file name, so the two posts' URLs do not collide.
    expect(await text(join(tempDir(), renamed))).toContain('slug: deepseeks-disruption-the-money-behind-the-hype-2\n');
    expect(await listDir(join(tempDir(), '.draft', 'history'))).toEqual([`${renamed}.d`]);
    expect(result.stderr).toContain(`→ ${renamed}`);
  });

  it('refuses --title without --pick when nothing can be asked, and an out-of-range --pick, before calling the model', async () => {
    await seedPost();
    const noPick = await draft(['revise', 'post.md', '--title', '--yes']);
    expect(noPick.code).toBe(2);
    expect(noPick.stderr).toMatch(/--title needs --pick N/);
    const tooFar = await draft(['revise', 'post.md', '--title', '--titles', '3', '--pick', '4', '--yes']);
    expect(tooFar.code).toBe(2);
    expect(tooFar.stderr).toMatch(/pick: at most the number of titles proposed \(3\)/);
    expect(server().requests).toHaveLength(0);
  });

  it('--dry-run without --pick lists the proposals on stdout and leaves the title alone', async () => {
    const path = await seedPost();
    const result = await draft(['revise', 'post.md', '--title', '--titles', '3', '--dry-run']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Proposed titles:\n\s+1\. /);
    expect(result.stdout).toContain('the title is left as it is');
    expect(result.stderr).toContain('Nothing to change');
    expect(await text(path)).toBe(SEED);
  });
});

describe('draft revise --add-section', () => {
  it('drafts a new section from the headings and its neighbours, placed before the conclusion by default', async () => {
    const path = await seedPost();
    const result = await draft(['revise', 'post.md', '--add-section', 'Market analysis', '--focus', 'finance', '--yes']);
    expect(result.code).toBe(0);
    const [prompt] = prompts('add-section');
    expect(prompt).toContain('Write now: the new section "Market analysis"');
    expect(prompt).toContain('- Market analysis   <- the new section\n- Conclusion: A Wake-Up Call');
    expect(prompt).toContain('Democratised AI'); // the neighbour before
    expect(prompt).not.toContain('Founded in 2023 in Hangzhou'); // not the whole post
    const after = await text(path);
    expect(after).toMatch(/intensified competition[\s\S]*\n\n## Market analysis\n\n[^#]+\n\n## Conclusion: A Wake-Up Call/i);
    expect(after).toContain('Drafted the new section “Market analysis”.');
  });

  it('--after puts it right after the named section; a heading the post already has is refused', async () => {
    const path = await seedPost();
    const result = await draft(['revise', 'post.md', '--add-section', 'Market analysis', '--after', 'The Market Fallout', '--yes']);
    expect(result.code).toBe(0);
    const after = await text(path);
    expect(after).toMatch(
      /high-cost business models of established AI players\.\n\n## Market analysis\n\n[^#]+\n\n## Behind the Innovation\n/,
    );
    const clash = await draft(['revise', 'post.md', '--add-section', 'the market fallout', '--yes']);
    expect(clash.code).toBe(2);
    expect(clash.stderr).toMatch(/already has a section “The Market Fallout”/);
  });
});

describe('draft revise --link', () => {
  const LINK = 'DeepSeek R1: Revolutionising Open-Source AI=https://example.com/blog/deepseek-r1';

  it('works the link into the most relevant section in prose', async () => {
    const path = await seedPost();
    const result = await draft(['revise', 'post.md', '--link', LINK, '--yes']);
    expect(result.code).toBe(0);
    expect(prompts('link')).toHaveLength(1);
    expect(prompts('link')[0]).toContain('Section "Who is DeepSeek?"');
    const after = await text(path);
    expect(after).toContain('[DeepSeek R1: Revolutionising Open-Source AI](https://example.com/blog/deepseek-r1)');
    expect(after).toContain(
      'Worked the link [DeepSeek R1: Revolutionising Open-Source AI](https://example.com/blog/deepseek-r1) into “Who is DeepSeek?”.',
    );
  });

  it('fails without writing when the revision leaves the URL out (exit 1)', async () => {
    const path = await seedPost();
    server().setHandler(
      scriptedModel({ override: (kind) => (kind === 'link' ? { content: 'A revision that forgot the link.' } : undefined) }),
    );
    const result = await draft(['revise', 'post.md', '--link', LINK, '--yes']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /error: the model's revision of “Who is DeepSeek\?” does not link to https:\/\/example\.com\/blog\/deepseek-r1/,
    );
    expect(await text(path)).toBe(SEED);
    expect(await listDir(join(tempDir(), '.draft'))).toEqual([]);
  });

  it('a malformed --link is a usage error', async () => {
    await seedPost();
    const result = await draft(['revise', 'post.md', '--link', 'no url here', '--yes']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--link: "no url here" must look like "Title=https://…"');
  });
});

describe('draft revise --seo', () => {
  it('prints keyword coverage before and after and keeps the description within 160 characters', async () => {
    const path = await seedPost();
    const long = 'DeepSeek and Nvidia: '.padEnd(230, 'a long description that goes on ');
    server().setHandler(
      scriptedModel({
        override: (kind) => {
          if (kind !== 'seo') return undefined;
          return {
            content: JSON.stringify({
              description: long,
              title: 'DeepSeek, Nvidia and the Financial Ripple',
              introduction: '',
              headings: [{ from: 'The Market Fallout', to: 'The Nvidia Market Fallout' }],
            }),
          };
        },
      }),
    );
    const result = await draft(['revise', 'post.md', '--seo', '--keyword', 'DeepSeek', '--keyword', 'Nvidia', '--yes']);
    expect(result.code).toBe(0);
    const request = server().requests[0]!;
    expect(request.body.response_format.type).toBe('json_schema');
    expect(lastUserMessage(request)).toContain('Founded in 2023 in Hangzhou'); // SEO reads the whole post
    expect(result.stderr).toMatch(/Keyword coverage before:\n\s+DeepSeek: \d+× \(title, description, introduction[^\n]*\n\s+Nvidia: /);
    expect(result.stderr).toMatch(/Keyword coverage after:\n\s+DeepSeek: [^\n]+\n\s+Nvidia: \d+× \(title, description/);

    const after = await text(path);
    const data = parseYaml(splitYaml(after).frontMatter.slice(4, -4));
    expect(data.description.length).toBeLessThanOrEqual(160);
    expect(data.description).toMatch(/^DeepSeek and Nvidia: /);
    expect(data.title).toBe('DeepSeek, Nvidia and the Financial Ripple');
    expect(after).toContain('\n## The Nvidia Market Fallout\n');
    expect(after).toContain('Shortened the SEO description to');
    expect(data.tags).toEqual(['ai', 'deepseek', 'markets']);
    expect(after).toContain('tags: [ai, deepseek, markets]\n'); // untouched key, untouched bytes
  });
});
