import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadAiTells } from '../src/core/style/ai-tells.js';
import { checkStyle } from '../src/core/style/check-style.js';
import { runDraft } from './support/run-command.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'draft-style-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const env = () => ({ XDG_CONFIG_HOME: join(dir, 'config-home') });

/** `draft check --style` in-process (runDraft), with the exit code the CLI would give. */
async function check(args: string[], options: { json?: boolean; style?: boolean } = {}) {
  const flags = [...(options.style === false ? [] : ['--style']), ...(options.json ? ['--json'] : [])];
  const { code, stdout, stderr } = await runDraft(['check', ...args, ...flags], { cwd: dir, env: env() });
  return { code, stdout, stderr };
}

const FRONT = '---\ntitle: A post\ndate: 2026-01-01\ndescription: A short post.\n---\n\n';
/** Plain, short, active sentences: nothing for any rule to say. */
const CLEAN =
  'We tested the new build on Monday. It ran fast. The team fixed two bugs and shipped it.\n' +
  '\nOur readers asked for this. They can try it now.\n';

async function style(body: string, language = 'en') {
  return checkStyle(body, { language, tells: await loadAiTells({ cwd: dir, env: env() }) });
}
const rules = (found: { findings: { rule: string }[] }) => found.findings.map((f) => f.rule);

describe('draft check --style: each rule family', () => {
  it('stays quiet on clean prose', async () => {
    expect((await style(CLEAN)).findings).toEqual([]);
  });

  const cases: [string, string, string][] = [
    ['repeated-words', 'We ran the the tests on Monday.\n', 'the the'],
    ['passive', 'The ball was thrown by the team.\n', 'thrown'],
    ['simplify', 'We utilize a small cache.\n', 'utilize'],
    [
      'readability',
      'The constellation of unparalleled, multifaceted administrative methodologies necessitates ' +
        'comprehensive organizational reconsideration of interdepartmental communication infrastructures.\n',
      'The constellation',
    ],
    ['ai-tells/delve', 'Let us delve into the numbers.\n', 'delve into'],
    ['ai-tells/tapestry', 'The market is a rich tapestry of players.\n', 'rich tapestry'],
    ['ai-tells/fast-paced-world', 'In today’s fast-paced world, teams ship daily.\n', 'In today’s fast-paced world'],
    ['ai-tells/important-to-note', 'It is important to note that costs fell.\n', 'It is important to note'],
    ['ai-tells/navigate-complexities', 'Teams must navigate the complexities of pricing.\n', 'navigate the complexities'],
    ['ai-tells/testament', 'The result is a testament to good work.\n', 'is a testament to'],
    ['ai-tells/game-changer', 'This chip is a game-changer for labs.\n', 'game-changer'],
    ['ai-tells/not-just-but', "It's not just a chip, it's a platform.\n", "It's not just a chip, it's"],
    ['ai-tells/in-conclusion', 'In conclusion, the plan works.\n', 'In conclusion,'],
  ];
  for (const [rule, text, flagged] of cases) {
    it(`${rule} fires on "${text.trim()}" at the words it means`, async () => {
      const { findings } = await style(`${CLEAN}\n${text}`);
      const finding = findings.find((f) => f.rule === rule);
      expect(finding, JSON.stringify(findings)).toBeDefined();
      expect(`${CLEAN}\n${text}`.slice(finding!.start, finding!.start + flagged.length)).toBe(flagged);
      expect(finding!.message.length).toBeGreaterThan(10);
    });
  }

  it('a habit fires only when most paragraphs show it: em-dashes and lists of three', async () => {
    const dashed = [
      'We shipped — finally — on Monday.',
      'The cache — small as it is — helps.',
      'Costs fell — a lot.',
      'Users noticed — and wrote in.',
    ];
    expect(rules(await style(`${dashed.join('\n\n')}\n`))).toContain('ai-tells/em-dash-habit');
    expect(rules(await style(`${[dashed[0], 'Costs fell a lot.', 'Users noticed.', 'The cache helps.'].join('\n\n')}\n`))).not.toContain(
      'ai-tells/em-dash-habit',
    );

    const triplets =
      'It is fast, cheap, and reliable. Teams plan, draft, and ship. Readers skim, ' +
      'click, or leave. We test, fix, and repeat. Costs rise, fall, and settle.\n';
    expect(rules(await style(triplets))).toContain('ai-tells/triplet-habit');
    expect(rules(await style('It is fast, cheap, and reliable. Teams ship. Readers read. We test it. Costs settle.\n'))).not.toContain(
      'ai-tells/triplet-habit',
    );
  });
});

describe('draft check --style: only prose', () => {
  it('ignores code, inline code, URLs, shortcodes, Liquid, HTML, image text and the notes block', async () => {
    const body = [
      CLEAN,
      '```js\nconst x = "delve the the"; // game-changer\n```',
      'Run `delve the the` here, or see https://example.com/delve-into/game-changer and <https://example.com/tapestry>.',
      '{{< figure src="x.png" caption="a rich tapestry, a game-changer" >}}',
      '{% include delve.html title="the the" %}',
      '<div title="game-changer">ok</div>',
      '![a rich tapestry](x.png)',
      '<!-- draft:collaboration-notes -->\n## Collaboration notes\n\n' +
        'We delve into a rich tapestry, a game-changer.\n<!-- /draft:collaboration-notes -->',
      '',
    ].join('\n\n');
    expect((await style(body)).findings).toEqual([]);
  });

  it('ignores the front matter and reports file:line:column from the top of the file', async () => {
    await writeFile(
      join(dir, 'post.md'),
      `---\ntitle: Delve into the the tapestry\ndate: 2026-01-01\ndescription: A game-changer.\n---\n\n${CLEAN}\nSo we delve into it.\n`,
    );
    const result = await check(['post.md']);
    expect(result.stdout.trim().split('\n')).toEqual([
      expect.stringMatching(/^post\.md:11:7: AI tell "delve into": .* \[ai-tells\/delve\]$/),
    ]);
  });
});

