// The files a webview page is built from, read from the extension's folder (no `vscode` here):
// dist/webview/<view>.js, the shared media/webview.css, and media/<view>.css when the view has its
// own sheet. Read once per page load: a few tens of KB, and a rebuilt bundle shows on the next load.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface PageFiles {
  code: string;
  styles: string[];
  /** The bundle's source map beside it (for DevTools): path segments under the extension's folder. */
  sourceMap: string[];
}

export type PageFilesResult = { ok: true; files: PageFiles } | { ok: false; error: string };

const VIEW_NAME = /^[a-z][a-z0-9-]*$/;

export function readPageFiles(extensionRoot: string, view: string): PageFilesResult {
  if (!VIEW_NAME.test(view)) return { ok: false, error: `"${view}" is not a webview name` };
  const bundle = join(extensionRoot, 'dist', 'webview', `${view}.js`);
  const code = readText(bundle);
  if (code === undefined)
    return {
      ok: false,
      error: `This view's code (dist/webview/${view}.js) is missing from the extension: reinstall it, or run npm run build.`,
    };
  const styles = [join('media', 'webview.css'), join('media', `${view}.css`)]
    .map((rel) => readText(join(extensionRoot, rel)))
    .filter((css): css is string => css !== undefined);
  return { ok: true, files: { code, styles, sourceMap: ['dist', 'webview', `${view}.js.map`] } };
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
