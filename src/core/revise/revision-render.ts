/** The revised file put together: the spliced body with regenerated notes, the new state, and only the tool's keys changed up top. */
import type { CollaborationLog } from '../collab/log.js';
import { renderNotes } from '../collab/notes.js';
import type { UsageMeter } from '../drafting/model-call.js';
import { renderSource, setFrontMatterKeys } from '../document/front-matter.js';
import { storedStateValue } from '../document/machine-state.js';
import { notesStyleForPath, upsertNotesBlock } from '../document/notes-block.js';
import type { PriceTable } from '../pricing.js';
import type { ChatProvider } from '../provider/types.js';
import type { SiteOptions } from '../site/site-schema.js';
import type { SourceRecord } from '../sources/ground-draft.js';
import { stateChanges } from '../state-store.js';
import { existingNotesHeading, nextState, type RevisionUsage } from './stored-state.js';
import type { WorkingCopy } from './working-copy.js';

/** The new file: the spliced body with regenerated notes, and only the tool's keys changed up top. */
export function renderRevision(
  copy: WorkingCopy,
  revisedBody: string,
  frontMatter: Record<string, unknown>,
  log: CollaborationLog,
  usage: RevisionUsage,
  provider: ChatProvider,
  sources: SourceRecord[] | undefined,
  site: SiteOptions | undefined,
): { text: string; sidecarState?: unknown; parts?: { frontMatter: string; body: string } } {
  const { post } = copy;
  const { src } = post;
  const events = [...(post.state?.log ?? []), ...log.events];
  const body = upsertNotesBlock(revisedBody, renderNotes(events, existingNotesHeading(src.body)), src.eol, notesStyleForPath(post.path));
  const stored = storedStateValue(src.data, post.place?.sidecarState);
  const state = nextState({ previous: post.state, stored, provider: provider.info, body, usage, events: log.events, sources });
  // Where the state goes (front matter or sidecar) and the AI disclosure: state-store.ts decides.
  const placed = stateChanges(post.place, state, site);
  const raw = setFrontMatterKeys(src, { ...frontMatter, ...placed.changes }, post.label);
  // A post that had no front matter gets a block; a blank line keeps its first line from touching it.
  const separator = src.format === 'none' && raw !== '' && !/^\r?\n/.test(body) ? src.eol : '';
  return {
    text: renderSource(src, raw + separator, body),
    ...(placed.sidecarState !== undefined ? { sidecarState: placed.sidecarState } : {}),
    // What parseSource(text) splits it into, without parsing the new front matter once more:
    // setFrontMatterKeys has re-read an edited block alone and found it whole, and a block ends at
    // its first closing fence, so the text's ends where it does. (A new block is left to parseSource.)
    ...(src.format !== 'none' ? { parts: { frontMatter: raw, body: separator + body } } : {}),
  };
}

export function usageOf(meter: UsageMeter, provider: ChatProvider, prices?: PriceTable): RevisionUsage {
  const info = provider.info;
  return {
    inputTokens: meter.inputTokens,
    outputTokens: meter.outputTokens,
    requests: meter.requests,
    costUsd: meter.costUsd(info, prices),
  };
}
