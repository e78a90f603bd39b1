import type { AiTell } from './ai-tells.js';
import { aiTellFindings, proseBlocks } from './ai-tell-match.js';
import { isEnglish, sameLanguage } from './language.js';
import { proseTree } from './prose-scope.js';
import { retextFindings } from './retext-rules.js';
import { ENGLISH_ONLY_RULES, severityOf, STYLE_RULES, type Severity, type StyleRule, type StyleSeverities } from './rules.js';

/** One style problem, at offsets of the body it was found in. */
export interface StyleFinding {
  /** `passive`, `simplify`, …, or `ai-tells/<id>`. */
  rule: string;
  family: StyleRule;
  severity: Exclude<Severity, 'off'>;
  start: number;
  end: number;
  /** The text as written. */
  text: string;
  message: string;
  suggestion?: string;
  /** A habit of the whole post (em-dashes in most paragraphs), found at its first instance. */
  postWide?: true;
}

export interface StyleOptions {
  /** BCP 47. */
  language: string;
  severities?: StyleSeverities;
  tells: AiTell[];
}

export interface StyleResult {
  findings: StyleFinding[];
  /** Rules and AI tells that do not run on this language, said so the editor knows what was not checked. */
  skipped: string[];
}

/** The style problems of a post's body (front matter already split off). Sends nothing. */
export async function checkStyle(body: string, options: StyleOptions): Promise<StyleResult> {
  const english = isEnglish(options.language);
  const on = (rule: StyleRule, id?: string) => severityOf(rule, id, options.severities) !== 'off';
  const skipped: string[] = english ? [] : ENGLISH_ONLY_RULES.filter((rule) => on(rule));
  const retextRules = STYLE_RULES.filter(
    (rule): rule is Exclude<StyleRule, 'ai-tells'> => rule !== 'ai-tells' && on(rule) && (english || !ENGLISH_ONLY_RULES.includes(rule)),
  );
  const tells = on('ai-tells') ? options.tells.filter((t) => on('ai-tells', t.id)) : [];
  const usable = tells.filter((t) => sameLanguage(t.language, options.language));
  if (usable.length < tells.length) {
    const languages = [...new Set(tells.filter((t) => !usable.includes(t)).map((t) => t.language))];
    skipped.push(`${tells.length - usable.length} AI tell(s) written for ${languages.join(', ')}`);
  }

  const { root, prose } = await proseTree(body);
  const findings: StyleFinding[] = [];
  for (const f of await retextFindings(root, prose, retextRules, english)) {
    findings.push({
      rule: f.rule,
      family: f.rule,
      severity: severityOf(f.rule, undefined, options.severities) as StyleFinding['severity'],
      start: f.start,
      end: f.end,
      text: f.actual,
      message: f.message,
      suggestion: f.suggestion,
    });
  }
  for (const f of aiTellFindings(proseBlocks(prose, root), usable)) {
    findings.push({
      ...f,
      rule: `ai-tells/${f.tell.id}`,
      family: 'ai-tells',
      severity: severityOf('ai-tells', f.tell.id, options.severities) as StyleFinding['severity'],
      ...('habit' in f.tell.matcher ? { postWide: true as const } : {}),
    });
  }
  findings.sort((a, b) => a.start - b.start || a.rule.localeCompare(b.rule));
  return { findings: findings.map(({ tell: _tell, ...f }: StyleFinding & { tell?: unknown }) => f), skipped };
}
