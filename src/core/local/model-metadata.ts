import type { NodeLlamaCpp } from './load-binding.js';
import { messageOf } from './load-binding.js';
import type { GgufFileEntry } from './models-dir.js';

/** What `draft models list` shows for one file. Fields are absent when the file does not say. */
export interface LocalModelInfo extends GgufFileEntry {
  architecture?: string;
  /** Model name from the file's own metadata. */
  name?: string;
  /** Counted from the tensor shapes, so exact even when the file has no size label. */
  parameters?: number;
  /** e.g. Q4_K_M; from general.file_type, else the tensor type holding most weights. */
  quantization?: string;
  contextLength?: number;
  /** Set when the metadata could not be read (not GGUF, truncated, unreadable). */
  error?: string;
}

// The vocabulary arrays are most of a header's size and nothing here needs them.
const SKIPPED_KEYS = ['tokenizer.ggml.tokens', 'tokenizer.ggml.scores', 'tokenizer.ggml.token_type', 'tokenizer.ggml.merges'];

/** Reads the GGUF header only (a few KB to a few MB); the weights are never loaded. */
export async function readModelMetadata(entry: GgufFileEntry, lib: NodeLlamaCpp): Promise<LocalModelInfo> {
  let info;
  try {
    info = await lib.readGgufFileInfo(entry.path, {
      readTensorInfo: true,
      sourceType: 'filesystem',
      logWarnings: false,
      ignoreKeys: SKIPPED_KEYS,
    });
  } catch (error) {
    return { ...entry, error: messageOf(error) };
  }
  const general = info.metadata.general;
  const tensors = info.fullTensorInfo ?? info.tensorInfo ?? [];
  const result: LocalModelInfo = { ...entry, architecture: String(general.architecture) };
  if (general.name) result.name = String(general.name);
  const contextLength = Number(info.architectureMetadata.context_length);
  if (Number.isFinite(contextLength) && contextLength > 0) result.contextLength = contextLength;
  if (tensors.length > 0) {
    result.parameters = tensors.reduce((sum, t) => sum + t.dimensions.reduce<number>((n, d) => n * Number(d), 1), 0);
  }
  const quantization = fileTypeName(lib, general.file_type) ?? dominantTensorType(lib, tensors);
  if (quantization) result.quantization = quantization;
  return result;
}

function fileTypeName(lib: NodeLlamaCpp, fileType: number | undefined): string | undefined {
  if (fileType === undefined) return undefined;
  const name = lib.GgufFileType[fileType];
  return name ? name.replace(/^MOSTLY_/, '').replace(/^ALL_/, '') : undefined;
}

/** Files written without general.file_type (older converters) still say it through their tensors. */
function dominantTensorType(
  lib: NodeLlamaCpp,
  tensors: readonly { dimensions: readonly (number | bigint)[]; ggmlType: number }[],
): string | undefined {
  const weightByType = new Map<number, number>();
  for (const t of tensors) {
    const elements = t.dimensions.reduce<number>((n, d) => n * Number(d), 1);
    weightByType.set(t.ggmlType, (weightByType.get(t.ggmlType) ?? 0) + elements);
  }
  let best: [number, number] | undefined;
  for (const entry of weightByType) if (!best || entry[1] > best[1]) best = entry;
  return best ? lib.GgmlType[best[0]] : undefined;
}

/** 3_212_749_824 → "3.2B"; 292_800 → "293K". */
export function formatParameters(count: number): string {
  if (count >= 1e9) return `${(count / 1e9).toFixed(1)}B`;
  if (count >= 1e6) return `${(count / 1e6).toFixed(1)}M`;
  if (count >= 1e3) return `${Math.round(count / 1e3)}K`;
  return String(count);
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} B`;
}
