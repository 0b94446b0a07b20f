// One group of cases per rule in EFFECT_RULES (a test fails when a rule has none). Each case: the
// command, the expected effect, and the rule that decides it (for wrappers: the rule of what runs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EFFECT_RULES } from './effects';
import { shellTextVerdict, sqlVerdict, scriptVerdict, type Verdict } from './effect-eval';

type Case = readonly [input: string, effect: 'read' | 'write', decidedBy: string];

const SHELL: Record<string, readonly Case[]> = {
  'output-redirection': [
    ['kubectl get pods -o yaml > pods.yaml', 'write', 'output-redirection'],
    ['jstack 1234 >> stacks.txt', 'write', 'output-redirection'],
    ['kubectl get pods 2>/dev/null', 'read', 'kubectl-read'],
    ['ps aux > /dev/null 2>&1', 'read', 'system-info-read'],
  ],
  'assignment-only': [
    ['NAMESPACE=prod', 'read', 'assignment-only'],
    ['PID=$(pgrep -f java)', 'read', 'system-info-read'],
    ['POD=$(kubectl delete pod x)', 'write', 'kubectl-write'],
  ],
  'no-op': [
    ['', 'read', 'no-op'],
    ['# only a comment', 'read', 'no-op'],
  ],
  'unknown-command': [
    ['frobnicate --all', 'write', 'unknown-command'],
    ['./fix-everything.sh', 'write', 'unknown-command'],
    ['kubectl plugin-that-does-not-exist', 'write', 'unknown-command'],
  ],
  'wrapper-without-command': [
    ['sudo -i', 'write', 'wrapper-without-command'],
    ['ssh bastion.example.com', 'write', 'wrapper-without-command'],
    ['kubectl exec -it web-0 sh', 'write', 'wrapper-without-command'],
  ],
  'too-deep': [['sudo sudo sudo sudo sudo sudo sudo sudo sudo sudo ls', 'write', 'too-deep']],
  'env-print': [
    ['env', 'read', 'env-print'],
    ['printenv PATH', 'read', 'env-print'],
  ],
  'command-lookup': [
    ['command -v kubectl', 'read', 'command-lookup'],
    ['which psql', 'read', 'command-lookup'],
  ],
  'wrapper-sudo': [
    ['sudo systemctl restart nginx', 'write', 'systemctl-write'],
    ['sudo -u postgres psql -c "SELECT 1"', 'read', 'sql-read'],
    ['sudo -E kubectl get pods', 'read', 'kubectl-read'],
  ],
  'wrapper-env': [
    ['env KUBECONFIG=/tmp/k kubectl get nodes', 'read', 'kubectl-read'],
    ['env -i PATH=/usr/bin rm -rf /tmp/x', 'write', 'fs-write'],
  ],
  'wrapper-timeout': [
    ['timeout 5 kubectl get pods', 'read', 'kubectl-read'],
    ['timeout -s KILL 30s kubectl delete pod web-0', 'write', 'kubectl-write'],
  ],
  'process-priority-change': [
    ['renice -n 10 -p 1234', 'write', 'process-priority-change'],
    ['taskset -p 0x3 1234', 'write', 'process-priority-change'],
  ],
  'wrapper-priority': [
    ['nice -n 19 du -sh /var', 'read', 'text-read'],
    ['nohup kill 1234', 'write', 'kill-write'],
    ['time kubectl top pods', 'read', 'kubectl-read'],
  ],
  'wrapper-taskset': [
    ['taskset -c 0-3 stress-ng --cpu 4', 'write', 'unknown-command'],
    ['numactl --hardware', 'read', 'shell-builtin'],
  ],
  'wrapper-xargs': [
    ['kubectl get pods -o name | xargs kubectl delete', 'write', 'kubectl-write'],
    ['ls | xargs', 'read', 'text-read'],
  ],
  'wrapper-watch': [
    ['watch -n 5 kubectl get pods', 'read', 'kubectl-read'],
    ["watch 'kubectl delete pod x'", 'write', 'kubectl-write'],
  ],
  'wrapper-eval': [['eval "kubectl scale deploy web --replicas=0"', 'write', 'kubectl-write']],
  'wrapper-su': [
    ['su - postgres -c \'psql -c "DROP TABLE t"\'', 'write', 'sql-ddl'],
    ['runuser -u app -- cat /etc/app.conf', 'read', 'text-read'],
  ],
  'wrapper-ssh': [
    ['ssh db1 "sudo systemctl restart postgresql"', 'write', 'systemctl-write'],
    ['ssh -i key.pem ubuntu@host df -h', 'read', 'text-read'],
  ],
  'wrapper-shell-c': [
    ["bash -c 'kubectl get pods | grep Crash'", 'read', 'kubectl-read'],
    ["sh -lc 'rm -rf /tmp/cache'", 'write', 'fs-write'],
  ],
  'kubectl-exec': [
    ['kubectl exec -it web-0 -- jcmd 1 GC.run', 'write', 'jcmd-gc'],
    ['kubectl -n prod exec web-0 -- ps aux', 'read', 'system-info-read'],
  ],
  'docker-exec': [
    ['docker exec -it -e X=1 web ps aux', 'read', 'system-info-read'],
    ['docker exec db psql -U postgres -c "TRUNCATE t"', 'write', 'sql-ddl'],
  ],
  'find-delete': [['find /var/log -name "*.gz" -mtime +7 -delete', 'write', 'find-delete']],
  'find-exec': [
    ['find /tmp -name "*.log" -exec rm {} \\;', 'write', 'fs-write'],
    ['find . -name "*.conf" -exec grep -H timeout {} +', 'read', 'text-read'],
  ],
  'psql-sql': [
    ['psql "$DATABASE_URL" -c "SELECT count(*) FROM pg_stat_activity"', 'read', 'sql-read'],
    ['psql -c "VACUUM ANALYZE orders"', 'write', 'sql-maintenance'],
    ["psql <<'SQL'\nDELETE FROM sessions WHERE expired;\nSQL", 'write', 'sql-dml'],
    ["psql -X <<'SQL'\n\\x\nSELECT * FROM pg_stat_replication;\nSQL", 'read', 'psql-meta-read'],
  ],
  'mysql-sql': [
    ['mysql -e "SHOW PROCESSLIST"', 'read', 'sql-read'],
    ['mysql --execute="KILL 42"', 'write', 'sql-kill'],
  ],
  'clickhouse-sql': [['clickhouse-client --query "SELECT 1"', 'read', 'sql-read']],
  'sqlite-sql': [
    ['sqlite3 app.db "SELECT * FROM jobs"', 'read', 'sql-read'],
    ['sqlite3 app.db "DELETE FROM jobs"', 'write', 'sql-dml'],
  ],
  'psql-list': [['psql -l', 'read', 'psql-list']],
  'psql-file': [['psql -f migrate.sql', 'write', 'psql-file']],
  'db-interactive': [
    ['psql "$DATABASE_URL"', 'write', 'db-interactive'],
    ['sqlite3 app.db', 'write', 'db-interactive'],
  ],
  'redis-read': [
    ['redis-cli INFO memory', 'read', 'redis-read'],
    ['redis-cli -h cache -p 6380 SLOWLOG GET 10', 'read', 'redis-read'],
    ['redis-cli --bigkeys', 'read', 'redis-read'],
  ],
  'redis-write': [
    ['redis-cli FLUSHALL', 'write', 'redis-write'],
    ['redis-cli CONFIG SET maxmemory 2gb', 'write', 'redis-write'],
    ['redis-cli SLOWLOG RESET', 'write', 'redis-write'],
  ],
  'kubectl-read': [
    ['kubectl top pods --sort-by=memory', 'read', 'kubectl-read'],
    ['kubectl -n prod logs deploy/web --tail=100', 'read', 'kubectl-read'],
    ['kubectl --context staging describe node n1', 'read', 'kubectl-read'],
  ],
  'kubectl-rollout-read': [['kubectl rollout status deploy/web', 'read', 'kubectl-rollout-read']],
  'kubectl-rollout-write': [
    ['kubectl rollout restart deployment/web', 'write', 'kubectl-rollout-write'],
    ['kubectl -n prod rollout undo deploy/web', 'write', 'kubectl-rollout-write'],
  ],
  'kubectl-config-read': [['kubectl config current-context', 'read', 'kubectl-config-read']],
  'kubectl-tunnel': [['kubectl port-forward svc/db 5432:5432', 'read', 'kubectl-tunnel']],
  'kubectl-write': [
    ['kubectl delete pod web-0', 'write', 'kubectl-write'],
    ['kubectl scale deploy web --replicas=5', 'write', 'kubectl-write'],
    ['kubectl apply -f fix.yaml', 'write', 'kubectl-write'],
    ['kubectl patch deploy web -p {}', 'write', 'kubectl-write'],
    ['kubectl edit cm app', 'write', 'kubectl-write'],
    ['kubectl drain node-1 --ignore-daemonsets', 'write', 'kubectl-write'],
    ['kubectl cordon node-1', 'write', 'kubectl-write'],
    ['kubectl config use-context prod', 'write', 'kubectl-write'],
  ],
  'helm-read': [
    ['helm list -A', 'read', 'helm-read'],
    ['helm -n prod history web', 'read', 'helm-read'],
  ],
  'helm-write': [['helm rollback web 3', 'write', 'helm-write']],
  'docker-read': [
    ['docker stats --no-stream', 'read', 'docker-read'],
    ['docker logs --tail 50 web', 'read', 'docker-read'],
    ['docker compose ps', 'read', 'docker-read'],
    ['docker container inspect web', 'read', 'docker-read'],
  ],
  'docker-write': [
    ['docker rm -f web', 'write', 'docker-write'],
    ['docker stop web', 'write', 'docker-write'],
    ['docker kill web', 'write', 'docker-write'],
    ['docker restart web', 'write', 'docker-write'],
    ['docker system prune -af', 'write', 'docker-write'],
  ],
  'crictl-read': [['crictl ps -a', 'read', 'crictl-read']],
  'systemctl-read': [
    ['systemctl status nginx', 'read', 'systemctl-read'],
    ['systemctl list-units --failed', 'read', 'systemctl-read'],
  ],
  'systemctl-write': [
    ['systemctl restart nginx', 'write', 'systemctl-write'],
    ['systemctl stop nginx', 'write', 'systemctl-write'],
  ],
  'service-read': [['service nginx status', 'read', 'service-read']],
  'service-write': [['service nginx restart', 'write', 'service-write']],
  'journalctl-write': [['journalctl --vacuum-size=500M', 'write', 'journalctl-write']],
  'journalctl-read': [['journalctl -u nginx --since "1 hour ago"', 'read', 'journalctl-read']],
  'kill-probe': [['kill -0 1234', 'read', 'kill-probe']],
  'kill-write': [
    ['kill -9 1234', 'write', 'kill-write'],
    ['kill <pid>', 'write', 'kill-write'],
    ['pkill -f gunicorn', 'write', 'kill-write'],
  ],
  'fuser-kill': [['fuser -k 8080/tcp', 'write', 'fuser-kill']],
  'power-write': [['reboot', 'write', 'power-write']],
  'jcmd-read': [
    ['jcmd', 'read', 'jcmd-read'],
    ['jcmd <pid> Thread.print', 'read', 'jcmd-read'],
    ['jcmd <pid> VM.native_memory summary', 'read', 'jcmd-read'],
  ],
  'jcmd-gc': [
    ['jcmd <pid> GC.run', 'write', 'jcmd-gc'],
    ['jcmd <pid> VM.gc', 'write', 'jcmd-gc'],
    ['jcmd <pid> GC.run_finalization', 'write', 'jcmd-gc'],
  ],
  'jcmd-heap-dump': [['jcmd 1 GC.heap_dump /tmp/heap.hprof', 'write', 'jcmd-heap-dump']],
  'jcmd-class-histogram': [
    ['jcmd 1 GC.class_histogram', 'write', 'jcmd-class-histogram'],
    ['jcmd 1 GC.class_histogram -all', 'write', 'unknown-command'],
  ],
  'jcmd-jfr': [['jcmd 1 JFR.start duration=60s filename=rec.jfr', 'write', 'jcmd-jfr']],
  'jcmd-vm-change': [['jcmd 1 VM.set_flag HeapDumpOnOutOfMemoryError true', 'write', 'jcmd-vm-change']],
  'jmap-dump': [['jmap -dump:format=b,file=heapdump.hprof <pid>', 'write', 'jmap-dump']],
  'jmap-histo-live': [['jmap -histo:live 1234', 'write', 'jmap-histo-live']],
  'jinfo-write': [['jinfo -flag +PrintGCDetails 1234', 'write', 'jinfo-write']],
  'jvm-read': [
    ['jstack 1234', 'read', 'jvm-read'],
    ['jstat -gcutil 1234 1000 5', 'read', 'jvm-read'],
    ['jmap -histo 1234', 'read', 'jvm-read'],
  ],
  'profiler-read': [
    ['py-spy record -o profile.svg -d 60 -p <pid>', 'read', 'profiler-read'],
    ['py-spy dump --pid 1234', 'read', 'profiler-read'],
    ['perf record -F 99 -p 1234 -g -- sleep 30', 'read', 'profiler-read'],
  ],
  'nvidia-smi-write': [
    ['nvidia-smi -r -i 0', 'write', 'nvidia-smi-write'],
    ['nvidia-smi -pl 300', 'write', 'nvidia-smi-write'],
    ['nvidia-smi -c EXCLUSIVE_PROCESS', 'write', 'nvidia-smi-write'],
  ],
  'gpu-read': [
    ['nvidia-smi', 'read', 'gpu-read'],
    ['nvidia-smi --query-gpu=memory.used,memory.total --format=csv', 'read', 'gpu-read'],
    ['gpustat -cp', 'read', 'gpu-read'],
    ['nvidia-smi dmon -c 5', 'read', 'gpu-read'],
    ['nvidia-smi pmon -c 1', 'read', 'gpu-read'],
  ],
  'curl-write': [
    ['curl -X POST https://api.example.com/predict -d @body.json', 'write', 'curl-write'],
    ['curl -XDELETE http://localhost:9200/index', 'write', 'curl-write'],
    ["curl -sd '{}' http://x/api", 'write', 'curl-write'],
    ['curl --json \'{"a":1}\' http://x', 'write', 'curl-write'],
  ],
  'curl-read': [
    ['curl -fsSL https://status.example.com/health', 'read', 'curl-read'],
    ['curl -X GET http://localhost:8080/metrics', 'read', 'curl-read'],
    ['curl -sI https://example.com', 'read', 'curl-read'],
    ["curl -sS -G http://prom:9090/api/v1/query --data-urlencode 'query=up'", 'read', 'curl-read'],
  ],
  'wget-write': [['wget --post-data "a=1" http://x', 'write', 'wget-write']],
  'wget-read': [['wget -qO- http://localhost:8080/health', 'read', 'wget-read']],
  'wget-download': [['wget https://example.com/tool.tar.gz', 'write', 'wget-download']],
  'db-probe': [
    ['pg_isready -h <db-host> -p 5432 -t 5', 'read', 'db-probe'],
    ['mysqladmin -h db processlist', 'read', 'db-probe'],
    ['mysqladmin shutdown', 'write', 'unknown-command'],
  ],
  'nc-scan': [['nc -zv db.internal 5432', 'read', 'nc-scan']],
  'network-read': [
    ['dig +short api.example.com', 'read', 'network-read'],
    ['ss -tlnp', 'read', 'network-read'],
  ],
  'openssl-read': [['openssl s_client -connect api.example.com:443', 'read', 'openssl-read']],
  'ip-write': [['ip link set eth0 down', 'write', 'ip-write']],
  'ip-read': [['ip addr show', 'read', 'ip-read']],
  'ifconfig-read': [['ifconfig eth0', 'read', 'ifconfig-read']],
  'firewall-read': [['iptables -L -n', 'read', 'firewall-read']],
  'ethtool-read': [['ethtool eth0', 'read', 'ethtool-read']],
  'cloud-read': [
    ['aws ec2 describe-instances --region us-east-1', 'read', 'cloud-read'],
    ['gcloud compute instances list', 'read', 'cloud-read'],
    ['aws s3 rm s3://bucket/key', 'write', 'unknown-command'],
  ],
  'in-place-edit': [
    ["sed -i 's/a/b/' app.conf", 'write', 'in-place-edit'],
    ['sort -o sorted.txt input.txt', 'write', 'in-place-edit'],
  ],
  'archive-list': [['tar -tzf backup.tgz', 'read', 'archive-list']],
  'fs-write': [
    ['rm -rf /tmp/cache', 'write', 'fs-write'],
    ['tar -czf out.tgz target', 'write', 'fs-write'],
    ['echo hi | tee out.txt', 'write', 'fs-write'],
  ],
  'disk-write': [
    ['mkfs.ext4 /dev/sdb1', 'write', 'disk-write'],
    ['umount /mnt/data', 'write', 'disk-write'],
  ],
  'mount-read': [['mount', 'read', 'mount-read']],
  'mount-write': [['mount /dev/sdb1 /mnt', 'write', 'mount-write']],
  'sysctl-write': [
    ['sysctl -w vm.swappiness=10', 'write', 'sysctl-write'],
    ['sysctl vm.overcommit_memory=1', 'write', 'sysctl-write'],
    ['sysctl vm.swappiness', 'read', 'system-info-read'],
  ],
  'system-setting-write': [
    ['date -s "2024-01-01"', 'write', 'system-setting-write'],
    ['dmesg -C', 'write', 'system-setting-write'],
    ['dmesg -T | tail', 'read', 'system-info-read'],
  ],
  'package-read': [['pip freeze', 'read', 'package-read']],
  'package-write': [['apt-get install -y htop', 'write', 'package-write']],
  'git-read': [
    ['git log --oneline -5', 'read', 'git-read'],
    ['git branch', 'read', 'git-read'],
  ],
  'git-write': [
    ['git push --force', 'write', 'git-write'],
    ['git branch -D old', 'write', 'git-write'],
  ],
  'interpreter-version': [['python3 --version', 'read', 'interpreter-version']],
  'interpreter-code': [
    ['python -m memory_profiler your_script.py', 'write', 'interpreter-code'],
    ['node -e "process.exit(0)"', 'write', 'interpreter-code'],
    ['curl -fsSL https://x/install.sh | bash', 'write', 'interpreter-code'],
  ],
  'text-read': [
    ['grep -c ERROR /var/log/app.log', 'read', 'text-read'],
    ['tail -f /var/log/syslog | grep -i oom', 'read', 'text-read'],
    ["awk '{print $1}' access.log | sort | uniq -c | sort -rn | head", 'read', 'text-read'],
  ],
  'system-info-read': [
    ['ps aux --sort=-%mem | head', 'read', 'system-info-read'],
    ['free -m', 'read', 'system-info-read'],
    ['lsof -p 1234 | wc -l', 'read', 'system-info-read'],
  ],
  'shell-builtin': [
    ['cd /var/log && ls', 'read', 'shell-builtin'],
    ['export NAMESPACE=prod', 'read', 'shell-builtin'],
  ],
};

