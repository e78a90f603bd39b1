/**
 * Issue 15, no wasted work: a YAML manifest is parsed once, for its briefs and for the line each
 * starts on (it was parsed a second time for the lines alone).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadManifest } from '../src/core/batch/load-manifest.js';
import { watchParses } from '../src/core/document/parse-watch.js';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function parsesOf(name: string, text: string) {
  dir = await mkdtemp(join(tmpdir(), 'manifest-parse-'));
  await writeFile(join(dir, name), text);
  const parsed: string[] = [];
  const stop = watchParses((kind, source) => {
    if (kind === 'yaml' && source === text) parsed.push(source);
  });
  try {
    return { manifest: await loadManifest(name, dir), parses: parsed.length };
  } finally {
    stop();
  }
}

describe('a manifest', () => {
  it('in YAML is parsed once, and each brief still knows its line', async () => {
    const text = 'defaults:\n  sections: 2\nbriefs:\n  - id: one\n    topic: First\n\n  - id: two\n    topic: Second\n';
    const { manifest, parses } = await parsesOf('briefs.yaml', text);
    expect(parses).toBe(1);
    expect(manifest.entries.map((e) => [e.raw, e.line])).toEqual([
      [{ id: 'one', topic: 'First' }, 4],
      [{ id: 'two', topic: 'Second' }, 7],
    ]);
    expect(manifest.defaults).toEqual({ sections: 2 });
  });

  it('in JSON is read by JSON.parse and parsed as YAML once, for its lines', async () => {
    const text = '[\n  {"id": "one", "topic": "First"},\n  {"id": "two", "topic": "Second"}\n]\n';
    const { manifest, parses } = await parsesOf('briefs.json', text);
    expect(parses).toBe(1);
    expect(manifest.entries.map((e) => e.line)).toEqual([2, 3]);
  });
});
