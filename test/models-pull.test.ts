/**
 * `models pull` against real HTTP servers on 127.0.0.1: the shared test server (Range support)
 * and, where a misbehaving server is needed, a small one written here.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runModelsPull } from '../src/commands/models.js';
import { CATALOGUE } from '../src/core/local/catalogue.js';
import { pullModel } from '../src/core/local/pull-model.js';
import { InterruptedError, RunError, UsageError } from '../src/core/errors.js';
import { runCommand } from './support/run-command.js';
import { startTestServer, type TestServer } from './support/test-server.js';

/**
 * A download is bytes to fetch and verify, not a model to load, so any bytes that start like GGUF
 * will do: a fixed pseudo-random file the size of stories260K.gguf, so these tests need no model on disk.
 */
const MODEL = Buffer.alloc(1_185_376);
for (let i = 0, x = 1; i < MODEL.length; i++) {
  x = (x * 1103515245 + 12345) >>> 0;
  MODEL[i] = x >>> 24;
}
MODEL.write('GGUF\x03\x00\x00\x00', 0, 'latin1');
const SHA = createHash('sha256').update(MODEL).digest('hex');

let server: TestServer;
let dir: string;

beforeAll(async () => {
  server = await startTestServer();
  server.serveFile('/files/stories.gguf', MODEL);
});
afterAll(async () => {
  await server.close();
});
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'draft-pull-'));
  server.fileRequests.length = 0;
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const env = {} as NodeJS.ProcessEnv;

