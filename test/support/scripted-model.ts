/**
 * A deterministic stand-in for a writing model, served by the test server over real HTTP.
 * It reads the project's own prompts (the "# Outline request" / "# Section request" / ... headers
 * the templates in src/prompts start with) and answers the way a well-behaved model would, so
 * end-to-end tests and benchmarks exercise the real SDK, the real prompts and the real parser.
 * Options bend it into the ways real models misbehave.
 */
import type { Handler, RecordedRequest, Reply } from './test-server.js';

export interface ScriptedModelOptions {
  /** Leave brief links out of sections (to exercise link repair). */
  omitLinks?: boolean;
  /** Wrap the outline in prose and a code fence, and prefix <think> (a chatty reasoning model). */
  chattyOutline?: boolean;
  /** Repeat the section heading at the top of section replies. */
  repeatHeading?: boolean;
  /** Override the reply for a given request kind. */
  override?: (kind: RequestKind, req: RecordedRequest) => Reply | undefined;
  /**
   * Add a figure found in no source to the introduction ("Analysts expect a 42% rise."): 'once' drops it
   * when asked to source or remove its figures, 'always' keeps it.
   */
  inventFigure?: 'once' | 'always';
}

export type RequestKind = 'outline' | 'section' | 'link' | 'revise' | 'title' | 'seo' | 'add-section' | 'chat-plan' | 'unknown';

export function lastUserMessage(req: RecordedRequest): string {
  const messages: { role: string; content: string }[] = req.body?.messages ?? [];
  return [...messages].reverse().find((m) => m.role === 'user')?.content ?? '';
}

export function requestKind(req: RecordedRequest): RequestKind {
  const first = lastUserMessage(req).split('\n', 1)[0]!.trim().toLowerCase();
  const match = /^# (\w[\w-]*)/.exec(first);
  const word = match?.[1] ?? '';
  const known: Record<string, RequestKind> = {
    outline: 'outline',
    section: 'section',
    link: 'link',
    revise: 'revise',
    revision: 'revise',
    title: 'title',
    seo: 'seo',
    'add-section': 'add-section',
    new: 'add-section',
    chat: 'chat-plan',
  };
  return known[word] ?? 'unknown';
}

const field = (text: string, label: string) => new RegExp(`^${label}:\\s*(.+)$`, 'm').exec(text)?.[1]?.trim();

function words(n: number, seed: string): string {
  const vocabulary = [
    'market',
    'investors',
    'costs',
    'efficiency',
    'competition',
    'growth',
    'models',
    'revenue',
    'strategy',
    'chips',
    'demand',
    'analysts',
  ];
  const out: string[] = [];
  let h = 0;
  for (const ch of seed) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  for (let i = 0; i < n; i++) {
    h = (h * 1103515245 + 12345) >>> 0;
    // The high bits of an LCG are the random ones; the low bits cycle.
    out.push(vocabulary[(h >>> 16) % vocabulary.length]!);
  }
  return out.join(' ');
}

function paragraphs(total: number, seed: string, extra: string[]): string {
  const sentences: string[] = [];
  let remaining = Math.max(total, 12);
  let i = 0;
  while (remaining > 0) {
    const n = Math.min(12, remaining);
    const s = words(n, seed + i++);
    sentences.push(`${s.charAt(0).toUpperCase()}${s.slice(1)}.`);
    remaining -= n;
  }
  const all = [...sentences, ...extra];
  const paras: string[] = [];
  for (let j = 0; j < all.length; j += 4) paras.push(all.slice(j, j + 4).join(' '));
  return paras.join('\n\n');
}

export function outlineReply(prompt: string): unknown {
  const topic = field(prompt, 'Topic') ?? 'the topic';
  const sections = Number(/Number of sections[^:]*:\s*(\d+)/.exec(prompt)?.[1] ?? 5);
  const working = /^Working title from the editor:\s*(.+?)(?: \((?:use it|refine it)[^)]*\))?$/m.exec(prompt)?.[1];
  const urls = [...prompt.matchAll(/^- .+?: (https?:\/\/\S+)$/gm)].map((m) => m[1]!);
  const keywords =
    field(prompt, 'SEO keywords to work in naturally')
      ?.split(',')
      .map((k) => k.trim()) ?? [];
  const title = working ? `${working}: What It Means` : `Understanding ${topic}`;
  return {
    title,
    description: `A close look at ${topic}`.slice(0, 150),
    tags: ['analysis', ...keywords.slice(0, 2).map((k) => k.toLowerCase())],
    intro: `Why ${topic} matters now.`,
    sections: Array.from({ length: sections }, (_, i) => ({
      heading:
        i === sections - 1
          ? 'Conclusion: What Comes Next'
          : `Part ${i + 1}: ${['The Market Fallout', 'Who Is Behind It', 'The Competitors', 'The Money', 'The Risks', 'The Outlook', 'The Details', 'The Numbers'][i % 8]}`,
      points: `Aspect ${i + 1} of ${topic}.`,
      links: i === 0 ? urls : [],
    })),
  };
}

