#!/usr/bin/env node
// dist/cli.js is the esbuild bundle after `npm run build`, or tsc's output after `npx tsc` (both write
// that name, so the last build is the one that runs). Source maps cost a read per file at load, so they
// are turned on only for --debug, whose stack traces then name src/ files and lines.
if (process.argv.includes('--debug')) process.setSourceMapsEnabled(true);
const { main } = await import('../dist/cli.js');

main(process.argv).then((code) => {
  process.exitCode = code;
});
