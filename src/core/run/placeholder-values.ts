// What a placeholder's value must look like, from its name: a pid is digits, a namespace is a DNS
// label, a pod/deployment/... name is a DNS subdomain, a URL is http(s), anything else is free text.
// The same rules serve the VS Code input box (validateInput) and the CLI (--set).

export type PlaceholderType = 'pid' | 'port' | 'namespace' | 'k8s-name' | 'url' | 'text';

/** One spelling for names that mean the same thing: `pod-name`, `pod_name`, `POD_NAME`. */
export function normalizeName(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/** The environment variable that carries a placeholder's value into a shell command. */
export function envNameFor(name: string): string {
  return 'RUNBOOK_' + (normalizeName(name).toUpperCase() || 'VALUE');
}

export function placeholderType(name: string): PlaceholderType {
  const n = normalizeName(name);
  if (/(^|_)(pid|process_id)$/.test(n)) return 'pid';
  if (/(^|_)port$/.test(n)) return 'port';
  if (/^(ns|namespace|k8s_namespace|kube_namespace)$|_namespace$/.test(n)) return 'namespace';
  if (
    /(^|_)(pod|pods|deployment|deploy|statefulset|daemonset|service|svc|node|container|job|cronjob|replicaset|configmap|secret_name|ingress)(_name)?$/.test(
      n,
    )
  )
    return 'k8s-name';
  // Database and broker URLs are not web addresses: free text (they travel as data anyway).
  if (
    /(^|_)(url|uri|endpoint)$/.test(n) &&
    !/(database|db|pg|postgres|mysql|redis|mongo|amqp|kafka|jdbc|dsn)/.test(n)
  )
    return 'url';
  return 'text';
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** Why `value` is not acceptable for the placeholder `name`, or null when it is. */
export function validateValue(name: string, value: string): string | null {
  if (value.includes('\0')) return `${name}: the value contains a NUL byte, which no command can receive`;
  if (value === '') return `${name}: a value is required`;
  const type = placeholderType(name);
  switch (type) {
    case 'pid':
      if (!/^\d{1,10}$/.test(value) || Number(value) <= 0)
        return `${name}: a process id is a positive whole number (digits only), got ${JSON.stringify(value)}`;
      return null;
    case 'port':
      if (!/^\d{1,5}$/.test(value) || Number(value) < 1 || Number(value) > 65535)
        return `${name}: a port is a number from 1 to 65535, got ${JSON.stringify(value)}`;
      return null;
    case 'namespace':
      if (!DNS_LABEL.test(value))
        return `${name}: a namespace is a DNS label (lower-case letters, digits and '-', at most 63, starting and ending with a letter or digit), got ${JSON.stringify(value)}`;
      return null;
    case 'k8s-name':
      if (value.length > 253 || !value.split('.').every((l) => DNS_LABEL.test(l)))
        return `${name}: a Kubernetes name is a DNS subdomain (lower-case letters, digits, '-' and '.', at most 253), got ${JSON.stringify(value)}`;
      return null;
    case 'url': {
      let u: URL;
      try {
        u = new URL(value);
      } catch {
        return `${name}: not a URL: ${JSON.stringify(value)}`;
      }
      if (u.protocol !== 'http:' && u.protocol !== 'https:')
        return `${name}: only http and https URLs are accepted, got ${u.protocol.replace(/:$/, '')}`;
      if (/\s/.test(value)) return `${name}: a URL cannot contain spaces`;
      return null;
    }
    case 'text':
      return null;
  }
}