export function sectionReply(prompt: string, options: ScriptedModelOptions): string {
  const part = field(prompt, 'Write now') ?? 'the section';
  const heading = /the section "(.+)"/.exec(part)?.[1];
  const target = Number(/Length: about (\d+) words/.exec(prompt)?.[1] ?? 100);
  const links = options.omitLinks ? [] : [...prompt.matchAll(/^- \[(.+?)\]\((https?:\/\/\S+)\)$/gm)];
  const keywords =
    field(prompt, 'SEO keywords to use where natural')
      ?.split(',')
      .map((k) => k.trim()) ?? [];
  const extra = [
    ...keywords.map((k) => `This matters for ${k}.`),
    ...links.map((m) => `For more on this, see our earlier post: [${m[1]}](${m[2]}).`),
  ];
  // Like a model told to use only the excerpts' figures: each section quotes the first figure of its best excerpt, cited.
  const quoted = quotedFigures(prompt);
  const toldToFix = prompt.includes('Your previous draft of this part used figures');
  const invented =
    !heading && (options.inventFigure === 'always' || (options.inventFigure === 'once' && !toldToFix))
      ? ['Analysts expect a 42% rise in spending next year.']
      : [];
  extra.unshift(...quoted, ...invented);
  const body = paragraphs(target - extra.length * 6, part, extra);
  return options.repeatHeading && heading ? `## ${heading}\n\n${body}` : body;
}

