/**
 * Source ingestion and prompt size with 1, 5 and 20 sources.
 *
 *   npx tsx bench/sources.ts [runs=5]
 *
 * Serves N distinct article pages from the test page server on 127.0.0.1, then, per N, medians over
 * `runs` fresh project folders of: the time to fetch, extract (readability + turndown) and snapshot all
 * N concurrently; the time to split and index them; and the outline and section prompt sizes (o200k tokens)
 * for the seed brief, against the same prompts without sources. The section prompt must stay within its
 * excerpt budget however many sources there are.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sectionTemplateVars } from '../src/core/drafting/draft-sections.js';
import { outlineVars } from '../src/core/drafting/outline.js';
import { parseTemplate, renderTemplate } from '../src/core/templates/template.js';
import { loadSources } from '../src/core/sources/load-sources.js';
import { SOURCE_BUDGETS, SourceContext } from '../src/core/sources/source-context.js';
import { loadTokenCounter } from '../src/core/tokens.js';
import { articleHtml, startPageServer } from '../test/support/page-server.js';
import { median } from './stats.js';

const runs = Number(process.argv[2] ?? 5);
const pages = await startPageServer();
const topics = ['chips', 'markets', 'models', 'costs', 'energy', 'policy', 'talent', 'cloud', 'startups', 'benchmarks'];
for (let i = 0; i < 20; i++) {
  const t = topics[i % topics.length]!;
  const paragraphs = Array.from(
    { length: 12 },
    (_, p) =>
      `Report ${i + 1}, part ${p + 1}: analysts covering ${t} said revenue rose ${10 + i}.${p}% while costs fell $${i + 2}.${p} billion, ` +
      `as DeepSeek and Nvidia reshaped the market for ${t} and investors weighed the risks for competitors.`,
  );
  pages.page(`/article-${i}`, articleHtml(`Source ${i + 1} on ${t}`, paragraphs));
}
const repo = new URL('..', import.meta.url).pathname;
const outlineTemplate = parseTemplate('outline', 'outline.md', await readFile(join(repo, 'src/prompts/outline.md'), 'utf8'));
const sectionTemplate = parseTemplate('section', 'section.md', await readFile(join(repo, 'src/prompts/section.md'), 'utf8'));
const counter = await loadTokenCounter();
const tokens = (messages: Parameters<typeof counter.countMessages>[0]) => counter.countMessages(messages);
const brief = {
  topic: "DeepSeek's disruption of the AI business",
  direction: 'Shift the focus toward the financial and business implications',
  keywords: ['DeepSeek', 'Nvidia'],
  links: [],
  sources: [],
};
const part = {
  title: 'DeepSeek’s Disruption',
  outline: '1. The Market Fallout\n2. The Competitors',
  heading: 'The Market Fallout',
  points: 'How chip stocks and investors reacted',
  words: 200,
  links: [],
};
const baseOutline = tokens(renderTemplate(outlineTemplate, outlineVars(brief as never)));
const baseSection = tokens(renderTemplate(sectionTemplate, sectionTemplateVars(brief as never, part)));

console.log(
  `sources: ${runs} runs each, median; prompt tokens (o200k) with sources ` +
    `vs the same prompt without (${baseOutline} outline, ${baseSection} section)\n`,
);
console.log('| sources | fetch + extract + snapshot | split + index | outline prompt | section prompt | excerpt budget |');
console.log('| --: | --: | --: | --: | --: | --: |');
for (const n of [1, 5, 20]) {
  const load: number[] = [];
  const index: number[] = [];
  let outline = 0;
  let section = 0;
  for (let r = 0; r < runs; r++) {
    const dir = await mkdtemp(join(tmpdir(), 'draft-bench-sources-'));
    const specs = Array.from({ length: n }, (_, i) => ({ kind: 'url' as const, location: `${pages.url}/article-${i}` }));
    let t = performance.now();
    const { sources } = await loadSources(specs, { cwd: dir, projectRoot: dir, limits: { allowPrivate: true } });
    load.push(performance.now() - t);
    t = performance.now();
    const context = await SourceContext.create(sources);
    const excerpts = context.excerptsFor(`${part.heading} ${part.points} ${brief.topic}`);
    index.push(performance.now() - t);
    outline = tokens(renderTemplate(outlineTemplate, outlineVars(brief as never, { sources: context.digest() })));
    section = tokens(
      renderTemplate(sectionTemplate, {
        ...sectionTemplateVars(brief as never, { ...part, excerpts: excerpts.text }),
        figureProblem: undefined,
      }),
    );
    await rm(dir, { recursive: true, force: true });
  }
  console.log(
    `| ${n} | ${median(load).toFixed(0)} ms | ${median(index).toFixed(1)} ms | ` +
      `${outline} (+${outline - baseOutline}) | ${section} (+${section - baseSection}) | ${SOURCE_BUDGETS.excerptTokens} |`,
  );
}
await pages.close();
