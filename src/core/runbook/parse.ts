// INTERIM: replaced by the full markdown-it based parser (issue 3). Only ATX headings, no steps.
import type { Runbook } from './model';

export interface ParseOptions {
  fileName?: string;
}

export function parseRunbook(text: string, options: ParseOptions = {}): Runbook {
  const first = /^#\s+(.+)$/m.exec(text)?.[1] ?? options.fileName ?? 'Runbook';
  return { title: first, sections: [], steps: [], frontMatter: {}, diagnostics: [] };
}