const SQL: Record<string, readonly Case[]> = {
  'psql-meta-shell': [['\\! rm -rf /tmp/x', 'write', 'fs-write']],
  'psql-meta-read': [
    ['\\dt+', 'read', 'psql-meta-read'],
    ['\\x', 'read', 'psql-meta-read'],
  ],
  'psql-meta-write': [
    ['\\i fix.sql', 'write', 'psql-meta-write'],
    ["\\copy t TO 'out.csv' csv", 'write', 'psql-meta-write'],
  ],
  'sql-admin-function': [
    [
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE state = 'idle in transaction'",
      'write',
      'sql-admin-function',
    ],
    ['SELECT pg_reload_conf();', 'write', 'sql-admin-function'],
  ],
  'sql-explain-analyze': [
    ['EXPLAIN ANALYZE SELECT * FROM orders WHERE id = 1', 'read', 'sql-explain-analyze'],
    ['EXPLAIN (ANALYZE, BUFFERS) DELETE FROM orders WHERE id = 1', 'write', 'sql-dml'],
    ['EXPLAIN ANALYZE UPDATE users SET a = 1', 'write', 'sql-dml'],
    ['EXPLAIN (ANALYZE false) DELETE FROM t', 'read', 'sql-explain'],
  ],
  'sql-explain': [['EXPLAIN DELETE FROM orders', 'read', 'sql-explain']],
  'sql-select-into': [['SELECT * INTO backup_orders FROM orders', 'write', 'sql-select-into']],
  'sql-locking-read': [['SELECT * FROM jobs FOR UPDATE SKIP LOCKED', 'write', 'sql-locking-read']],
  'sql-cte-dml': [
    ['WITH gone AS (DELETE FROM t RETURNING *) SELECT count(*) FROM gone', 'write', 'sql-cte-dml'],
  ],
  'sql-read': [
    ['SELECT count(*) FROM pg_stat_activity;', 'read', 'sql-read'],
    ["SELECT ';' AS not_a_split, 'DROP TABLE x' AS text", 'read', 'sql-read'],
    ['(SELECT 1) UNION (SELECT 2)', 'read', 'sql-read'],
    ['SHOW max_connections', 'read', 'sql-read'],
    ['-- comment first\nSELECT 1', 'read', 'sql-read'],
  ],
  'sql-copy-out': [['COPY orders TO STDOUT WITH CSV', 'read', 'sql-copy-out']],
  'sql-set-global': [['SET GLOBAL max_connections = 500', 'write', 'sql-set-global']],
  'sql-session': [
    ["SET statement_timeout = '5s'", 'read', 'sql-session'],
    ['BEGIN', 'read', 'sql-session'],
  ],
  'sql-dml': [
    ['DELETE FROM sessions WHERE expires < now()', 'write', 'sql-dml'],
    ['UPDATE users SET active = false', 'write', 'sql-dml'],
    ['INSERT INTO audit VALUES (1)', 'write', 'sql-dml'],
    ["COPY orders FROM '/tmp/orders.csv'", 'write', 'sql-dml'],
  ],
  'sql-create-index': [
    ['CREATE INDEX idx_a ON t(a);', 'write', 'sql-create-index'],
    ['CREATE UNIQUE INDEX CONCURRENTLY idx_b ON t(b)', 'write', 'sql-create-index'],
  ],
  'sql-ddl': [
    ['DROP TABLE old_orders', 'write', 'sql-ddl'],
    ['TRUNCATE audit_log', 'write', 'sql-ddl'],
    ['ALTER TABLE t ADD COLUMN c int', 'write', 'sql-ddl'],
    ['CREATE TABLE t (a int)', 'write', 'sql-ddl'],
    ['GRANT SELECT ON t TO reader', 'write', 'sql-ddl'],
  ],
  'sql-maintenance': [
    ['VACUUM (VERBOSE) orders', 'write', 'sql-maintenance'],
    ['ANALYZE orders', 'write', 'sql-maintenance'],
    ['REINDEX INDEX idx_a', 'write', 'sql-maintenance'],
  ],
  'sql-lock': [['LOCK TABLE orders IN ACCESS EXCLUSIVE MODE', 'write', 'sql-lock']],
  'sql-server-code': [
    ['DO $$ BEGIN PERFORM 1; END $$', 'write', 'sql-server-code'],
    ['CALL refresh_all()', 'write', 'sql-server-code'],
  ],
  'sql-kill': [['KILL 42', 'write', 'sql-kill']],
  'sql-unknown': [['FROBNICATE everything', 'write', 'sql-unknown']],
};

