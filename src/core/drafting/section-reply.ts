import { normalizeHeading } from '../document/section-names.js';

/**
 * Models answer "write this section" in many shapes: with or without the section's own heading,
 * wrapped in a ```markdown fence, with the post title on top. Keep only the section's text.
 */
export function cleanSectionReply(reply: string, heading: string | null, title?: string): string {
  let text = reply.replace(/\r\n/g, '\n').trim();
  const fence = /^```(?:markdown|md)?\s*\n([\s\S]*?)\n```$/i.exec(text);
  if (fence) text = fence[1]!.trim();
  const names = [heading, title].filter((n): n is string => Boolean(n)).map(normalizeHeading);
  for (;;) {
    const first = /^(#{1,6})[ \t]+(.+?)[ \t#]*(?:\n|$)/.exec(text);
    if (!first || !names.includes(normalizeHeading(first[2]!))) break;
    text = text.slice(first[0].length).trim();
  }
  return text;
}
