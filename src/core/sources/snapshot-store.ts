import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { replaceFile } from '../fs/atomic-write.js';

/**
 * Sources as they were when a draft used them: `.draft/sources/<sha256>.txt` holds the extracted text
 * (content-addressed, so two drafts citing one page share one file) and `<sha256>.json` its provenance.
 * `by-location/<sha256 of the URL or path>.json` points at the latest snapshot of each location, which is
 * what an offline re-run reads. `.txt` and `.json`, not `.md`: site generators must not render them.
 */
export interface SnapshotMeta {
  sha256: string;
  kind: 'url' | 'file';
  location: string;
  /** After redirects, for URLs. */
  finalUrl?: string;
  title: string;
  contentType: string;
  fetchedAt: string;
  bytes: number;
}

export function sourcesDir(projectRoot: string): string {
  return join(projectRoot, '.draft', 'sources');
}

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

export async function saveSnapshot(projectRoot: string, meta: Omit<SnapshotMeta, 'sha256' | 'bytes'>, text: string): Promise<SnapshotMeta> {
  const dir = sourcesDir(projectRoot);
  await mkdir(join(dir, 'by-location'), { recursive: true });
  const full: SnapshotMeta = { ...meta, sha256: sha(text), bytes: Buffer.byteLength(text) };
  await replaceFile(join(dir, `${full.sha256}.txt`), text);
  await replaceFile(join(dir, `${full.sha256}.json`), `${JSON.stringify(full, null, 2)}\n`);
  await replaceFile(join(dir, 'by-location', `${sha(meta.location)}.json`), `${JSON.stringify(full, null, 2)}\n`);
  return full;
}

/** The latest snapshot of a location, or undefined when none (or a damaged one) is on disk. */
export async function latestSnapshot(projectRoot: string, location: string): Promise<{ meta: SnapshotMeta; text: string } | undefined> {
  const dir = sourcesDir(projectRoot);
  try {
    const meta = JSON.parse(await readFile(join(dir, 'by-location', `${sha(location)}.json`), 'utf8')) as SnapshotMeta;
    return await readSnapshot(projectRoot, meta.sha256);
  } catch {
    return undefined;
  }
}

/** A snapshot by its hash, verified: text whose hash no longer matches is not trusted. */
export async function readSnapshot(projectRoot: string, sha256: string): Promise<{ meta: SnapshotMeta; text: string } | undefined> {
  if (!/^[0-9a-f]{64}$/.test(sha256)) return undefined;
  const dir = sourcesDir(projectRoot);
  try {
    const [text, metaText] = await Promise.all([
      readFile(join(dir, `${sha256}.txt`), 'utf8'),
      readFile(join(dir, `${sha256}.json`), 'utf8'),
    ]);
    if (sha(text) !== sha256) return undefined;
    return { meta: JSON.parse(metaText) as SnapshotMeta, text };
  } catch {
    return undefined;
  }
}