function check(domain: string, rule: string, cases: readonly Case[], verdict: (s: string) => Verdict): void {
  test(`${domain} rule ${rule}`, () => {
    for (const [input, effect, decidedBy] of cases) {
      const v = verdict(input);
      assert.equal(v.effect, effect, `${input}: ${v.reason}`);
      assert.equal(v.rule, decidedBy, `${input}: decided by ${v.rule} (${v.reason})`);
      assert.ok(v.reason.length > 0);
    }
  });
}

for (const [rule, cases] of Object.entries(SHELL)) check('shell', rule, cases, shellTextVerdict);
for (const [rule, cases] of Object.entries(SQL)) check('sql', rule, cases, sqlVerdict);

test('script rule script-code: code blocks are write, and may be marked read by the author', () => {
  for (const lang of ['python', 'node', 'ruby']) {
    const v = scriptVerdict(lang);
    assert.equal(v.effect, 'write');
    assert.equal(v.rule, 'script-code');
    assert.equal(v.overridable, true);
  }
});

test('every rule in the table has cases here, and every case names a rule that exists', () => {
  const ids = EFFECT_RULES.map((r) => r.id);
  assert.equal(new Set(ids).size, ids.length, 'rule ids are unique');
  const covered = new Set([...Object.keys(SHELL), ...Object.keys(SQL), 'script-code']);
  assert.deepEqual(
    ids.filter((id) => !covered.has(id)),
    [],
    'rules without cases',
  );
  for (const cases of [...Object.values(SHELL), ...Object.values(SQL)])
    for (const [, , by] of cases) assert.ok(ids.includes(by), `unknown rule ${by}`);
});

