import { describe, expect, it } from 'vitest';
import { bytes, drafter, SEED, text, writePost } from './fixtures/revise/harness.js';
import { requestKind, scriptedModel } from './support/scripted-model.js';
import { useServerAndTempDir } from './support/server-and-dir.js';
import { readHistory } from '../src/core/revise/history-store.js';

const { server, tempDir } = useServerAndTempDir('draft-chat-');
const draft = drafter(server, tempDir);

// The seed's notes, one sentence a turn (the third with the URL the seed's post links to).
const SEED_TURNS = [
  'Shift the focus toward the financial and business implications of DeepSeek',
  'Refine the title, include market analysis, and emphasise competitor impacts',
  'Link our prior blog post "DeepSeek R1: Revolutionising Open-Source AI" ' +
    'https://example.com/blog/deepseek-r1 and enhance the SEO for DeepSeek and Nvidia',
];
const says = (turns: string[]) => turns.flatMap((t) => ['--say', t]);
const kinds = () => server().requests.map(requestKind);

describe('draft chat --say', () => {
  it('replays the seed conversation: three turns, three revisions in history, and notes that quote each direction', async () => {
    const path = await writePost(tempDir(), 'post.md', SEED);
    const result = await draft(['chat', 'post.md', ...says(SEED_TURNS), '--yes', '--pick', '1', '--author', 'Manolo']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('plan: revise every part (8) with the finance focus');
    expect(result.stdout).toMatch(
      /plan: revise “The Market Fallout” with the instruction “include market analysis; emphasise competitor impacts”; propose 5 titles/,
    );
    expect(result.stdout).toContain(
      'plan: link “DeepSeek R1: Revolutionising Open-Source AI” ' +
        '(https://example.com/blog/deepseek-r1) in “Who is DeepSeek?”; SEO for DeepSeek, Nvidia',
    );
    // Each turn: one plan request, then revise's own requests.
    expect(kinds().filter((k) => k === 'chat-plan')).toHaveLength(3);
    expect(kinds()).toContain('title');
    expect(kinds()).toContain('link');
    expect(kinds()).toContain('seo');

    const file = await text(path);
    const notes = file.slice(file.indexOf('## Collaboration notes'));
    expect(notes).toContain('**Manolo provided:**');
    for (const turn of SEED_TURNS.slice(0, 2)) expect(notes).toContain(`In their own words: “${turn}”`);
    expect(notes).toContain(
      'In their own words: “Link our prior blog post "DeepSeek R1: Revolutionising Open-Source AI" https://example.com/blog/deepseek-r1',
    );
    // Beside the words, the operations they became, as `draft revise` records them.
    expect(notes).toContain('A request to revise every section with a finance focus.');
    expect(notes).toContain('A request to refine the title.');
    expect(notes).toMatch(/A request to link \[DeepSeek R1: Revolutionising Open-Source AI\]\(https:\/\/example\.com\/blog\/deepseek-r1\)/);
    expect(file).toMatch(/## Who is DeepSeek\?[\s\S]*\]\(https:\/\/example\.com\/blog\/deepseek-r1\)[\s\S]*## The Market Fallout/);
    expect(file).toContain('title: "DeepSeek’s Disruption: What Investors Should Know"');

    const history = await readHistory(path);
    expect(history.map((e) => e.action)).toEqual(['revise', 'revise', 'revise']);
  });

  it('answers an ambiguous sentence with a question and sends no revision request', async () => {
    const path = await writePost(tempDir(), 'post.md', SEED);
    const result = await draft(['chat', 'post.md', '--say', 'Make it better', '--yes']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('question: What would you like changed');
    expect(kinds()).toEqual(['chat-plan']);
    expect(await bytes(path)).toEqual(Buffer.from(SEED));
  });

  it(
    'asks for the URL when the seed’s own sentence names no link, ' + 'and the answer in the next turn is planned with that context',
    async () => {
      const path = await writePost(tempDir(), 'post.md', SEED);
      const result = await draft([
        'chat',
        'post.md',
        '--say',
        'A request to link a prior blog post and enhance SEO optimisation',
        '--say',
        'Link "DeepSeek R1: Revolutionising Open-Source AI" https://example.com/blog/deepseek-r1',
        '--yes',
      ]);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain('question: Which post should I link? Give its title and URL.');
      // The second plan request carries the first exchange.
      expect(JSON.stringify(server().requests[1]!.body.messages)).toContain('you asked: Which post should I link?');
      expect(await text(path)).toContain('](https://example.com/blog/deepseek-r1)');
    },
  );

  it('works a link into the section the editor names, not the one the tool would choose', async () => {
    const path = await writePost(tempDir(), 'post.md', SEED);
    const result = await draft([
      'chat',
      'post.md',
      '--say',
      'Link "DeepSeek R1: Revolutionising Open-Source AI" https://example.com/blog/deepseek-r1 in the section "A Geopolitical Lens"',
      '--yes',
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('in “A Geopolitical Lens”');
    const file = await text(path);
    expect(file).toMatch(/## A Geopolitical Lens[^#]*\]\(https:\/\/example\.com\/blog\/deepseek-r1\)[^#]*## Open Source/);
  });

  it('refuses a plan naming a heading the post does not have before any revision request, leaving the file as it was', async () => {
    const path = await writePost(tempDir(), 'post.md', SEED);
    const result = await draft(['chat', 'post.md', '--say', 'Rewrite the section "Pricing Wars" to be shorter', '--yes']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('the section “Pricing Wars” is not a heading of post.md');
    expect(kinds()).toEqual(['chat-plan']);
    expect(await bytes(path)).toEqual(Buffer.from(SEED));
  });

  it('sends the plan request as a function to call, its parameters the JSON Schema generated from the plan’s zod schema', async () => {
    await writePost(tempDir(), 'post.md', SEED);
    const result = await draft(['chat', 'post.md', '--say', 'Make it better', '--dry-run']);
    expect(result.stdout).toContain('question: What would you like changed');
    const body = server().requests[0]!.body;
    expect(body.response_format).toBeUndefined();
    expect(body.tool_choice).toEqual({ type: 'function', function: { name: 'chat_plan' } });
    const fn = body.tools[0].function;
    expect(fn.name).toBe('chat_plan');
    expect(fn.strict).toBe(true);
    expect(fn.parameters.properties.operations.items.properties.op.enum).toEqual(['revise', 'title', 'link', 'seo', 'add-section']);
    expect(fn.parameters.additionalProperties).toBe(false);
  });

  it('falls back to json_schema when the server refuses tools, and does not offer them again', async () => {
    const path = await writePost(tempDir(), 'post.md', SEED);
    const model = scriptedModel();
    server().setHandler((req, i) =>
      req.body?.tools
        ? {
            status: 400,
            body: {
              error: { message: "'tools' is not supported by this model", type: 'invalid_request_error', param: 'tools', code: null },
            },
          }
        : model(req, i),
    );
    const result = await draft(['chat', 'post.md', '--say', 'Make it better', '--say', SEED_TURNS[0]!, '--yes']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('question: What would you like changed');
    expect(result.stdout).toContain('plan: revise every part (8) with the finance focus');
    const plans = server().requests.filter((r) => requestKind(r) === 'chat-plan');
    expect(plans.map((r) => (r.body.tools ? 'tool' : r.body.response_format?.type))).toEqual(['tool', 'json_schema', 'json_schema']);
    expect(await text(path)).toContain('Revised with the finance focus');
  });

  it('--dry-run shows the plan and the diff and writes nothing, no history either', async () => {
    const path = await writePost(tempDir(), 'post.md', SEED);
    const result = await draft(['chat', 'post.md', '--say', SEED_TURNS[0]!, '--dry-run']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('plan: revise every part (8) with the finance focus');
    expect(result.stdout).toContain('+Revised with the finance focus');
    expect(await bytes(path)).toEqual(Buffer.from(SEED));
    expect(await readHistory(path)).toEqual([]);
  });

  it('understands undo between turns: the file is back to its bytes before the turn', async () => {
    const path = await writePost(tempDir(), 'post.md', SEED);
    const result = await draft(['chat', 'post.md', '--say', SEED_TURNS[0]!, '--say', 'undo', '--say', 'history', '--yes']);
    expect(result.code, result.stderr).toBe(0);
    expect(await bytes(path)).toEqual(Buffer.from(SEED));
    expect(result.stdout).toMatch(/#1 .* revise .*\(undone\)/);
  });

  it('a title turn without a terminal and without --pick is refused before the titles are asked for', async () => {
    const path = await writePost(tempDir(), 'post.md', SEED);
    const result = await draft(['chat', 'post.md', '--say', 'Refine the title', '--yes']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--pick N');
    expect(kinds()).toEqual(['chat-plan']);
    expect(await bytes(path)).toEqual(Buffer.from(SEED));
  });

  it(
    'shows tokens and cost for each turn, and --max-cost stops a ' + 'turn whose plan used up the budget before any revision request',
    async () => {
      const path = await writePost(tempDir(), 'post.md', SEED);
      const result = await draft(['chat', 'post.md', '--say', 'Make it better', '--dry-run']);
      expect(result.stderr).toMatch(/tokens +\d+ in \/ \d+ out in 1 request, cost \$0\.\d{4} \(session: \$0\.\d{4}\)/);
      const capped = await draft(['chat', 'post.md', '--say', SEED_TURNS[0]!, '--yes', '--max-cost', '0.00001']);
      expect(capped.code).toBe(1);
      expect(capped.stderr).toContain("--max-cost: planning this turn used up the session's budget, so nothing was revised");
      expect(kinds()).toEqual(['chat-plan', 'chat-plan']);
      expect(await bytes(path)).toEqual(Buffer.from(SEED));
    },
  );

  it('refuses --max-cost for a model without a price, before any request', async () => {
    await writePost(tempDir(), 'post.md', SEED);
    const capped = await draft([
      'chat',
      'post.md',
      '--say',
      'Make it better',
      '--dry-run',
      '--max-cost',
      '1',
      '--model',
      'scripted-test-model',
    ]);
    expect(capped.code).toBe(2);
    expect(capped.stderr).toContain('--max-cost: there is no price for the model "scripted-test-model"');
    expect(server().requests).toHaveLength(0);
  });
});
