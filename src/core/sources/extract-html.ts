/**
 * A web page's main text as Markdown. linkedom builds the DOM (it has no script engine, so nothing on
 * the page runs, and it is a fraction of jsdom's size and start-up); Readability finds the article
 * among the navigation, ads and comments; turndown with its GFM plugin writes Markdown, tables
 * included, so figures in a table survive as text.
 */
export async function htmlToMarkdown(html: string, url: string): Promise<{ title: string; markdown: string }> {
  const [{ parseHTML }, { Readability }, { default: TurndownService }, gfm] = await Promise.all([
    import('linkedom'),
    import('@mozilla/readability'),
    import('turndown'),
    import('turndown-plugin-gfm'),
  ]);
  const { document } = parseHTML(html);
  for (const node of document.querySelectorAll('script, style, noscript, template, iframe, object, embed')) node.remove();
  // Readability scores text density, and on a short article a cookie banner or a "most read" box can win a
  // place; page furniture that is never the article goes first.
  for (const node of document.querySelectorAll(
    'nav, footer, aside, form, body > header, [class*="cookie" i], [id*="cookie" i], [class*="newsletter" i], [aria-hidden="true"]',
  ))
    node.remove();
  const fallbackTitle = document.querySelector('title')?.textContent?.trim() ?? '';
  // Readability edits the document it is given; relative links are resolved against the page URL.
  const baseHref = url;
  const article = new Readability(document as unknown as ConstructorParameters<typeof Readability>[0], { keepClasses: false }).parse();
  const contentHtml = article?.content ?? document.body?.innerHTML ?? '';
  const turndown = new TurndownService({ headingStyle: 'atx', codeBlockStyle: 'fenced', bulletListMarker: '-' });
  turndown.use(gfm.gfm);
  turndown.remove(['script', 'style', 'noscript', 'iframe']);
  const markdown = turndown
    .turndown(contentHtml)
    .replace(/\]\((\/[^)\s]*)\)/g, (_m, path: string) => `](${new URL(path, baseHref).href})`)
    .trim();
  return { title: (article?.title ?? '').trim() || fallbackTitle, markdown };
}
