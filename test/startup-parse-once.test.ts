/**
 * Issue 15, "no wasted work": a draft's Markdown is parsed once per text. A part's reply is word-counted
 * when it arrives and then composed (and checked for links) from the same parse; the shared tree is
 * never changed by the callers that share it.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { composeBody } from '../src/core/drafting/compose.js';
import { countWords, loadMarkdown, parseShared } from '../src/core/markdown.js';
import { runDraft } from './support/run-command.js';
import { seedNewArgs } from './support/seed-brief.js';
import { useServerAndTempDir } from './support/server-and-dir.js';

const { server, tempDir } = useServerAndTempDir('startup-parse-once-');

afterEach(() => vi.restoreAllMocks());

describe('a draft parses its Markdown once per text', () => {
  it('draft new with a link: each part is parsed once, not once for its word count, once for its links and once to compose', async () => {
    const md = await loadMarkdown();
    const parse = vi.spyOn(md, 'parse');
    const result = await runDraft([...seedNewArgs(), '--sections', '5', '--yes', '--base-url', server().url, '--retries', '0'], {
      cwd: tempDir(),
      env: { OPENAI_API_KEY: 'sk-test' },
    });
    expect(result.code, result.stderr).toBe(0);
    const texts = parse.mock.calls.map(([text]) => text);
    // Six parts (introduction + five sections), the composed body once for its figures and once for
    // its word count (without the notes), and no text twice.
    expect(texts.length).toBeLessThanOrEqual(8);
    expect(new Set(texts).size).toBe(texts.length);
  });

  it('composing a part does not change the tree its word count shared: the heading is demoted in the post only', async () => {
    const part = `# A heading the model used\n\nSome words about nonce${Math.floor(Math.random() * 1e9)}.\n`;
    expect(await countWords(part)).toBe(9);
    const body = await composeBody([{ heading: 'The Section', markdown: part }]);
    expect(body).toContain('### A heading the model used');
    const shared = await parseShared(part);
    expect(shared.children[0]).toMatchObject({ type: 'heading', depth: 1 });
    // And the same part composed again still comes out the same.
    expect(await composeBody([{ heading: 'The Section', markdown: part }])).toBe(body);
  });
});
