import { tryLoadNodeLlamaCpp, type NodeLlamaCpp } from './load-binding.js';
import { readModelMetadata, type LocalModelInfo } from './model-metadata.js';
import { listGgufFiles } from './models-dir.js';

export interface ModelListing {
  dir: string;
  /** False when node-llama-cpp is not installed: files are listed with their size only. */
  metadataRead: boolean;
  models: LocalModelInfo[];
}

/** The GGUF files in `dir`, with what their headers say when node-llama-cpp can read them. */
export async function listLocalModels(dir: string, options: { importer?: () => Promise<NodeLlamaCpp> } = {}): Promise<ModelListing> {
  const files = await listGgufFiles(dir);
  if (files.length === 0) return { dir, metadataRead: true, models: [] };
  const lib = await tryLoadNodeLlamaCpp(options.importer);
  if (!lib) return { dir, metadataRead: false, models: files };
  return { dir, metadataRead: true, models: await Promise.all(files.map((f) => readModelMetadata(f, lib))) };
}
