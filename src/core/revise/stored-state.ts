import type { LogEvent } from '../collab/log.js';
import { DEFAULT_NOTES_HEADING } from '../collab/notes.js';
import { STATE_KEY, type MachineState } from '../document/machine-state.js';
import { findNotesBlock } from '../document/notes-block.js';
import { hashSections } from '../document/section-hashes.js';
import type { ProviderInfo } from '../provider/types.js';

export interface RevisionUsage {
  inputTokens: number;
  outputTokens: number;
  requests: number;
  costUsd: number | null;
}

/** The state after a revision: new hashes for every section, usage added up, the new events appended. */
export function nextState(options: {
  previous?: MachineState;
  provider: ProviderInfo;
  body: string;
  usage: RevisionUsage;
  events: readonly LogEvent[];
}): MachineState {
  const { previous, usage } = options;
  const before = previous?.usage;
  return {
    ...(previous ?? {}),
    version: 1,
    // The model that first drafted the post stays recorded; each event names the model that acted.
    provider: previous?.provider ?? options.provider.provider,
    model: previous?.model ?? options.provider.model,
    usage: {
      inputTokens: (before?.inputTokens ?? 0) + usage.inputTokens,
      outputTokens: (before?.outputTokens ?? 0) + usage.outputTokens,
      requests: (before?.requests ?? 0) + usage.requests,
      costUsd: before && before.costUsd === null ? null : usage.costUsd === null ? null : roundCost((before?.costUsd ?? 0) + usage.costUsd),
    },
    sections: hashSections(options.body),
    log: [...(previous?.log ?? []), ...options.events],
  };
}

/** The heading the existing notes block uses, so a renamed heading survives regeneration. */
export function existingNotesHeading(body: string): string {
  const block = findNotesBlock(body);
  if (!block) return DEFAULT_NOTES_HEADING;
  const heading = /^#{1,6}[ \t]+(.+?)[ \t#]*$/m.exec(body.slice(block.start, block.end).replace(/\r/g, ''));
  return heading?.[1]?.trim() || DEFAULT_NOTES_HEADING;
}

// Float sums such as 0.000037199999999999996 would otherwise land in the front matter as written.
function roundCost(usd: number): number {
  return Math.round(usd * 1e10) / 1e10;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
