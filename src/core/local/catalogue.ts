/**
 * Models `draft models pull <name>` knows by name: small instruction-tuned models that draft
 * acceptably on a laptop CPU (about 2 GB each at Q4_K_M, a few tokens per second on 4 cores).
 *
 * Provenance of the checksums, honestly:
 * - llama-3.2-3b-instruct: sha256 and size are pinned to one revision of the unsloth repository.
 *   They come from a public project's model catalogue that states it re-hashed the downloaded
 *   file; they were NOT re-verified here (these machines have no access to Hugging Face). Pinning
 *   the revision keeps the URL and the hash describing the same bytes.
 * - qwen2.5-3b-instruct: no published sha256 was found, so none is listed. The download is then
 *   checked against a `<url>.sha256` sidecar when the server has one (a mirror can provide it;
 *   Hugging Face does not) and otherwise reported as unverified.
 */
export interface CatalogueModel {
  /** What the user types: `draft models pull qwen2.5-3b-instruct`. */
  name: string;
  description: string;
  /** Saved under this name in the models folder. */
  fileName: string;
  /** Path on the models base URL (https://huggingface.co unless overridden). */
  path: string;
  sizeBytes?: number;
  /** Rough size for display when the exact size is not known. */
  sizeLabel: string;
  sha256?: string;
  licence: string;
}

export const DEFAULT_MODELS_BASE_URL = 'https://huggingface.co';

export const CATALOGUE: readonly CatalogueModel[] = [
  {
    name: 'qwen2.5-3b-instruct',
    description: 'Qwen2.5 3B Instruct, Q4_K_M: good English prose and reliable JSON for its size; 32K context',
    fileName: 'qwen2.5-3b-instruct-q4_k_m.gguf',
    path: '/Qwen/Qwen2.5-3B-Instruct-GGUF/resolve/main/qwen2.5-3b-instruct-q4_k_m.gguf',
    sizeLabel: 'about 2 GB',
    licence: 'Qwen Research License',
  },
  {
    name: 'llama-3.2-3b-instruct',
    description: 'Llama 3.2 3B Instruct, Q4_K_M: multilingual, 128K context (draft uses 8K by default)',
    fileName: 'Llama-3.2-3B-Instruct-Q4_K_M.gguf',
    path: '/unsloth/Llama-3.2-3B-Instruct-GGUF/resolve/e7d0997e49c9cb00d88b4c1a6a16aa894b0bbc31/Llama-3.2-3B-Instruct-Q4_K_M.gguf',
    sizeBytes: 2_019_377_600,
    sizeLabel: '2.0 GB',
    sha256: '6c99cc00ae910f6a532a80022cb4bc1939094527a089c29294b841c0bd87f74d',
    licence: 'Llama 3.2 Community License',
  },
];

export function findCatalogueModel(name: string): CatalogueModel | undefined {
  const wanted = name.trim().toLowerCase();
  return CATALOGUE.find((m) => m.name === wanted);
}
