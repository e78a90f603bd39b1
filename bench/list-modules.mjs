// Preloaded into a child (`node --import bench/list-modules.mjs ...`): appends every module URL the
// process loads (ES modules through the resolve hook, CommonJS through Module._load) to
// $DRAFT_LIST_MODULES_FILE, one a line. Used by test/startup-modules.test.ts and to see what a command loads.
import { register } from 'node:module';
import Module from 'node:module';
import { appendFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const file = process.env.DRAFT_LIST_MODULES_FILE;
if (file) {
  register('./list-modules-hooks.mjs', import.meta.url, { data: { file } });
  const load = Module._load;
  Module._load = function (...args) {
    const [request, parent, isMain] = args;
    try {
      const resolved = Module._resolveFilename(request, parent, isMain);
      if (!resolved.startsWith('node:') && resolved.includes('/')) appendFileSync(file, `${pathToFileURL(resolved).href}\n`);
    } catch {}
    return load.apply(this, args);
  };
}
