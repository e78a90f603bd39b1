/**
 * The AI disclosure (W3C AI Content Disclosure values, IPTC digitalSourceType) derived from the log
 * and kept current in the front matter of a site's posts.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LogEntry } from '../src/core/collab/log.js';
import { parseSource } from '../src/core/document/front-matter.js';
import { disclosureOf } from '../src/core/site/ai-disclosure.js';
import { runDraft } from './support/run-command.js';
import { useServerAndTempDir } from './support/server-and-dir.js';

const at = '2026-01-01T00:00:00.000Z';
const e = (actor: LogEntry['actor'], action: string, name?: string): LogEntry => ({ at, actor, action, ...(name ? { name } : {}) });
const drafted = [
  e('editor', 'brief'),
  e('ai', 'outline-generated', 'gpt-4o-mini'),
  e('editor', 'outline-accepted'),
  e('ai', 'sections-drafted', 'gpt-4o-mini'),
];

describe('disclosureOf', () => {
  it('drafted by draft new and accepted untouched is ai-autonomous, even once published', () => {
    expect(disclosureOf(drafted)).toEqual({
      mode: 'ai-autonomous',
      models: ['gpt-4o-mini'],
      digital_source_type: 'http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia',
    });
    expect(disclosureOf([...drafted, e('editor', 'published')]).mode).toBe('ai-autonomous');
  });

  it('an edited outline, a hand edit or any revise request after the model wrote makes it ai-assisted', () => {
    expect(disclosureOf([...drafted.slice(0, 2), e('editor', 'outline-edited'), ...drafted.slice(2)]).mode).toBe('ai-assisted');
    expect(disclosureOf([...drafted, e('editor', 'hand-edited')]).mode).toBe('ai-assisted');
    expect(disclosureOf([...drafted, e('editor', 'revision-requested'), e('ai', 'sections-revised', 'claude-x')])).toMatchObject({
      mode: 'ai-assisted',
      models: ['gpt-4o-mini', 'claude-x'],
    });
  });

  it('hand-written is human-only until the model writes into it, then mixed', () => {
    expect(disclosureOf([]).mode).toBe('human-only');
    expect(disclosureOf([e('editor', 'hand-written')]).mode).toBe('human-only');
    expect(disclosureOf([e('editor', 'hand-written'), e('editor', 'revision-requested'), e('ai', 'sections-revised', 'm')])).toMatchObject({
      mode: 'mixed',
      digital_source_type: 'http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia',
    });
  });
});

const { server, tempDir } = useServerAndTempDir('draft-disclosure-');
const env = { OPENAI_API_KEY: 'sk-test-0123456789' };
const model = () => ['--base-url', server().url, '--retries', '0', '--timeout', '5'];

describe('in a site', () => {
  it('a hand-written post is human-only when published and mixed once revised; the key is configurable', async () => {
    const site = tempDir();
    await mkdir(join(site, '.git'));
    await mkdir(join(site, 'content', 'posts'), { recursive: true });
    await writeFile(join(site, 'hugo.toml'), 'title = "Test"\n');
    expect((await runDraft(['init'], { cwd: site, env })).code).toBe(0);
    const config = join(site, 'draft.config.json');
    await writeFile(
      config,
      (await readFile(config, 'utf8')).replace('"disclosureKey": "ai_disclosure"', '"disclosureKey": "aiDisclosure"'),
    );
    const post = join(site, 'content', 'posts', 'mine.md');
    await writeFile(
      post,
      '---\ntitle: Mine\ndate: 2026-01-01\ndescription: A post I wrote myself, by hand, about chips.\n' +
        'draft: true\n---\n\nWritten by hand.\n\n## Chips\n\nMore of my own words.\n',
    );
    const published = await runDraft(['publish', 'content/posts/mine.md', '--yes', '--force'], { cwd: site, env });
    expect(published.code, published.stderr).toBe(0);
    expect(parseSource(await readFile(post, 'utf8'), 'mine.md').data.aiDisclosure).toEqual({
      mode: 'human-only',
      models: [],
      digital_source_type: 'http://cv.iptc.org/newscodes/digitalsourcetype/digitalCreation',
    });

    const revised = await runDraft(['revise', 'content/posts/mine.md', '--focus', 'finance', '--yes', ...model()], { cwd: site, env });
    expect(revised.code, revised.stderr).toBe(0);
    const data = parseSource(await readFile(post, 'utf8'), 'mine.md').data;
    expect(data.aiDisclosure).toMatchObject({ mode: 'mixed', models: [expect.any(String)] });
    expect(data.ai_disclosure).toBeUndefined();
    expect(data.draft_state).toBeUndefined();
  });
});
