/**
 * One bad section must neither throw away the good ones nor keep paying for a draft that has
 * failed: it is asked for once more, and when it fails again every other call is aborted at once.
 * In-process `draft new` against the scripted test server.
 */
import { readdir } from 'node:fs/promises';
import { describe, expect, it, vi } from 'vitest';
import { runNew } from '../src/commands/new.js';
import { runCommand } from './support/run-command.js';
import { lastUserMessage, scriptedModel } from './support/scripted-model.js';
import { useServerAndTempDir } from './support/server-and-dir.js';
import type { Reply } from './support/test-server.js';

const { server, tempDir } = useServerAndTempDir('draft-robust-sections-');
const KEY = 'sk-test-robust-sections-0123456789';
const SECOND = 'Write now: the section "Part 2:';

function draftNew(flags: Record<string, unknown> = {}) {
  return runCommand(
    (ctx) =>
      runNew(
        { yes: true, topic: 'Chip markets', baseUrl: server().url, retries: '0', timeout: '30', sections: '3', concurrency: '8', ...flags },
        ctx,
      ),
    { cwd: tempDir(), env: { OPENAI_API_KEY: KEY } },
  );
}

function sectionRequests(marker: string) {
  return server().requests.filter((r) => lastUserMessage(r).includes(marker));
}

describe('one unusable section', () => {
  it('is asked for once more, and the draft is written when the second reply is good', async () => {
    let failed = false;
    server().setHandler(
      scriptedModel({
        override: (kind, req) => {
          if (kind !== 'section' || !lastUserMessage(req).includes(SECOND) || failed) return undefined;
          failed = true;
          return { content: '' };
        },
      }),
    );
    await draftNew();
    expect(sectionRequests(SECOND)).toHaveLength(2);
    expect(await readdir(`${tempDir()}/drafts`)).toHaveLength(1);
  });

  it('that fails twice aborts every call still in flight, and writes nothing', async () => {
    server().setHandler(
      scriptedModel({
        override: (kind, req): Reply | undefined => {
          if (kind !== 'section') return undefined;
          // Empty twice; every other part streams one chunk and then never finishes.
          if (lastUserMessage(req).includes(SECOND)) return { content: '' };
          return { stallAfterChunks: 2, content: 'A good paragraph that never ends.' };
        },
      }),
    );
    const error = await draftNew().then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toMatch(/empty reply for section 2: “Part 2: /);
    expect(sectionRequests(SECOND)).toHaveLength(2);
    // The stalled calls were hung up on, not left to run (and be paid for) until their timeout.
    await vi.waitFor(() => expect(server().inFlight).toBe(0), { timeout: 5_000 });
    await expect(readdir(`${tempDir()}/drafts`)).rejects.toThrow();
  });
});
