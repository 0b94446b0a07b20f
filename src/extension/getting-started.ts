// Commands the Getting Started walkthrough's buttons run: a new runbook from the shipped template
// (an untitled Markdown editor, so nothing is written until the person saves it), and the sample
// CPU profile shipped in media/samples opened in the profile viewer.
import * as vscode from 'vscode';
import { Commands, ProfileEditors } from './ids';

export const TEMPLATE_PATH = ['media', 'templates', 'new-runbook.md'] as const;
export const SAMPLE_PROFILE_PATH = ['media', 'samples', 'checkout-service.cpuprofile'] as const;

async function newRunbook(extensionUri: vscode.Uri): Promise<void> {
  let content: string;
  try {
    const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(extensionUri, ...TEMPLATE_PATH));
    content = new TextDecoder().decode(bytes);
  } catch (err) {
    void vscode.window.showErrorMessage(
      `The runbook template is missing from the extension: ${(err as Error).message}`,
    );
    return;
  }
  const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content });
  await vscode.window.showTextDocument(doc, { preview: false });
}

async function openSampleProfile(extensionUri: vscode.Uri): Promise<void> {
  const uri = vscode.Uri.joinPath(extensionUri, ...SAMPLE_PROFILE_PATH);
  await vscode.commands.executeCommand('vscode.openWith', uri, ProfileEditors.main);
}

export function registerGettingStarted(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(Commands.newRunbook, () => newRunbook(context.extensionUri)),
    vscode.commands.registerCommand(Commands.openSampleProfile, () =>
      openSampleProfile(context.extensionUri),
    ),
  );
}
