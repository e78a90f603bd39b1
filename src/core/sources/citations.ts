/**
 * The model cites the numbered excerpts it was given (`[2]`, `[1, 3]`); the tool, not the model, turns
 * each citation into a link to the source, so no URL in the post is one the model made up. A number that
 * matches no excerpt is dropped and reported, never written as a dead `[7]`.
 */
export interface CitableSource {
  number: number;
  title: string;
  url?: string;
}

export type CitationStyle = 'links' | 'footnotes';

export interface CitedText {
  text: string;
  /** Source numbers cited, in order of first citation. */
  cited: number[];
  /** Citation numbers that matched no excerpt. */
  unknown: number[];
}

// Not a link's text (`[a](u)`), a reference (`[a][b]`, `][1]`), a footnote (`[^1]`) or a definition (`[1]:`).
const CITATION = /(?<![\]!\\])\s?\[(\d{1,3}(?:\s*[,;]\s*\d{1,3})*)\](?![([:])/g;
const CODE = /(```[\s\S]*?(?:```|$)|~~~[\s\S]*?(?:~~~|$)|`[^`\n]*`)/g;

/** `excerpts` maps the numbers the model saw to the sources they came from. */
export function resolveCitations(text: string, excerpts: Map<number, CitableSource>, style: CitationStyle): CitedText {
  const cited: number[] = [];
  const unknown: number[] = [];
  const parts = text.split(CODE);
  const out = parts.map((part, i) => {
    if (i % 2 === 1) return part; // code: left as written
    return part.replace(CITATION, (match, list: string) => {
      const sources: CitableSource[] = [];
      for (const n of list.split(/[,;]/).map((s) => Number(s.trim()))) {
        const source = excerpts.get(n);
        if (!source) {
          unknown.push(n);
          continue;
        }
        if (!sources.includes(source)) sources.push(source);
        if (!cited.includes(source.number)) cited.push(source.number);
      }
      if (sources.length === 0) return '';
      const lead = match.startsWith(' ') || match.startsWith('\n') ? match[0]! : '';
      if (style === 'footnotes') return sources.map((s) => `[^${footnoteLabel(s.number)}]`).join('');
      return `${lead || ' '}(${sources.map(citationText).join('; ')})`;
    });
  });
  return { text: out.join(''), cited, unknown };
}

export function footnoteLabel(sourceNumber: number): string {
  return `source-${sourceNumber}`;
}

/** `[^source-1]: [Title](url)` lines for the sources cited, in source order. */
export function footnoteDefinitions(sources: CitableSource[], cited: Set<number>): string {
  return sources
    .filter((s) => cited.has(s.number))
    .map((s) => `[^${footnoteLabel(s.number)}]: ${citationText(s)}`)
    .join('\n');
}

export function citationText(source: CitableSource): string {
  const title = safeTitle(source.title);
  return source.url ? `[${title}](${safeUrl(source.url)})` : title;
}

// A page's title is someone else's text: one line, and nothing that would open or close Markdown syntax.
function safeTitle(title: string): string {
  return (
    title
      .replace(/[\u0000-\u001f\u007f]+/g, ' ')
      .replace(/\s+/g, ' ')
      .replace(/([[\]*_`<>\\])/g, '\\$1')
      .trim()
      .slice(0, 200) || 'source'
  );
}

function safeUrl(url: string): string {
  return /[\s()<>]/.test(url) ? `<${url.replace(/[<>\s]/g, encodeURIComponent)}>` : url;
}
