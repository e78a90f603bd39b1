import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import * as z from 'zod';
import { STATE_KEY } from './document/machine-state.js';
import { UsageError } from './errors.js';
import { replaceFile, writeNewFile } from './fs/atomic-write.js';
import { findProjectRoot, stateDir } from './project-root.js';
import type { LogEntry } from './collab/log.js';
import { disclosureChanges } from './site/ai-disclosure.js';
import type { SiteOptions } from './site/site-schema.js';

/**
 * Where a post's own state (log, hashes, usage, sources, brief) is kept: in its front matter under
 * `draft_state` (self-contained, the default), or in a sidecar at the project root,
 * `.draft/state/<path of the post from the root>.json`, so the front matter holds only the site's keys.
 *
 * This file is the one place that decides: every command reads through `readStatePlace` and writes
 * through `stateChanges` + `writePostAndSidecar`.
 *
 * A change to a sidecar post writes two files. The order, and the rule that makes a crash between
 * the two harmless: the sidecar is written first, recording the hash of the post it belongs to
 * (`post`), the hash of the post it replaces (`replaces`) and the history entry holding the sidecar
 * it replaced (`history`); then the post. A reader that finds the post still hashing to `replaces`
 * knows the post write never happened and reads the previous sidecar from that history entry. Any
 * other mismatch is a hand edit, which the section hashes then attribute as usual. State in the front
 * matter always wins over a sidecar (a conversion interrupted half-way leaves both; the front matter's
 * is the one in effect).
 */
export const STATE_MODES = ['front-matter', 'sidecar'] as const;
export type StateMode = (typeof STATE_MODES)[number];

const SidecarFileSchema = z
  .object({
    version: z.literal(1),
    post: z.string(),
    replaces: z.string().nullable().default(null),
    history: z.number().int().positive().nullable().default(null),
    state: z.record(z.string(), z.unknown()),
  })
  .strict();

export interface StatePlace {
  /** Where the state is now; undefined for a post draft has never written. */
  where?: StateMode;
  /** The sidecar this post has or would have. */
  sidecar: string;
  /** The sidecar's exact bytes (absent: none), kept in history so undo restores them. */
  sidecarBytes?: Buffer;
  /** The state as stored in the sidecar (raw, key order kept), when that is where it lives. */
  sidecarState?: Record<string, unknown>;
}

/** `<root>/.draft/state/<path of the post from the root>.json`: never in a content folder. */
export async function sidecarPath(postPath: string): Promise<string> {
  const path = resolve(postPath);
  const root = await findProjectRoot(dirname(path));
  return join(stateDir(root), 'state', `${relative(root, path)}.json`);
}

/** Where `postPath`'s state lives, and the sidecar's state (recovered from history after a crash). */
export async function readStatePlace(postPath: string, postText: string | Buffer, data: Record<string, unknown>): Promise<StatePlace> {
  const sidecar = await sidecarPath(postPath);
  const sidecarBytes = await readFile(sidecar).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return undefined;
    throw new UsageError(`${sidecar}: cannot read the post's state (${error.code})`, { hint: 'check the permissions of .draft/state/' });
  });
  const place: StatePlace = { sidecar, ...(sidecarBytes ? { sidecarBytes } : {}) };
  if (data[STATE_KEY] !== undefined) return { ...place, where: 'front-matter' };
  if (!sidecarBytes) return place;
  const file = parseSidecar(sidecarBytes, sidecar);
  const hash = sha256(postText);
  if (hash !== file.post && hash === file.replaces) {
    // The sidecar was written and the post was not: the state in effect is the one before it.
    const previous = file.history === null ? undefined : await previousSidecar(postPath, file.history);
    return previous ? { ...place, where: 'sidecar', sidecarState: previous.state } : place;
  }
  return { ...place, where: 'sidecar', sidecarState: file.state };
}

