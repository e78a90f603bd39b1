/** Issue 14: the dry-run's line-memoised token counts stay close to whole-prompt counts. */
import { describe, expect, it } from 'vitest';
import { lineMemoCounter } from '../src/core/batch/line-memo-tokens.js';
import { loadDraftTemplates } from '../src/core/drafting/generate-draft.js';
import { estimateRequests } from '../src/core/drafting/request-estimate.js';
import { loadTokenCounter } from '../src/core/tokens.js';
import { validateBrief } from '../src/core/brief.js';

describe('lineMemoCounter', () => {
  it('estimates a draft within 3% of the whole-prompt tokenizer count, and counts each distinct line once', async () => {
    const tokens = await loadTokenCounter();
    const templates = await loadDraftTemplates({ cwd: process.cwd(), env: {} });
    const brief = validateBrief(
      {
        topic: "DeepSeek's disruption of the AI business",
        direction: 'Shift the focus toward the financial implications',
        keywords: ['DeepSeek', 'Nvidia'],
        words: 900,
        sections: 4,
      },
      (f) => f,
    );
    const exact = estimateRequests(brief, templates, tokens).inputTokens;
    let calls = 0;
    const memo = lineMemoCounter({
      ...tokens,
      count: (t) => {
        calls++;
        return tokens.count(t);
      },
    });
    const estimated = estimateRequests(brief, templates, memo).inputTokens;
    expect(Math.abs(estimated - exact) / exact).toBeLessThan(0.03);
    const first = calls;
    estimateRequests(brief, templates, memo);
    expect(calls).toBe(first);
  });
});
