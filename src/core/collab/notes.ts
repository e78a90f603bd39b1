import { knownEvents, type DetailsOf, type EventOf, type LogAction, type LogEntry, type LogEvent } from './log.js';
import { DEFAULT_NOTES_HEADING, DESCRIPTION_LIMIT } from '../defaults.js';
import { markdownInline } from '../model-text.js';
import { STAGE_WORDS, type Stage } from '../provider/stages.js';

/**
 * Renders the Collaboration notes from the log alone: the same log always gives the same text,
 * so `draft check` can tell when the notes were hand-edited out of date.
 * Modelled on the seed's closing notes: what the editor provided, then what the AI did.
 */
export function renderNotes(entries: readonly LogEntry[], heading = DEFAULT_NOTES_HEADING): string {
  // Entries of kinds this version does not know (a newer version's) are left out, never guessed at.
  const events = knownEvents(entries);
  const handWritten = events.find((e) => e.action === 'hand-written');
  const models = unique(events.filter((e) => e.actor === 'ai' && e.name).map((e) => e.name!));
  const ai = models.length > 0 ? `the AI (${models.map(text).join(', ')})` : 'the AI';

  // Each editor's requests under their own name: an unnamed request is never credited to a named editor.
  const byEditor = new Map<string | undefined, string[]>();
  const aiLines: string[] = [];
  const toolLines: string[] = [];
  // The figures are the post's as it stands: only the latest check is true of it.
  const latestFigures = events.findLast((e) => e.action === 'figures-checked');
  for (const event of events) {
    if (event.action === 'figures-checked' && event !== latestFigures) continue;
    const line = describe(event);
    if (!line) continue;
    if (event.actor === 'editor') byEditor.set(event.name, [...(byEditor.get(event.name) ?? []), line]);
    // With a model per stage, each thing the AI did is credited to the model that did it.
    else if (event.actor === 'ai') aiLines.push(models.length > 1 && event.name ? `${text(event.name)}: ${line}` : line);
    else toolLines.push(line);
  }
  const named = [...byEditor.keys()].filter((name): name is string => name !== undefined);
  const unnamed = named.length > 0 ? 'an unnamed editor' : 'the editor';
  const editorName = (name: string | undefined) => (name === undefined ? unnamed : text(name));
  const editors = byEditor.size > 0 ? joinAnd([...byEditor.keys()].map(editorName)) : 'the editor';

  // The heading is read back from the file as written (escapes and all), so it is only kept to one line.
  const out: string[] = [`## ${heading.replace(/[\s\0]+/g, ' ').trim()}`, ''];
  if (handWritten) {
    const writer = writerOf(handWritten);
    out.push(
      aiLines.length > 0
        ? `${capitalise(writer)} wrote this post by hand; ${editors} directed revisions and ${ai} drafted them.`
        : `${capitalise(writer)} wrote this post by hand.`,
    );
  } else if (aiLines.length > 0) {
    out.push(`In this collaboration, ${editors} directed and ${ai} drafted.`);
  } else {
    out.push(`${capitalise(editors)} wrote this post.`);
  }
  for (const [name, lines] of byEditor) out.push('', `**${capitalise(editorName(name))} provided:**`, '', ...lines.map((l) => `- ${l}`));
  if (aiLines.length > 0) out.push('', `**${capitalise(ai)} did:**`, '', ...aiLines.map((l) => `- ${l}`));
  if (toolLines.length > 0) out.push('', '**Checks by draft:**', '', ...toolLines.map((l) => `- ${l}`));
  return out.join('\n');
}

/**
 * Who wrote a hand-written post: the `writer` recorded from its front matter, else "a writer". Logs from
 * before `writer` was recorded put a name on the event itself; for those, that name is all there is.
 */
function writerOf(event: EventOf<'hand-written'>): string {
  const writer = event.details?.writer;
  return typeof writer === 'string' && writer.trim() ? text(writer.trim()) : event.name ? text(event.name) : 'a writer';
}

