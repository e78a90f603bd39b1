import type { Llama } from 'node-llama-cpp';
import { ProviderError } from '../errors.js';
import { messageOf, type NodeLlamaCpp } from './load-binding.js';

/**
 * One llama.cpp binding per process, kept for the life of the process (node-llama-cpp disposes it
 * on exit). Models and contexts are still loaded and freed per provider. Sharing matters: after a
 * Llama instance is disposed, a new one's native log lines bypass its logger and land on stderr,
 * and each new instance costs ~400 ms.
 */
let shared: Promise<Llama> | undefined;
const sinks = new Set<(line: string) => void>();

export function sharedLlama(lib: NodeLlamaCpp): Promise<Llama> {
  if (!shared) {
    shared = createLlama(lib).catch((error: unknown) => {
      shared = undefined;
      throw error;
    });
  }
  return shared.then((llama) => {
    if (!llama.disposed) return llama;
    shared = undefined;
    return sharedLlama(lib);
  });
}

/** Routes llama.cpp's own log lines (warnings and worse) to a --debug sink; returns the remover. */
export function addLlamaLogSink(sink: ((line: string) => void) | undefined): () => void {
  if (!sink) return () => {};
  sinks.add(sink);
  return () => sinks.delete(sink);
}

async function createLlama(lib: NodeLlamaCpp): Promise<Llama> {
  try {
    return await lib.getLlama({
      // Never compile llama.cpp behind the user's back: without a usable prebuilt binary,
      // building from source takes minutes and a C++ toolchain. Say so instead.
      build: 'never',
      progressLogs: false,
      // Each context sets its own thread count; no cap here.
      maxThreads: 0,
      logLevel: lib.LlamaLogLevel.warn,
      logger: (level, message) => {
        const line = `llama.cpp ${level}: ${message.trim()}`;
        for (const sink of sinks) sink(line);
      },
    });
  } catch (error) {
    throw new ProviderError(
      'not-installed',
      `--provider local: node-llama-cpp has no working llama.cpp binary for ${process.platform}-${process.arch}: ${messageOf(error)}`,
      { hint: 'reinstall node-llama-cpp, or build one with `npx --no node-llama-cpp source download`', cause: error },
    );
  }
}
