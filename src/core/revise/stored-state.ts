import type { LogEntry } from '../collab/log.js';
import { DEFAULT_NOTES_HEADING } from '../defaults.js';
import type { MachineState } from '../document/machine-state.js';
import { findNotesBlock } from '../document/notes-block.js';
import { hashSections } from '../document/section-hashes.js';
import { isPlainObject } from '../plain-object.js';
import { roundUsd } from '../pricing.js';
import type { ProviderInfo } from '../provider/types.js';

export interface RevisionUsage {
  inputTokens: number;
  outputTokens: number;
  requests: number;
  costUsd: number | null;
}

/**
 * The state after a revision: new hashes for every section, usage added up, the new events appended.
 * It is built on the state as stored (`stored`, the raw front-matter value) rather than the validated
 * copy, because validation puts keys in schema order: re-serialising that would rewrite every earlier
 * log entry and make each revision's git diff noise. Built on the stored value, the earlier entries
 * serialise to the same bytes and the log only grows at its end.
 */
export function nextState(options: {
  previous?: MachineState;
  /** `draft_state` exactly as read from the front matter. */
  stored?: unknown;
  provider: ProviderInfo;
  body: string;
  usage: RevisionUsage;
  events: readonly LogEntry[];
  /** The sources the post is grounded in after this revision; absent leaves the recorded ones as they were. */
  sources?: MachineState['sources'];
}): MachineState {
  const { previous, usage } = options;
  const before = previous?.usage;
  const stored = previous && isPlainObject(options.stored) ? options.stored : undefined;
  const storedLog = stored && Array.isArray(stored.log) ? (stored.log as LogEntry[]) : undefined;
  return {
    ...(stored ?? previous ?? {}),
    version: 1,
    // The model that first drafted the post stays recorded; each event names the model that acted.
    provider: previous?.provider ?? options.provider.provider,
    model: previous?.model ?? options.provider.model,
    usage: {
      inputTokens: (before?.inputTokens ?? 0) + usage.inputTokens,
      outputTokens: (before?.outputTokens ?? 0) + usage.outputTokens,
      requests: (before?.requests ?? 0) + usage.requests,
      costUsd: before && before.costUsd === null ? null : usage.costUsd === null ? null : roundUsd((before?.costUsd ?? 0) + usage.costUsd),
    },
    sections: hashSections(options.body),
    ...(options.sources?.length ? { sources: options.sources } : {}),
    log: [...(storedLog ?? previous?.log ?? []), ...options.events],
  };
}

/** The heading the existing notes block uses, so a renamed heading survives regeneration. */
export function existingNotesHeading(body: string): string {
  const block = findNotesBlock(body);
  if (!block) return DEFAULT_NOTES_HEADING;
  const heading = /^#{1,6}[ \t]+(.+?)[ \t#]*$/m.exec(body.slice(block.start, block.end).replace(/\r/g, ''));
  return heading?.[1]?.trim() || DEFAULT_NOTES_HEADING;
}
