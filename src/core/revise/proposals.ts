import { basename, dirname, join, relative, resolve } from 'node:path';
import { writeNewFile } from '../fs/atomic-write.js';
import { findProjectRoot, stateDir } from '../project-root.js';

/**
 * Proposals (revisions not written because the post changed meanwhile) sit at the root too:
 * `<root>/.draft/proposed/<path of the post>.proposed`, numbered when one is already there. Not
 * `.md`, so no generator renders an unapproved revision as a page.
 */
export async function saveProposalFor(filePath: string, text: string): Promise<string> {
  const path = resolve(filePath);
  const root = await findProjectRoot(dirname(path));
  const rel = relative(root, path);
  return writeNewFile(join(stateDir(root), 'proposed', dirname(rel)), `${basename(rel)}.proposed`, text);
}
