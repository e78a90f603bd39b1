import type { ConfigFile } from '../config.js';
import type { CitationStyle } from './citations.js';
import { DEFAULT_FETCH_LIMITS, type FetchLimits } from './safe-fetch.js';

/** How a run treats the editor's sources: flags over `sources` in draft.config.json over defaults. */
export interface SourceSettings {
  limits: FetchLimits;
  skipBad: boolean;
  refresh: boolean;
  strict: boolean;
  citations: CitationStyle;
}

export function sourceSettingsFrom(
  flags: { allowPrivateSources?: boolean; skipBadSources?: boolean; refreshSources?: boolean; strictSources?: boolean },
  config: Pick<ConfigFile, 'sources'>,
): SourceSettings {
  const cfg = config.sources ?? {};
  return {
    limits: {
      ...DEFAULT_FETCH_LIMITS,
      allowPrivate: flags.allowPrivateSources ?? cfg.allowPrivate ?? false,
      ...(cfg.timeoutSeconds ? { timeoutMs: cfg.timeoutSeconds * 1000 } : {}),
      ...(cfg.maxKiB ? { maxBytes: cfg.maxKiB * 1024 } : {}),
    },
    skipBad: flags.skipBadSources ?? false,
    refresh: flags.refreshSources ?? false,
    strict: flags.strictSources ?? false,
    citations: cfg.citations ?? 'links',
  };
}