/** The sidecar's text for `state`, belonging to the post `postText`. */
export function sidecarText(state: unknown, postText: string, meta: { replaces?: string | Buffer; history?: number } = {}): string {
  const file = {
    version: 1,
    post: sha256(postText),
    replaces: meta.replaces === undefined ? null : sha256(meta.replaces),
    history: meta.history ?? null,
    state,
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}

/**
 * The front-matter changes that store `state` where it belongs (the post's current place, else the
 * site's configured mode), with the AI disclosure kept current from its log; and the state for the
 * sidecar when that is the place.
 */
export function stateChanges(
  place: StatePlace | undefined,
  state: { log?: readonly LogEntry[] } & Record<string, unknown>,
  site: SiteOptions | undefined,
  where: StateMode = place?.where ?? site?.state ?? 'front-matter',
): { changes: Record<string, unknown>; sidecarState?: unknown } {
  const disclosure = disclosureChanges(state.log ?? [], site);
  return where === 'sidecar'
    ? { changes: { ...disclosure, ...(place?.where === 'front-matter' ? { [STATE_KEY]: undefined } : {}) }, sidecarState: state }
    : { changes: { ...disclosure, [STATE_KEY]: state } };
}

export interface PostWrite {
  /** The post as it is now. */
  path: string;
  /** A new name in the same folder (or another folder: Jekyll's `_posts/`). */
  moveTo?: string;
  text: string;
  /** The sidecar's new text; null removes it; undefined leaves it as it is (following a move). */
  sidecar?: string | null;
  /** The sidecar's bytes before (absent: none), put back if the post cannot be written. */
  sidecarBefore?: Buffer;
  /** A move must land on exactly `moveTo` (undoing a rename): refused, nothing changed, if the name is taken. */
  exact?: boolean;
}

/**
 * Writes the sidecar, then the post (see the recovery rule above); a move takes the sidecar along.
 * A post that cannot be written leaves the sidecar as it was. Returns the post's final path.
 */
export async function writePostAndSidecar(write: PostWrite): Promise<string> {
  const target = write.moveTo ?? write.path;
  const oldSidecar = await sidecarPath(write.path);
  let newSidecar = await sidecarPath(target);
  if (typeof write.sidecar === 'string') {
    await mkdir(dirname(newSidecar), { recursive: true });
    await replaceFile(newSidecar, write.sidecar);
  }
  let path = write.path;
  try {
    if (write.moveTo) {
      path = await writeNewFile(dirname(write.moveTo), basename(write.moveTo), write.text);
      if (write.exact && path !== target) {
        await unlink(path).catch(() => undefined);
        throw new UsageError(`cannot move the post back to ${target}: that name appeared meanwhile`, { hint: 'move that file away first' });
      }
      await unlink(write.path);
    } else {
      await replaceFile(write.path, write.text);
    }
  } catch (error) {
    if (typeof write.sidecar === 'string') await putBack(newSidecar, newSidecar === oldSidecar ? write.sidecarBefore : undefined);
    throw error;
  }
  if (path !== target) {
    // The name was taken meanwhile and the post got `-2`: its sidecar follows.
    const actual = await sidecarPath(path);
    if (typeof write.sidecar === 'string') await moveFile(newSidecar, actual);
    newSidecar = actual;
  }
  if (write.sidecar === null) {
    await unlink(oldSidecar).catch(() => undefined);
  } else if (oldSidecar !== newSidecar) {
    if (typeof write.sidecar === 'string') await unlink(oldSidecar).catch(() => undefined);
    else await moveFile(oldSidecar, newSidecar);
  }
  return path;
}

/** The sidecar of a new post, written after it (the post's name is only known once it is written). */
export async function writeNewSidecar(postPath: string, state: unknown, postText: string): Promise<void> {
  const path = await sidecarPath(postPath);
  await mkdir(dirname(path), { recursive: true });
  await replaceFile(path, sidecarText(state, postText));
}

/** Puts the sidecar back as `bytes` (absent: removes it). */
export async function putBack(path: string, bytes: Buffer | undefined): Promise<void> {
  if (bytes) await replaceFile(path, bytes.toString('utf8')).catch(() => undefined);
  else await unlink(path).catch(() => undefined);
}

/** The state snapshot a history entry keeps: `NNNN.state.snapshot` beside `NNNN.snapshot`. */
export function stateSnapshotName(id: number): string {
  return `${String(id).padStart(4, '0')}.state.snapshot`;
}

async function previousSidecar(postPath: string, history: number): Promise<z.infer<typeof SidecarFileSchema> | undefined> {
  const { historyDir } = await import('./revise/history-store.js');
  const bytes = await readFile(join(await historyDir(postPath), stateSnapshotName(history))).catch(() => undefined);
  if (!bytes) return undefined;
  try {
    return parseSidecar(bytes, 'history');
  } catch {
    return undefined;
  }
}

function parseSidecar(bytes: Buffer, path: string): z.infer<typeof SidecarFileSchema> {
  let raw: unknown;
  try {
    raw = JSON.parse(bytes.toString('utf8'));
  } catch {
    raw = undefined;
  }
  const parsed = SidecarFileSchema.safeParse(raw);
  if (!parsed.success) {
    // Rewriting it would throw away the post's collaboration log.
    throw new UsageError(`${path}: this state sidecar is not in the form draft writes`, {
      hint: `fix it by hand (see \`draft history\` for an earlier version of the post), or delete it to start a new log`,
      code: 'state-damaged',
    });
  }
  return parsed.data;
}

async function moveFile(from: string, to: string): Promise<void> {
  await mkdir(dirname(to), { recursive: true });
  await rename(from, to).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });
}

function sha256(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}
