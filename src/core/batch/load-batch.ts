import { UsageError } from '../errors.js';
import { loadManifest, type ManifestEntry } from './load-manifest.js';
import { inShard, type Shard } from './shard.js';
import { validateManifest, type BatchItem, type InvalidItem } from './validate-manifest.js';

export interface LoadedBatch {
  manifestLabel: string;
  /** Every manifest entry by its index, to place what is reported about it. */
  entries: Map<number, ManifestEntry>;
  /** The valid briefs this shard drafts. */
  items: BatchItem[];
  /** The invalid briefs this shard reports. */
  invalid: InvalidItem[];
}

/** The manifest's briefs, checked, with the configured author filled in, cut down to one shard. */
export async function loadBatch(
  manifestPath: string,
  options: { cwd: string; outDir: string; fileNamePattern?: string; author?: string; language?: string; shard?: Shard },
): Promise<LoadedBatch> {
  const { cwd, outDir, author, shard } = options;
  const manifest = await loadManifest(manifestPath, cwd);
  if (manifest.entries.length === 0) {
    throw new UsageError(`${manifest.label}: the manifest holds no briefs`, { hint: 'add at least one brief with a topic' });
  }
  const checked = validateManifest(manifest, { cwd, outDir, fileNamePattern: options.fileNamePattern });
  for (const item of checked.items) {
    if (!item.brief.author && author) item.brief.author = author;
    if (!item.brief.language && options.language) item.brief.language = options.language;
  }
  return {
    manifestLabel: manifest.label,
    entries: new Map(manifest.entries.map((e) => [e.index, e])),
    items: checked.items.filter((item) => inShard(item.id, shard)),
    // A brief too broken to have an id is reported by the first shard only, so n jobs do not all repeat it.
    invalid: checked.invalid.filter((bad) => (bad.id === undefined ? !shard || shard.index === 1 : inShard(bad.id, shard))),
  };
}
