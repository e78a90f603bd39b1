import { ProviderError } from '../errors.js';

export type NodeLlamaCpp = typeof import('node-llama-cpp');

/** The version this project measured and tests against; the install hint names it exactly. */
export const NODE_LLAMA_CPP_VERSION = '3.21.1';

export const INSTALL_HINT =
  `install the local engine next to draft: \`npm install -g node-llama-cpp@${NODE_LLAMA_CPP_VERSION}\` ` +
  `when draft is installed globally, or \`npm install node-llama-cpp@${NODE_LLAMA_CPP_VERSION}\` in the project that depends on draft-cli`;

type Importer = () => Promise<NodeLlamaCpp>;

const defaultImporter: Importer = () => import('node-llama-cpp');

/**
 * node-llama-cpp is an optional peer (~730 MB with every GPU variant), so it is imported only
 * when the local engine is actually used. `importer` exists so tests can simulate its absence.
 */
export async function loadNodeLlamaCpp(importer: Importer = defaultImporter): Promise<NodeLlamaCpp> {
  try {
    return await importer();
  } catch (error) {
    if (isModuleNotFound(error)) {
      throw new ProviderError('not-installed', '--provider local: node-llama-cpp is not installed', {
        hint: INSTALL_HINT,
        cause: error,
      });
    }
    throw new ProviderError('not-installed', `--provider local: node-llama-cpp failed to load: ${messageOf(error)}`, {
      hint: `reinstall it: ${INSTALL_HINT}`,
      cause: error,
    });
  }
}

/** Like loadNodeLlamaCpp, but undefined when the package is simply absent (for listings that can do without it). */
export async function tryLoadNodeLlamaCpp(importer: Importer = defaultImporter): Promise<NodeLlamaCpp | undefined> {
  try {
    return await importer();
  } catch (error) {
    if (isModuleNotFound(error)) return undefined;
    throw error;
  }
}

function isModuleNotFound(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0]! : String(error);
}
