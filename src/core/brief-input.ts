import { readBriefFile, validateBrief, type Brief } from './brief.js';

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
  author?: string;
}

const toNumber = (v: string | undefined) => (v !== undefined && /^\s*\d+\s*$/.test(v) ? Number(v) : v);

/** Flags override the brief file field by field; lists given as flags replace the file's lists. */
export async function mergeBriefInput(flags: BriefFlags, defaults: Record<string, unknown> = {}): Promise<{ raw: Record<string, unknown>; labelFor: (field: string) => string }> {
  const fromFile = flags.brief ? await readBriefFile(flags.brief) : {};
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
    author: flags.author,
  };
  const raw: Record<string, unknown> = { ...defaults, ...fromFile };
  for (const [key, value] of Object.entries(fromFlags)) if (value !== undefined) raw[key] = value;
  const fromFlag = new Set(Object.keys(fromFlags).filter((k) => fromFlags[k] !== undefined));
  const labelFor = (field: string) =>
    fromFlag.has(field)
      ? `--${FLAG_NAMES[field] ?? field}`
      : flags.brief
        ? `${flags.brief}: ${field || '(root)'}`
        : field
          ? `--${FLAG_NAMES[field] ?? field}`
          : '';
  return { raw, labelFor };
}

const FLAG_NAMES: Record<string, string> = { keepTitle: 'keep-title', keywords: 'keyword', links: 'link' };

export function finishBrief(input: { raw: Record<string, unknown>; labelFor: (field: string) => string }): Brief {
  return validateBrief(input.raw, input.labelFor);
}
