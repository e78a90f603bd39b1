/** A data file split into its front matter's values and the text after it (see data-file.ts). */
export interface DataFile {
  data: Record<string, unknown>;
  content: string;
}

/** A front-matter string field, or '' when absent. */
export function dataString(data: Record<string, unknown>, key: string): string {
  const value = data[key];
  return typeof value === 'string' || typeof value === 'number' ? String(value).trim() : '';
}
