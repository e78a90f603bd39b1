import type { BriefLink } from '../brief.js';
import { findSections, type Section } from '../document/sections.js';
import { UsageError } from '../errors.js';
import { placeNewSection, type Placement } from './add-section.js';
import type { FocusPreset } from './focus-presets.js';
import type { LoadedPost } from './post.js';
import type { StyleFix } from '../style/fix-style.js';

/** What the editor asked for in one `draft revise` run. */
export interface RevisionRequest {
  focus?: FocusPreset;
  instruction?: string;
  /** `--section` queries, as typed. */
  sections: string[];
  /** Keywords to feature in the proposals (with --keyword). */
  title?: { count: number; rename: boolean; keywords?: string[] };
  addSection?: { heading: string; after?: string };
  link?: BriefLink;
  seo?: { keywords: string[] };
  /** The editor's name for the log. */
  author?: string;
  /** `--fix-style`: only the parts with style problems are revised, each told its own problems. */
  styleFix?: { targets: Section[]; fix: StyleFix };
  /** `draft chat`: the editor's words, verbatim, and the steps the checked plan made of them (logged first). */
  said?: { words: string; steps: string[] };
}

/** The request resolved against the post, before anything is sent. */
export interface RevisionPlan {
  request: RevisionRequest;
  /** Parts whose text is revised with the focus/instruction (empty when none are). */
  targets: Section[];
  /** Every part was targeted (no --section). */
  allSections: boolean;
  /** Where --add-section goes. */
  placement?: Placement;
  /** The part the link goes in (`draft chat` may name it); else the most relevant one is chosen. */
  linkTarget?: Section;
}

/**
 * Sections are revised when --section names them, or when --focus/--instruction are the whole
 * request (then every part is). Alongside --title, --add-section, --link or --seo, a focus or an
 * instruction guides those requests instead of rewriting every section. Every usage problem (an
 * unknown heading, nothing to do, nothing to revise) surfaces here, before the model is called.
 */
export function planRevision(post: LoadedPost, request: RevisionRequest): RevisionPlan {
  const { structure, label } = post;
  const other = Boolean(request.title || request.addSection || request.link || request.seo);
  const guided = Boolean(request.focus || request.instruction || request.styleFix);
  if (!other && !guided) {
    if (request.sections.length > 0) {
      throw new UsageError('--section says where, but not what to change', {
        hint: 'add --focus NAME or --instruction "..." (see `draft focus list`)',
      });
    }
    throw new UsageError('nothing to revise: no request given', {
      hint: 'pass --focus, --instruction, --title, --add-section, --link or --seo (see `draft revise --help`)',
    });
  }
  if (structure.sections.length === 0 && !request.addSection) {
    throw new UsageError(`${label}: the post has no text to revise after its front matter`, {
      hint: 'write something in it first, or use --add-section',
    });
  }
  const explicit = request.sections.length > 0;
  if (explicit && !guided) {
    throw new UsageError('--section needs --focus or --instruction to say how to revise it', {
      hint: 'e.g. --section "The Market Fallout" --instruction "add market analysis"',
    });
  }
  const targets = request.styleFix
    ? request.styleFix.targets
    : explicit
      ? findSections(structure, request.sections, label)
      : !other
        ? [...structure.sections]
        : [];
  const plan: RevisionPlan = { request, targets, allSections: !explicit && targets.length > 0 };
  if (request.addSection) plan.placement = placeNewSection(post, request.addSection.heading, request.addSection.after);
  return plan;
}
