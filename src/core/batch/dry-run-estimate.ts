import { access } from 'node:fs/promises';
import type { DraftTemplates } from '../drafting/generate-draft.js';
import { UsageError } from '../errors.js';
import type { PriceTable } from '../pricing.js';
import type { ProviderSettings } from '../provider/types.js';
import { estimateDraft } from './estimate.js';
import { lineMemoCounter } from './line-memo-tokens.js';
import { modelKey } from './model-settings.js';
import type { EstimatedDraft } from './estimate-table.js';
import { relativePath } from './report.js';
import type { BatchItem } from './validate-manifest.js';

export interface DryRunEstimate {
  drafts: EstimatedDraft[];
  /** The default model's settings; undefined when no provider is set up yet. */
  defaultSettings?: ProviderSettings;
}

/** `draft batch --dry-run`: each draft's path, model and estimate, without sending anything. */
export async function estimateDryRun(
  items: readonly BatchItem[],
  options: {
    cwd: string;
    force: boolean;
    templates: DraftTemplates;
    prices?: PriceTable;
    settingsByModel: () => Promise<Map<string, ProviderSettings>>;
  },
): Promise<DryRunEstimate> {
  const { loadTokenCounter } = await import('../tokens.js');
  const tokens = lineMemoCounter(await loadTokenCounter());
  let settings: Map<string, ProviderSettings> | undefined;
  try {
    settings = await options.settingsByModel();
  } catch (error) {
    // An estimate is still useful before any provider is set up; the cost is then unknown.
    if (!(error instanceof UsageError)) throw error;
  }
  const prices = options.prices;
  const defaultModel = settings?.get('')?.model;
  const drafts = await Promise.all(
    items.map(async (item) => {
      const exists =
        !options.force &&
        (await access(item.output).then(
          () => true,
          () => false,
        ));
      const s = settings?.get(modelKey(item));
      const model = item.model ?? defaultModel ?? 'not configured';
      const pricing = { model: s?.model ?? model, local: s?.provider === 'local', prices };
      const estimate = exists ? undefined : estimateDraft(item.brief, options.templates, tokens, pricing);
      return { id: item.id, path: relativePath(options.cwd, item.output), model, estimate };
    }),
  );
  return { drafts, defaultSettings: settings?.get('') };
}
