/**
 * Figures: the numbers, amounts, dates and quotations a reader would want sourced. Each is reduced to
 * canonical keys so that different spellings of one quantity compare equal:
 *
 * - percentages: `17%`, `17 per cent`, `17 percent` → `%:17`
 * - money: `$500 billion`, `$500bn`, `$0.5 trillion`, `half a trillion dollars` → `$:500000000000`
 *   (`€`, `£`, `¥` keep their own symbol; `dollars`, `USD` mean `$`)
 * - multiples: `2.9x`, `2.9×`, `2.9 times` → `x:2.9`; points: `79.8 points` → `pt:79.8`
 * - other numbers with a scale (`1.2 million`) or that are not small whole numbers (`79.8`, `2,000`)
 *   → `n:<value>`
 * - years (1800–2099) → `y:2024`; dates (`January 27, 2025`, `27 Jan 2025`, `2025-01-27`) → `d:2025-01-27`
 * - quotations of six words or more → `q:<lower-cased words>`
 *
 * Small whole numbers without a unit ("three reasons", "5 sections") are not figures. Values compare at
 * six significant digits, so `$0.5 trillion` and `$500 billion` meet.
 */
export type FigureKind = 'percent' | 'money' | 'multiple' | 'points' | 'number' | 'year' | 'date' | 'quote';

export interface Figure {
  text: string;
  kind: FigureKind;
  /** The main canonical key. */
  key: string;
  /** Offset in the text it was found in. */
  offset: number;
}

const SCALES: Record<string, number> = {
  thousand: 1e3,
  k: 1e3,
  million: 1e6,
  mn: 1e6,
  m: 1e6,
  billion: 1e9,
  bn: 1e9,
  b: 1e9,
  trillion: 1e12,
  tn: 1e12,
  t: 1e12,
};
const CURRENCY_WORDS: Record<string, string> = {
  dollar: '$',
  dollars: '$',
  usd: '$',
  euro: '€',
  euros: '€',
  eur: '€',
  pound: '£',
  pounds: '£',
  gbp: '£',
  yen: '¥',
};
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH =
  '(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\\.?';

