/**
 * The per-test setup of the end-to-end tests: a fresh scripted-model server (its request log and
 * in-flight high-water mark start at zero) and an empty temp folder before each test, both gone
 * after it. Call at the top of a test file; the getters return the current test's server and folder.
 */
import { afterEach, beforeEach } from 'vitest';
import { makeTempDir } from './cli.js';
import { scriptedModel } from './scripted-model.js';
import { startTestServer, type TestServer } from './test-server.js';

export function useServerAndTempDir(prefix?: string): { server: () => TestServer; tempDir: () => string } {
  let server: TestServer;
  let tmp: { dir: string; cleanup: () => Promise<void> } | undefined;
  beforeEach(async () => {
    server = await startTestServer({ handler: scriptedModel() });
    tmp = await makeTempDir(prefix);
  });
  afterEach(async () => {
    await server.close();
    await tmp?.cleanup();
  });
  return { server: () => server, tempDir: () => tmp!.dir };
}
