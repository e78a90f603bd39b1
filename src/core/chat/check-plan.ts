import { findSections } from '../document/section-names.js';
import type { Section } from '../document/sections.js';
import { DraftError, UsageError } from '../errors.js';
import type { FocusPreset } from '../revise/focus-presets.js';
import { planRevision, type RevisionPlan, type RevisionRequest } from '../revise/plan.js';
import type { LoadedPost } from '../revise/post.js';
import { DEFAULT_TITLE_COUNT } from '../defaults.js';
import type { PlannedOperation } from './plan-turn.js';

/** A plan whose every argument was found in the post, as revise's own plan, with one line per step. */
export interface CheckedPlan {
  plan: RevisionPlan;
  steps: string[];
}

/**
 * Checks every argument of the model's plan against the post and the presets (headings exist, URLs
 * are http(s), focus presets exist, one link and one new section per turn) and builds the same
 * RevisionPlan `draft revise` would from flags. Every problem is reported at once, before anything
 * is sent for revision: a plan is data from the model, never trusted to name real things.
 */
export function checkPlan(
  post: LoadedPost,
  operations: readonly PlannedOperation[],
  options: { presets: readonly FocusPreset[]; storedKeywords: readonly string[]; author?: string },
): CheckedPlan {
  const problems: string[] = [];
  const steps: string[] = [];
  const request: RevisionRequest = { sections: [], ...(options.author ? { author: options.author } : {}) };
  const { structure, label } = post;
  const heading = (query: string, role: string): Section | undefined => {
    try {
      return findSections(structure, [query], label)[0];
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      problems.push(`${role} “${query}” is not a heading of ${label}`);
      return undefined;
    }
  };

  let revise: { focus?: FocusPreset; instructions: string[]; sections: string[]; every: boolean } | undefined;
  let linkTarget: Section | undefined;
  for (const op of operations) {
    switch (op.op) {
      case 'revise': {
        let focus: FocusPreset | undefined;
        if (op.focus) {
          focus = options.presets.find((p) => p.name.toLowerCase() === op.focus!.toLowerCase());
          const known = options.presets.map((p) => p.name).join(', ') || 'none';
          if (!focus) problems.push(`the focus “${op.focus}” is not a preset (known: ${known})`);
        }
        if (!op.focus && !op.instruction) problems.push('a revision needs a focus or an instruction');
        const found = op.sections.map((s) => heading(s, 'the section')).filter((s): s is Section => s !== undefined);
        revise ??= { instructions: [], sections: [], every: false };
        if (focus && revise.focus && revise.focus.name !== focus.name) {
          problems.push(`two focus presets in one turn (${revise.focus.name} and ${focus.name}); say one, then the other`);
        }
        revise.focus ??= focus;
        if (op.instruction && !revise.instructions.includes(op.instruction)) revise.instructions.push(op.instruction);
        if (op.sections.length === 0) revise.every = true;
        for (const s of found) if (!revise.sections.includes(nameOf(s))) revise.sections.push(nameOf(s));
        break;
      }
      case 'title':
        if (request.title) break;
        request.title = { count: DEFAULT_TITLE_COUNT, rename: false, keywords: op.keywords };
        steps.push(
          `propose ${DEFAULT_TITLE_COUNT} titles${op.keywords.length ? ` featuring ${op.keywords.join(', ')}` : ''}, to pick from`,
        );
        break;
      case 'link': {
        if (request.link) {
          problems.push('more than one link in one turn; ask for one link at a time');
          break;
        }
        const url = httpUrl(op.url);
        if (!url) problems.push(op.url ? `the link URL “${op.url}” is not an http(s) URL` : 'the link has no URL');
        if (!op.linkTitle) problems.push('the link has no title');
        const target = op.section ? heading(op.section, 'the link’s section') : undefined;
        if (url && op.linkTitle) {
          request.link = { title: op.linkTitle, url };
          linkTarget = target;
          steps.push(`link “${op.linkTitle}” (${url}) in ${target ? `“${nameOf(target)}”` : 'the most relevant section'}`);
        }
        break;
      }
      case 'seo': {
        const keywords = op.keywords.length ? op.keywords : [...options.storedKeywords];
        request.seo = { keywords: [...new Set([...(request.seo?.keywords ?? []), ...keywords])] };
        break;
      }
      case 'add-section': {
        if (request.addSection) {
          problems.push('more than one new section in one turn; ask for one at a time');
          break;
        }
        if (!op.heading) {
          problems.push('the new section has no heading');
          break;
        }
        const after = op.after ? heading(op.after, 'the section to add after') : undefined;
        if (op.after && !after) break;
        request.addSection = { heading: op.heading, ...(after ? { after: nameOf(after) } : {}) };
        steps.push(`add the section “${op.heading}”${after ? ` after “${nameOf(after)}”` : ''}`);
        break;
      }
    }
  }
  if (request.seo)
    steps.push(
      `SEO${request.seo.keywords.length ? ` for ${request.seo.keywords.join(', ')}` : ' (no keywords given or in the front matter)'}`,
    );

  if (revise) {
    if (revise.focus) request.focus = revise.focus;
    if (revise.instructions.length) request.instruction = revise.instructions.join('; ');
    // "Every part" wins over a list: the editor asked for the whole post somewhere in the sentence.
    if (!revise.every) request.sections = revise.sections;
  }
  if (problems.length > 0) throw refused(label, problems);

  let plan: RevisionPlan;
  try {
    plan = planRevision(post, request);
  } catch (error) {
    if (error instanceof DraftError) throw refused(label, [error.message]);
    throw error;
  }
  if (revise?.every && plan.targets.length === 0) {
    // revise's flags make a focus beside --title/--link/--seo only guide them; in a plan it was asked
    // for as a revision of every part, so every part is its target.
    plan = { ...plan, targets: [...structure.sections], allSections: true };
  }
  if (linkTarget) plan.linkTarget = linkTarget;
  if (plan.targets.length > 0) steps.unshift(describeRevision(plan));
  return { plan, steps };
}

function describeRevision(plan: RevisionPlan): string {
  const { request, targets } = plan;
  const what = plan.allSections
    ? `every part (${targets.length})`
    : targets.map((s) => (s.heading === null ? 'the introduction' : `“${s.heading}”`)).join(', ');
  const how = [
    request.focus ? `the ${request.focus.name} focus` : '',
    request.instruction ? `the instruction “${request.instruction}”` : '',
  ]
    .filter(Boolean)
    .join(' and ');
  return `revise ${what} with ${how}`;
}

function nameOf(section: Section): string {
  return section.heading ?? 'introduction';
}

function httpUrl(value: string | null): string | undefined {
  if (!value) return undefined;
  try {
    const url = new URL(value.trim());
    return url.protocol === 'http:' || url.protocol === 'https:' ? value.trim() : undefined;
  } catch {
    return undefined;
  }
}

function refused(label: string, problems: string[]): UsageError {
  return new UsageError(`the plan for ${label} was refused before anything was revised: ${problems.join('; ')}`, {
    hint:
      'say it again naming a heading as it appears in the post (`draft history` and the plan show them), ' +
      'a focus from `draft focus list`, or a full http(s) URL',
    code: 'plan-refused',
  });
}
