/**
 * The construct and reference checks on their own: what counts as lost or broken, and what does not
 * (a reply that keeps everything, prose with `a < b`, autolinks, a reworded image alt text).
 */
import { describe, expect, it } from 'vitest';
import { constructProblems } from '../src/core/revise/construct-check.js';
import { brokenReferences } from '../src/core/revise/reference-check.js';

const MDX = `import Chart from '../components/Chart.jsx'

Prices fell, see <Chart data={{ series: [1, 2] }} height={300} /> below.

<Callout type="warn">

Margins are **thin**.

</Callout>

![Nvidia's share price](/img/nvda.png) and <span class="x">a span</span>, a < b, <https://example.com>.

<div class="note">
  Raw HTML block.
</div>

<!-- more -->

{% include "chart.html" %} and {{ page.title }} and {{% notice info %}}Hi{{% /notice %}}.

Cost was low.[^1]
`;

describe('constructProblems', () => {
  it('a reply that keeps every construct, with the prose and an alt text reworded, is fine', async () => {
    const reply = MDX.replace('Prices fell', 'Prices fell sharply')
      .replace('Margins are **thin**.', 'Margins are *very* thin.')
      .replace("Nvidia's share price", 'The share price')
      .replace('Raw HTML block.', 'Raw   HTML block.');
    expect(await constructProblems(MDX, reply)).toEqual([]);
  });

  const lost: [string, (t: string) => string, string][] = [
    [
      'an MDX import',
      (t) => t.replace("import Chart from '../components/Chart.jsx'\n\n", ''),
      "dropped the MDX line `import Chart from '../components/Chart.jsx'`",
    ],
    [
      'a JSX element with braces in its props',
      (t) => t.replace(/<Chart[^\n]*\/>/, 'the chart'),
      'dropped the JSX element `<Chart data={{ series: [1, 2] }} height={300} />`',
    ],
    [
      'an image',
      (t) => t.replace("![Nvidia's share price](/img/nvda.png)", 'a chart'),
      "dropped the image `![Nvidia's share price](/img/nvda.png)`",
    ],
    [
      'an HTML block',
      (t) => t.replace(/<div class="note">[\s\S]*?<\/div>\n/, ''),
      'dropped the HTML `<div class="note"> Raw HTML block. </div>`',
    ],
    ['an HTML comment', (t) => t.replace('<!-- more -->\n', ''), 'dropped the HTML `<!-- more -->`'],
    [
      'a Liquid include',
      (t) => t.replace('{% include "chart.html" %}', 'the chart'),
      'dropped the template tag `{% include "chart.html" %}`',
    ],
    ['a footnote reference', (t) => t.replace('[^1]', ''), 'dropped the footnote reference `[^1]`'],
  ];
  for (const [name, change, problem] of lost) {
    it(`names ${name} that was dropped`, async () => {
      expect(await constructProblems(MDX, change(MDX))).toContain(problem);
    });
  }

  it('an unclosed JSX element, code fence, shortcode and Liquid tag are each named', async () => {
    const original =
      'Text.\n\n<Tabs>\n\n<Tab>One</Tab>\n\n</Tabs>\n\n```js\nlet a = 1;\n```\n\n{{< note >}}Hi{{< /note >}} {% if x %}y{% endif %}\n';
    const reply =
      'Text.\n\n<Tabs>\n\n<Tab>One</Tab>\n\n{{< note >}}Hi{{< /note >}} {{< oops {% if x %}y{% endif %} {% x\n\n```js\nlet a = 1;\n';
    const problems = await constructProblems(original, reply);
    expect(problems).toContain('dropped the JSX element `</Tabs>`');
    expect(problems).toContain('left <Tabs> unbalanced (1 opened, 0 closed; the original had 1 and 1)');
    expect(problems).toContain('left a ``` code fence unclosed');
    expect(problems).toContain('left `{{<` … `>}}` unbalanced (3 opened, 2 closed; the original had 2 and 2)');
    expect(problems).toContain('left `{%` … `%}` unbalanced (3 opened, 2 closed; the original had 2 and 2)');
  });

  it('code content must match exactly; a construct used twice must stay twice', async () => {
    const original = '```sh\nnpm test\n```\n\n{{< br >}} and {{< br >}}\n';
    const problems = await constructProblems(original, '```sh\nnpm  test\n```\n\n{{< br >}}\n');
    expect(problems).toEqual(['dropped the code block ```sh starting “npm test”', 'dropped the Hugo shortcode `{{< br >}}`']);
  });

  it('an instruction naming a kind allows dropping that kind only', async () => {
    const original = '![A](/a.png)\n\n```js\nx()\n```\n';
    expect(await constructProblems(original, 'Just text.', { instruction: 'Remove the image' })).toEqual([
      'dropped the code block ```js starting “x()”',
    ]);
  });

  it('a definition may go when nothing uses it, not when the reply or another part does', async () => {
    const original = 'See [R1][r1].\n\n[r1]: https://example.com/r1\n[spare]: https://example.com/spare\n';
    expect(await constructProblems(original, 'See [R1](https://example.com/r1).')).toEqual([]);
    expect(await constructProblems(original, 'See [R1][r1].')).toEqual(['dropped the definition of [r1]']);
    expect(await constructProblems(original, 'See R1.', { labelsUsedElsewhere: new Set(['spare']) })).toEqual([
      'dropped the definition of [spare]',
    ]);
  });
});

describe('brokenReferences', () => {
  const before =
    'Intro [the filing][SEC  Filing], [R1][] and [Nvidia] and a note.[^n]\n\n' +
    '[sec filing]: https://a\n[r1]: https://b\n[nvidia]: https://c\n[^n]: Note.\n';

  it('every form of reference whose definition went is listed, labels matched case-insensitively with whitespace collapsed', async () => {
    const after = before.replace(/\n\[sec filing\].*\n\[r1\].*\n\[nvidia\].*\n\[\^n\].*\n/, '\n');
    const broken = await brokenReferences(before, after);
    expect(broken.map((b) => [b.label, b.footnote])).toEqual([
      ['SEC  Filing', false],
      ['R1', false],
      ['Nvidia', false],
      ['n', true],
    ]);
    expect(broken[0]!.uses).toEqual([after.indexOf('[the filing]')]);
  });

  it('a use removed with its definition, or a definition kept under another case, breaks nothing', async () => {
    expect(await brokenReferences(before, 'Intro, rewritten.\n')).toEqual([]);
    expect(await brokenReferences(before, before.replace('[sec filing]:', '[SEC FILING]:'))).toEqual([]);
  });

  it('a reference that did not resolve before is not blamed on the revision', async () => {
    expect(await brokenReferences('See [nothing][here].\n', 'See [nothing][here], still.\n')).toEqual([]);
  });
});
