import { callForText, type UsageMeter } from '../drafting/model-call.js';
import { normalizeHeading } from '../document/section-names.js';
import { cleanSectionReply } from '../drafting/section-reply.js';
import { ProviderError } from '../errors.js';
import { parseShared, plainText } from '../markdown.js';
import type { ChatMessage, ChatProvider, ChatRequest } from '../provider/types.js';
import { constructProblems } from './construct-check.js';

export interface ExpectedPart {
  /** null for the introduction. */
  heading: string | null;
  /** The depth that splits the post into sections (a reply must not contain a heading that shallow). */
  sectionDepth: number;
  /** Every other section heading of the post, to name the one a wrong reply contains. */
  otherHeadings: readonly string[];
  title?: string;
  /** For messages: "“The Market Fallout”" or "the introduction". */
  label: string;
  /**
   * The part as it was, when the reply revises existing text: its code, images, HTML, JSX,
   * shortcodes, template tags, footnotes and used definitions must survive (see construct-check).
   */
  original?: string;
  /** The editor's instruction, which may ask for a kind of construct to go. */
  instruction?: string;
  /** Label keys referenced in other parts of the post. */
  labelsUsedElsewhere?: ReadonlySet<string>;
}

/**
 * A revised part must be that part and nothing else. Its own heading (repeated on top) and a code
 * fence around it are removed; a reply that is empty, or contains another section of the post or
 * any heading at section level, is refused so that nothing wrong is spliced into the file.
 */
export async function checkPartReply(reply: string, expected: ExpectedPart): Promise<string> {
  const text = cleanSectionReply(reply, expected.heading, expected.title);
  if (text.trim() === '') {
    throw new ProviderError('empty', `the model's reply for ${expected.label} had no text besides its heading`, {
      hint: 'try again, or try another --model',
    });
  }
  const others = new Map(expected.otherHeadings.map((h) => [normalizeHeading(h), h]));
  for (const node of (await parseShared(text)).children) {
    if (node.type !== 'heading') continue;
    const heading = plainText(node);
    const other = others.get(normalizeHeading(heading));
    if (other !== undefined) {
      throw new ProviderError(
        'invalid-output',
        `the model's reply for ${expected.label} is not that section: it contains the section “${other}”`,
        {
          hint: 'nothing was written; try again, or name one --section at a time',
        },
      );
    }
    if (node.depth <= expected.sectionDepth) {
      throw new ProviderError(
        'invalid-output',
        `the model's reply for ${expected.label} is not that section alone: it contains the heading “${heading}”`,
        { hint: 'nothing was written; try again, or try a more capable --model' },
      );
    }
  }
  return text;
}

/**
 * One call for one part of the post, whose reply must be that part alone (see checkPartReply) and
 * keep the original's non-prose constructs. A reply that drops or breaks one is retried once with
 * the problem spelled out; a second such reply fails, so nothing is written.
 */
export async function callForPart(
  provider: ChatProvider,
  request: ChatRequest,
  meter: UsageMeter,
  expected: ExpectedPart,
): Promise<string> {
  let problems: string[] = [];
  for (let attempt = 0; attempt < 2; attempt++) {
    const messages = attempt === 0 ? request.messages : withProblems(request.messages, problems);
    const result = await callForText(provider, { ...request, messages }, meter);
    const text = await checkPartReply(result.text, expected);
    if (expected.original === undefined) return text;
    problems = await constructProblems(expected.original, text, expected);
    if (problems.length === 0) return text;
  }
  throw new ProviderError(
    'invalid-output',
    `the model's revision of ${expected.label} ${problems.join('; ')}, twice (the retry was told to keep it verbatim); nothing was written`,
    {
      hint: 'try again or with a more capable --model; if the change is intended, say so in --instruction (e.g. "remove the code example")',
      code: 'construct-lost',
    },
  );
}

/** The same request, with the last user message telling the model what its previous reply lost or broke. */
function withProblems(messages: readonly ChatMessage[], problems: readonly string[]): ChatMessage[] {
  const last = messages.map((m) => m.role).lastIndexOf('user');
  const note = [
    `Your previous reply was rejected: it ${problems.join('; ')}.`,
    'Reply again with the whole revised part, keeping every code block, image, HTML or JSX element, shortcode, ' +
      'template tag ({{ }}, {% %}), footnote and link definition of the current text verbatim, exactly as written, ' +
      'and every one of them closed.',
  ].join(' ');
  return messages.map((m, i) => (i === last ? { ...m, content: `${m.content}\n\n${note}` } : m));
}
