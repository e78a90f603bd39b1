/**
 * The one setting for tests that need a real GGUF model: DRAFT_TEST_MODEL, a path (relative ones
 * are taken from the repository root), defaulting to the 1 MB stories260K model that CI keeps in
 * ../shared/models. A fresh clone has no such folder, so those tests skip, saying why, instead of failing.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadNodeLlamaCpp } from '../../src/core/local/load-binding.js';
import { sharedLlama } from '../../src/core/local/shared-llama.js';
import type { LocalEngineSettings, ProviderSettings } from '../../src/core/provider/types.js';
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

/**
 * Why local inference cannot run here (no model, or node-llama-cpp will not load), or undefined when
 * it can. Loads the same process-wide binding the provider uses (a disposed one would spoil its logging).
 */
export async function localEngineUnavailable(suite: string): Promise<string | undefined> {
  const missing = testModelUnavailable(suite);
  if (missing) return missing;
  try {
    await sharedLlama(await loadNodeLlamaCpp());
    return undefined;
  } catch (error) {
    const reason = `node-llama-cpp cannot load: ${error instanceof Error ? error.message : String(error)}`;
    skipping(suite, reason);
    return reason;
  }
}

/** Provider settings for the test model, with no retries. */
export function localSettings(local: Partial<LocalEngineSettings> = {}, timeoutMs = 20_000): ProviderSettings {
  return {
    provider: 'local',
    baseURL: '',
    model: 'stories260K.gguf',
    timeoutMs,
    maxRetries: 0,
    retryAfterCapMs: 0,
    backoffBaseMs: 0,
    // One thread: on 2 shared cores a second llama.cpp thread spins against the other test workers.
    local: { modelPath: TEST_MODEL, threads: 1, contextSize: 2048, ...local },
  };
}
