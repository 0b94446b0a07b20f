// Every command is `read` or `write`. Write = changes the state of a system (or forces work on a live
// one), so the runner asks before running it. This file is THE table of rules; effect-eval.ts only
// walks commands and applies it. The first matching rule wins, in table order within a tool.
//
// - Shell: a rule names the command (`tools`) and may look at its arguments (`when`). Wrappers
//   (`sudo`, `env`, `timeout`, `ssh host`, `kubectl exec -- ...`, `bash -c`, `psql -c`, ...) have
//   effect `inner`: the verdict is that of what they run. Pipelines, `&&`, `;`, `$(...)`: write if any
//   part is write. Output redirection to a file is write.
// - SQL: by statement keyword, plus admin functions anywhere (`pg_terminate_backend`), EXPLAIN ANALYZE
//   takes the effect of the statement it runs.
// - Scripts: code in python, node, ... is write (nobody can tell what it changes without running it).
// - Anything no rule knows is write: an unknown command is asked about, never run silently. Only
//   `overridable` verdicts (the unknown/arbitrary-code defaults) can be marked read by an author's
//   `effect=read` annotation; a rule that knows a command writes cannot be talked out of it.
import type { Effect } from './model';

export interface ShellCall {
  /** Command name without its directory (`/usr/bin/kubectl` -> `kubectl`). */
  readonly tool: string;
  /** Words after the command name, quotes removed. */
  readonly args: readonly string[];
  /** Arguments that are neither flags nor values of the tool's known value-taking flags. */
  readonly positional: readonly string[];
  /** Heredoc body or here-string fed to the command. */
  readonly stdin?: string;
  /** Any of these flags is present (`--x=v` counts for `--x`). */
  has(...flags: string[]): boolean;
  /** A short-flag cluster contains the letter (`-it` contains `t`). */
  hasShort(letter: string): boolean;
  /** Values of a value-taking flag (`-c X`, `--command=X`, `--command X`). */
  values(...flags: string[]): string[];
}

export interface SqlCall {
  readonly text: string;
  /** Upper-cased words and punctuation outside strings and comments. */
  readonly words: readonly string[];
  /** Offsets of `words` in `text`. */
  readonly offsets: readonly number[];
  /** Lower-cased names called as functions (`pg_terminate_backend(`). */
  readonly funcs: ReadonlySet<string>;
  /** psql meta-command name (`dt+` for `\dt+`) and its argument text. */
  readonly meta?: { readonly name: string; readonly args: string };
}

export type Inner =
  | { readonly kind: 'argv'; readonly argv: readonly string[]; readonly stdin?: string }
  | { readonly kind: 'shell'; readonly text: string }
  | { readonly kind: 'sql'; readonly text: string };

interface RuleBase {
  readonly id: string;
  /** `inner`: the verdict of what the command runs (see `inner`). */
  readonly effect: Effect | 'inner';
  /** Shown in tooltips and confirmations, after the command's name. */
  readonly reason: string;
  /** A default, not knowledge: an author's `effect=read` may override it. */
  readonly overridable?: boolean;
}

export interface ShellRule extends RuleBase {
  readonly domain: 'shell';
  /** Commands the rule is about; a rule without tools is applied by the evaluator itself. */
  readonly tools?: readonly string[] | RegExp;
  readonly when?: (c: ShellCall) => boolean;
  readonly inner?: (c: ShellCall) => Inner[];
}

export interface SqlRule extends RuleBase {
  readonly domain: 'sql';
  readonly when?: (s: SqlCall) => boolean;
  readonly inner?: (s: SqlCall) => Inner[];
}

export interface ScriptRule extends RuleBase {
  readonly domain: 'script';
}

export type EffectRule = ShellRule | SqlRule | ScriptRule;

/** Flags that take a value, per tool, so positional arguments (subcommands) are found after them. */
export const VALUE_FLAGS: Readonly<Record<string, readonly string[]>> = {
  kubectl: [
    '-n',
    '--namespace',
    '--context',
    '--kubeconfig',
    '--cluster',
    '--user',
    '-s',
    '--server',
    '--token',
    '--as',
    '--as-group',
    '--request-timeout',
    '--cache-dir',
  ],
  helm: ['-n', '--namespace', '--kube-context', '--kubeconfig', '--repository-config', '--registry-config'],
  docker: [
    '-H',
    '--host',
    '--context',
    '-c',
    '--config',
    '-l',
    '--log-level',
    '-f',
    '--file',
    '-p',
    '--project-name',
    '--profile',
    '--env-file',
    '--project-directory',
  ],
  podman: ['--url', '--connection', '-c', '--log-level', '--root', '--runroot'],
  nerdctl: ['-n', '--namespace', '-H', '--address'],
  crictl: ['-r', '--runtime-endpoint', '-i', '--image-endpoint', '-c', '--config', '-t', '--timeout'],
  systemctl: [
    '-H',
    '--host',
    '-M',
    '--machine',
    '-t',
    '--type',
    '-p',
    '--property',
    '-n',
    '--lines',
    '-o',
    '--output',
    '--state',
    '-s',
    '--signal',
    '--kill-whom',
    '--root',
  ],
  journalctl: [
    '-u',
    '--unit',
    '-n',
    '--lines',
    '-p',
    '--priority',
    '-S',
    '--since',
    '-U',
    '--until',
    '-o',
    '--output',
    '-b',
    '--boot',
    '-t',
    '--identifier',
    '-D',
    '--directory',
    '--file',
    '-M',
  ],
  git: ['-C', '-c', '--git-dir', '--work-tree', '--namespace'],
  'redis-cli': [
    '-h',
    '-p',
    '-a',
    '-n',
    '-s',
    '-u',
    '--user',
    '--pass',
    '-r',
    '-i',
    '-d',
    '--cacert',
    '--cert',
    '--key',
    '--sni',
    '-D',
    '--tls-ciphers',
  ],
  psql: [
    '-d',
    '--dbname',
    '-h',
    '--host',
    '-p',
    '--port',
    '-U',
    '--username',
    '-c',
    '--command',
    '-f',
    '--file',
    '-v',
    '--set',
    '--variable',
    '-o',
    '--output',
    '-P',
    '--pset',
    '-F',
    '-R',
    '-T',
    '-L',
    '--log-file',
  ],
  mysqladmin: [
    '-h',
    '--host',
    '-P',
    '--port',
    '-u',
    '--user',
    '-S',
    '--socket',
    '-c',
    '--count',
    '-i',
    '--sleep',
  ],
  mysql: [
    '-h',
    '--host',
    '-P',
    '--port',
    '-u',
    '--user',
    '-D',
    '--database',
    '-e',
    '--execute',
    '-S',
    '--socket',
  ],
  aws: ['--region', '--profile', '--output', '--query', '--endpoint-url', '--cli-read-timeout'],
  gcloud: ['--project', '--zone', '--region', '--format', '--account', '--configuration'],
  az: ['-g', '--resource-group', '--subscription', '-o', '--output', '--query'],
  apt: ['-o', '-c', '-t'],
  'apt-get': ['-o', '-c', '-t'],
  ip: ['-n', '-netns', '-f', '-family', '-b', '-batch', '-rc', '-rcvbuf'],
  jcmd: ['-f'],
  'nvidia-smi': [
    '-i',
    '--id',
    '-f',
    '--filename',
    '-d',
    '--display',
    '-l',
    '--loop',
    '-lms',
    '--loop-ms',
    '--query-gpu',
    '--format',
  ],
};

const sub = (c: ShellCall, i = 0): string => c.positional[i] ?? '';
/** Space-separated names, so long lists stay one readable line. */
const w = (names: string): string[] => names.split(' ');

