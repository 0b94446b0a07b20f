// Argument parsing and dispatch for the `runbook` CLI. Pure: I/O comes in through `io`,
// so tests call runCli directly as well as through the built dist/cli.js.
export interface CliIO {
  stdout(s: string): void;
  stderr(s: string): void;
}

export const USAGE = `Usage: runbook <command> [options]

Commands:
  steps FILE [--json]   list the sections, steps and commands of a runbook
  run FILE --step ID    run a step (or --section TITLE, --all); see \`runbook run --help\`
  recognize [FILE|-]    recognize and check saved output (--command "LINE", --json)
  profile FILE          format, total and top functions of a profile (--json, --top N)
  report                incident report of recent runs (--since 2h, --run ID, --out FILE, --json)
  help                  show this help
`;

export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      io.stdout(USAGE);
      return 0;
    case 'steps': {
      const { stepsCommand } = await import('./steps');
      return stepsCommand(rest, io);
    }
    case 'run': {
      const { runCommand } = await import('./run');
      return runCommand(rest, io);
    }
    case 'recognize': {
      const { recognizeCommand } = await import('./recognize');
      return recognizeCommand(rest, io);
    }
    case 'profile': {
      const { profileCommand } = await import('./profile');
      return profileCommand(rest, io);
    }
    case 'report': {
      const { reportCommand } = await import('./report');
      return reportCommand(rest, io);
    }
    default:
      io.stderr(`runbook: unknown command "${command}"\n\n${USAGE}`);
      return 2;
  }
}
