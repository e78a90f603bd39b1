import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSource } from '../src/core/document/front-matter.js';
import { readMachineState } from '../src/core/document/machine-state.js';
import { drafter, plain, writePost } from './fixtures/revise/harness.js';
import { lastUserMessage, requestKind, scriptedModel, reviseReply } from './support/scripted-model.js';
import { useServerAndTempDir } from './support/server-and-dir.js';

const { server, tempDir } = useServerAndTempDir('draft-style-fix-');
const draft = drafter(server, tempDir);
const run = plain(tempDir);

const INTRO = 'We tested the new build on Monday. It ran fast.\n\n';
const FLAGGED_A = '## The launch\n\nLet us delve into the numbers. The chip is a game-changer for labs.\n\n';
const CLEAN_B = '## The setup\n\nOur readers asked for this. They can try it now.\n\n```sh\necho "delve the the"\n```\n\n';
const FLAGGED_C = '## What comes next\n\nThe team will ship the the next build in May.\n';
const POST = `---\ntitle: A launch post\ndate: 2026-01-01\ndescription: A short post.\nauthor: Ana\n---\n\n${INTRO}${FLAGGED_A}${CLEAN_B}${FLAGGED_C}`;

/** A model that fixes "delve into" and doubled words, and leaves "game-changer" as it is. */
function fixingModel() {
  const scripted = scriptedModel();
  server().setHandler((req, i) => {
    if (requestKind(req) !== 'revise') return scripted(req, i);
    const prompt = lastUserMessage(req);
    const current = /^<<<\n([\s\S]*?)\n>>>$/m.exec(prompt.slice(prompt.indexOf('Current text:')))?.[1];
    if (current === undefined) return { content: reviseReply(prompt) };
    return { content: current.replace(/delve into/g, 'look at').replace(/\bthe the\b/g, 'the') };
  });
}

const revisePrompts = () =>
  server()
    .requests.filter((r) => requestKind(r) === 'revise')
    .map(lastUserMessage);

describe('draft revise --fix-style', () => {
  it('sends only the flagged sections, each naming its own problems, and leaves the rest byte-for-byte', async () => {
    fixingModel();
    const path = await writePost(tempDir(), 'post.md', POST);
    const result = await draft(['revise', 'post.md', '--fix-style', '--yes', '--author', 'Editor']);
    expect(result.code, result.stderr).toBe(0);

    const prompts = revisePrompts();
    expect(prompts).toHaveLength(2);
    const launch = prompts.find((p) => p.includes('the section "The launch"'))!;
    const next = prompts.find((p) => p.includes('the section "What comes next"'))!;
    expect(launch).toMatch(/\[ai-tells\/delve\] "delve into": .*Suggestion: /);
    expect(launch).toMatch(/\[ai-tells\/game-changer\] "game-changer"/);
    expect(launch).not.toContain('[repeated-words]');
    expect(next).toMatch(/\[repeated-words\] "the the": repeated word .*Suggestion: remove one/);
    expect(next).not.toContain('ai-tells');

    const after = await readFile(path, 'utf8');
    const body = parseSource(after, 'post.md').body;
    // The unflagged parts, code block included, are exactly as they were.
    expect(body.startsWith(`\n${INTRO}`)).toBe(true);
    expect(body).toContain(CLEAN_B);
    expect(body).toContain('## The launch\n\nLet us look at the numbers. The chip is a game-changer for labs.\n\n## The setup');
    expect(body).toContain('The team will ship the next build in May.');

    const state = readMachineState(parseSource(after, 'post.md').data)!;
    const fixed = state.log.find((e) => e.action === 'style-fixed');
    expect(fixed?.details).toEqual({
      fixed: ['ai-tells/delve "delve into"', 'repeated-words "the the"'],
      remaining: ['ai-tells/game-changer "game-changer"'],
    });
    expect(state.log.find((e) => e.action === 'style-fix-requested')?.details).toEqual({
      problems: 3,
      headings: ['The launch', 'What comes next'],
    });
    expect(after).toContain(
      'Fixed 2 style problems (ai-tells/delve "delve into"; repeated-words "the the"); 1 remains: ai-tells/game-changer "game-changer".',
    );
    expect(after).toContain('A request to fix 3 style problems in “The launch”, “What comes next”.');

    // And undo gives back the exact bytes.
    expect((await run(['undo', 'post.md'])).code).toBe(0);
    expect(await readFile(path, 'utf8')).toBe(POST);
  });

  it('a post without style problems sends nothing and writes nothing', async () => {
    const clean = `---\ntitle: A launch post\ndate: 2026-01-01\ndescription: A short post.\n---\n\n${INTRO}${CLEAN_B}`;
    const path = await writePost(tempDir(), 'clean.md', clean);
    const result = await draft(['revise', 'clean.md', '--fix-style', '--yes']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('No style problems in clean.md; nothing sent, nothing written.');
    expect(server().requests).toHaveLength(0);
    expect(await readFile(path, 'utf8')).toBe(clean);
  });

  it('honours check.style: a rule set to off is not sent for fixing', async () => {
    fixingModel();
    await writePost(tempDir(), 'draft.config.json', JSON.stringify({ check: { style: { 'ai-tells': 'off' } } }));
    await writePost(tempDir(), 'post.md', POST);
    const result = await draft(['revise', 'post.md', '--fix-style', '--yes']);
    expect(result.code, result.stderr).toBe(0);
    const prompts = revisePrompts();
    expect(prompts).toHaveLength(1);
    expect(prompts[0]).toContain('the section "What comes next"');
  });

  it('is refused with another request, before anything is sent', async () => {
    await writePost(tempDir(), 'post.md', POST);
    const result = await draft(['revise', 'post.md', '--fix-style', '--focus', 'finance', '--yes']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--focus cannot be combined with --fix-style');
    expect(server().requests).toHaveLength(0);
    expect(await readFile(join(tempDir(), 'post.md'), 'utf8')).toBe(POST);
  });
});
