// The option walk the `runbook` subcommands share: `--flag value`, `--flag=value` and bare flags.
// A subcommand says what each flag means; a missing value or an unknown option is a UsageError,
// which the subcommand prints with its usage and exit code 2.
export class UsageError extends Error {}

/**
 * Calls `visit(flag, take, arg)` for every argument. `flag` is the argument without any `=value`
 * (for `--` options); `take()` returns the flag's value (after `=`, else the next argument).
 */
export function walkArgs(
  argv: readonly string[],
  visit: (flag: string, take: () => string, arg: string) => void,
): void {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    visit(
      flag,
      () => {
        if (eq > 0) return arg.slice(eq + 1);
        const v = argv[++i];
        if (v === undefined) throw new UsageError(`${flag} needs a value`);
        return v;
      },
      arg,
    );
  }
}
