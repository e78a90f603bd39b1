import { UsageMeter } from '../drafting/model-call.js';
import { RunError } from '../errors.js';
import { costOf, type PriceTable } from '../pricing.js';
import type { Template } from '../templates/template.js';
import type { ChatProvider } from '../provider/types.js';
import { applyRevision, type AppliedRevision } from '../revise/apply-revision.js';
import { unifiedDiff } from '../revise/diff-text.js';
import type { FocusPreset } from '../revise/focus-presets.js';
import type { RevisionRequest } from '../revise/plan.js';
import { loadPost, storedKeywords } from '../revise/post.js';
import { revisePost, type RevisionProposal } from '../revise/revise-post.js';
import type { ReviseTemplates } from '../revise/revise-templates.js';
import type { TitleProposal } from '../revise/title-proposals.js';
import { checkPlan } from './check-plan.js';
import { planTurn, type ConversationTurn } from './plan-turn.js';

/** What one turn spent: the plan and the revision together. */
export interface TurnUsage {
  inputTokens: number;
  outputTokens: number;
  requests: number;
  /** null when the model has no known price. */
  costUsd: number | null;
}

export type TurnOutcome =
  | { kind: 'question'; question: string; usage: TurnUsage }
  | { kind: 'unchanged'; steps: string[]; usage: TurnUsage }
  | { kind: 'declined' | 'dry-run'; steps: string[]; usage: TurnUsage; proposal: RevisionProposal; diff: string }
  | { kind: 'applied'; steps: string[]; usage: TurnUsage; proposal: RevisionProposal; diff: string; applied: AppliedRevision };

export interface TurnOptions {
  /** The post, absolute, and as the editor typed it. */
  path: string;
  label: string;
  words: string;
  conversation: readonly ConversationTurn[];
  provider: ChatProvider;
  templates: ReviseTemplates;
  planTemplate: Template;
  presets: readonly FocusPreset[];
  author?: string;
  dryRun: boolean;
  signal?: AbortSignal;
  maxTokens?: number;
  prices?: PriceTable;
  now?: () => Date;
  /** What the session may still spend (--max-cost); a plan that uses it up sends no revision. */
  remainingUsd?: number;
  /** The checked plan, shown before any revision request is sent; may refuse it by throwing. */
  onPlan: (steps: string[], request: RevisionRequest) => void;
  onPhase?: (text: string) => void;
  chooseTitle: (proposals: TitleProposal[]) => Promise<number | undefined>;
  /** Shown the diff; true to write it. Not called on a dry run. */
  confirm: (proposal: RevisionProposal, diff: string) => Promise<boolean>;
}

/**
 * One turn of `draft chat`: the editor's words become a plan (or a question back), the plan is
 * checked and shown, then it runs as `draft revise` runs: revisePost with that RevisionPlan, the diff,
 * a confirmation, applyRevision. So splicing, history, undo, the changed-on-disk check, the lock and
 * Ctrl-C are revise's own. The post is read afresh each turn: the previous turn (or an editor) may
 * have changed it.
 */
export async function runTurn(options: TurnOptions): Promise<TurnOutcome> {
  const post = await loadPost(options.path, options.label);
  const meter = new UsageMeter();
  const keywords = storedKeywords(post.src.data);
  const planned = await planTurn({
    post,
    words: options.words,
    conversation: options.conversation,
    presets: options.presets,
    keywords,
    template: options.planTemplate,
    provider: options.provider,
    meter,
    signal: options.signal,
  });
  const info = options.provider.info;
  const planUsage: TurnUsage = {
    inputTokens: meter.inputTokens,
    outputTokens: meter.outputTokens,
    requests: meter.requests,
    costUsd: costOf(meter.usage, info.model, { local: info.local, prices: options.prices }),
  };
  if (planned.kind === 'question') return { kind: 'question', question: planned.question, usage: planUsage };

  const { plan, steps } = checkPlan(post, planned.operations, {
    presets: options.presets,
    storedKeywords: keywords,
    author: options.author,
  });
  plan.request.said = { words: options.words, steps };
  options.onPlan(steps, plan.request);
  if (options.remainingUsd !== undefined && (planUsage.costUsd ?? Infinity) >= options.remainingUsd) {
    throw new RunError(`--max-cost: planning this turn used up the session's budget, so nothing was revised`, {
      hint: 'raise --max-cost to go on',
      code: 'budget-exceeded',
    });
  }

  const proposal = await revisePost({
    plan,
    post,
    provider: options.provider,
    templates: options.templates,
    signal: options.signal,
    maxTokens: options.maxTokens,
    prices: options.prices,
    now: options.now,
    chooseTitle: options.chooseTitle,
    onPhase: options.onPhase,
  });
  const usage = addUsage(planUsage, proposal.usage);
  if (!proposal.changed) return { kind: 'unchanged', steps, usage };
  const diff = unifiedDiff(`a/${options.label}`, `b/${proposal.renameTo ?? options.label}`, post.text, proposal.text);
  if (options.dryRun) return { kind: 'dry-run', steps, usage, proposal, diff };
  if (!(await options.confirm(proposal, diff))) return { kind: 'declined', steps, usage, proposal, diff };
  const applied = await applyRevision(proposal, { signal: options.signal, now: options.now });
  return { kind: 'applied', steps, usage, proposal, diff, applied };
}

export function addUsage(a: TurnUsage, b: TurnUsage): TurnUsage {
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    requests: a.requests + b.requests,
    costUsd: a.costUsd === null || b.costUsd === null ? null : a.costUsd + b.costUsd,
  };
}