// Predicates are memoized by their name list: rules call them inside `when`, once per command.
const predicates = new Map<string, (c: ShellCall) => boolean>();
function memo(key: string, make: () => (c: ShellCall) => boolean): (c: ShellCall) => boolean {
  let f = predicates.get(key);
  if (!f) predicates.set(key, (f = make()));
  return f;
}
/** The first positional argument (the subcommand) is one of `names`. */
const subIn = (names: string) =>
  memo(names, () => {
    const set = new Set(w(names));
    return (c) => set.has(sub(c));
  });
/** Subcommand `first` followed by one of `names` (`rollout status`). */
const sub2In = (first: string, names: string) =>
  memo(`${first}\u0000${names}`, () => {
    const set = new Set(w(names));
    return (c) => sub(c) === first && set.has(sub(c, 1));
  });

/** Words after the first of these flags (`kubectl exec pod -- cmd`). */
function after(args: readonly string[], marker: string): string[] {
  const i = args.indexOf(marker);
  return i < 0 ? [] : args.slice(i + 1);
}

/**
 * Skips a wrapper's own options: `valueFlags` take the next word (unless glued `-uroot` / `--user=x`);
 * any other word starting with `-` is a flag; `--` ends them. Returns the index of the first other word.
 */
function skipOptions(args: readonly string[], valueFlags: readonly string[], from = 0): number {
  let i = from;
  while (i < args.length) {
    const a = args[i]!;
    if (a === '--') return i + 1;
    if (!a.startsWith('-') || a === '-') return i;
    if (valueFlags.includes(a)) i += 2;
    else i += 1;
  }
  return i;
}

function argvInner(argv: readonly string[], stdin?: string): Inner[] {
  return argv.length ? [{ kind: 'argv', argv, ...(stdin !== undefined ? { stdin } : {}) }] : [];
}

const shellWrapper = (valueFlags: readonly string[]) => (c: ShellCall) =>
  argvInner(c.args.slice(skipOptions(c.args, valueFlags)), c.stdin);

/** `bash -c 'cmd'`, `bash -lc 'cmd'`, `bash <<'EOF' ... EOF`. */
function shellInline(c: ShellCall): Inner[] {
  for (let i = 0; i < c.args.length; i++) {
    const a = c.args[i]!;
    if (/^-[A-Za-z]*c[A-Za-z]*$/.test(a))
      return c.args[i + 1] !== undefined ? [{ kind: 'shell', text: c.args[i + 1]! }] : [];
  }
  if (c.stdin !== undefined && (c.positional.length === 0 || c.has('-s')))
    return [{ kind: 'shell', text: c.stdin }];
  return [];
}

function sqlClient(flags: readonly string[]) {
  return (c: ShellCall): Inner[] => {
    const out: Inner[] = c.values(...flags).map((text) => ({ kind: 'sql' as const, text }));
    if (c.stdin !== undefined) out.push({ kind: 'sql', text: c.stdin });
    return out;
  };
}

/** Value-taking options of simple wrappers (`nice -n 10 cmd`). */
const WRAPPER_FLAGS: Readonly<Record<string, readonly string[]>> = {
  nice: ['-n', '--adjustment'],
  ionice: ['-c', '-n', '--class', '--classdata'],
  stdbuf: ['-i', '-o', '-e', '--input', '--output', '--error'],
  time: ['-f', '-o', '--format', '--output'],
  exec: ['-a'],
  nohup: [],
  setsid: [],
  unbuffer: [],
  builtin: [],
  command: [],
  caffeinate: ['-t', '-w'],
};

const CURL_VALUE_LETTERS = 'oHuAebcKmwxrEUyYzCPQ';

/** curl sends data or uses a method other than GET/HEAD/OPTIONS. `-G` turns `-d` data into a query
 * string of a GET (`curl -G url --data-urlencode 'query=...'` only reads). */
function curlWrites(c: ShellCall): boolean {
  const args = c.args;
  let data = false;
  let get = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--get') get = true;
    else if (/^--(data|data-raw|data-binary|data-urlencode|data-ascii)(=|$)/.test(a)) data = true;
    else if (/^--(form|form-string|upload-file|json)(=|$)/.test(a)) return true;
    else if (a === '--request' || a.startsWith('--request=')) {
      const m = a.includes('=') ? a.slice(a.indexOf('=') + 1) : (args[i + 1] ?? '');
      if (!/^(GET|HEAD|OPTIONS)$/i.test(m)) return true;
    } else if (/^-[A-Za-z]/.test(a)) {
      for (let k = 1; k < a.length; k++) {
        const l = a[k]!;
        if (l === 'X') {
          const m = a.slice(k + 1) || (args[i + 1] ?? '');
          if (!/^(GET|HEAD|OPTIONS)$/i.test(m)) return true;
          break;
        }
        if (l === 'G') get = true;
        if (l === 'F' || l === 'T') return true;
        if (l === 'd') {
          data = true;
          break;
        }
        if (CURL_VALUE_LETTERS.includes(l)) break;
      }
    }
  }
  return data && !get;
}

const JCMD_READ = new Set(
  (
    'help Thread.print VM.version VM.flags VM.system_properties VM.uptime VM.command_line VM.info ' +
    'VM.native_memory GC.heap_info VM.metaspace VM.classloader_stats VM.classloaders VM.class_hierarchy ' +
    'VM.stringtable VM.symboltable VM.dynlibs VM.events VM.print_touched_methods Compiler.queue ' +
    'Compiler.codecache Compiler.codelist Compiler.directives_print JFR.check PerfCounter.print GC.finalizer_info'
  ).split(' '),
);

const REDIS_READ = new Set(
  (
    'INFO GET MGET GETRANGE STRLEN EXISTS TYPE TTL PTTL KEYS SCAN SSCAN HSCAN ZSCAN DBSIZE PING ECHO TIME LASTSAVE ' +
    'ROLE LLEN LRANGE LINDEX HGET HMGET HGETALL HLEN HKEYS HVALS HEXISTS SCARD SMEMBERS SISMEMBER ZCARD ZRANGE ' +
    'ZRANGEBYSCORE ZSCORE ZCOUNT ZRANK XLEN XRANGE XINFO XPENDING PFCOUNT OBJECT BITCOUNT GETBIT MONITOR ' +
    'SLOWLOG:GET SLOWLOG:LEN CLIENT:LIST CLIENT:INFO CLIENT:GETNAME CLIENT:ID CONFIG:GET MEMORY:USAGE MEMORY:STATS ' +
    'MEMORY:DOCTOR LATENCY:LATEST LATENCY:HISTORY LATENCY:DOCTOR CLUSTER:INFO CLUSTER:NODES CLUSTER:SLOTS ' +
    'COMMAND:COUNT COMMAND:INFO'
  ).split(' '),
);

function redisRead(c: ShellCall): boolean {
  const cmd = sub(c).toUpperCase();
  if (!cmd)
    return c.has(
      '--bigkeys',
      '--memkeys',
      '--hotkeys',
      '--latency',
      '--latency-history',
      '--latency-dist',
      '--stat',
      '--scan',
      '--intrinsic-latency',
    );
  return REDIS_READ.has(cmd) || REDIS_READ.has(`${cmd}:${sub(c, 1).toUpperCase()}`);
}

