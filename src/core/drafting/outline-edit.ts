import { isDeepStrictEqual } from 'node:util';
import { OutlineSchema, type Outline } from './outline.js';

const quote = (s: string) => `“${s}”`;

/**
 * What an editor changed in an outline, in words for the log, or undefined when nothing did: both
 * sides are compared as parsed outlines, so re-saving the same text (or re-wrapping it) is not an edit.
 */
export function outlineEditSummary(before: Outline, after: Outline): string | undefined {
  const was = OutlineSchema.parse(before);
  const now = OutlineSchema.parse(after);
  if (isDeepStrictEqual(was, now)) return undefined;
  const changes: string[] = [];
  if (was.title !== now.title) changes.push(`title set to ${quote(now.title)}`);
  if (was.description !== now.description) changes.push('description rewritten');
  if (!isDeepStrictEqual(was.tags, now.tags)) changes.push(now.tags.length ? `tags set to ${now.tags.join(', ')}` : 'tags removed');
  if (was.intro !== now.intro) changes.push('introduction notes revised');

  const headingsWas = was.sections.map((s) => s.heading);
  const headingsNow = now.sections.map((s) => s.heading);
  const added = headingsNow.filter((h) => !headingsWas.includes(h));
  const removed = headingsWas.filter((h) => !headingsNow.includes(h));
  if (added.length) changes.push(`added ${added.map(quote).join(', ')}`);
  if (removed.length) changes.push(`removed ${removed.map(quote).join(', ')}`);
  const kept = headingsNow.filter((h) => headingsWas.includes(h));
  if (kept.join('\n') !== headingsWas.filter((h) => headingsNow.includes(h)).join('\n')) changes.push('reordered sections');
  const revised = now.sections.filter((s) => {
    const old = was.sections.find((o) => o.heading === s.heading);
    return old !== undefined && old.points !== s.points;
  });
  if (revised.length) changes.push(`notes revised for ${revised.map((s) => quote(s.heading)).join(', ')}`);
  const relinked = now.sections.filter((s) => {
    const old = was.sections.find((o) => o.heading === s.heading);
    return old !== undefined && !isDeepStrictEqual(old.links, s.links);
  });
  if (relinked.length) changes.push(`links moved in ${relinked.map((s) => quote(s.heading)).join(', ')}`);
  return changes.join('; ') || 'outline changed';
}
