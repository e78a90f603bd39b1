import type { Section } from '../document/sections.js';
import type { LoadedPost } from '../revise/post.js';
import type { WorkingCopy } from '../revise/working-copy.js';
import { checkStyle, type StyleFinding, type StyleOptions } from './check-style.js';
import { oneLine } from '../model-text.js';

/** `draft revise --fix-style`: which parts have style problems, and which problems each has. */
export interface StyleFix {
  /** Top-level part index → the problems found in it, in order. */
  bySection: Map<number, StyleFinding[]>;
  options: StyleOptions;
  /** Rules and AI tells that did not run on this post's language. */
  skipped: string[];
}

/** The top-level parts holding at least one style problem (any rule not set to off), nothing else. */
export async function planStyleFix(post: LoadedPost, options: StyleOptions): Promise<{ targets: Section[]; fix: StyleFix }> {
  const { findings, skipped } = await checkStyle(post.src.body, options);
  const bySection = new Map<number, StyleFinding[]>();
  for (const finding of findings) {
    const section = post.structure.sections.find((s) => s.start <= finding.start && finding.start < s.end);
    if (!section) continue;
    bySection.set(section.index, [...(bySection.get(section.index) ?? []), finding]);
  }
  const targets = post.structure.sections.filter((s) => bySection.has(s.index));
  return { targets, fix: { bySection, options, skipped } };
}

/** What one part's request says: each problem with its rule, the text as written, and the suggestion. */
export function styleInstruction(findings: readonly StyleFinding[]): string {
  const lines = findings.map((f) => {
    const what = f.postWide ? `${f.message} (first at "${oneLine(f.text)}")` : `"${oneLine(f.text)}": ${f.message}`;
    return `- [${f.rule}] ${what}${f.suggestion ? ` Suggestion: ${f.suggestion}` : ''}`;
  });
  return [
    'Fix these style problems in this part, and change nothing else: keep its facts, figures, links, structure and length.',
    ...lines,
  ].join('\n');
}

/** The problem as the log names it: `rule "text"`. */
export function problemLabel(f: StyleFinding): string {
  return `${f.rule} "${oneLine(f.text).slice(0, 80)}"`;
}

/**
 * Each revised part checked again: a problem is fixed when its rule no longer finds the same text
 * there. Post-wide habits are judged on the whole revised body, the rest on the part alone.
 */
export async function styleFixOutcome(
  copy: WorkingCopy,
  targets: readonly Section[],
  fix: StyleFix,
): Promise<{ fixed: string[]; remaining: string[] }> {
  const habitsAfter = (await checkStyle(copy.renderBody(), fix.options)).findings.filter((f) => f.postWide).map((f) => f.rule);
  const fixed: string[] = [];
  const remaining: string[] = [];
  for (const section of targets) {
    const before = fix.bySection.get(section.index) ?? [];
    const after = (await checkStyle(copy.content(section), fix.options)).findings.filter((f) => !f.postWide);
    const left = after.map(key);
    for (const finding of before) {
      const index = finding.postWide ? habitsAfter.indexOf(finding.rule) : left.indexOf(key(finding));
      if (index === -1) fixed.push(problemLabel(finding));
      else {
        remaining.push(problemLabel(finding));
        if (finding.postWide) habitsAfter.splice(index, 1);
        else left.splice(index, 1);
      }
    }
  }
  return { fixed, remaining };
}

const key = (f: StyleFinding) => `${f.rule}\u0000${oneLine(f.text).toLowerCase()}`;