/** Cloud CLI verbs that only read (`aws ec2 describe-instances`, `gcloud ... list`, `az vm show`). */
function cloudReads(c: ShellCall): boolean {
  const words = c.positional.slice(0, 5);
  return words.some(
    (w) =>
      /^(describe|list|get|show|ls|tail|read|lookup|head|filter-log-events)$/.test(w) ||
      (/^(describe|list|get|head|lookup)-/.test(w) && w !== 'get-credentials' && !w.startsWith('get-login')),
  );
}

const SQL_ADMIN_FUNCS = new Set(
  (
    'pg_terminate_backend pg_cancel_backend pg_reload_conf pg_rotate_logfile pg_switch_wal pg_switch_xlog ' +
    'pg_create_restore_point pg_promote pg_drop_replication_slot pg_create_physical_replication_slot ' +
    'pg_create_logical_replication_slot pg_stat_reset pg_stat_reset_shared pg_stat_reset_single_table_counters ' +
    'pg_stat_statements_reset pg_advisory_lock pg_advisory_xact_lock pg_try_advisory_lock setval nextval ' +
    'lo_unlink lo_import lo_export pg_file_write dblink_exec pg_logical_emit_message set_config ' +
    'pg_replication_origin_create pg_replication_origin_drop pg_wal_replay_pause pg_wal_replay_resume ' +
    'pg_import_system_collations pg_log_backend_memory_contexts'
  ).split(' '),
);

const first = (s: SqlCall): string =>
  s.words[0] === '(' ? (s.words.find((w) => w !== '(') ?? '') : (s.words[0] ?? '');
const firstIn = (names: string) => {
  const set = new Set(w(names));
  return (s: SqlCall): boolean => !s.meta && set.has(first(s));
};

/** `EXPLAIN ANALYZE stmt` / `EXPLAIN (ANALYZE, BUFFERS) stmt`: where the explained statement starts,
 * and whether ANALYZE is on. */
export function explainTarget(s: SqlCall): { analyze: boolean; at: number } | undefined {
  if (first(s) !== 'EXPLAIN') return undefined;
  const w = s.words;
  let i = w.indexOf('EXPLAIN') + 1;
  let analyze = false;
  if (w[i] === '(') {
    let depth = 0;
    for (; i < w.length; i++) {
      if (w[i] === '(') depth++;
      else if (w[i] === ')' && --depth === 0) {
        i++;
        break;
      } else if (w[i] === 'ANALYZE' || w[i] === 'ANALYSE')
        analyze = !['FALSE', 'OFF', '0'].includes(w[i + 1] ?? '');
    }
  } else {
    while (w[i] === 'ANALYZE' || w[i] === 'ANALYSE' || w[i] === 'VERBOSE') {
      if (w[i] !== 'VERBOSE') analyze = true;
      i++;
    }
  }
  const at = s.offsets[i];
  return at === undefined ? undefined : { analyze, at };
}

const PSQL_META_READ =
  /^(d[A-Za-z]*[+S]*|l\+?|list|x|timing|conninfo|c|connect|pset|a|t|H|T|C|f|echo|qecho|warn|set|unset|encoding|\?|h|help|q|quit|watch|gx|g|gset|sf\+?|sv\+?|z|errverbose|copyright|prompt|cd|setenv|getenv|if|elif|else|endif|p|print|r|reset|bind|parse|bind_named|close|crosstabview)$/;

