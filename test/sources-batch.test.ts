/** Sources in a batch manifest: each entry's sources ground its draft, and the report lists untraced figures. */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { runDraft } from './support/run-command.js';
import { startPageServer, type PageServer } from './support/page-server.js';
import { scriptedModel } from './support/scripted-model.js';
import { useServerAndTempDir } from './support/server-and-dir.js';

const { server, tempDir } = useServerAndTempDir('draft-sources-batch-');
let pages: PageServer;
beforeEach(async () => {
  pages = await startPageServer();
});
afterEach(() => pages.close());

it('a manifest entry’s sources (a string or {url, title}) ground its draft; the report lists what stays untraced', async () => {
  server().setHandler(scriptedModel({ inventFigure: 'always' }));
  await writeFile(join(tempDir(), 'notes.md'), '# Analyst notes\n\nBroadcom dropped 17.4% on the day.\n');
  const manifest = [
    {
      id: 'market',
      topic: 'Nvidia’s bad day',
      sections: 2,
      sources: [`${pages.url}/market`, { path: 'notes.md', title: 'Analyst notes' }],
    },
    { id: 'plain', topic: 'Chips in general', sections: 2 },
  ];
  await writeFile(join(tempDir(), 'briefs.json'), JSON.stringify(manifest));
  const result = await runDraft(
    ['batch', 'briefs.json', '--base-url', server().url, '--retries', '0', '--allow-private-sources', '--report', 'report.json'],
    {
      cwd: tempDir(),
      env: { OPENAI_API_KEY: 'sk-test-sources-batch-0123456789' },
    },
  );
  expect(result.code).toBe(0);
  const report = JSON.parse(await readFile(join(tempDir(), 'report.json'), 'utf8'));
  const byId = Object.fromEntries(report.entries.map((e: any) => [e.id, e]));
  expect(byId.market.figures.untraced.map((f: any) => f.text)).toEqual(['42%']);
  expect(byId.plain.figures.untraced.map((f: any) => f.text)).toEqual(['42%']);
  const draft = await readFile(join(tempDir(), byId.market.path), 'utf8');
  expect(draft).toContain(`(${pages.url}/market)`);
  expect(draft).toContain('title: Analyst notes');
});
