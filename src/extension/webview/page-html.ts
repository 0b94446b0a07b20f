// The HTML of every webview page, with the page's code and stylesheets inline (no `vscode` here, so
// it is tested in plain Node and in Chromium). Why inline: in VS Code for the Web (code-server), a
// webview fetches its `<script src>` and `<link>` through VS Code's webview service worker, and the
// first webviews of a fresh browser profile can be created while that worker is still installing;
// one of them may then stay controlled by code-server's own service worker (scope `/`), so the
// answers to its resource requests never reach the webview worker, which gives up after 30 s with
// 408. The page's script never ran and the view stayed blank. A page whose code and styles are in
// its HTML needs no resource request at all. The CSP stays strict: nothing runs or styles the page
// without this page's fresh nonce.

export interface PageParts {
  title: string;
  /** Fresh per page (crypto random, base64): the CSP lets only elements carrying it run or style. */
  nonce: string;
  /** `webview.cspSource`: where images and fonts may come from (the extension's media). */
  cspSource: string;
  /** The page's bundle (dist/webview/<view>.js). */
  code: string;
  /** Stylesheets in order: the shared one, then the view's own. */
  styles: readonly string[];
  /** Absolute URL of the bundle's source map, so DevTools still finds it with the code inline. */
  sourceMapUrl?: string;
}

const NONCE = /^[A-Za-z0-9+/=]{16,}$/;

export function pageHtml(p: PageParts): string {
  if (!NONCE.test(p.nonce)) throw new Error('webview page: the nonce must be 16+ base64 characters');
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${p.nonce}'`,
    `style-src 'nonce-${p.nonce}'`,
    `img-src ${p.cspSource} data:`,
    `font-src ${p.cspSource}`,
  ].join('; ');
  const styles = p.styles.map((css) => `<style nonce="${p.nonce}">\n${inlineCss(css)}\n</style>`).join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${styles}
<title>${escapeHtml(p.title)}</title>
</head>
<body>
<div id="app" role="main"></div>
<script nonce="${p.nonce}">
${inlineScript(withSourceMap(p.code, p.sourceMapUrl))}
</script>
</body>
</html>`;
}

/**
 * A page that says what is missing instead of drawing nothing (an installation without its built
 * webview code). Runs no script.
 */
export function missingPageHtml(title: string, what: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'">
<title>${escapeHtml(title)}</title>
</head>
<body>
<p>${escapeHtml(what)}</p>
</body>
</html>`;
}

/**
 * Code made safe inside `<script>`: only `</script` ends the element, and `<!--` followed later by
 * `<script` would keep it open past its end tag. Both are written with `\x3C` for `<`, which means
 * `<` in every place they can occur in a bundle (strings, template literals, regular expressions,
 * comments); esbuild already escapes `</script` itself, this also covers `<!--`.
 */
export function inlineScript(code: string): string {
  return code.replace(/<(?=\/script|!--)/gi, '\\x3C');
}

/** CSS made safe inside `<style>`: `\3C ` is `<` in CSS strings, and only `</style` ends the element. */
export function inlineCss(css: string): string {
  return css.replace(/<(?=\/style)/gi, '\\3C ');
}

/** Points the bundle's trailing `sourceMappingURL` (relative to the file) at the absolute URL. */
function withSourceMap(code: string, url: string | undefined): string {
  const comment = /\n\/\/# sourceMappingURL=[^\n]*\s*$/;
  if (!comment.test(code)) return code;
  return code.replace(comment, url ? `\n//# sourceMappingURL=${url}\n` : '\n');
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
