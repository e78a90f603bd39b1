/**
 * draftBatch fans one signal out to every draft in flight. A caller's own signal (not only the one
 * main() makes) must not draw Node's MaxListenersExceededWarning at --concurrency 16.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBatch } from '../src/commands/batch.js';
import { runCommand } from './support/run-command.js';
import { useServerAndTempDir } from './support/server-and-dir.js';

const { server, tempDir } = useServerAndTempDir('draft-batch-signal-');

describe('draft batch with a caller’s own signal', () => {
  it('drafts 12 briefs at --concurrency 16 without a listener-leak warning', async () => {
    await writeFile(join(tempDir(), 'package.json'), '{}\n');
    const briefs = Array.from({ length: 12 }, (_, i) =>
      JSON.stringify({ id: `b${i + 1}`, topic: `Brief ${i + 1}`, words: 150, sections: 1 }),
    );
    await writeFile(join(tempDir(), 'briefs.jsonl'), `${briefs.join('\n')}\n`);
    server().setDelay(30); // every draft is in flight at once
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      const controller = new AbortController();
      await runCommand(
        (ctx) =>
          runBatch('briefs.jsonl', { baseUrl: server().url, retries: '0', timeout: '5', cache: false, concurrency: '16' } as never, {
            ...ctx,
            signal: controller.signal,
          }),
        { cwd: tempDir(), env: { OPENAI_API_KEY: 'sk-test-0123456789abcdef' } },
      );
      await new Promise((resolve) => setImmediate(resolve)); // process warnings are emitted on a later tick
    } finally {
      process.off('warning', onWarning);
    }
    expect(server().maxInFlight).toBeGreaterThan(10);
    expect(warnings.map((w) => w.name)).not.toContain('MaxListenersExceededWarning');
  });
});
