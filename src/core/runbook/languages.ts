// Which code blocks are steps, and of which kind, from the fence's language.
//   command: bash sh shell zsh ksh dash fish (scripts) and console / shell-session / terminal (transcripts)
//   query:   sql postgresql postgres psql pgsql plpgsql mysql sqlite
//   script:  interpreted languages run as a whole: python, node/javascript, typescript, ruby, perl,
//            php, powershell, lua, r
//   none:    data, config and output (json, yaml, text, log, ...), and compiled languages (go, java, ...)
//            whose snippets are examples rather than something to run
// A block without a language is a command step when its first line looks like shell (a prompt or a
// well-known command), a query step when it starts with an upper-case SQL keyword, and nothing
// otherwise (most bare blocks are sample output).

export type BlockKind =
  | { readonly kind: 'command'; readonly transcript: boolean }
  | { readonly kind: 'query' }
  | { readonly kind: 'script' };

const SHELL = new Set(['bash', 'sh', 'shell', 'zsh', 'ksh', 'dash', 'fish', 'shellscript', 'bourne']);
const TRANSCRIPT = new Set([
  'console',
  'shell-session',
  'shellsession',
  'sh-session',
  'bash-session',
  'terminal',
  'session',
]);
const SQL = new Set([
  'sql',
  'postgresql',
  'postgres',
  'psql',
  'pgsql',
  'plpgsql',
  'mysql',
  'sqlite',
  'sqlite3',
  'mariadb',
]);
const SCRIPT = new Set([
  'python',
  'py',
  'python3',
  'py3',
  'ipython',
  'node',
  'nodejs',
  'js',
  'javascript',
  'mjs',
  'cjs',
  'ts',
  'typescript',
  'ruby',
  'rb',
  'perl',
  'pl',
  'php',
  'powershell',
  'pwsh',
  'ps1',
  'lua',
  'r',
]);

/** Commands that, at the start of a bare block, make it shell. Kept to unambiguous names: `top` or
 * `free` would also start their own output. */
const SHELL_STARTERS = new Set(
  (
    'kubectl oc helm docker podman crictl systemctl journalctl service sudo curl wget psql mysql redis-cli ' +
    'jcmd jmap jstack jstat jps py-spy perf strace nvidia-smi gpustat ps pgrep grep egrep cat tail less ls ' +
    'cd export git aws gcloud az gsutil ssh scp python python3 node npm npx pip pip3 apt apt-get yum dnf ' +
    'echo df du netstat ss dig nslookup ping traceroute kill pkill killall rm mv cp mkdir chmod chown find ' +
    'awk sed head vmstat iostat lsof openssl tar unzip make crontab mount uname hostname dmesg tcpdump ' +
    'iptables ip ifconfig nc telnet sysctl ulimit watch timeout xargs env source terraform ansible ' +
    'ansible-playbook brew mongosh sqlite3 jq yq htop iotop mpstat pidstat sar numactl lscpu lsblk'
  ).split(' '),
);

const SQL_START =
  /^\s*(SELECT|WITH|EXPLAIN|SHOW|CREATE|ALTER|DROP|INSERT|UPDATE|DELETE|VACUUM|ANALYZE|TRUNCATE|GRANT|REVOKE|BEGIN|SET)\b/;

export function classifyBlock(language: string | null, content: string): BlockKind | null {
  if (language) {
    const l = language.toLowerCase();
    if (SHELL.has(l)) return { kind: 'command', transcript: false };
    if (TRANSCRIPT.has(l)) return { kind: 'command', transcript: true };
    if (SQL.has(l)) return { kind: 'query' };
    if (SCRIPT.has(l)) return { kind: 'script' };
    return null;
  }
  const line = firstCodeLine(content);
  if (line === undefined) return null;
  if (/^\$\s+\S/.test(line)) return { kind: 'command', transcript: false };
  const word = /^(?:sudo\s+)?([A-Za-z0-9_.-]+)/.exec(line)?.[1];
  if (word && SHELL_STARTERS.has(word) && /^\S+(\s|$)/.test(line))
    return { kind: 'command', transcript: false };
  if (SQL_START.test(line)) return { kind: 'query' };
  return null;
}

function firstCodeLine(content: string): string | undefined {
  let from = 0;
  for (let k = 0; k < 50 && from <= content.length; k++) {
    const e = content.indexOf('\n', from);
    const line = content.slice(from, e < 0 ? content.length : e).trim();
    if (line && !line.startsWith('#') && !line.startsWith('--')) return line;
    if (e < 0) break;
    from = e + 1;
  }
  return undefined;
}
