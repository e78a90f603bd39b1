import { callForText, type UsageMeter } from '../drafting/model-call.js';
import { cleanSectionReply, normaliseHeading } from '../drafting/section-reply.js';
import { ProviderError } from '../errors.js';
import { loadMarkdown, plainText } from '../markdown.js';
import type { ChatProvider, ChatRequest } from '../provider/types.js';

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
  const md = await loadMarkdown();
  const others = new Map(expected.otherHeadings.map((h) => [normaliseHeading(h), h]));
  for (const node of md.parse(text).children) {
    if (node.type !== 'heading') continue;
    const heading = plainText(node).replace(/\s+/g, ' ').trim();
    const other = others.get(normaliseHeading(heading));
    if (other !== undefined) {
      throw new ProviderError('invalid-output', `the model's reply for ${expected.label} is not that section: it contains the section “${other}”`, {
        hint: 'nothing was written; try again, or name one --section at a time',
      });
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

/** One call for one part of the post, whose reply must be that part alone (see checkPartReply). */
export async function callForPart(provider: ChatProvider, request: ChatRequest, meter: UsageMeter, expected: ExpectedPart): Promise<string> {
  const result = await callForText(provider, request, meter);
  return checkPartReply(result.text, expected);
}
