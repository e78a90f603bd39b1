import { readDataFile } from './data-file.js';
import { type Template, templateFromDataFile } from './render-template.js';

// Rendering lives in render-template.ts, which does not load the YAML parser: a run that uses only the
// built-in templates (read at build time) sends its first request without it.
export * from './render-template.js';

export function parseTemplate(name: string, path: string, text: string): Template {
  return templateFromDataFile(name, path, readDataFile(path, text));
}
