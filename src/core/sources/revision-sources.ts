import type { MachineState } from '../document/machine-state.js';
import { sourceRecord, type SourceRecord } from './ground-draft.js';
import { loadSources, type LoadedSource } from './load-sources.js';
import { readSnapshot } from './snapshot-store.js';
import { SourceContext } from './source-context.js';
import type { SourceSettings } from './source-settings.js';
import type { SourceSpec } from './source-spec.js';

export interface RevisionSources {
  context: SourceContext;
  /** Every source the post is now grounded in: the recorded ones, then those this revision added. */
  records: SourceRecord[];
  settings: SourceSettings;
}

/**
 * A revision works from the sources the draft recorded (read from their snapshots, offline) plus any
 * `--source` given now, numbered after them, so earlier citations keep their meaning.
 */
export async function loadRevisionSources(
  state: MachineState | undefined,
  specs: SourceSpec[],
  options: { cwd: string; projectRoot: string; settings: SourceSettings; signal?: AbortSignal },
): Promise<RevisionSources | undefined> {
  // `draft check` names a missing snapshot; a revision goes on without it.
  const { sources: recorded } = await readRecordedSources(state?.sources ?? [], options.projectRoot);
  const known = new Set(recorded.map((s) => s.location));
  const fresh = specs.filter((s) => !known.has(s.location));
  const added = fresh.length
    ? (
        await loadSources(fresh, {
          cwd: options.cwd,
          projectRoot: options.projectRoot,
          limits: options.settings.limits,
          refresh: options.settings.refresh,
          skipBad: options.settings.skipBad,
          signal: options.signal,
        })
      ).sources
    : [];
  const next = Math.max(0, ...recorded.map((s) => s.number));
  const all = [...recorded, ...added.map((s, i) => ({ ...s, number: next + i + 1 }))];
  if (all.length === 0) return undefined;
  return { context: await SourceContext.create(all), records: all.map(sourceRecord), settings: options.settings };
}

/** The sources a draft recorded, read offline from their snapshots; those whose snapshot is gone are listed apart. */
export async function readRecordedSources(
  records: readonly SourceRecord[],
  projectRoot: string,
): Promise<{ sources: LoadedSource[]; missing: SourceRecord[] }> {
  const sources: LoadedSource[] = [];
  const missing: SourceRecord[] = [];
  for (const record of records) {
    const snapshot = await readSnapshot(projectRoot, record.sha256);
    if (!snapshot) {
      missing.push(record);
      continue;
    }
    sources.push({
      number: record.number,
      kind: record.url ? 'url' : 'file',
      location: record.location,
      title: record.title,
      ...(record.url ? { url: record.url } : {}),
      text: snapshot.text,
      snapshot: snapshot.meta,
      offline: true,
    });
  }
  return { sources, missing };
}