export const EFFECT_RULES: readonly EffectRule[] = [
  // --- Evaluator rules (no tool): applied while walking any shell command ---------------------------
  {
    domain: 'shell',
    id: 'output-redirection',
    effect: 'write',
    reason: 'writes a file (output redirection)',
  },
  { domain: 'shell', id: 'assignment-only', effect: 'read', reason: 'only sets shell variables' },
  { domain: 'shell', id: 'no-op', effect: 'read', reason: 'runs nothing' },
  {
    domain: 'shell',
    id: 'unknown-command',
    effect: 'write',
    reason: 'not a known read-only command, so it asks first',
    overridable: true,
  },
  {
    domain: 'shell',
    id: 'wrapper-without-command',
    effect: 'write',
    reason: 'runs something this parser cannot see (an interactive session or a script), so it asks first',
    overridable: true,
  },
  {
    domain: 'shell',
    id: 'too-deep',
    effect: 'write',
    reason: 'nested too deeply to analyze, so it asks first',
  },

  // --- Wrappers: the verdict is what they run -------------------------------------------------------
  {
    domain: 'shell',
    id: 'env-print',
    tools: w('env printenv'),
    when: (c) => c.tool === 'printenv' || c.args.every((a) => a.startsWith('-') || a.includes('=')),
    effect: 'read',
    reason: 'prints the environment',
  },
  {
    domain: 'shell',
    id: 'command-lookup',
    tools: w('command type which whereis hash'),
    when: (c) => c.tool !== 'command' || c.has('-v', '-V'),
    effect: 'read',
    reason: 'looks up where a command comes from',
  },
  {
    domain: 'shell',
    id: 'wrapper-sudo',
    tools: w('sudo doas'),
    effect: 'inner',
    reason: 'runs the command as another user',
    inner: shellWrapper([
      '-u',
      '-g',
      '-h',
      '-p',
      '-C',
      '-D',
      '-r',
      '-t',
      '-U',
      '-T',
      '--user',
      '--group',
      '--host',
      '--prompt',
      '--chdir',
      '--role',
      '--type',
      '--other-user',
      '--command-timeout',
      '--close-from',
    ]),
  },
  {
    domain: 'shell',
    id: 'wrapper-env',
    tools: w('env'),
    effect: 'inner',
    reason: 'runs the command with extra environment variables',
    inner: (c) => {
      const split = c.values('-S', '--split-string');
      if (split.length) return split.map((text) => ({ kind: 'shell' as const, text }));
      let i = skipOptions(c.args, ['-u', '--unset', '-C', '--chdir']);
      while (i < c.args.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(c.args[i]!)) i++;
      return argvInner(c.args.slice(i), c.stdin);
    },
  },
  {
    domain: 'shell',
    id: 'wrapper-timeout',
    tools: w('timeout'),
    effect: 'inner',
    reason: 'runs the command with a time limit',
    inner: (c) =>
      argvInner(c.args.slice(skipOptions(c.args, ['-s', '--signal', '-k', '--kill-after']) + 1), c.stdin),
  },
  {
    domain: 'shell',
    id: 'process-priority-change',
    tools: w('taskset chrt renice ionice'),
    when: (c) => c.tool === 'renice' || c.has('-p', '--pid'),
    effect: 'write',
    reason: 'changes the scheduling of a running process',
  },
  {
    domain: 'shell',
    id: 'wrapper-priority',
    tools: Object.keys(WRAPPER_FLAGS),
    effect: 'inner',
    reason: 'runs the command with another priority or lifetime',
    inner: (c) => argvInner(c.args.slice(skipOptions(c.args, WRAPPER_FLAGS[c.tool] ?? [])), c.stdin),
  },
  {
    domain: 'shell',
    id: 'wrapper-taskset',
    tools: w('taskset chrt numactl'),
    when: (c) => !c.has('-p', '--pid'),
    effect: 'inner',
    reason: 'runs the command pinned to CPUs or with a scheduling policy',
    inner: (c) => {
      if (c.tool === 'numactl' && c.has('--hardware', '-H', '--show', '-s'))
        return [{ kind: 'argv', argv: ['true'] }];
      let i = skipOptions(c.args, [
        '-c',
        '--cpu-list',
        '-C',
        '--physcpubind',
        '-N',
        '--cpunodebind',
        '-m',
        '--membind',
        '-i',
        '--interleave',
        '-p',
        '--preferred',
      ]);
      // taskset MASK cmd, chrt PRIORITY cmd: one positional before the command.
      if ((c.tool === 'taskset' && !c.has('-c', '--cpu-list')) || c.tool === 'chrt') i++;
      return argvInner(c.args.slice(i), c.stdin);
    },
  },
  {
    domain: 'shell',
    id: 'wrapper-xargs',
    tools: w('xargs'),
    effect: 'inner',
    reason: 'runs the command on each input line',
    inner: (c) => {
      const rest = c.args.slice(
        skipOptions(c.args, [
          '-I',
          '-n',
          '-P',
          '-L',
          '-d',
          '-E',
          '-s',
          '-a',
          '--max-args',
          '--max-procs',
          '--delimiter',
          '--arg-file',
        ]),
      );
      return argvInner(rest.length ? rest : ['echo']);
    },
  },
  {
    domain: 'shell',
    id: 'wrapper-watch',
    tools: w('watch'),
    effect: 'inner',
    reason: 'runs the command repeatedly',
    inner: (c) => {
      const rest = c.args.slice(skipOptions(c.args, ['-n', '--interval', '-q', '--equexit']));
      return rest.length ? [{ kind: 'shell', text: rest.join(' ') }] : [];
    },
  },
  {
    domain: 'shell',
    id: 'wrapper-eval',
    tools: w('eval'),
    effect: 'inner',
    reason: 'runs its arguments as a command',
    inner: (c) => (c.args.length ? [{ kind: 'shell', text: c.args.join(' ') }] : []),
  },
  {
    domain: 'shell',
    id: 'wrapper-su',
    tools: w('su runuser'),
    effect: 'inner',
    reason: 'runs the command as another user',
    inner: (c) => {
      const code = c.values('-c', '--command');
      if (code.length) return code.map((text) => ({ kind: 'shell' as const, text }));
      if (c.tool === 'runuser')
        return argvInner(c.args.slice(skipOptions(c.args, ['-u', '--user', '-g', '--group', '-G'])), c.stdin);
      return c.stdin !== undefined ? [{ kind: 'shell', text: c.stdin }] : [];
    },
  },
  {
    domain: 'shell',
    id: 'wrapper-ssh',
    tools: w('ssh'),
    effect: 'inner',
    reason: 'runs the command on another host',
    inner: (c) => {
      const hostAt = skipOptions(c.args, [
        '-b',
        '-c',
        '-D',
        '-E',
        '-e',
        '-F',
        '-I',
        '-i',
        '-J',
        '-L',
        '-l',
        '-m',
        '-O',
        '-o',
        '-p',
        '-Q',
        '-R',
        '-S',
        '-W',
        '-w',
        '-B',
      ]);
      const remote = c.args.slice(hostAt + 1);
      if (remote.length) return [{ kind: 'shell', text: remote.join(' ') }];
      return c.stdin !== undefined ? [{ kind: 'shell', text: c.stdin }] : [];
    },
  },
  {
    domain: 'shell',
    id: 'wrapper-shell-c',
    tools: w('bash sh zsh dash ksh fish'),
    when: (c) => shellInline(c).length > 0,
    effect: 'inner',
    reason: 'runs the given shell code',
    inner: shellInline,
  },
  {
    domain: 'shell',
    id: 'kubectl-exec',
    tools: w('kubectl oc'),
    when: subIn('exec'),
    effect: 'inner',
    reason: 'runs the command inside a container',
    inner: (c) => argvInner(after(c.args, '--'), c.stdin),
  },
  {
    domain: 'shell',
    id: 'docker-exec',
    tools: w('docker podman nerdctl'),
    when: (c) =>
      sub(c) === 'exec' ||
      (sub(c) === 'compose' && sub(c, 1) === 'exec') ||
      (sub(c) === 'container' && sub(c, 1) === 'exec'),
    effect: 'inner',
    reason: 'runs the command inside a container',
    inner: (c) => {
      const from = c.args.indexOf('exec') + 1;
      const at = skipOptions(
        c.args,
        ['-e', '--env', '--env-file', '-u', '--user', '-w', '--workdir', '--detach-keys', '--index'],
        from,
      );
      return argvInner(c.args.slice(at + 1), c.stdin);
    },
  },
  {
    domain: 'shell',
    id: 'find-delete',
    tools: w('find'),
    when: (c) => c.has('-delete', '-fprint', '-fprint0', '-fprintf', '-fls'),
    effect: 'write',
    reason: 'deletes or writes the files it finds',
  },
  {
    domain: 'shell',
    id: 'find-exec',
    tools: w('find'),
    when: (c) => c.has('-exec', '-execdir', '-ok', '-okdir'),
    effect: 'inner',
    reason: 'runs a command on each file it finds',
    inner: (c) => {
      const out: Inner[] = [];
      for (let i = 0; i < c.args.length; i++) {
        if (!['-exec', '-execdir', '-ok', '-okdir'].includes(c.args[i]!)) continue;
        let j = i + 1;
        while (j < c.args.length && c.args[j] !== ';' && c.args[j] !== '+') j++;
        out.push(...argvInner(c.args.slice(i + 1, j)));
        i = j;
      }
      return out;
    },
  },

  // --- Databases from the shell ----------------------------------------------------------------------
  {
    domain: 'shell',
    id: 'psql-sql',
    tools: w('psql'),
    when: (c) => sqlClient(['-c', '--command'])(c).length > 0,
    effect: 'inner',
    reason: 'runs the given SQL',
    inner: sqlClient(['-c', '--command']),
  },
  {
    domain: 'shell',
    id: 'mysql-sql',
    tools: w('mysql mariadb'),
    when: (c) => sqlClient(['-e', '--execute'])(c).length > 0,
    effect: 'inner',
    reason: 'runs the given SQL',
    inner: sqlClient(['-e', '--execute']),
  },
  {
    domain: 'shell',
    id: 'clickhouse-sql',
    tools: w('clickhouse-client'),
    when: (c) => sqlClient(['-q', '--query'])(c).length > 0,
    effect: 'inner',
    reason: 'runs the given SQL',
    inner: sqlClient(['-q', '--query']),
  },
  {
    domain: 'shell',
    id: 'sqlite-sql',
    tools: w('sqlite3'),
    when: (c) => c.positional.length > 1 || c.stdin !== undefined,
    effect: 'inner',
    reason: 'runs the given SQL',
    inner: (c) => [
      ...c.positional.slice(1).map((text) => ({ kind: 'sql' as const, text })),
      ...(c.stdin !== undefined ? [{ kind: 'sql' as const, text: c.stdin }] : []),
    ],
  },
  {
    domain: 'shell',
    id: 'psql-list',
    tools: w('psql'),
    when: (c) => c.has('-l', '--list', '-V', '--version'),
    effect: 'read',
    reason: 'lists databases',
  },
  {
    domain: 'shell',
    id: 'psql-file',
    tools: w('psql mysql mariadb'),
    when: (c) => c.has('-f', '--file'),
    effect: 'write',
    reason: 'runs the SQL in a file, which this parser cannot see',
    overridable: true,
  },
  {
    domain: 'shell',
    id: 'db-interactive',
    // Reached only when no SQL was given (the rules above catch -c, -e, heredocs and file names).
    tools: w('psql mysql mariadb sqlite3 mongosh mongo clickhouse-client'),
    effect: 'write',
    reason: 'opens an interactive session where anything can be typed',
    overridable: true,
  },
  {
    domain: 'shell',
    id: 'redis-read',
    tools: w('redis-cli valkey-cli keydb-cli'),
    when: redisRead,
    effect: 'read',
    reason: 'reads keys, stats or server info',
  },
  {
    domain: 'shell',
    id: 'redis-write',
    tools: w('redis-cli valkey-cli keydb-cli'),
    effect: 'write',
    reason: 'changes keys or server state (or is a command not known to be read-only)',
  },

  // --- Kubernetes ------------------------------------------------------------------------------------
  {
    domain: 'shell',
    id: 'kubectl-read',
    tools: w('kubectl oc'),
    when: subIn(
      'get describe logs top explain api-resources api-versions version cluster-info events diff wait auth completion whoami status',
    ),
    effect: 'read',
    reason: 'reads cluster state',
  },
  {
    domain: 'shell',
    id: 'kubectl-rollout-read',
    tools: w('kubectl oc'),
    when: sub2In('rollout', 'status history'),
    effect: 'read',
    reason: 'reads rollout state',
  },
  {
    domain: 'shell',
    id: 'kubectl-rollout-write',
    tools: w('kubectl oc'),
    when: subIn('rollout'),
    effect: 'write',
    reason: 'restarts, rolls back, pauses or resumes a workload',
  },
  {
    domain: 'shell',
    id: 'kubectl-config-read',
    tools: w('kubectl oc'),
    when: sub2In('config', 'view get-contexts current-context get-clusters get-users'),
    effect: 'read',
    reason: 'reads the local kubeconfig',
  },
  {
    domain: 'shell',
    id: 'kubectl-tunnel',
    tools: w('kubectl oc'),
    when: subIn('port-forward proxy'),
    effect: 'read',
    reason: 'opens a local tunnel; changes nothing in the cluster',
  },
  {
    domain: 'shell',
    id: 'kubectl-write',
    tools: w('kubectl oc'),
    when: subIn(
      'delete scale apply patch edit drain cordon uncordon taint label annotate create replace set autoscale expose run cp debug attach certificate config kustomize',
    ),
    effect: 'write',
    reason: 'changes cluster state',
  },
  {
    domain: 'shell',
    id: 'helm-read',
    tools: w('helm'),
    when: (c) =>
      subIn('list ls status history get show template search version env lint diff verify')(c) ||
      sub2In('repo', 'list')(c) ||
      sub2In('dependency', 'list')(c),
    effect: 'read',
    reason: 'reads releases or charts',
  },
  {
    domain: 'shell',
    id: 'helm-write',
    tools: w('helm'),
    when: subIn(
      'install upgrade rollback uninstall delete repo dependency plugin push pull package registry test',
    ),
    effect: 'write',
    reason: 'installs, upgrades or removes releases',
  },

  // --- Containers ------------------------------------------------------------------------------------
  {
    domain: 'shell',
    id: 'docker-read',
    tools: w('docker podman nerdctl'),
    when: (c) =>
      subIn('ps stats logs inspect top images info version events port diff history search')(c) ||
      sub2In('container', 'ls list ps inspect logs stats top port diff')(c) ||
      sub2In('image', 'ls list inspect history')(c) ||
      sub2In('network', 'ls list inspect')(c) ||
      sub2In('volume', 'ls list inspect')(c) ||
      sub2In('system', 'df info events')(c) ||
      sub2In('compose', 'ps logs config top images ls version port events')(c),
    effect: 'read',
    reason: 'reads container state',
  },
  {
    domain: 'shell',
    id: 'docker-write',
    tools: w('docker podman nerdctl'),
    when: subIn(
      'rm rmi stop kill restart start pause unpause run create update rename commit push pull build tag load import cp attach prune container image network volume system compose swarm service stack node login logout buildx builder context plugin secret config wait',
    ),
    effect: 'write',
    reason: 'changes containers, images or their runtime',
  },
  {
    domain: 'shell',
    id: 'crictl-read',
    tools: w('crictl'),
    when: subIn('ps pods images img inspect inspectp inspecti logs stats statsp info version imagefsinfo'),
    effect: 'read',
    reason: 'reads container runtime state',
  },

  // --- Services and processes ------------------------------------------------------------------------
  {
    domain: 'shell',
    id: 'systemctl-read',
    tools: w('systemctl'),
    when: (c) =>
      !sub(c) ||
      subIn(
        'status show is-active is-enabled is-failed is-system-running list-units list-unit-files list-timers list-sockets list-dependencies list-jobs list-machines cat show-environment get-default help',
      )(c),
    effect: 'read',
    reason: 'reads service state',
  },
  {
    domain: 'shell',
    id: 'systemctl-write',
    tools: w('systemctl'),
    effect: 'write',
    reason: 'starts, stops, restarts or reconfigures services',
  },
  {
    domain: 'shell',
    id: 'service-read',
    tools: w('service'),
    when: (c) => ['status', '--status-all'].includes(sub(c, 1)) || c.has('--status-all'),
    effect: 'read',
    reason: 'reads service state',
  },
  {
    domain: 'shell',
    id: 'service-write',
    tools: w('service'),
    effect: 'write',
    reason: 'starts, stops or restarts a service',
  },
  {
    domain: 'shell',
    id: 'journalctl-write',
    tools: w('journalctl'),
    when: (c) =>
      c.args.some((a) =>
        /^--(vacuum-size|vacuum-time|vacuum-files|rotate|flush|sync|relinquish-var|setup-keys|update-catalog)/.test(
          a,
        ),
      ),
    effect: 'write',
    reason: 'deletes, rotates or flushes journal files',
  },
  { domain: 'shell', id: 'journalctl-read', tools: w('journalctl'), effect: 'read', reason: 'reads logs' },
  {
    domain: 'shell',
    id: 'kill-probe',
    tools: w('kill'),
    when: (c) => c.has('-0', '-l', '-L', '--list', '--table'),
    effect: 'read',
    reason: 'only checks that a process exists, or lists signals',
  },
  {
    domain: 'shell',
    id: 'kill-write',
    tools: w('kill pkill killall skill xkill'),
    effect: 'write',
    reason: 'signals processes (usually ends them)',
  },
  {
    domain: 'shell',
    id: 'fuser-kill',
    tools: w('fuser'),
    when: (c) => c.hasShort('k') || c.has('--kill'),
    effect: 'write',
    reason: 'kills the processes using a file',
  },
  {
    domain: 'shell',
    id: 'power-write',
    tools: w('reboot shutdown halt poweroff init telinit'),
    effect: 'write',
    reason: 'reboots or stops the machine',
  },

  // --- JVM -------------------------------------------------------------------------------------------
  {
    domain: 'shell',
    id: 'jcmd-read',
    tools: w('jcmd'),
    when: (c) =>
      !c.has('-f') && (c.positional.length < 2 || c.has('-l', '-h', '--help') || JCMD_READ.has(sub(c, 1))),
    effect: 'read',
    reason: 'reads JVM diagnostics',
  },
  {
    domain: 'shell',
    id: 'jcmd-gc',
    tools: w('jcmd'),
    when: (c) => /^(GC\.run|GC\.run_finalization|VM\.gc)$/.test(sub(c, 1)),
    effect: 'write',
    reason: 'forces a garbage collection in the live JVM',
  },
  {
    domain: 'shell',
    id: 'jcmd-heap-dump',
    tools: w('jcmd'),
    when: (c) => sub(c, 1) === 'GC.heap_dump',
    effect: 'write',
    reason: 'pauses the live JVM while the whole heap is written to disk',
  },
  {
    domain: 'shell',
    id: 'jcmd-class-histogram',
    tools: w('jcmd'),
    when: (c) => sub(c, 1) === 'GC.class_histogram' && !c.args.includes('-all'),
    effect: 'write',
    reason: 'forces a full GC in the live JVM before counting live objects',
  },
  {
    domain: 'shell',
    id: 'jcmd-jfr',
    tools: w('jcmd'),
    when: (c) => /^JFR\.(start|stop|dump|configure)$/.test(sub(c, 1)),
    effect: 'write',
    reason: 'starts, stops or dumps a flight recording in the live JVM',
  },
  {
    domain: 'shell',
    id: 'jcmd-vm-change',
    tools: w('jcmd'),
    when: (c) =>
      /^(VM\.set_flag|VM\.log|ManagementAgent\.|VM\.unlock_commercial_features|Compiler\.directives_(add|remove|clear)|System\.)/.test(
        sub(c, 1),
      ),
    effect: 'write',
    reason: "changes the live JVM's settings",
  },
  {
    domain: 'shell',
    id: 'jmap-dump',
    tools: w('jmap jhsdb'),
    when: (c) => c.args.some((a) => a.startsWith('-dump')),
    effect: 'write',
    reason: 'pauses the live JVM while the whole heap is written to disk',
  },
  {
    domain: 'shell',
    id: 'jmap-histo-live',
    tools: w('jmap'),
    when: (c) => c.args.some((a) => a.startsWith('-histo:live')),
    effect: 'write',
    reason: 'forces a full GC in the live JVM before counting live objects',
  },
  {
    domain: 'shell',
    id: 'jinfo-write',
    tools: w('jinfo'),
    when: (c) => c.args.some((a, i) => a === '-flag' && /^[+-]|=/.test(c.args[i + 1] ?? '')),
    effect: 'write',
    reason: 'changes a flag of the live JVM',
  },
  {
    domain: 'shell',
    id: 'jvm-read',
    tools: w('jmap jstack jstat jps jinfo jhsdb'),
    effect: 'read',
    reason: 'reads JVM state (brief safepoint pauses at most)',
  },

  // --- Profilers and tracers -------------------------------------------------------------------------
  {
    domain: 'shell',
    id: 'profiler-read',
    tools: w('py-spy perf strace ltrace tcpdump pstack gstack iotop iftop nethogs pidstat rbspy austin'),
    when: (c) =>
      c.tool !== 'perf' ||
      subIn('record stat top report script list annotate trace mem sched lock kmem c2c diff evlist')(c),
    effect: 'read',
    reason: 'samples or traces a running process (it may slow down while attached), changes nothing',
  },

  // --- GPUs ------------------------------------------------------------------------------------------
  {
    domain: 'shell',
    id: 'nvidia-smi-write',
    tools: w('nvidia-smi'),
    // dmon/pmon read samples: there `-c N` is a sample count, not --compute-mode.
    when: (c) =>
      (!subIn('dmon pmon')(c) &&
        c.args.some((a) =>
          /^(-r|--gpu-reset|-pm|--persistence-mode|-pl|--power-limit|-ac|--applications-clocks|-rac|--reset-applications-clocks|-lgc|--lock-gpu-clocks|-rgc|--reset-gpu-clocks|-lmc|--lock-memory-clocks|-rmc|--reset-memory-clocks|-c|--compute-mode|-e|--ecc-config|-mig|--multi-instance-gpu|-acp|--applications-clocks-permission|--auto-boost-default|--auto-boost-permission|-am|--accounting-mode|-caa|--clear-accounted-apps|-p|--reset-ecc-errors)(=|$)/.test(
            a,
          ),
        )) ||
      (subIn('mig drain vgpu')(c) && c.args.some((a) => /^-(cgi|cci|dgi|dci|r)$/.test(a))),
    effect: 'write',
    reason: 'changes GPU settings or resets a GPU',
  },
  {
    domain: 'shell',
    id: 'gpu-read',
    tools: w('nvidia-smi gpustat nvtop nvidia-debugdump rocm-smi'),
    when: (c) => c.tool !== 'rocm-smi' || !c.args.some((a) => /^--(set|reset)|^-r$/.test(a)),
    effect: 'read',
    reason: 'reads GPU state',
  },

  // --- HTTP and network ------------------------------------------------------------------------------
  {
    domain: 'shell',
    id: 'curl-write',
    tools: w('curl'),
    when: curlWrites,
    effect: 'write',
    reason: 'sends data or uses a method other than GET',
  },
  { domain: 'shell', id: 'curl-read', tools: w('curl'), effect: 'read', reason: 'fetches a URL' },
  {
    domain: 'shell',
    id: 'wget-write',
    tools: w('wget'),
    when: (c) => c.args.some((a) => /^--(post-data|post-file|method|body-data|body-file)/.test(a)),
    effect: 'write',
    reason: 'sends data',
  },
  {
    domain: 'shell',
    id: 'wget-read',
    tools: w('wget'),
    when: (c) =>
      c.args.some(
        (a, i) =>
          a === '--spider' ||
          a === '-O-' ||
          a === '-qO-' ||
          a === '--output-document=-' ||
          (a === '-O' && c.args[i + 1] === '-') ||
          /^-[a-zA-Z]*O-$/.test(a),
      ),
    effect: 'read',
    reason: 'fetches a URL to the terminal',
  },
  {
    domain: 'shell',
    id: 'wget-download',
    tools: w('wget'),
    effect: 'write',
    reason: 'saves a file in the working directory',
  },
  {
    domain: 'shell',
    id: 'db-probe',
    tools: w('pg_isready mysqladmin'),
    when: (c) =>
      c.tool === 'pg_isready' || subIn('ping status processlist variables extended-status version')(c),
    effect: 'read',
    reason: 'only checks that a database answers, or reads its status',
  },
  {
    domain: 'shell',
    id: 'nc-scan',
    tools: w('nc ncat netcat'),
    when: (c) => c.hasShort('z'),
    effect: 'read',
    reason: 'only checks that a port is open',
  },
  {
    domain: 'shell',
    id: 'network-read',
    tools: w(
      'ping ping6 traceroute tracepath mtr dig nslookup host ss netstat nstat arp whois drill resolvectl getent',
    ),
    effect: 'read',
    reason: 'probes or lists network state',
  },
  {
    domain: 'shell',
    id: 'openssl-read',
    tools: w('openssl'),
    when: subIn('s_client x509 version ciphers verify crl asn1parse s_time errstr list'),
    effect: 'read',
    reason: 'inspects certificates or TLS connections',
  },
  {
    domain: 'shell',
    id: 'ip-write',
    tools: w('ip'),
    when: (c) =>
      c.positional.some((a) =>
        /^(add|del|delete|set|change|replace|flush|append|prepend|up|down|save|restore)$/.test(a),
      ),
    effect: 'write',
    reason: 'changes network configuration',
  },
  { domain: 'shell', id: 'ip-read', tools: w('ip'), effect: 'read', reason: 'reads network configuration' },
  {
    domain: 'shell',
    id: 'ifconfig-read',
    tools: w('ifconfig iwconfig route'),
    when: (c) => c.positional.length <= 1,
    effect: 'read',
    reason: 'reads network configuration',
  },
  {
    domain: 'shell',
    id: 'firewall-read',
    tools: w('iptables ip6tables iptables-save ip6tables-save nft ufw'),
    when: (c) =>
      c.tool.endsWith('-save') ||
      c.has('-L', '--list', '-S', '--list-rules', '-nL', '-nvL', '-vnL', '-Ln') ||
      subIn('list status')(c),
    effect: 'read',
    reason: 'lists firewall rules',
  },
  {
    domain: 'shell',
    id: 'ethtool-read',
    tools: w('ethtool'),
    when: (c) =>
      !c.args.some((a) =>
        /^(-s|-K|-G|-A|-C|-L|-E|-s|--change|--features|--offload|--set-ring|--pause|--coalesce|--set-channels|--change-eeprom|-r|--negotiate|-f|--flash|-p|--identify|-W|--set-dump|-X|--set-rxfh-indir)$/.test(
          a,
        ),
      ),
    effect: 'read',
    reason: 'reads network interface settings',
  },

  // --- Cloud CLIs ------------------------------------------------------------------------------------
  {
    domain: 'shell',
    id: 'cloud-read',
    tools: w('aws gcloud az doctl oci'),
    when: cloudReads,
    effect: 'read',
    reason: 'describes or lists cloud resources',
  },

  // --- Files, text and system information ------------------------------------------------------------
  {
    domain: 'shell',
    id: 'in-place-edit',
    tools: w('sed gsed awk gawk sort yq perl'),
    when: (c) =>
      ((c.tool === 'sed' || c.tool === 'gsed' || c.tool === 'perl') &&
        (c.hasShort('i') || c.args.some((a) => a.startsWith('--in-place')))) ||
      ((c.tool === 'awk' || c.tool === 'gawk') &&
        c.args.some((a, i) => (a === '-i' && c.args[i + 1] === 'inplace') || a === '-iinplace')) ||
      (c.tool === 'sort' && (c.has('-o', '--output') || c.args.some((a) => /^-o./.test(a)))) ||
      (c.tool === 'yq' && (c.hasShort('i') || c.has('--inplace'))),
    effect: 'write',
    reason: 'edits a file in place',
  },
  {
    domain: 'shell',
    id: 'archive-list',
    tools: w('tar unzip zipinfo gzip zcat lsar'),
    when: (c) =>
      (c.tool === 'tar' &&
        (c.has('--list') ||
          c.args.some((a) => /^-[A-Za-z]*t/.test(a)) ||
          /^[A-Za-z]*t[A-Za-z]*$/.test(c.args[0] ?? ''))) ||
      (c.tool === 'unzip' && c.hasShort('l')) ||
      (c.tool === 'gzip' && c.hasShort('l')) ||
      ['zipinfo', 'zcat', 'lsar'].includes(c.tool),
    effect: 'read',
    reason: 'lists an archive',
  },
  {
    domain: 'shell',
    id: 'fs-write',
    tools: w(
      'rm rmdir unlink shred mv cp dd truncate chmod chown chgrp chattr setfacl ln mkdir touch install rsync scp sftp tee tar zip unzip gzip gunzip bzip2 xz fallocate mkfifo mknod patch split logrotate wipefs fstrim sync',
    ),
    effect: 'write',
    reason: 'creates, changes or deletes files',
  },
  {
    domain: 'shell',
    id: 'disk-write',
    tools:
      /^(mkfs(\..+)?|mkswap|fdisk|parted|sfdisk|gdisk|lvcreate|lvremove|lvextend|lvresize|vgcreate|pvcreate|resize2fs|xfs_growfs|tune2fs|e2fsck|fsck(\..+)?|umount|swapoff|swapon)$/,
    effect: 'write',
    reason: 'changes disks, filesystems or mounts',
  },
  {
    domain: 'shell',
    id: 'mount-read',
    tools: w('mount findmnt'),
    when: (c) => c.tool === 'findmnt' || (c.positional.length === 0 && !c.has('-a', '--all')),
    effect: 'read',
    reason: 'lists mounts',
  },
  { domain: 'shell', id: 'mount-write', tools: w('mount'), effect: 'write', reason: 'mounts a filesystem' },
  {
    domain: 'shell',
    id: 'sysctl-write',
    tools: w('sysctl'),
    when: (c) =>
      c.has('-w', '--write', '-p', '--load', '--system') || c.positional.some((a) => a.includes('=')),
    effect: 'write',
    reason: 'changes kernel parameters',
  },
  {
    domain: 'shell',
    id: 'system-setting-write',
    tools: w('date hostname hostnamectl timedatectl dmesg setenforce modprobe insmod rmmod'),
    when: (c) =>
      (c.tool === 'date' && c.has('-s', '--set')) ||
      (c.tool === 'hostname' && c.positional.length > 0) ||
      ((c.tool === 'hostnamectl' || c.tool === 'timedatectl') && sub(c).startsWith('set-')) ||
      (c.tool === 'dmesg' &&
        c.has(
          '-c',
          '-C',
          '--clear',
          '--read-clear',
          '-D',
          '--console-off',
          '-E',
          '--console-on',
          '-n',
          '--console-level',
        )) ||
      ['setenforce', 'modprobe', 'insmod', 'rmmod'].includes(c.tool),
    effect: 'write',
    reason: 'changes a system setting',
  },
  {
    domain: 'shell',
    id: 'package-read',
    tools: w(
      'apt apt-get apt-cache dpkg dpkg-query rpm yum dnf apk zypper pip pip3 npm yarn pnpm gem brew conda snap',
    ),
    when: (c) =>
      c.tool === 'apt-cache' ||
      c.tool === 'dpkg-query' ||
      subIn(
        'list show search info freeze ls outdated view policy why check config help depends rdepends madison',
      )(c) ||
      c.has('--version', '-l', '-L', '-s', '-q', '-qa', '-qi', '-ql', '--list', '--status', '--query'),
    effect: 'read',
    reason: 'lists or shows packages',
  },
  {
    domain: 'shell',
    id: 'package-write',
    tools: w('apt apt-get dpkg rpm yum dnf apk zypper pip pip3 npm yarn pnpm gem brew conda snap'),
    effect: 'write',
    reason: 'installs, upgrades or removes packages',
  },
  {
    domain: 'shell',
    id: 'git-read',
    tools: w('git'),
    when: (c) =>
      subIn(
        'status log diff show rev-parse blame describe ls-files ls-remote shortlog reflog grep version help cat-file ls-tree whatchanged',
      )(c) ||
      (subIn('branch tag remote stash')(c) &&
        c.positional.length === 1 &&
        !c.args.some((a) => /^-[dDmMf]$|^--(delete|move|force)/.test(a))) ||
      sub2In('remote', '-v show')(c) ||
      sub2In('stash', 'list show')(c) ||
      sub2In('config', '--get --list -l --get-all')(c),
    effect: 'read',
    reason: 'reads the repository',
  },
  {
    domain: 'shell',
    id: 'git-write',
    tools: w('git'),
    effect: 'write',
    reason: 'changes the repository or a remote',
  },
  {
    domain: 'shell',
    id: 'interpreter-version',
    tools: w('python python2 python3 node ruby perl php java go deno bun Rscript lua bash sh zsh'),
    when: (c) => c.args.length === 1 && /^(-V|--version|-v|version)$/.test(c.args[0]!),
    effect: 'read',
    reason: 'prints its version',
  },
  {
    domain: 'shell',
    id: 'interpreter-code',
    tools: w(
      'python python2 python3 pypy pypy3 ipython node ruby perl php java go deno bun Rscript lua bash sh zsh dash ksh fish source . make ansible ansible-playbook terraform npx uv poetry pipenv tsx ts-node',
    ),
    effect: 'write',
    reason: 'runs a program or code that this parser cannot see into',
    overridable: true,
  },
  {
    domain: 'shell',
    id: 'text-read',
    tools: w(
      'cat tac head tail less more most grep egrep fgrep zgrep rg ag ack wc cut tr uniq sort jq yq column nl paste join comm fold fmt expand unexpand rev strings od xxd hexdump base64 md5sum sha1sum sha256sum sha512sum cksum diff cmp zless bzcat xzcat awk gawk mawk sed gsed seq echo printf expr bc dc basename dirname realpath readlink stat file tree ls dir du df find locate bat xmllint iconv numfmt tput',
    ),
    effect: 'read',
    reason: 'reads or filters text and files',
  },
  {
    domain: 'shell',
    id: 'system-info-read',
    tools: w(
      'ps pgrep pidof top htop atop btop glances free vmstat iostat mpstat sar uptime uname whoami id groups w who last lastlog date hostname hostnamectl timedatectl lscpu lsblk lsmem lspci lsusb lsmod lsof lslocks lsns lsipc numastat nproc getconf locale dmesg sysctl ipcs pmap smem slabtop fuser blkid dmidecode lshw hwinfo sensors getenforce sestatus systemd-analyze loginctl coredumpctl tty logname',
    ),
    effect: 'read',
    reason: 'reads system or process information',
  },
  {
    domain: 'shell',
    id: 'shell-builtin',
    tools: w(
      'cd pushd popd export unset set shopt alias unalias local declare typeset readonly read wait sleep pwd exit return shift history jobs true false : test [ [[ let trap break continue getopts mapfile readarray dirs disown fg bg clear reset ulimit umask',
    ),
    effect: 'read',
    reason: "changes only this shell's own state",
  },

  // --- SQL -------------------------------------------------------------------------------------------
  {
    domain: 'sql',
    id: 'psql-meta-shell',
    when: (s) => s.meta?.name === '!',
    effect: 'inner',
    reason: 'runs a shell command',
    inner: (s) => (s.meta?.args.trim() ? [{ kind: 'shell', text: s.meta.args }] : []),
  },
  {
    domain: 'sql',
    id: 'psql-meta-read',
    when: (s) =>
      s.meta !== undefined &&
      PSQL_META_READ.test(s.meta.name) &&
      !(s.meta.name === 'g' && s.meta.args.trim() !== ''),
    effect: 'read',
    reason: 'a psql display or session command',
  },
  {
    domain: 'sql',
    id: 'psql-meta-write',
    when: (s) => s.meta !== undefined,
    effect: 'write',
    reason: 'a psql command that runs a file, writes output to a file, copies data or runs query results',
  },
  {
    domain: 'sql',
    id: 'sql-admin-function',
    when: (s) => [...s.funcs].some((f) => SQL_ADMIN_FUNCS.has(f)),
    effect: 'write',
    reason:
      'calls a function that changes server state (ends sessions, reloads config, resets stats, advances sequences, ...)',
  },
  {
    domain: 'sql',
    id: 'sql-explain-analyze',
    when: (s) => explainTarget(s)?.analyze === true,
    effect: 'inner',
    reason: 'EXPLAIN ANALYZE runs the statement',
    inner: (s) => [{ kind: 'sql', text: s.text.slice(explainTarget(s)!.at) }],
  },
  {
    domain: 'sql',
    id: 'sql-explain',
    when: firstIn('EXPLAIN'),
    effect: 'read',
    reason: 'only plans the statement; does not run it',
  },
  {
    domain: 'sql',
    id: 'sql-select-into',
    when: (s) => firstIn('SELECT')(s) && s.words.includes('INTO'),
    effect: 'write',
    reason: 'creates a table from the result',
  },
  {
    domain: 'sql',
    id: 'sql-locking-read',
    when: (s) =>
      firstIn('SELECT WITH')(s) &&
      s.words.some((w, i) => w === 'FOR' && ['UPDATE', 'SHARE', 'NO', 'KEY'].includes(s.words[i + 1] ?? '')),
    effect: 'write',
    reason: 'locks the rows it reads',
  },
  {
    domain: 'sql',
    id: 'sql-cte-dml',
    when: (s) =>
      firstIn('WITH')(s) && s.words.some((w) => ['INSERT', 'UPDATE', 'DELETE', 'MERGE'].includes(w)),
    effect: 'write',
    reason: 'changes data (data-modifying WITH)',
  },
  {
    domain: 'sql',
    id: 'sql-read',
    when: firstIn('SELECT WITH SHOW TABLE VALUES DESCRIBE DESC FETCH MOVE'),
    effect: 'read',
    reason: 'reads data or settings',
  },
  {
    domain: 'sql',
    id: 'sql-copy-out',
    when: (s) => firstIn('COPY')(s) && s.words.some((w, i) => w === 'TO' && s.words[i + 1] === 'STDOUT'),
    effect: 'read',
    reason: 'copies data out to the client',
  },
  {
    domain: 'sql',
    id: 'sql-set-global',
    when: (s) =>
      firstIn('SET')(s) &&
      (['GLOBAL', 'PERSIST', 'PERSIST_ONLY'].includes(s.words[1] ?? '') ||
        (s.words[1] === '@' && s.words[2] === '@' && /^(GLOBAL|PERSIST)/.test(s.words[3] ?? ''))),
    effect: 'write',
    reason: 'changes a server-wide setting',
  },
  {
    domain: 'sql',
    id: 'sql-session',
    when: firstIn(
      'SET RESET DISCARD USE BEGIN START COMMIT ROLLBACK END ABORT SAVEPOINT RELEASE LISTEN UNLISTEN DEALLOCATE PREPARE DECLARE CLOSE',
    ),
    effect: 'read',
    reason: 'changes only this session (settings, transaction, cursors)',
  },
  {
    domain: 'sql',
    id: 'sql-dml',
    when: firstIn('INSERT UPDATE DELETE MERGE UPSERT REPLACE LOAD COPY'),
    effect: 'write',
    reason: 'changes data',
  },
  {
    domain: 'sql',
    id: 'sql-create-index',
    when: (s) =>
      firstIn('CREATE')(s) && (s.words[1] === 'INDEX' || (s.words[1] === 'UNIQUE' && s.words[2] === 'INDEX')),
    effect: 'write',
    reason: 'builds an index: locks or loads the table while it runs',
  },
  {
    domain: 'sql',
    id: 'sql-ddl',
    when: firstIn('CREATE ALTER DROP TRUNCATE RENAME COMMENT GRANT REVOKE SECURITY IMPORT REASSIGN'),
    effect: 'write',
    reason: 'changes the schema, data or permissions',
  },
  {
    domain: 'sql',
    id: 'sql-maintenance',
    when: firstIn('VACUUM ANALYZE ANALYSE REINDEX CLUSTER CHECKPOINT REFRESH OPTIMIZE REPAIR FLUSH'),
    effect: 'write',
    reason: 'does maintenance work on the live database (locks, I/O, new statistics)',
  },
  { domain: 'sql', id: 'sql-lock', when: firstIn('LOCK'), effect: 'write', reason: 'takes a table lock' },
  {
    domain: 'sql',
    id: 'sql-server-code',
    when: firstIn('DO CALL EXECUTE EXEC NOTIFY'),
    effect: 'write',
    reason: 'runs server-side code',
  },
  {
    domain: 'sql',
    id: 'sql-kill',
    when: firstIn('KILL'),
    effect: 'write',
    reason: 'ends a session or query',
  },
  {
    domain: 'sql',
    id: 'sql-unknown',
    effect: 'write',
    reason: 'not a known read-only statement, so it asks first',
    overridable: true,
  },

  // --- Scripts ---------------------------------------------------------------------------------------
  {
    domain: 'script',
    id: 'script-code',
    effect: 'write',
    reason: 'runs code that nobody can judge without running it, so it asks first',
    overridable: true,
  },
];

export function ruleById(id: string): EffectRule {
  const r = EFFECT_RULES.find((x) => x.id === id);
  if (!r) throw new Error(`no effect rule "${id}"`);
  return r;
}
