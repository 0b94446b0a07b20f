import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runInNewContext } from 'node:vm';
import { inlineCss, inlineScript, missingPageHtml, pageHtml } from './page-html';

const NONCE = 'q1Zt0m7YbG3n2xR4cW8kLw==';
const base = {
  title: 'Runbook Results',
  nonce: NONCE,
  cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
  code: 'document.title = "x";\n',
  styles: ['body { color: red; }', '.results-app { display: grid; }'],
};

function csp(html: string): string {
  const m = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html);
  assert.ok(m, 'the page has a CSP');
  return m[1]!.replace(/&#39;/g, "'");
}

test('the page asks for nothing: no src or href anywhere, code and styles inline under the nonce', () => {
  const html = pageHtml(base);
  assert.doesNotMatch(html, /\s(src|href)=/i);
  assert.equal(html.match(/<script nonce="q1Zt0m7YbG3n2xR4cW8kLw==">/g)?.length, 1);
  assert.equal(html.match(/<style nonce="q1Zt0m7YbG3n2xR4cW8kLw==">/g)?.length, 2);
  // Shared sheet first, the view's own after it (so the view's rules win ties).
  assert.ok(html.indexOf('color: red') < html.indexOf('display: grid'));
  // The script comes after #app, which it fills when it runs.
  assert.ok(html.indexOf('<div id="app"') < html.indexOf('<script'));
});

test('the CSP lets only this page nonce run scripts and add styles', () => {
  const policy = csp(pageHtml(base)).split('; ');
  assert.deepEqual(policy, [
    "default-src 'none'",
    `script-src 'nonce-${NONCE}'`,
    `style-src 'nonce-${NONCE}'`,
    `img-src ${base.cspSource} data:`,
    `font-src ${base.cspSource}`,
  ]);
});

test('a nonce that is not 16+ base64 characters is refused with a clear message', () => {
  assert.throws(() => pageHtml({ ...base, nonce: 'short' }), /nonce must be 16\+ base64/);
  assert.throws(() => pageHtml({ ...base, nonce: 'abc" onload="x()"abcdefgh' }), /nonce/);
});

test('the title is text, never markup', () => {
  const html = pageHtml({ ...base, title: '</title><script>alert(1)</script>' });
  assert.match(html, /<title>&#60;\/title&#62;&#60;script&#62;alert\(1\)&#60;\/script&#62;<\/title>/);
  assert.equal(html.match(/<script/g)?.length, 1);
});

test('code holding </script and <!-- <script keeps its meaning and cannot end the element early', () => {
  // Each of these, pasted raw into <script>, would end the element early or keep it open past its
  // end tag; the values are compared with what the same code gives before inlining.
  const code = [
    'var a = "</script><p>after</p>";',
    "var b = '<!-- <script>';",
    'var c = `</SCRIPT >${a.length}`;',
    'var d = /<\\/script>|<!--/u.test("x<!--");',
    'var e = /[<]!--/.source;',
    '// a comment mentioning </script> and <!--',
    'result = [a, b, c, d, e];',
  ].join('\n');
  const safe = inlineScript(code);
  assert.doesNotMatch(safe, /<\/script|<!--/i);
  // JSON across the VM boundary: its arrays have that context's prototypes.
  const run = (src: string): unknown =>
    JSON.parse(runInNewContext(`${src}\nJSON.stringify(result)`, {}) as string);
  assert.deepEqual(run(safe), run(code));
  const html = pageHtml({ ...base, code });
  assert.equal(html.match(/<\/script/gi)?.length, 1, 'only the real end tag');
  assert.doesNotMatch(html, /<!--/);
});

test('CSS holding </style cannot end the element, and keeps its meaning in a string', () => {
  const css = '.x::after { content: "</style><script>bad()</script>"; }';
  const safe = inlineCss(css);
  assert.doesNotMatch(safe, /<\/style/i);
  assert.equal(safe, '.x::after { content: "\\3C /style><script>bad()</script>"; }');
  const html = pageHtml({ ...base, styles: [css] });
  assert.equal(html.match(/<\/style/gi)?.length, 1);
});

test("the bundle's source map comment points at the absolute URL given, or is dropped", () => {
  const code = 'console.log(1);\n//# sourceMappingURL=results.js.map\n';
  const url = 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/results.js.map';
  const withUrl = pageHtml({ ...base, code, sourceMapUrl: url });
  assert.match(withUrl, new RegExp(`//# sourceMappingURL=${url.replace(/[.+/]/g, '\\$&')}\\n\\s*</script>`));
  assert.doesNotMatch(withUrl, /sourceMappingURL=results\.js\.map/);
  assert.doesNotMatch(pageHtml({ ...base, code }), /sourceMappingURL/);
});

test('the missing-code page says what is missing and runs nothing', () => {
  const html = missingPageHtml('Runbook <Results>', 'dist/webview/results.js is missing');
  assert.match(html, /<p>dist\/webview\/results\.js is missing<\/p>/);
  assert.match(html, /<title>Runbook &#60;Results&#62;<\/title>/);
  assert.doesNotMatch(html, /<script/);
  assert.match(csp(html), /^default-src 'none'$/);
});
