/**
 * The one setting for tests that need a real GGUF model: DRAFT_TEST_MODEL, a path (relative ones
 * are taken from the repository root), defaulting to the 1 MB stories260K model that CI keeps in
 * ../shared/models. A fresh clone has no such folder, so those tests skip, saying why, instead of failing.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { REPO_ROOT } from './cli.js';

export const TEST_MODEL = resolve(REPO_ROOT, process.env.DRAFT_TEST_MODEL || '../shared/models/stories260K.gguf');

const warned = new Set<string>();

/**
 * Why tests that need the model (and, when `needsEngine`, node-llama-cpp) cannot run here, or
 * undefined when they can. The reason is printed once per suite, so a skip is never silent.
 */
export function testModelUnavailable(suite: string, options: { needsEngine?: boolean } = {}): string | undefined {
  let reason: string | undefined;
  if (!existsSync(TEST_MODEL)) reason = `test model not found at ${TEST_MODEL} (set DRAFT_TEST_MODEL to a GGUF file)`;
  else if (options.needsEngine && !existsSync(resolve(REPO_ROOT, 'node_modules', 'node-llama-cpp')))
    reason = 'node-llama-cpp is not installed';
  if (reason) skipping(suite, reason);
  return reason;
}

export function skipping(suite: string, reason: string): void {
  if (warned.has(suite)) return;
  warned.add(suite);
  console.warn(`Skipping ${suite}: ${reason}`);
}
