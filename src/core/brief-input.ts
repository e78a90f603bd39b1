import { resolve } from 'node:path';
import { briefProblems, readBriefFile, validateBrief, type Brief } from './brief.js';

export interface BriefFlags {
  brief?: string;
  topic?: string;
  direction?: string;
  audience?: string;
  tone?: string;
  words?: string;
  sections?: string;
  title?: string;
  keepTitle?: boolean;
  keyword?: string[];
  link?: string[];
  source?: string[];
  author?: string;
  language?: string;
}

const toNumber = (v: string | undefined) => (v !== undefined && /^\s*\d+\s*$/.test(v) ? Number(v) : v);

/** Flags override the brief file field by field; lists given as flags replace the file's lists. */
export async function mergeBriefInput(
  flags: BriefFlags,
  cwd: string = process.cwd(),
): Promise<{ raw: Record<string, unknown>; labelFor: (field: string) => string }> {
  const fromFile = flags.brief ? await readBriefFile(resolve(cwd, flags.brief), flags.brief) : {};
  const fromFlags: Record<string, unknown> = {
    topic: flags.topic,
    direction: flags.direction,
    audience: flags.audience,
    tone: flags.tone,
    words: toNumber(flags.words),
    sections: toNumber(flags.sections),
    title: flags.title,
    keepTitle: flags.keepTitle,
    keywords: flags.keyword?.length ? flags.keyword : undefined,
    links: flags.link?.length ? flags.link : undefined,
    sources: flags.source?.length ? flags.source : undefined,
    author: flags.author,
    language: flags.language,
  };
  const given = Object.entries(fromFlags).filter(([, value]) => value !== undefined);
  const raw: Record<string, unknown> = { ...fromFile, ...Object.fromEntries(given) };
  const fromFlag = new Set(given.map(([key]) => key));
  // A field is named by the flag that set it, else by the brief file it came from.
  const labelFor = (field: string) => {
    if (!fromFlag.has(field) && flags.brief) return `${flags.brief}: ${field || '(root)'}`;
    return field ? `--${FLAG_NAMES[field] ?? field}` : '';
  };
  return { raw, labelFor };
}

const FLAG_NAMES: Record<string, string> = { keepTitle: 'keep-title', keywords: 'keyword', links: 'link', sources: 'source' };

/**
 * The problems of the brief as given so far, before any question is asked. A missing topic is left
 * out when it will be asked for, so the other fields can still be reported at once.
 */
export function briefInputProblems(
  input: { raw: Record<string, unknown>; labelFor: (field: string) => string },
  options: { topicWillBeAsked: boolean },
): string[] {
  const raw = options.topicWillBeAsked && !input.raw.topic ? { ...input.raw, topic: 'to be asked' } : input.raw;
  return briefProblems(raw, input.labelFor).problems;
}

export function finishBrief(input: { raw: Record<string, unknown>; labelFor: (field: string) => string }): Brief {
  return validateBrief(input.raw, input.labelFor);
}