// Not inside a word or an identifier: "R1", "MATH-500", "GPT-4o", "v2.1" are names, not figures.
const START = String.raw`(?<![\p{L}\p{N}_./])(?<!\p{L}-)`;
const FIGURE = new RegExp(
  [
    // dates first, so their parts are not read again as numbers
    String.raw`(?<dmy>${START}(?<dmyDay>\d{1,2})\s+(?<dmyMonth>${MONTH})\s+(?<dmyYear>\d{4}))`,
    String.raw`(?<mdy>(?<![\p{L}])(?<mdyMonth>${MONTH})\s+(?<mdyDay>\d{1,2})(?:st|nd|rd|th)?,?\s+(?<mdyYear>\d{4}))`,
    String.raw`(?<iso>${START}(?<isoYear>\d{4})-(?<isoMonth>\d{2})-(?<isoDay>\d{2})(?!\d))`,
    String.raw`(?<half>\b(?:half a|a half)\s+(?<halfScale>trillion|billion|million)(?:\s+(?<halfCurrency>dollars|euros|pounds))?)`,
    String.raw`(?<amount>(?:(?<symbol>US\$|\$|€|£|¥)\s?)?${START}(?<digits>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)` +
      String.raw`(?:\s?(?<scaleWord>thousand|million|billion|trillion)\b|(?<scaleSuffix>k|mn|m|bn|b|tn|t)\b)?` +
      String.raw`(?:\s?(?<percent>%|per\s?cent\b|percent\b)|\s?(?<times>x|×)(?![\p{L}\p{N}])|\s(?<timesWord>times)\b` +
      String.raw`|\s(?<points>points?|pts|percentage points)\b|\s(?<currencyWord>dollars|euros|pounds|USD|EUR|GBP|yen)\b)?)`,
  ].join('|'),
  'giu',
);
const QUOTE = /[“"]([^“”"\n]{10,400})[”"]/g;

export function extractFigures(text: string): Figure[] {
  const figures: Figure[] = [];
  for (const m of text.matchAll(FIGURE)) {
    const g = m.groups ?? {};
    const offset = m.index ?? 0;
    const raw = m[0];
    if (g.dmy) {
      figures.push(date(raw, offset, g.dmyYear!, g.dmyMonth!, g.dmyDay!));
    } else if (g.mdy) {
      figures.push(date(raw, offset, g.mdyYear!, g.mdyMonth!, g.mdyDay!));
    } else if (g.iso) {
      figures.push({ text: raw, kind: 'date', key: `d:${g.isoYear}-${g.isoMonth}-${g.isoDay}`, offset });
    } else if (g.half) {
      const scale = SCALES[g.halfScale!.toLowerCase()]!;
      const currency = g.halfCurrency ? CURRENCY_WORDS[g.halfCurrency.toLowerCase()] : undefined;
      figures.push(
        currency
          ? { text: raw, kind: 'money', key: `${currency}:${canon(0.5 * scale)}`, offset }
          : { text: raw, kind: 'number', key: `n:${canon(0.5 * scale)}`, offset },
      );
    } else if (g.amount) {
      const figure = amount(g, raw, offset);
      if (figure) figures.push(figure);
    }
  }
  for (const m of text.matchAll(QUOTE)) {
    const words = quoteWords(m[1]!);
    if (words.split(' ').length >= 6) figures.push({ text: m[0], kind: 'quote', key: `q:${words}`, offset: m.index ?? 0 });
  }
  return figures.sort((a, b) => a.offset - b.offset);
}

function amount(g: Record<string, string | undefined>, matched: string, offset: number): Figure | undefined {
  const { symbol, digits, scaleWord, scaleSuffix, percent, times, timesWord, points, currencyWord } = g;
  const raw = matched.trimEnd();
  const base = Number(digits!.replace(/,/g, ''));
  const scaleName = (scaleWord ?? scaleSuffix)?.toLowerCase();
  // A bare one-letter suffix ("5m", "3t") is a scale only on an amount of money.
  const currency = symbol ? (symbol === 'US$' ? '$' : symbol) : currencyWord ? CURRENCY_WORDS[currencyWord.toLowerCase()] : undefined;
  if (scaleSuffix && !currency && ['m', 'b', 't', 'k'].includes(scaleSuffix.toLowerCase())) return undefined;
  const value = base * (scaleName ? SCALES[scaleName]! : 1);
  if (currency) return { text: raw, kind: 'money', key: `${currency}:${canon(value)}`, offset };
  if (percent) return { text: raw, kind: 'percent', key: `%:${canon(value)}`, offset };
  if (times || timesWord) return { text: raw, kind: 'multiple', key: `x:${canon(value)}`, offset };
  if (points) return { text: raw, kind: 'points', key: `pt:${canon(value)}`, offset };
  const whole = !digits!.includes('.');
  if (!scaleName && whole && /^\d{4}$/.test(digits!) && base >= 1800 && base <= 2099)
    return { text: raw, kind: 'year', key: `y:${base}`, offset };
  if (!scaleName && whole && base < 100) return undefined;
  return { text: raw, kind: 'number', key: `n:${canon(value)}`, offset };
}

function date(raw: string, offset: number, year: string, month: string, day: string): Figure {
  const mm = String(MONTHS.indexOf(month.slice(0, 3).toLowerCase()) + 1).padStart(2, '0');
  return { text: raw, kind: 'date', key: `d:${year}-${mm}-${day.padStart(2, '0')}`, offset };
}

function canon(value: number): string {
  return String(Number(value.toPrecision(6)));
}

function quoteWords(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[‘’‚‛′]/g, "'")
    .replace(/[“”„‟″]/g, '"')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}'%$.,]+/gu, ' ')
    .replace(/[.,](?=\s|$)/g, '')
    .trim()
    .replace(/\s+/g, ' ');
}

/** Everything a source or a brief can vouch for: the keys of its figures, loosely (see `isTraced`). */
export interface Evidence {
  keys: Set<string>;
  /** The text's words, for quotations. */
  words: string;
}

export function evidenceFrom(texts: string[]): Evidence {
  const keys = new Set<string>();
  for (const text of texts) {
    for (const figure of extractFigures(text)) {
      keys.add(figure.key);
      const value = figure.key.slice(figure.key.indexOf(':') + 1);
      // A bare value vouches for the same value with a unit: a table cell "79.8" under "AIME (%)".
      if (figure.kind !== 'date' && figure.kind !== 'quote') keys.add(`n:${value}`);
      if (figure.kind === 'date') keys.add(`y:${value.slice(0, 4)}`);
    }
  }
  return { keys, words: texts.map(quoteWords).join(' \u0000 ') };
}

/** Unit families that may stand for one another at the same value: a score in points or per cent. */
const COMPATIBLE: Partial<Record<FigureKind, string[]>> = { percent: ['pt'], points: ['%'], year: [], number: [] };

export function isTraced(figure: Figure, evidence: Evidence): boolean {
  if (figure.kind === 'quote') return evidence.words.includes(figure.key.slice(2));
  if (evidence.keys.has(figure.key)) return true;
  const value = figure.key.slice(figure.key.indexOf(':') + 1);
  if (figure.kind === 'year' || figure.kind === 'date') return false;
  if (evidence.keys.has(`n:${value}`)) return true;
  return (COMPATIBLE[figure.kind] ?? []).some((unit) => evidence.keys.has(`${unit}:${value}`));
}