function joinAnd(names: string[]): string {
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/** A describer gets the event's details ({} when it has none). */
type Describer<K extends LogAction> = (d: NonNullable<DetailsOf<K>>, e: EventOf<K>) => string | undefined;

// Logged strings come from the brief and the model: data, so each is one line of literal text here
// (escaped for Markdown and MDX), never a heading, a tag or an expression of its own.
const text = (s: unknown) => markdownInline(String(s ?? ''));
const quote = (s: unknown) => `“${text(s)}”`;
const list = (xs: unknown) => (Array.isArray(xs) ? xs.map(text).join(', ') : text(xs));
const linkList = (links: unknown) =>
  Array.isArray(links) ? links.map((l: { title: string; url: string }) => `[${text(l.title)}](${l.url})`).join(', ') : '';
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * One sentence per event kind (or undefined: nothing to say). Typed by kind, so a kind without a
 * describer does not compile. Unknown kinds never get here (see renderNotes).
 */
const DESCRIBERS: { [K in LogAction]: Describer<K> } = {
  brief: (d) =>
    `The topic: ${quote(d.topic)}${d.audience ? `, for ${text(d.audience)}` : ''}${d.tone ? `, in a ${text(d.tone)} tone` : ''}.`,
  direction: (d) => `A clear direction: ${quote(d.text)}.`,
  'title-input': (d) => `A working title, ${quote(d.title)}${d.keep ? ', kept as given' : ''}.`,
  'links-requested': (d) => `A request to link ${linkList(d.links)}.`,
  'keywords-requested': (d) => `SEO keywords to target: ${list(d.keywords)}.`,
  'outline-accepted': (d) => (d.auto ? undefined : 'Approval of the outline.'),
  'outline-edited': (d) => `Edits to the outline${d.summary ? ` (${text(d.summary)})` : ''}.`,
  'outline-regenerated': (d) => `A request for a new outline${d.feedback ? `: ${quote(d.feedback)}` : ''}.`,
  'outline-generated': (d) =>
    `Proposed the title ${quote(d.title)} and an outline of ${plural(Array.isArray(d.sections) ? d.sections.length : 0, 'section')}${Array.isArray(d.sections) ? ` (${d.sections.map(text).join('; ')})` : ''}.`,
  'outline-count-differs': (d) =>
    `Proposed ${plural(Number(d.got) || 0, 'section')} instead of the ${Number(d.expected) || 0} asked for; the outline was kept.`,
  'title-refined': (d) => `Refined the working title ${quote(d.from)} into ${quote(d.to)}.`,
  'sections-drafted': (d) => {
    const headings: string[] = Array.isArray(d.headings) ? d.headings : [];
    return `Drafted the introduction and ${plural(headings.length, 'section')}${headings.length ? `: ${headings.map(text).join('; ')}` : ''}.`;
  },
  'link-repaired': (d) =>
    d.method === 'inserted'
      ? `Added the missing link [${text(d.title)}](${d.url}) to ${sectionName(d.section)}.`
      : `Worked the missing link [${text(d.title)}](${d.url}) into ${sectionName(d.section)}.`,
  'description-trimmed': (d) => `Shortened the SEO description to ${d.length} characters (the limit is ${DESCRIPTION_LIMIT}).`,
  'sources-provided': (d) =>
    `${plural(d.sources.length, 'source')} for the post's figures: ${d.sources.map((s) => (s.url ? `[${text(s.title)}](${s.url})` : quote(s.title))).join(', ')}.`,
  'sources-cited': (d) =>
    d.sources.length === 0
      ? undefined
      : `Cited ${d.sources.map((s) => `${quote(s.title)} ${s.sections.length ? `in ${s.sections.map(sectionName).join(', ')}` : 'nowhere'}`).join('; ')}.`,
  'citations-dropped': (d) =>
    `Removed ${plural(
      d.parts.reduce((n, p) => n + p.numbers.length, 0),
      'citation',
    )} that matched no excerpt, in ${d.parts.map((p) => sectionName(p.section)).join(', ')}.`,
  'figures-resourced': (d) => `Redrafted ${d.sections.map(sectionName).join(', ')}, whose figures were not all in the sources cited.`,
  'figures-checked': (d) =>
    d.total === 0
      ? undefined
      : d.untraced === 0
        ? `Traced all ${plural(d.total, 'figure')} in this post to a source the editor provided, or to the brief.`
        : d.sources === 0
          ? `${plural(d.untraced, 'figure')} in this post ${d.untraced === 1 ? 'is' : 'are'} not from a source: no sources were provided, so check ${d.untraced === 1 ? 'it' : 'them'} before publishing.`
          : `${plural(d.untraced, 'figure')} in this post could not be traced to a source the editor provided; check ${d.untraced === 1 ? 'it' : 'them'} before publishing.`,
  'models-used': (d) =>
    `Models: ${(Array.isArray(d.models) ? d.models : [])
      .map(
        (m) =>
          `${text(m.model)} ${m.stages.map((s) => STAGE_WORDS[s as Stage] ?? 'did the rest').join(' and ')} (${plural(Number(m.requests) || 0, 'request')}, ${typeof m.costUsd === 'number' ? `$${m.costUsd}` : 'cost unknown'})`,
      )
      .join('; ')}.`,
  'model-text-cleaned': (d) =>
    `Made ${plural(Array.isArray(d.fields) ? d.fields.length : 0, 'field')} from the model one line of plain text${Array.isArray(d.fields) ? ` (${list(d.fields)})` : ''}.`,
  // draft revise
  // The writer is named in the opening sentence; the event is not a request by anyone.
  'hand-written': () => undefined,
  'hand-edited': (d) => {
    const edited = [...(Array.isArray(d.headings) ? d.headings.map(quote) : []), ...(d.introduction ? ['the introduction'] : [])];
    const parts = [
      edited.length ? `edits by hand to ${edited.join(', ')}` : '',
      Array.isArray(d.added) && d.added.length ? `new sections written by hand: ${d.added.map(quote).join(', ')}` : '',
      Array.isArray(d.removed) && d.removed.length ? `removed ${d.removed.map(quote).join(', ')}` : '',
    ].filter(Boolean);
    return parts.length ? `${capitalise(parts.join('; '))}.` : undefined;
  },
  'revision-requested': (d) => {
    const what = d.all
      ? 'every section'
      : [...(d.introduction ? ['the introduction'] : []), ...(Array.isArray(d.headings) ? d.headings.map(quote) : [])].join(', ');
    const how = [d.focus ? `a ${d.focus} focus` : '', d.instruction ? quote(d.instruction) : ''].filter(Boolean).join(': ');
    return what ? `A request to revise ${what}${how ? ` with ${how}` : ''}.` : `Direction for the revision: ${how}.`;
  },
  'section-requested': (d) => `A request for a new section, ${quote(d.heading)}${d.after ? `, after ${quote(d.after)}` : ''}.`,
  'seo-requested': (d) => `A request to improve SEO${d.keywords ? ` for ${list(d.keywords)}` : ''}.`,
  'titles-requested': () => 'A request to refine the title.',
  'title-chosen': (d) =>
    `The choice of ${quote(d.title)} from ${plural(Number(d.of) || 0, 'proposed title')}${d.renamedTo ? `, with the file renamed to ${text(d.renamedTo)}` : ''}.`,
  'sections-revised': (d) => {
    const parts = [...(d.introduction ? ['the introduction'] : []), ...(Array.isArray(d.headings) ? d.headings.map(quote) : [])];
    return `Revised ${parts.join(', ') || 'the post'}${d.focus ? ` with the ${d.focus} focus` : ''}.`;
  },
  'section-added': (d) => `Drafted the new section ${quote(d.heading)}.`,
  'style-fix-requested': (d) =>
    `A request to fix ${plural(Number(d.problems) || 0, 'style problem')} in ${[...(d.introduction ? ['the introduction'] : []), ...(Array.isArray(d.headings) ? d.headings.map(quote) : [])].join(', ') || 'the post'}.`,
  'style-fixed': (d) => {
    const fixed = Array.isArray(d.fixed) ? d.fixed : [];
    const remaining = Array.isArray(d.remaining) ? d.remaining : [];
    return `Fixed ${plural(fixed.length, 'style problem')}${fixed.length ? ` (${fixed.map(text).join('; ')})` : ''}${remaining.length ? `; ${remaining.length} ${remaining.length === 1 ? 'remains' : 'remain'}: ${remaining.map(text).join('; ')}` : ''}.`;
  },
  'link-added': (d) => `Worked the link [${text(d.title)}](${d.url}) into ${sectionName(d.section)}.`,
  'titles-proposed': (d) => `Proposed ${plural(Number(d.count) || 0, 'title')}.`,
  'seo-revised': (d) => {
    const parts = [
      d.description ? 'a new description' : '',
      d.title ? `the title ${quote(d.title)}` : '',
      d.headings ? plural(Number(d.headings), 'clearer heading') : '',
      d.introduction ? 'keywords in the introduction' : '',
    ].filter(Boolean);
    return `Improved SEO${parts.length ? `: ${parts.join(', ')}` : ''}.`;
  },
  'editor-said': (d) =>
    `In their own words: ${quote(d.words)}${Array.isArray(d.steps) && d.steps.length ? ` (planned as: ${d.steps.map(text).join('; ')})` : ''}.`,
  // Publishing is not part of the writing, so the notes do not mention it.
  published: () => undefined,
};

function describe(event: LogEvent): string | undefined {
  return describeAs(event.action, event as EventOf<typeof event.action>);
}

function describeAs<K extends LogAction>(action: K, event: EventOf<K>): string | undefined {
  const fn: Describer<K> = DESCRIBERS[action];
  // Kinds whose details may be left out have only optional fields, so {} is a valid value for them.
  return fn((event.details ?? {}) as NonNullable<DetailsOf<K>>, event);
}

export function sectionName(heading: unknown): string {
  return heading ? quote(heading) : 'the introduction';
}

function unique<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
