import { UsageError } from '../errors.js';

/**
 * Front-matter keys site generators use for a post's language: Hugo `lang`/`languageCode`, Jekyll `lang`,
 * Astro/Eleventy `language`/`locale`.
 */
const LANGUAGE_KEYS = ['lang', 'language', 'languageCode', 'locale', 'inLanguage'];

export const DEFAULT_LANGUAGE = 'en';

/** A BCP 47 tag in its canonical form (`en-gb` → `en-GB`), or undefined when it is not one. */
export function canonicalLanguage(tag: string): string | undefined {
  try {
    return Intl.getCanonicalLocales(tag.trim().replace(/_/g, '-'))[0];
  } catch {
    return undefined;
  }
}

/** `--language` and the config's `language`: a usage error naming the input when it is not BCP 47. */
export function requireLanguage(tag: string, name: string): string {
  const canonical = canonicalLanguage(tag);
  if (!canonical) throw new UsageError(`${name}: "${tag}" is not a BCP 47 language tag`, { hint: 'e.g. en, en-GB, de, es-419, pt-BR' });
  return canonical;
}

/** The post's own language (front matter, else the brief it was drafted from), else undefined. */
export function postLanguage(data: Record<string, unknown>, briefLanguage: unknown): string | undefined {
  for (const key of LANGUAGE_KEYS) {
    const value = data[key];
    if (typeof value === 'string' && canonicalLanguage(value)) return canonicalLanguage(value);
  }
  return typeof briefLanguage === 'string' ? canonicalLanguage(briefLanguage) : undefined;
}

export function sameLanguage(tag: string, other: string): boolean {
  return primary(tag) === primary(other);
}

export function isEnglish(tag: string): boolean {
  return primary(tag) === 'en';
}

function primary(tag: string): string {
  return (tag.split('-')[0] ?? '').toLowerCase();
}

/** The prompt placeholders for a post's language: the tag, and its English name ("British English") for the model. */
export function languageVars(tag: string | undefined): { language: string | undefined; languageName: string | undefined } {
  if (!tag) return { language: undefined, languageName: undefined };
  let name: string | undefined;
  try {
    name = new Intl.DisplayNames(['en'], { type: 'language' }).of(tag);
  } catch {
    name = undefined;
  }
  return { language: tag, languageName: name && name !== tag ? name : tag };
}