/** The first sentence with a figure in each of the first two excerpts, with its citation number. */
function quotedFigures(prompt: string): string[] {
  const out: string[] = [];
  for (const m of prompt.matchAll(/^\[(\d+)\] \(from "[^"\n]*"\)\n([\s\S]*?)(?=\n\n\[\d+\] \(from|\n\nUse only figures)/gm)) {
    const sentence = m[2]!.split(/(?<=[.!?])\s+/).find((s) => /\d(?:[\d.,]*)\s?(?:%|per cent|billion|million)/.test(s));
    if (sentence) out.push(`${sentence.replace(/[.!?]$/, '')} [${m[1]}].`);
    if (out.length === 2) break;
  }
  return out;
}

export function linkReply(prompt: string): string {
  const text = /^Section(?: ".*")?:\n([\s\S]*?)\n\nReply with/m.exec(prompt)?.[1] ?? '';
  const link = /^Link: (\[.+\]\(.+\))$/m.exec(prompt)?.[1] ?? '';
  return `${text}\n\nFor more on this, see our earlier post: ${link}.`;
}

/** The text between the `<<<` and `>>>` lines of a revise prompt (the part or post being sent). */
function delimited(prompt: string, after = 0): string {
  return /^<<<\n([\s\S]*?)\n>>>$/m.exec(prompt.slice(after))?.[1] ?? '';
}

/** `draft revise`, one part: the same text with one sentence added that names the focus and instruction. */
export function reviseReply(prompt: string): string {
  const focus = /^Focus of this revision \((.+)\):$/m.exec(prompt)?.[1];
  const instruction = field(prompt, "The editor's instruction");
  const text = delimited(prompt, prompt.indexOf('Current text:'));
  const note = `Revised${focus ? ` with the ${focus} focus` : ''}: ${instruction ?? 'investors, revenue and competitors matter here'}.`;
  const quoted = quotedFigures(prompt.replace(/\n\nAny figure you add or change/, '\n\nUse only figures'));
  return [text, note, ...quoted].join('\n\n');
}

export function addSectionReply(prompt: string): string {
  const heading = /^Write now: the new section "(.+)"$/m.exec(prompt)?.[1] ?? 'the new section';
  const instruction = field(prompt, "The editor's instruction");
  return paragraphs(80, heading, instruction ? [`As asked: ${instruction}.`] : []);
}

const TITLE_ANGLES = [
  'What Investors Should Know',
  'The Money Behind the Hype',
  'Winners and Losers',
  'A Market Reckoning',
  'Follow the Capital',
  'The Cost Curve Bends',
  'Margins Under Pressure',
  'The New Price of Intelligence',
  'Where the Value Moves',
  'After the Sell-Off',
];

export function titleReply(prompt: string): unknown {
  const current = field(prompt, 'Current title') ?? 'The post';
  const count = Number(field(prompt, 'Number of titles') ?? 5);
  const keywords = field(prompt, 'SEO keywords to feature where natural');
  return {
    titles: Array.from({ length: count }, (_, i) => ({
      title:
        `${current.split(':')[0]!.trim()}: ` +
        `${TITLE_ANGLES[i % TITLE_ANGLES.length]}${keywords && i === 0 ? ` (${keywords.split(',')[0]!.trim()})` : ''}`,
      rationale: `Angle ${i + 1}: leads with the business stakes.`,
    })),
  };
}

export function seoReply(prompt: string): unknown {
  const current = field(prompt, 'Current title') ?? 'The post';
  const keywords =
    field(prompt, 'Keywords to place naturally in the title, headings and introduction')
      ?.split(',')
      .map((k) => k.trim()) ?? [];
  const post = delimited(prompt, prompt.indexOf('The post:'));
  const intro = post.split(/^#{1,6} /m)[0]!.trim();
  const headings = [...(/^Headings of the post:\n((?:- .+\n?)+)/m.exec(prompt)?.[1] ?? '').matchAll(/^- (.+)$/gm)].map((m) => m[1]!);
  const first = keywords[0];
  const toRename = first ? headings.find((h) => !h.toLowerCase().includes(first.toLowerCase())) : undefined;
  return {
    description:
      `How ${keywords.join(' and ') || 'this story'} shape the business of AI: market moves, costs and competitors, explained.`.slice(
        0,
        158,
      ),
    title: first && !current.includes(first) ? `${first}: ${current}` : current,
    introduction: intro && keywords.length ? `${intro} Here is what ${keywords.join(' and ')} mean for the market.` : intro,
    headings: toRename ? [{ from: toRename, to: `${toRename} for ${first}` }] : [],
  };
}

const NO_ARGUMENTS = {
  sections: [],
  focus: null,
  instruction: null,
  heading: null,
  after: null,
  linkTitle: null,
  url: null,
  section: null,
  keywords: [],
};

/**
 * `draft chat`'s planner: reads the editor's sentence the way a careful model would, into revise
 * operations over the headings the prompt lists, or a question when it cannot tell what is meant
 * (or a link has no URL). A quoted name is taken as a heading as said, existing or not.
 */
export function chatPlanReply(prompt: string): unknown {
  const said = delimited(prompt, prompt.indexOf('The editor says:'));
  const w = said.toLowerCase();
  const headings = [...prompt.matchAll(/^\s+@\d+ "(.+)"$/gm)].map((m) => m[1]!);
  const quoted = /[“"]([^”"]+)[”"]/.exec(said)?.[1];
  const url = /https?:\/\/[^\s)>,]+/.exec(said)?.[0];
  const ops: Record<string, unknown>[] = [];
  const competitors = /competitor/.test(w) ? 'emphasise competitor impacts' : undefined;
  if (/focus/.test(w) && /financ|business/.test(w)) {
    ops.push({ ...NO_ARGUMENTS, op: 'revise', focus: 'finance', instruction: competitors ?? null });
  } else if (/market analysis/.test(w) || competitors) {
    const market = headings.find((h) => /market/i.test(h)) ?? headings[0];
    const instruction = [/market analysis/.test(w) ? 'include market analysis' : '', competitors ?? ''].filter(Boolean).join('; ');
    ops.push({ ...NO_ARGUMENTS, op: 'revise', sections: market ? [market] : [], instruction });
  } else if (quoted && /section|rewrite|revise|shorten|expand/.test(w) && !/link/.test(w)) {
    ops.push({ ...NO_ARGUMENTS, op: 'revise', sections: [quoted], instruction: said.trim() });
  }
  if (/\btitle\b/.test(w)) ops.push({ ...NO_ARGUMENTS, op: 'title' });
  if (/\blink\b/.test(w)) {
    if (!url) return { question: 'Which post should I link? Give its title and URL.', operations: [] };
    const linkTitle = quoted ?? 'our earlier post';
    const words = linkTitle
      .toLowerCase()
      .split(/\W+/)
      .filter((x) => x.length > 4);
    const named = /\bin (?:the section )?[“"]([^”"]+)[”"]/.exec(said)?.[1];
    const section = named ?? headings.find((h) => words.some((x) => h.toLowerCase().includes(x))) ?? null;
    ops.push({ ...NO_ARGUMENTS, op: 'link', linkTitle, url, section });
  }
  if (/\bseo\b/.test(w)) {
    const list = /\bseo(?: optimi[sz]ation)? for ([^.;]+)/i.exec(said)?.[1];
    const keywords = list
      ? list
          .split(/,|\band\b/)
          .map((k) => k.trim())
          .filter(Boolean)
      : [];
    ops.push({ ...NO_ARGUMENTS, op: 'seo', keywords });
  }
  if (ops.length === 0)
    return { question: 'What would you like changed: a section (which one, and how), the title, a link or the SEO?', operations: [] };
  return { question: null, operations: ops };
}

export function scriptedModel(options: ScriptedModelOptions = {}): Handler {
  return (req) => {
    const kind = requestKind(req);
    const custom = options.override?.(kind, req);
    if (custom) return custom;
    const prompt = lastUserMessage(req);
    switch (kind) {
      case 'outline': {
        const json = JSON.stringify(outlineReply(prompt), null, 2);
        return {
          content: options.chattyOutline
            ? `<think>The editor wants finance.</think>Here is the outline:\n\`\`\`json\n${json}\n\`\`\`\nHope this helps!`
            : json,
        };
      }
      case 'section':
        return { content: sectionReply(prompt, options) };
      case 'link':
        return { content: linkReply(prompt) };
      case 'revise':
        return { content: reviseReply(prompt) };
      case 'add-section':
        return { content: addSectionReply(prompt) };
      case 'title':
        return { content: JSON.stringify(titleReply(prompt)) };
      case 'seo':
        return { content: JSON.stringify(seoReply(prompt)) };
      case 'chat-plan':
        return { content: JSON.stringify(chatPlanReply(prompt)) };
      default:
        return { content: 'ok' };
    }
  };
}