test('compound commands: write if any part writes; the reason names the writing part', () => {
  const v = shellTextVerdict('kubectl get pods && kubectl delete pod web-0');
  assert.equal(v.effect, 'write');
  assert.match(v.reason, /kubectl delete/);
  assert.equal(shellTextVerdict('kubectl get pods; kubectl top pods').effect, 'read');
  assert.equal(
    shellTextVerdict('for p in $(kubectl get pods -o name); do kubectl delete "$p"; done').effect,
    'write',
  );
  assert.equal(shellTextVerdict('echo $(rm -rf /tmp/x)').effect, 'write');
  assert.equal(shellTextVerdict('kubectl get pods `rm x`').effect, 'write');
  assert.equal(
    shellTextVerdict('diff <(kubectl get cm a -o yaml) <(kubectl get cm b -o yaml)').effect,
    'read',
  );
  assert.equal(shellTextVerdict('if kubectl get ns prod; then echo ok; fi').effect, 'read');
});

test('a write hidden in a read-only pipeline, a subshell or a heredoc is found', () => {
  assert.equal(shellTextVerdict('(cd /tmp && rm -f x)').effect, 'write');
  assert.equal(shellTextVerdict("ssh db1 <<'EOF'\nsystemctl stop postgresql\nEOF").effect, 'write');
  assert.equal(shellTextVerdict("bash <<'EOF'\nls /tmp\nEOF").effect, 'read');
});

test('overridable: only defaults can be marked read by an author', () => {
  assert.equal(shellTextVerdict('frobnicate').overridable, true);
  assert.equal(shellTextVerdict('kubectl delete pod x').overridable, false);
  assert.equal(shellTextVerdict('frobnicate; kubectl delete pod x').overridable, false);
  assert.equal(sqlVerdict('FROBNICATE').overridable, true);
});
