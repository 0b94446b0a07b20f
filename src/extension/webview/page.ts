// The one page builder every webview uses: CSP `default-src 'none'`, the page's code and styles
// inline under a fresh crypto nonce (page-html.ts says why inline), images and fonts only from the
// extension's own media. Data reaches the page by postMessage, never pasted into the HTML.
import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import { missingPageHtml, pageHtml } from './page-html';
import { readPageFiles } from './page-files';

export interface PageOptions {
  /** Bundle name under dist/webview/ (one per webview/<name>/main.ts); media/<name>.css is its sheet. */
  script: string;
  title: string;
}

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return {
    enableScripts: true,
    retainContextWhenHidden: false,
    localResourceRoots: [
      vscode.Uri.joinPath(extensionUri, 'dist', 'webview'),
      vscode.Uri.joinPath(extensionUri, 'media'),
    ],
  };
}

export function renderPage(webview: vscode.Webview, extensionUri: vscode.Uri, options: PageOptions): string {
  const read = readPageFiles(extensionUri.fsPath, options.script);
  if (!read.ok) {
    console.error(`Runbook Debugger: ${options.title}: ${read.error}`);
    return missingPageHtml(options.title, read.error);
  }
  const { code, styles, sourceMap } = read.files;
  return pageHtml({
    title: options.title,
    nonce: randomBytes(16).toString('base64'),
    cspSource: webview.cspSource,
    code,
    styles,
    sourceMapUrl: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...sourceMap)).toString(),
  });
}