describe('pullModel', () => {
  it('downloads, verifies the sha256 and renames into place', async () => {
    const progress: number[] = [];
    const result = await pullModel({
      url: `${server.origin}/files/stories.gguf`,
      dir,
      expectedSha256: SHA.toUpperCase(),
      env,
      onProgress: (p) => progress.push(p.receivedBytes),
    });
    expect(result).toMatchObject({
      path: join(dir, 'stories.gguf'),
      sizeBytes: MODEL.length,
      sha256: SHA,
      checksum: 'option',
      resumedFrom: 0,
    });
    expect((await readFile(result.path)).equals(MODEL)).toBe(true);
    expect(await readdir(dir)).toEqual(['stories.gguf']);
    expect(server.fileRequests.map((r) => r.headers.range)).toEqual([undefined]);
    expect(progress.at(-1)).toBe(MODEL.length);
  });

  it('resumes a partial download with a Range request, and the result is byte-identical', async () => {
    const half = 400_000;
    await writeFile(join(dir, 'stories.gguf.partial'), MODEL.subarray(0, half));
    const result = await pullModel({ url: `${server.origin}/files/stories.gguf`, dir, expectedSha256: SHA, env });
    expect(result.resumedFrom).toBe(half);
    expect(server.fileRequests.map((r) => r.headers.range)).toEqual([`bytes=${half}-`]);
    expect((await readFile(result.path)).equals(MODEL)).toBe(true);
    expect(await readdir(dir)).toEqual(['stories.gguf']);
  });

  it('finishes a partial download that is already whole (416) without fetching it again', async () => {
    await writeFile(join(dir, 'stories.gguf.partial'), MODEL);
    const result = await pullModel({ url: `${server.origin}/files/stories.gguf`, dir, expectedSha256: SHA, env });
    expect(server.fileRequests.map((r) => r.headers.range)).toEqual([`bytes=${MODEL.length}-`]);
    expect(result.resumedFrom).toBe(MODEL.length);
    expect((await readFile(result.path)).equals(MODEL)).toBe(true);
  });

  it('discards a partial file that does not start like GGUF instead of resuming it', async () => {
    await writeFile(join(dir, 'stories.gguf.partial'), '<html>an error page saved by an old client</html>');
    const result = await pullModel({ url: `${server.origin}/files/stories.gguf`, dir, expectedSha256: SHA, env });
    expect(server.fileRequests.map((r) => r.headers.range)).toEqual([undefined]);
    expect(result.resumedFrom).toBe(0);
    expect((await readFile(result.path)).equals(MODEL)).toBe(true);
  });

  it('starts over when the server ignores Range and sends the whole file', async () => {
    const plain = await plainServer((_req, res) => {
      res.writeHead(200, { 'content-length': MODEL.length });
      res.end(MODEL);
    });
    try {
      await writeFile(join(dir, 'stories.gguf.partial'), MODEL.subarray(0, 1000));
      const result = await pullModel({ url: `${plain.origin}/stories.gguf`, dir, expectedSha256: SHA, env });
      expect(plain.ranges).toEqual(['bytes=1000-']);
      expect(result.resumedFrom).toBe(0);
      expect((await readFile(result.path)).equals(MODEL)).toBe(true);
    } finally {
      await plain.close();
    }
  });

  it('keeps the partial file when interrupted, and the next pull resumes from it', async () => {
    const stalling = await plainServer((_req, res) => {
      res.writeHead(200, { 'content-length': MODEL.length });
      res.write(MODEL.subarray(0, 300_000)); // then silence, like a dropped network
    });
    const controller = new AbortController();
    try {
      const pending = pullModel({
        url: `${stalling.origin}/files/stories.gguf`,
        dir,
        expectedSha256: SHA,
        env,
        signal: controller.signal,
        onProgress: (p) => {
          if (p.receivedBytes >= 300_000) controller.abort();
        },
      });
      await expect(pending).rejects.toBeInstanceOf(InterruptedError);
    } finally {
      await stalling.close();
    }
    expect(await readdir(dir)).toEqual(['stories.gguf.partial']);

    const result = await pullModel({ url: `${server.origin}/files/stories.gguf`, dir, expectedSha256: SHA, env });
    expect(result.resumedFrom).toBe(300_000);
    expect(server.fileRequests.map((r) => r.headers.range)).toEqual(['bytes=300000-']);
    expect((await readFile(result.path)).equals(MODEL)).toBe(true);
  });

  it('refuses a checksum mismatch and leaves no file behind', async () => {
    const error = await pullModel({ url: `${server.origin}/files/stories.gguf`, dir, expectedSha256: '0'.repeat(64), env }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RunError);
    expect((error as RunError).message).toBe(
      `checksum mismatch for ${server.origin}/files/stories.gguf: expected sha256 ${'0'.repeat(64)}, got ${SHA}`,
    );
    expect(await readdir(dir)).toEqual([]);
  });

  it('refuses content that is not GGUF, naming the URL', async () => {
    server.serveFile('/files/login.gguf', Buffer.from('<!DOCTYPE html><html>Sign in</html>'));
    const error = await pullModel({ url: `${server.origin}/files/login.gguf`, dir, env }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toBe(
      `${server.origin}/files/login.gguf is not a GGUF model file (it starts with "<!DOCTYPE html><"); nothing was saved`,
    );
    expect(await readdir(dir)).toEqual([]);
  });

  it('checks a catalogue model against the catalogue checksum, on a configurable base URL', async () => {
    const llama = CATALOGUE.find((m) => m.sha256)!;
    server.serveFile(llama.path, MODEL); // the wrong bytes for that name
    const error = await pullModel({ name: llama.name, baseUrl: `${server.origin}/`, dir, env }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RunError);
    expect((error as RunError).message).toContain(`expected sha256 ${llama.sha256}, got ${SHA}`);
    expect(server.fileRequests.map((r) => r.path)).toEqual([llama.path]);
    expect(existsSync(join(dir, llama.fileName))).toBe(false);
  });

  it('verifies against a .sha256 sidecar when no checksum is known, and says when none exists', async () => {
    const qwen = CATALOGUE.find((m) => !m.sha256)!;
    server.serveFile(qwen.path, MODEL);
    const unverified = await pullModel({ name: qwen.name, dir, env: { DRAFT_MODELS_BASE_URL: server.origin } });
    expect(unverified).toMatchObject({ checksum: 'none', sha256: SHA, path: join(dir, qwen.fileName) });

    server.serveFile(`${qwen.path}.sha256`, Buffer.from(`${SHA}  ${qwen.fileName}\n`));
    const verified = await pullModel({ name: qwen.name, dir, env: { DRAFT_MODELS_BASE_URL: server.origin }, force: true });
    expect(verified.checksum).toBe('sidecar');

    server.serveFile(`${qwen.path}.sha256`, Buffer.from('f'.repeat(64)));
    await expect(pullModel({ name: qwen.name, dir, env: { DRAFT_MODELS_BASE_URL: server.origin }, force: true })).rejects.toThrow(
      /checksum mismatch/,
    );
    // The good copy from before was never replaced by the bad download.
    expect((await readFile(join(dir, qwen.fileName))).equals(MODEL)).toBe(true);
  });

  it('does nothing when the file is already there, unless forced', async () => {
    await pullModel({ url: `${server.origin}/files/stories.gguf`, dir, expectedSha256: SHA, env });
    const again = await pullModel({ url: `${server.origin}/files/stories.gguf`, dir, env });
    expect(again.alreadyPresent).toBe(true);
    expect(server.fileRequests).toHaveLength(1);
  });

  it('reports an HTTP error and an unknown name in one line each', async () => {
    await expect(pullModel({ url: `${server.origin}/files/missing.gguf`, dir, env })).rejects.toThrow(
      `download failed: HTTP 404 Not Found from ${server.origin}/files/missing.gguf`,
    );
    await expect(pullModel({ name: 'gpt-5', dir, env })).rejects.toThrow('models pull: unknown model "gpt-5"');
    await expect(pullModel({ url: 'ftp://host/x.gguf', dir, env })).rejects.toThrow(/only http and https/);
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('draft models pull (command)', () => {
  it('prints the saved path on stdout and what happened on stderr', async () => {
    const { stdout, stderr } = await runPull('files/stories.gguf', { baseUrl: server.origin, dir, sha256: SHA });
    expect(stdout).toBe(`${join(dir, 'stories.gguf')}\n`);
    expect(stderr).toContain(`Saved ${join(dir, 'stories.gguf')} (1.1 MiB; sha256 verified (--sha256))`);
  });

  it('warns when the download could not be verified', async () => {
    const { stderr } = await runPull('files/stories.gguf', { baseUrl: server.origin, dir });
    expect(stderr).toContain('not verified');
    expect(stderr).toContain(`warning: no checksum is known for ${server.origin}/files/stories.gguf; pass --sha256`);
  });
});

function runPull(name: string, options: { baseUrl?: string; dir?: string; sha256?: string }): Promise<{ stdout: string; stderr: string }> {
  return runCommand((ctx) => runModelsPull(name, options, ctx), { cwd: dir, env: {} });
}

/** A bare server for behaviours the shared test server does not have; records Range headers. */
async function plainServer(
  handle: (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void,
): Promise<{ origin: string; ranges: (string | undefined)[]; close(): Promise<void> }> {
  const ranges: (string | undefined)[] = [];
  const server: Server = createServer((req, res) => {
    if (req.url?.endsWith('.sha256')) {
      res.writeHead(404).end();
      return;
    }
    ranges.push(req.headers.range);
    handle(req, res);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    ranges,
    close: () => {
      server.closeAllConnections();
      return new Promise((done) => server.close(() => done()));
    },
  };
}
