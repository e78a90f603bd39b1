import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Two projects, so the split is visible and `npm run test:fast` needs no build:
 * - fast: everything in-process (commands driven through test/support/run-command.ts);
 * - e2e: test/e2e-*.test.ts, which spawn the built CLI because the process is what they test
 *   (signals, a pty, start-up, exit codes, processes racing).
 */
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Two cores: two workers, each a forked process (node-llama-cpp's native addon wants a real process).
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: 'fast',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, 'test/e2e-*.test.ts'],
          // The in-process files share each worker's loaded modules instead of importing src/ afresh
          // per file (most of their cost was that import). No file may depend on another's state:
          // `--sequence.shuffle` checks it.
          isolate: false,
        },
      },
      {
        extends: true,
        // After the in-process files (vitest runs projects one after the other, by name, otherwise): the
        // fast project's workers then start once, at the beginning, and e2e's short files fill the end.
        test: { name: 'e2e', include: ['test/e2e-*.test.ts'], sequence: { groupOrder: 1 } },
      },
    ],
  },
});
