import type { Root } from 'mdast';
import type { Processor } from 'unified';
import type { StyleRule } from './rules.js';

/** One message of a retext plugin, at offsets of the text it was given. */
export interface RetextFinding {
  rule: Exclude<StyleRule, 'ai-tells'>;
  start: number;
  end: number;
  actual: string;
  message: string;
  suggestion?: string;
}

type RetextRule = RetextFinding['rule'];

const SOURCE_TO_RULE: Record<string, RetextRule> = {
  'retext-repeated-words': 'repeated-words',
  'retext-passive': 'passive',
  'retext-simplify': 'simplify',
  'retext-readability': 'readability',
};

const SUGGESTIONS: Partial<Record<RetextRule, string>> = {
  passive: 'say who does it, in the active voice',
  readability: 'split the sentence, or use shorter words',
  'repeated-words': 'remove one',
};

function describe(rule: RetextRule, actual: string, reason: string): string {
  const quoted = `"${actual.replace(/\s+/g, ' ')}"`;
  switch (rule) {
    case 'repeated-words':
      return `repeated word ${quoted}`;
    case 'passive':
      return `passive voice ${quoted}`;
    case 'simplify':
      return `${quoted} has a simpler alternative`;
    case 'readability':
      // "Unexpected hard to read sentence, according to 5 out of 7 algorithms"
      return `hard-to-read sentence${/according to .*$/.exec(reason)?.[0].replace(/^/, ' (').concat(')') ?? ''}`;
  }
}

interface Message {
  source?: string | null;
  reason: string;
  actual?: string | null;
  expected?: string[] | null;
  place?: { start: { offset?: number }; end: { offset?: number } } | { offset?: number } | null;
}

interface Pipeline {
  /** Runs the plugins on a tree of `text`; the messages they left on the file. */
  run(tree: Root, text: string): Promise<Message[]>;
}

// Importing unified, remark and the retext plugins costs ~150 ms, so it happens once, on first use.
const pipelines = new Map<string, Promise<Pipeline>>();

/**
 * The retext rules `rules` over a post's Markdown tree (see proseTree), through remark-retext: the
 * English parser for English posts, the generic Latin-script one otherwise.
 */
export async function retextFindings(tree: Root, text: string, rules: readonly RetextRule[], english: boolean): Promise<RetextFinding[]> {
  if (rules.length === 0) return [];
  const pipeline = await pipelineFor(rules, english);
  const messages = await pipeline.run(tree, text);
  const findings: RetextFinding[] = [];
  for (const message of messages) {
    const rule = SOURCE_TO_RULE[message.source ?? ''];
    const start = message.place && 'start' in message.place ? message.place.start.offset : undefined;
    const end = message.place && 'end' in message.place ? message.place.end.offset : undefined;
    if (!rule || start === undefined || end === undefined) continue;
    const expected = message.expected ?? [];
    findings.push({
      rule,
      start,
      end,
      actual: message.actual ?? text.slice(start, end),
      message: describe(rule, message.actual ?? text.slice(start, end), message.reason),
      suggestion: rule === 'simplify' && expected.length > 0 ? `use ${expected.map((e) => `"${e}"`).join(' or ')}` : SUGGESTIONS[rule],
    });
  }
  return findings;
}

function pipelineFor(rules: readonly RetextRule[], english: boolean): Promise<Pipeline> {
  const key = `${english ? 'en' : 'latin'}:${[...rules].sort().join(',')}`;
  let pipeline = pipelines.get(key);
  if (!pipeline) {
    pipeline = build(rules, english);
    pipelines.set(key, pipeline);
  }
  return pipeline;
}

async function build(rules: readonly RetextRule[], english: boolean): Promise<Pipeline> {
  const [{ unified }, { default: remarkRetext }, { default: retextEnglish }] = await Promise.all([
    import('unified'),
    import('remark-retext'),
    import('retext-english'),
  ]);
  const plugins = {
    'repeated-words': () => import('retext-repeated-words'),
    passive: () => import('retext-passive'),
    simplify: () => import('retext-simplify'),
    readability: () => import('retext-readability'),
  } as const;
  // Without retext-english, remark-retext splits sentences with parse-latin, which suits other Latin-script languages.
  let retext = (english ? unified().use(retextEnglish) : unified()) as unknown as Processor;
  for (const rule of rules) {
    const plugin = (await plugins[rule]()).default;
    // Readability: a sentence is hard when most of the formulas (4 of 7) say so for a 16-year-old reader (the plugin's defaults).
    retext = retext.use(plugin as never) as unknown as Processor;
  }
  // An image's alt text and a definition's title are not the post's prose (and tables are skipped anyway).
  const processor = unified().use(remarkRetext, retext as never, {
    ignore: ['image', 'imageReference', 'definition', 'footnoteDefinition'],
  });
  return {
    // unified makes the file from the text; the callback form is the one that hands it back.
    run: (tree, text) =>
      new Promise((resolve, reject) =>
        processor.run(tree as never, text, (error, _tree, file) => {
          if (error) reject(error);
          else resolve((file?.messages ?? []) as Message[]);
        }),
      ),
  };
}
