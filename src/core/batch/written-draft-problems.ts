import { resolve } from 'node:path';
import { checkDraft } from '../check/check-draft.js';
import type { Problem } from '../check/problem.js';
import { readTextFile } from '../fs/read-text.js';
import type { ReportEntry } from './report.js';
import { readStatePlace } from '../state-store.js';

/** The rules a writer acts on right after drafting: a required link or an SEO keyword missing. */
const AFTER_DRAFTING = new Set(['link', 'keyword']);

/**
 * What `draft check` would say about the links and keywords of the drafts this batch wrote, so a
 * finished run can show it without a second command. Reads the files; sends nothing.
 */
export async function writtenDraftProblems(cwd: string, entries: ReportEntry[]): Promise<Problem[]> {
  const problems: Problem[] = [];
  for (const entry of entries) {
    if (entry.status !== 'ok' || !entry.path) continue;
    const text = await readTextFile(resolve(cwd, entry.path)).catch(() => undefined);
    if (text === undefined) continue; // moved or removed since: nothing to say about it
    // The brief's links come from the state, which may be in a sidecar (state-store.ts).
    const sidecarState = (await readStatePlace(resolve(cwd, entry.path), text, {}).catch(() => undefined))?.sidecarState;
    problems.push(...(await checkDraft(text, entry.path, { sidecarState })).filter((p) => AFTER_DRAFTING.has(p.rule)));
  }
  return problems;
}
