import path from 'node:path';
import type { Llama, LlamaContext, LlamaModel } from 'node-llama-cpp';
import { RunError, UsageError } from '../errors.js';
import type { LocalEngineSettings } from '../provider/types.js';
import { assertGgufFile } from './gguf-file.js';
import { loadNodeLlamaCpp, messageOf, type NodeLlamaCpp } from './load-binding.js';
import { addLlamaLogSink, sharedLlama } from './shared-llama.js';
import { expandHome } from './models-dir.js';
import { resolveThreads } from './threads.js';

/** Enough for an outline or a long section with its brief; the KV cache grows with it. */
export const DEFAULT_CONTEXT_SIZE = 8192;
export const DEFAULT_MAX_SEQUENCES = 2;

export interface OpenedModel {
  lib: NodeLlamaCpp;
  llama: Llama;
  model: LlamaModel;
  context: LlamaContext;
  modelPath: string;
  threads: number;
  /** Tokens each sequence can hold (prompt plus reply). */
  contextSize: number;
  sequences: number;
  /** Model file to ready context, in milliseconds (the binding is loaded once per process). */
  loadMs: number;
  /** Stops routing llama.cpp log lines to this model's debug hook. */
  detachLog(): void;
}

export interface OpenModelOptions {
  debug?(line: string): void;
  /** For tests: simulate node-llama-cpp being absent. */
  importer?: () => Promise<NodeLlamaCpp>;
}

/** Loads node-llama-cpp, the model and one context with a sequence per concurrent request. */
export async function openModel(settings: LocalEngineSettings | undefined, options: OpenModelOptions = {}): Promise<OpenedModel> {
  if (!settings?.modelPath) {
    throw new UsageError('--provider local: no model file given', {
      hint: 'pass --model-path FILE.gguf, set DRAFT_LOCAL_MODEL, or run `draft models pull <name>`',
    });
  }
  const modelPath = path.resolve(expandHome(settings.modelPath));
  const threads = resolveThreads(settings.threads);
  const sequences = positiveInt(settings.maxSequences, DEFAULT_MAX_SEQUENCES, 'local.maxSequences');
  const requestedContext = settings.contextSize === undefined ? undefined : positiveInt(settings.contextSize, 0, 'local.contextSize');
  await assertGgufFile(modelPath);

  const lib = await loadNodeLlamaCpp(options.importer);
  const llama = await sharedLlama(lib);
  const detachLog = addLlamaLogSink(options.debug);
  const started = performance.now();
  let model: LlamaModel | undefined;
  try {
    try {
      model = await llama.loadModel({ modelPath });
    } catch (error) {
      throw new UsageError(`--model-path: llama.cpp could not load ${modelPath}: ${messageOf(error)}`, {
        hint: 'the file may be truncated, or an architecture this node-llama-cpp version does not support',
        cause: error,
      });
    }
    const trained = model.trainContextSize;
    let context: LlamaContext;
    try {
      context = await model.createContext({
        sequences,
        threads,
        // A number is taken as is (and fails if it does not fit in memory); otherwise llama.cpp
        // picks what fits, capped at our default and at what the model was trained on.
        contextSize: requestedContext ?? { max: Math.min(DEFAULT_CONTEXT_SIZE, trained) },
      });
    } catch (error) {
      throw new RunError(`--provider local: cannot create a context for ${path.basename(modelPath)}: ${messageOf(error)}`, {
        hint: 'lower local.contextSize or local.maxSequences, or use a smaller model',
        cause: error,
      });
    }
    const loadMs = performance.now() - started;
    options.debug?.(
      `local model ${path.basename(modelPath)}: loaded in ${loadMs.toFixed(0)} ms, ${threads} threads, ` +
        `${sequences} sequences x ${context.contextSize} tokens (trained on ${trained}), gpu ${llama.gpu || 'none'}`,
    );
    return { lib, llama, model, context, modelPath, threads, contextSize: context.contextSize, sequences, loadMs, detachLog };
  } catch (error) {
    await model?.dispose().catch(() => {});
    detachLog();
    throw error;
  }
}

function positiveInt(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) {
    throw new UsageError(`${name}: must be a whole number of at least 1 (got ${value})`);
  }
  return value;
}
