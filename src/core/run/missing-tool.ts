// "command not found" turned into a sentence a person can act on.

/** How to get the tools runbooks commonly call. */
export const INSTALL_HINTS: Readonly<Record<string, string>> = {
  'py-spy': 'pip install py-spy',
  austin: 'pip install austin-dist',
  memray: 'pip install memray',
  kubectl: 'see https://kubernetes.io/docs/tasks/tools/ (or: brew install kubectl / apt-get install kubectl)',
  helm: 'see https://helm.sh/docs/intro/install/',
  docker: 'install Docker Engine or Docker Desktop',
  'nvidia-smi': 'comes with the NVIDIA driver; install the driver for this GPU',
  gpustat: 'pip install gpustat',
  nvtop: 'apt-get install nvtop',
  jcmd: 'part of a JDK (not a JRE): apt-get install openjdk-17-jdk-headless',
  jmap: 'part of a JDK (not a JRE): apt-get install openjdk-17-jdk-headless',
  jstack: 'part of a JDK (not a JRE): apt-get install openjdk-17-jdk-headless',
  jstat: 'part of a JDK (not a JRE): apt-get install openjdk-17-jdk-headless',
  'redis-cli': 'apt-get install redis-tools (or: brew install redis)',
  psql: 'apt-get install postgresql-client (or: brew install libpq)',
  pg_dump: 'apt-get install postgresql-client (or: brew install libpq)',
  mysql: 'apt-get install mysql-client',
  perf: 'apt-get install linux-perf (or linux-tools-$(uname -r))',
  strace: 'apt-get install strace',
  ltrace: 'apt-get install ltrace',
  gdb: 'apt-get install gdb',
  lsof: 'apt-get install lsof',
  jq: 'apt-get install jq (or: brew install jq)',
  curl: 'apt-get install curl',
  dig: 'apt-get install dnsutils',
  tcpdump: 'apt-get install tcpdump',
  iostat: 'apt-get install sysstat',
  vmstat: 'apt-get install procps',
  htop: 'apt-get install htop',
  aws: 'see https://aws.amazon.com/cli/',
  gcloud: 'see https://cloud.google.com/sdk/docs/install',
  az: 'see https://learn.microsoft.com/cli/azure/install-azure-cli',
  python3: 'apt-get install python3',
  node: 'see https://nodejs.org/',
  '0x': 'npm install -g 0x',
  clinic: 'npm install -g clinic',
};

/** The tool a shell could not find, from its exit code and stderr; null when that is not what happened. */
export function missingToolFrom(exitCode: number | null, stderr: string): string | null {
  if (exitCode !== 127) return null;
  // bash: "bash: line 1: py-spy: command not found"; dash: "sh: 1: py-spy: not found";
  // zsh: "zsh:1: command not found: py-spy"; env/exec: "env: 'py-spy': No such file or directory"
  const patterns = [
    /command not found: (\S+)/,
    /(?:^|\n)[^\n]*?:\s*([^\s:]+): command not found/,
    /(?:^|\n)[^\n]*?: \d+: ([^\s:]+): not found/,
    /(?:^|\n)[^\n:]+: '?([^\s':]+)'?: No such file or directory/,
  ];
  for (const re of patterns) {
    const m = re.exec(stderr);
    if (m) return m[1]!;
  }
  return null;
}

export function missingToolMessage(tool: string): string {
  const hint = INSTALL_HINTS[tool] ?? INSTALL_HINTS[tool.replace(/^.*\//, '')];
  return `${tool} is not installed (or not on PATH)${hint ? `. To install: ${hint}` : ''}`;
}
