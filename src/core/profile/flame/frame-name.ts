// Text-only formats (collapsed stacks, flame graph SVGs, some trace events) carry a frame as one
// string. The common tools write file and line into it in a few fixed shapes; reading them back
// lets the viewer open the source and colour by package.
import type { FrameInfo } from './builder';

// py-spy, and FlameGraph SVGs made from it: "fit (implicit/als.py:130)"
const PY_SPY = /^(.*\S) \(([^()]+?):(\d+)\)$/;
// torch.profiler python_function events: "torch/nn/modules/module.py(1783): _call_impl", and
// export_stacks, which replaces the spaces by "_": "torch/nn/modules/module.py(1783):__call_impl"
const TORCH = /^(.+?\.py)\((\d+)\):[ _]?(.*)$/;
// Hermes / JS "name(url:line:column)"
const JS_URL = /^(.*?)\(((?:[a-z][\w+.-]*:\/\/|\/)[^()]*?):(\d+):(\d+)\)$/;

/** Splits "name (file:line)" and the other common shapes into a FrameInfo with a package. */
export function parseFrameText(text: string): FrameInfo {
  let m = PY_SPY.exec(text);
  if (m) return withPkg({ name: m[1] as string, file: m[2] as string, line: Number(m[3]) });
  m = TORCH.exec(text);
  if (m)
    return withPkg({ name: (m[3] as string) || '(anonymous)', file: m[1] as string, line: Number(m[2]) });
  m = JS_URL.exec(text);
  if (m)
    return withPkg({
      name: (m[1] as string) || '(anonymous)',
      file: m[2] as string,
      line: Number(m[3]),
      column: Number(m[4]),
    });
  return withPkg({ name: text });
}

function withPkg(f: FrameInfo): FrameInfo {
  const pkg = packageOf(f.name, f.file);
  return pkg ? { ...f, pkg } : f;
}

/**
 * The package a frame belongs to: the npm package of a node_modules path, the top-level Python
 * package, the host of a URL, a library's base name; without a file, the namespace in the name
 * (Go "main.beta", Java "java/lang/Thread.run", C++ "ns::f") or the kernel for "_[k]" frames.
 */
export function packageOf(name: string, file?: string, dso?: string): string | undefined {
  if (file) {
    const nm = /(?:^|[\\/])node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/.exec(lastNodeModules(file));
    if (nm) return (nm[1] as string).replace(/\\/g, '/');
    const sp = /[\\/](?:site|dist)-packages[\\/]([^\\/]+)/.exec(file);
    if (sp) return (sp[1] as string).replace(/\.py$/, '');
    const url = /^[a-z][\w+.-]*:\/\/([^/]+)/i.exec(file);
    if (url && !/^file:/i.test(file)) return url[1];
    if (/^node:|^internal[\\/]/.test(file)) return 'node';
    const rel = file.replace(/^file:\/\//, '');
    if (!/^[\\/]|^[A-Za-z]:/.test(rel)) {
      const first = rel.split(/[\\/]/)[0] ?? rel;
      return first.replace(/\.(py|js|ts|mjs|cjs|rb|go)$/, '') || undefined;
    }
    const parts = rel.split(/[\\/]/).filter(Boolean);
    if (parts.length >= 2) return parts[parts.length - 2];
    return parts[0];
  }
  if (dso) {
    if (/kernel\.kallsyms|^\[kernel/.test(dso)) return 'kernel';
    const base = dso.split('/').pop() ?? dso;
    return base || undefined;
  }
  if (/_\[k\]$/.test(name)) return 'kernel';
  const java = /^L?((?:[a-zA-Z_$][\w$]*\/)+)[\w$]+[.;:]/.exec(name);
  if (java) return (java[1] as string).slice(0, -1).replace(/\//g, '.');
  const cpp = /^(?:[\w<>~*&]+ )*?([A-Za-z_]\w*)::/.exec(name);
  if (cpp) return cpp[1];
  const go = /^((?:[\w.-]+\/)*[\w-]+)\.[\w(*)]/.exec(name);
  if (go && !/^\d/.test(go[1] as string)) return go[1];
  return undefined;
}

function lastNodeModules(file: string): string {
  const i = Math.max(file.lastIndexOf('/node_modules/'), file.lastIndexOf('\\node_modules\\'));
  return i > 0 ? file.slice(i) : file;
}
