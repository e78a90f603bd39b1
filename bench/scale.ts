/**
 * Scale: a 10,000-brief manifest. Each phase runs in a fresh process (so its peak RSS is its own), as
 * the CLI runs it: manifest validation (`loadBatch`), the dry-run estimate (`estimateDryRun`: paths, token and
 * cost estimates), and batch-mode JSONL generation (every outline request as a Batch API line).
 * Run: npx tsx bench/scale.ts [briefs]
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const briefs = Number(process.argv[2] ?? 10_000);
const phase = process.argv[3];

async function runPhase(name: string, dir: string): Promise<void> {
  const { loadBatch } = await import('../src/core/batch/load-batch.js');
  const started = performance.now();
  const batch = await loadBatch(join(dir, 'briefs.jsonl'), { cwd: dir, outDir: join(dir, 'drafts') });
  const validated = performance.now();
  let extra = '';
  if (name === 'estimate') {
    const { estimateDryRun } = await import('../src/core/batch/dry-run-estimate.js');
    const { loadDraftTemplates } = await import('../src/core/drafting/generate-draft.js');
    const templates = await loadDraftTemplates({ cwd: dir, env: {} });
    const settings = new Map([
      [
        '',
        {
          provider: 'openai',
          baseURL: 'https://api.openai.com/v1',
          model: 'gpt-4o-mini',
          timeoutMs: 1,
          maxRetries: 0,
          retryAfterCapMs: 1,
          backoffBaseMs: 1,
        },
      ],
    ]);
    const t = performance.now();
    const estimate = await estimateDryRun(batch.items, { cwd: dir, force: false, templates, settingsByModel: async () => settings });
    extra = ` estimate ${((performance.now() - t) / 1000).toFixed(2)} s (${estimate.drafts.length} drafts)`;
  }
  if (name === 'jsonl') {
    const { loadDraftTemplates } = await import('../src/core/drafting/generate-draft.js');
    const { renderTemplate } = await import('../src/core/templates/template.js');
    const { outlineSchemaFor, outlineVars } = await import('../src/core/drafting/outline.js');
    const { requestBody } = await import('../src/core/batch/provider-batch/request-lines.js');
    const templates = await loadDraftTemplates({ cwd: dir, env: {} });
    const t = performance.now();
    let bytes = 0;
    const lines = batch.items.map((item) => {
      const body = requestBody('gpt-4o-mini', {
        purpose: 'the outline',
        messages: renderTemplate(templates.outline, outlineVars(item.brief)),
        json: outlineSchemaFor(item.brief),
      });
      const line = JSON.stringify({ custom_id: `${item.id}:outline:1`, method: 'POST', url: '/v1/chat/completions', body });
      bytes += line.length + 1;
      return line;
    });
    const text = lines.join('\n');
    extra =
      ` jsonl ${((performance.now() - t) / 1000).toFixed(2)} s ` +
      `(${lines.length} lines, ${(bytes / 1e6).toFixed(1)} MB, ${text.length > 0 ? 'ok' : ''})`;
  }
  const rss = Math.round(process.resourceUsage().maxRSS / 1024);
  console.log(
    `${name}: validation ${((validated - started) / 1000).toFixed(2)} s (${batch.items.length} briefs)${extra}, peak RSS ${rss} MB`,
  );
}

if (phase) {
  await runPhase(phase, process.argv[4]!);
} else {
  const dir = await mkdtemp(join(tmpdir(), 'draft-scale-bench-'));
  const lines = Array.from({ length: briefs }, (_, i) =>
    JSON.stringify({
      id: `brief-${i + 1}`,
      topic: `Topic ${i + 1}: the economics of model serving`,
      direction: 'Focus on costs',
      words: 800,
      sections: 4,
      keywords: ['costs'],
    }),
  );
  await writeFile(join(dir, 'briefs.jsonl'), `${lines.join('\n')}\n`);
  try {
    for (const name of ['validate', 'estimate', 'jsonl']) {
      process.stdout.write(
        execFileSync(process.execPath, ['--import', 'tsx', new URL(import.meta.url).pathname, String(briefs), name, dir], {
          encoding: 'utf8',
        }),
      );
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
