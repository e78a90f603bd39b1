import { costOf, roundUsd, type PriceTable } from '../pricing.js';
import { stageOfPurpose, type Stage } from './stages.js';
import type { ChatProvider, ChatRequest, ChatResult, ProviderInfo } from './types.js';

/** A provider that fronts a model per stage knows which one serves a request. */
export interface StagedInfo extends ProviderInfo {
  modelFor(purpose: string): ProviderInfo;
}

export function isStaged(info: ProviderInfo): info is StagedInfo {
  return typeof (info as Partial<StagedInfo>).modelFor === 'function';
}

/** The model that serves requests of this purpose (the provider's own when it has one model). */
export function modelFor(info: ProviderInfo, purpose: string): ProviderInfo {
  return isStaged(info) ? info.modelFor(purpose) : info;
}

/**
 * One ChatProvider in front of a provider per stage, so the drafting and revising cores still see one
 * seam. A stage without its own model, and a request of no stage (a link repair), goes to the run's
 * default provider. Each reply says which model answered (`servedBy`), so usage is priced per model.
 */
export function createStagedProvider(fallback: ChatProvider, byStage: Partial<Record<Stage, ChatProvider>>): ChatProvider {
  const providerFor = (purpose: string) => {
    const stage = stageOfPurpose(purpose);
    return (stage && byStage[stage]) || fallback;
  };
  const info: StagedInfo = { ...fallback.info, modelFor: (purpose) => providerFor(purpose).info };
  return {
    info,
    async chat(request: ChatRequest): Promise<ChatResult> {
      const provider = providerFor(request.purpose);
      return { ...(await provider.chat(request)), servedBy: provider.info };
    },
    async close() {
      await Promise.all([...new Set([fallback, ...Object.values(byStage)])].map((p) => p?.close?.()));
    },
  };
}

/** One model's share of a run, as the log records it: what it did and what it cost. */
export interface ModelUse {
  provider: string;
  model: string;
  stages: string[];
  inputTokens: number;
  outputTokens: number;
  requests: number;
  costUsd: number | null;
}

/** Per-model usage from a meter's record (empty unless a model-per-stage provider answered). */
export function modelUse(
  byModel: ReadonlyMap<string, { info: ProviderInfo; inputTokens: number; outputTokens: number; requests: number; purposes: string[] }>,
  prices?: PriceTable,
): ModelUse[] {
  return [...byModel.values()].map((m) => {
    const cost = costOf(m, m.info.model, { local: m.info.local, prices });
    return {
      provider: m.info.provider,
      model: m.info.model,
      stages: [...new Set(m.purposes.map((p) => stageOfPurpose(p) ?? 'other'))],
      inputTokens: m.inputTokens,
      outputTokens: m.outputTokens,
      requests: m.requests,
      costUsd: cost === null ? null : roundUsd(cost),
    };
  });
}
