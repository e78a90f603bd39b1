import { basename, dirname, extname, join, relative, resolve, sep } from 'node:path';
import type { LogEvent } from '../collab/log.js';
import { renderNotes } from '../collab/notes.js';
import type { LoadedConfig } from '../config.js';
import { renderSource, setFrontMatterKeys } from '../document/front-matter.js';
import { storedStateValue } from '../document/machine-state.js';
import { stateChanges } from '../state-store.js';
import { disclosureChanges } from './ai-disclosure.js';
import { siteOptions } from './site-schema.js';
import { findNotesBlock, notesStyleForPath, upsertNotesBlock } from '../document/notes-block.js';
import { stringField, type LoadedPost } from '../revise/post.js';
import { existingNotesHeading } from '../revise/stored-state.js';
import { fileNameFor } from '../slug.js';

export interface PublishPlan {
  text: string;
  /** The new state when it lives in a sidecar (state-store.ts). */
  sidecarState?: unknown;
  /** Where the post goes; its own path unless the site publishes by moving it (Jekyll `_posts/`). */
  path: string;
  summary: string[];
}

/**
 * The published post: the draft marker flipped the generator's way, the date set if asked, and a
 * `published` event at the end of the log with the notes regenerated from it. Only those keys change.
 */
export function planPublish(
  post: LoadedPost,
  loaded: LoadedConfig,
  options: { now: Date; dateNow: boolean; editor?: string; stripState?: boolean },
): PublishPlan {
  const cfg = loaded.config;
  const data = post.src.data;
  const marker = cfg.frontMatter?.draft ?? (cfg.publish ? 'drafts-folder' : 'draft-key');
  const dateKey = cfg.frontMatter?.dateKey ?? 'date';
  const changes: Record<string, unknown> = {};
  const summary: string[] = [];
  if (data.draft === true || (marker === 'draft-key' && data.draft !== false)) {
    // Jekyll reads no `draft` key, so there it is removed rather than set to false.
    changes.draft = marker === 'draft-key' ? false : undefined;
    summary.push(marker === 'draft-key' ? 'draft: false' : 'draft key removed');
  }
  if (data.published === false) {
    changes.published = undefined;
    summary.push('published: false removed');
  }
  const stamp = options.now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  if (options.dateNow) {
    changes[dateKey] = stamp;
    summary.push(`${dateKey}: ${stamp}`);
  }
  const date = options.dateNow ? stamp : (dateText(data[dateKey]) ?? stamp);
  const path = marker === 'drafts-folder' && cfg.publish ? publishedPath(post, loaded, date) : post.path;
  if (path !== post.path) summary.push(`moved to ${relative(dirname(post.path), path)}`);

  let body = post.src.body;
  const site = siteOptions(cfg);
  let sidecarState: unknown;
  if (!post.state) Object.assign(changes, disclosureChanges([], site));
  if (post.state) {
    const event: LogEvent = {
      at: options.now.toISOString(),
      actor: 'editor',
      ...(options.editor ? { name: options.editor } : {}),
      action: 'published',
      details: { file: basename(path), ...(options.dateNow ? { date: stamp } : {}) },
    } as LogEvent;
    const stored = storedStateValue(data, post.place?.sidecarState) as Record<string, unknown>;
    const log = [...(Array.isArray(stored.log) ? stored.log : post.state.log), event];
    // --strip-state moves the state to a sidecar; otherwise it stays where it is (state-store.ts).
    const placed = stateChanges(post.place, { ...stored, log }, site, options.stripState ? 'sidecar' : undefined);
    Object.assign(changes, placed.changes);
    sidecarState = placed.sidecarState;
    if (options.stripState && post.place?.where !== 'sidecar') summary.push('state moved to a sidecar');
    if (findNotesBlock(body)) {
      body = upsertNotesBlock(
        body,
        renderNotes([...post.state.log, event], existingNotesHeading(body)),
        post.src.eol,
        notesStyleForPath(path),
      );
    }
  }
  const raw = setFrontMatterKeys(post.src, changes, post.label);
  return { text: renderSource(post.src, raw, body), path, summary, ...(sidecarState !== undefined ? { sidecarState } : {}) };
}

function publishedPath(post: LoadedPost, loaded: LoadedConfig, date: string): string {
  const publish = loaded.config.publish!;
  const root = loaded.path ? dirname(loaded.path) : dirname(post.path);
  const stem = basename(post.path, extname(post.path)).replace(/^\d{4}-\d{2}-\d{2}-/, '');
  const slug = stringField(post.src.data, 'slug') ?? stem;
  return join(resolve(root, publish.outDir), fileNameFor(publish.fileName, { slug, date: date.slice(0, 10) }));
}

function dateText(value: unknown): string | undefined {
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString();
  return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value) ? value : undefined;
}

/** Places where the generator would silently skip the post. */
export function siteWarnings(path: string, loaded: LoadedConfig): string[] {
  const warnings: string[] = [];
  const parts = path.split(sep);
  const name = basename(path);
  if (parts.includes('_posts') && !/^\d{4}-\d{2}-\d{2}-/.test(name)) {
    warnings.push(`${name}: Jekyll drops a _posts file whose name does not start with a date (YYYY-MM-DD-)`);
  }
  const cfg = loaded.config;
  if (cfg.generator === 'hugo' && loaded.path) {
    const inside = relative(resolve(dirname(loaded.path), 'content'), path);
    if (inside.startsWith('..')) warnings.push(`${name}: Hugo only builds pages under content/`);
  }
  return warnings;
}
