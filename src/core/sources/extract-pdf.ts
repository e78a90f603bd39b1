/**
 * A PDF's text, page by page. unpdf bundles a serverless build of Mozilla's pdf.js (no canvas, no
 * worker, no native code) and is loaded only when a PDF source is given; 1.7 is its last release
 * whose engines accept Node 20.
 */
export async function pdfToText(bytes: Uint8Array): Promise<{ title: string; text: string }> {
  const { extractText, getDocumentProxy, getMeta } = await import('unpdf');
  const pdf = await getDocumentProxy(new Uint8Array(bytes));
  const [{ text }, meta] = await Promise.all([extractText(pdf, { mergePages: false }), getMeta(pdf).catch(() => undefined)]);
  const info = (meta?.info ?? {}) as { Title?: unknown };
  const pages = (Array.isArray(text) ? text : [text]).map((page) => page.replace(/[ \t]+\n/g, '\n').trim());
  return { title: typeof info.Title === 'string' ? info.Title.trim() : '', text: pages.filter(Boolean).join('\n\n') };
}
