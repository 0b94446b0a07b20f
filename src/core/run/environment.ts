// What a step runs with: the shell, the interpreter for a script's language, and the environment
// (the user's, minus VS Code's own internal variables, which would confuse child tools).
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Full path of an executable on PATH, or null. */
export function findOnPath(name: string, env: Readonly<Record<string, string | undefined>>): string | null {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const file = join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return null;
}

/** The configured shell, else bash where present, else sh. */
export function chooseShell(
  configured: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): string {
  if (configured && configured.trim()) return configured.trim();
  return findOnPath('bash', env) ?? findOnPath('sh', env) ?? '/bin/sh';
}

const SHELL_LANGUAGES = new Set([
  '',
  'sh',
  'bash',
  'shell',
  'shellscript',
  'console',
  'shell-session',
  'zsh',
  'ksh',
  'terminal',
]);

export function isShellLanguage(language: string | null | undefined): boolean {
  return SHELL_LANGUAGES.has((language ?? '').toLowerCase());
}

/** How to run a script in `language`: the program and its args; the script goes to stdin. */
export function interpreterFor(language: string | null | undefined): { file: string; args: string[] } | null {
  switch ((language ?? '').toLowerCase()) {
    case 'python':
    case 'python3':
    case 'py':
      return { file: 'python3', args: ['-'] };
    case 'node':
    case 'js':
    case 'javascript':
    case 'mjs':
      return { file: 'node', args: ['-'] };
    case 'ruby':
    case 'rb':
      return { file: 'ruby', args: ['-'] };
    case 'perl':
    case 'pl':
      return { file: 'perl', args: ['-'] };
    case 'powershell':
    case 'pwsh':
    case 'ps1':
      return { file: 'pwsh', args: ['-NoProfile', '-NonInteractive', '-Command', '-'] };
    case 'r':
      return { file: 'Rscript', args: ['-'] };
    default:
      return null;
  }
}

const INTERNAL = /^(VSCODE_|ELECTRON_|CHROME_CRASHPAD|APPLICATION_INSIGHTS_)/;

/** The user's environment without VS Code's internals and without undefined values. */
export function childEnv(base: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(base)) if (v !== undefined && !INTERNAL.test(k)) out[k] = v;
  return out;
}
