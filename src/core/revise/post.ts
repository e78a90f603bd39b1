import { createHash } from 'node:crypto';
import { basename, extname } from 'node:path';
import { parseSource, type SourceFile } from '../document/front-matter.js';
import { STATE_KEY, type MachineState } from '../document/machine-state.js';
import { parseBody, type BodyStructure, type Section } from '../document/sections.js';
import { UsageError } from '../errors.js';
import { readTextFile } from '../fs/read-text.js';
import { readMachineState } from '../document/machine-state.js';
import { readStatePlace, type StatePlace } from '../state-store.js';

/** A post as read from disk, with everything a revision needs to splice by offsets. */
export interface LoadedPost {
  path: string;
  /** How the user named the file (for messages). */
  label: string;
  /** The exact text read (BOM and line endings included). */
  text: string;
  /** Hash of the exact bytes, to notice a change on disk before writing. */
  fingerprint: string;
  src: SourceFile;
  structure: BodyStructure;
  /** The tool's state, or undefined for a post it has never written. */
  state?: MachineState;
  /** Where the state lives (front matter or sidecar), with the sidecar's bytes: see state-store.ts. */
  place?: StatePlace;
}

export async function loadPost(path: string, label: string): Promise<LoadedPost> {
  let text: string;
  try {
    text = await readTextFile(path);
  } catch (error) {
    // Name the file as the user typed it, not by its absolute path.
    if (error instanceof UsageError && path !== label) {
      throw new UsageError(error.message.split(path).join(label), { hint: error.hint, cause: error });
    }
    throw error;
  }
  const src = parseSource(text, label);
  return postFromText(path, label, text, await readStatePlace(path, text, src.data), src);
}

/** `src`, when given, is `parseSource(text, label)` already read (the front matter is parsed once). */
export function postFromText(path: string, label: string, text: string, place?: StatePlace, src = parseSource(text, label)): LoadedPost {
  const structure = parseBody(src.body);
  const state = readMachineState(src.data, place?.sidecarState);
  if (!state && src.data[STATE_KEY] !== undefined) {
    // Rewriting it would throw away the post's collaboration log.
    throw new UsageError(`${label}: the ${STATE_KEY} front matter key is not in the form draft writes`, {
      hint: `fix it by hand (see \`draft history\` for an earlier version), or remove the ${STATE_KEY} key to start a new log`,
    });
  }
  if (!state && place?.sidecarState !== undefined) {
    throw new UsageError(`${place.sidecar}: the state of ${label} is not in the form draft writes`, {
      hint: `fix it by hand, or delete it to start a new log`,
    });
  }
  return { path, label, text, fingerprint: fingerprintOf(text), src, structure, ...(state ? { state } : {}), ...(place ? { place } : {}) };
}

export function fingerprintOf(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The title a reader sees: the front matter's, else the H1, else the file name. */
export function postTitle(post: LoadedPost): string {
  const fromData = post.src.data.title;
  if (typeof fromData === 'string' && fromData.trim()) return fromData.trim();
  if (post.structure.title) return post.structure.title.text;
  return basename(post.path, extname(post.path));
}

/** A section's text without its heading, line endings normalised, outer blank lines removed. */
export function sectionContent(body: string, section: Section): string {
  return body.slice(section.contentStart, section.end).replace(/\r\n/g, '\n').trim();
}

export function headingMarker(depth: number): string {
  return '#'.repeat(Math.max(1, Math.min(6, depth)));
}

export function stringField(data: Record<string, unknown>, key: string): string | undefined {
  const value = data[key];
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

/** The post's own `keywords` list (the default for --seo and --title keywords). */
export function storedKeywords(data: Record<string, unknown>): string[] {
  const keywords = data.keywords;
  return Array.isArray(keywords) ? keywords.filter((k): k is string => typeof k === 'string' && k.trim() !== '') : [];
}