describe('draft check --style: severities, exit codes, JSON', () => {
  it('exits 1 for an error, 0 with only warnings, and check.style sets either (or off)', async () => {
    await writeFile(join(dir, 'post.md'), `${FRONT}${CLEAN}\nThe ball was thrown by the team. We utilize a cache.\n`);
    const warned = await check(['post.md']);
    expect(warned.code).toBe(0);
    expect(warned.stdout).toMatch(/^post\.md:\d+:\d+: warning: passive voice "thrown"/m);
    expect(warned.stderr).toContain('2 warning(s), no errors');

    await writeFile(join(dir, 'draft.config.json'), JSON.stringify({ check: { style: { passive: 'error', simplify: 'off' } } }));
    const failed = await check(['post.md']);
    expect(failed.code).toBe(1);
    expect(failed.stdout).not.toContain('[simplify]');
    expect(failed.stdout).toMatch(/^post\.md:\d+:\d+: passive voice "thrown".*\[passive\]$/m);
  });

  it('an AI tell is an error by default, and one tell can be turned off by id', async () => {
    await writeFile(join(dir, 'post.md'), `${FRONT}${CLEAN}\nThis is a game-changer.\n`);
    expect((await check(['post.md'])).code).toBe(1);
    await writeFile(join(dir, 'draft.config.json'), JSON.stringify({ check: { style: { 'ai-tells/game-changer': 'off' } } }));
    expect(await check(['post.md'])).toMatchObject({ code: 0, stdout: '' });
  });

  it('refuses an unknown rule in check.style, naming it', async () => {
    await writeFile(join(dir, 'draft.config.json'), JSON.stringify({ check: { style: { pasive: 'error' } } }));
    await writeFile(join(dir, 'post.md'), `${FRONT}${CLEAN}`);
    const result = await check(['post.md']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/check\.style.*pasive|pasive.*must be one of/);
  });

  it('--json lists style problems in the shape of the other rules, with column and severity', async () => {
    await writeFile(join(dir, 'post.md'), `${FRONT}${CLEAN}\nThe ball was thrown by the team.\n`);
    const result = await check(['post.md'], { json: true });
    const { problems } = JSON.parse(result.stdout);
    expect(problems).toEqual([
      { file: 'post.md', line: 11, column: 14, rule: 'passive', severity: 'warning', message: expect.stringContaining('passive voice') },
    ]);
  });

  it('without --style the prose rules do not run', async () => {
    await writeFile(join(dir, 'post.md'), `${FRONT}${CLEAN}\nThis is a game-changer.\n`);
    expect(await check(['post.md'], { style: false })).toMatchObject({ code: 0, stdout: '' });
  });
});

describe('the AI tells list is data', () => {
  it('a project entry replaces a built-in by id, off removes one, and a user entry adds one', async () => {
    await mkdir(join(dir, '.draft', 'style'), { recursive: true });
    await writeFile(
      join(dir, '.draft', 'style', 'ai-tells.yaml'),
      '- id: delve\n  off: true\n- id: game-changer\n  phrases: [paradigm shift]\n',
    );
    await mkdir(join(dir, 'config-home', 'draft', 'style'), { recursive: true });
    await writeFile(
      join(dir, 'config-home', 'draft', 'style', 'ai-tells.yaml'),
      '- id: synergy\n  phrases: [synergy, synergies]\n  explanation: Jargon.\n  suggestion: Say what works together.\n',
    );
    const found = rules(await style('We delve into synergy. It is a game-changer, a paradigm shift.\n')).filter((r) =>
      r.startsWith('ai-tells/'),
    );
    expect(found).toEqual(['ai-tells/synergy', 'ai-tells/game-changer']);
  });

  it('a malformed entry is refused naming the file and the entry', async () => {
    await mkdir(join(dir, '.draft', 'style'), { recursive: true });
    await writeFile(join(dir, '.draft', 'style', 'ai-tells.yaml'), '- id: new-one\n  phrases: [x]\n');
    await expect(loadAiTells({ cwd: dir, env: env() })).rejects.toThrow(/ai-tells\.yaml: new-one: needs an explanation and a suggestion/);
  });
});

describe('language', () => {
  it('English-only rules switch off for a post in another language, and the check says so', async () => {
    const found = await style('Der Bericht wurde gestern geschrieben. Wir utilize das die die.\n', 'de');
    expect(rules(found)).toEqual(['repeated-words']);
    expect(found.skipped).toEqual(['passive', 'simplify', 'readability', expect.stringMatching(/AI tell\(s\) written for en/)]);

    await writeFile(
      join(dir, 'post.md'),
      `---\ntitle: Ein Test\ndate: 2026-01-01\ndescription: Kurz.\nlang: de\n` +
        `---\n\nDer Bericht wurde gestern geschrieben. Das ist ein game-changer.\n`,
    );
    const result = await check(['post.md']);
    expect(result).toMatchObject({ code: 0, stdout: '' });
    expect(result.stderr).toContain('post.md: written in de; not checked: passive, simplify, readability');
  });
});
