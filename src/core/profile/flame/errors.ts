// Import failures the user is told about in one sentence. `code` lets callers (CLI exit codes,
// the viewer's error panel) tell "not a profile" from "too big" from "broken".
export type ProfileErrorCode =
  /** No known format matches the content. */
  | 'unknown-format'
  /** Over a size limit that would otherwise risk running out of memory. */
  | 'too-large'
  /** Recognized, but broken: malformed JSON, a cut-off file, events that contradict each other. */
  | 'invalid'
  /** A known format this importer does not read (yet). */
  | 'unsupported'
  /** The file could not be read. */
  | 'unreadable'
  | 'aborted';

export class ProfileError extends Error {
  constructor(
    readonly code: ProfileErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ProfileError';
  }
}

export const MB = 1024 * 1024;

export function formatBytes(n: number): string {
  if (n >= 1024 * MB) return `${(n / (1024 * MB)).toFixed(1)} GB`;
  if (n >= MB) return `${(n / MB).toFixed(1)} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${n} bytes`;
}

/** Any thrown value as a ProfileError, keeping ours and wrapping the rest as `invalid`. */
export function asProfileError(err: unknown, context: string): ProfileError {
  if (err instanceof ProfileError) return err;
  if (err instanceof RangeError && /allocation|Invalid string length|Array buffer/i.test(err.message))
    return new ProfileError('too-large', `${context}: too large to import (${err.message})`);
  const msg = err instanceof Error ? err.message : String(err);
  return new ProfileError('invalid', `${context}: ${msg}`);
}
