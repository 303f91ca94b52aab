#!/usr/bin/env node
// Builds build/Release/samsa.node. Run by `npm install` ("install" script) and by
// `npm run build:native` (--force).
//   1. Skips the build when samsa.node is newer than every native source (unless --force).
//   2. cmake-js compile (Release). Node's headers are taken from <prefix>/include/node when they
//      exist (passed as npm_config_nodedir), so nothing is downloaded: offline machines build.
//   3. If cmake-js is missing or fails, falls back to node-gyp rebuild (binding.gyp).
// Both build systems read the same source list: native/sources.txt.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const output = path.join(root, 'build', 'Release', 'samsa.node');
const force = process.argv.includes('--force');
const require = createRequire(import.meta.url);

function newestSourceMtime() {
  let newest = 0;
  const visit = (p) => {
    const st = fs.statSync(p, { throwIfNoEntry: false });
    if (!st) return;
    if (st.isDirectory()) for (const e of fs.readdirSync(p)) visit(path.join(p, e));
    else newest = Math.max(newest, st.mtimeMs);
  };
  for (const p of ['native/src', 'native/sources.txt', 'CMakeLists.txt', 'binding.gyp']) {
    visit(path.join(root, p));
  }
  return newest;
}

function upToDate() {
  const st = fs.statSync(output, { throwIfNoEntry: false });
  return st !== undefined && st.mtimeMs > newestSourceMtime();
}

// Node's own headers, if installed beside the binary (/usr/include/node for /usr/bin/node).
function localNodeDir() {
  const fromEnv = process.env.npm_config_nodedir;
  if (fromEnv && fs.existsSync(path.join(fromEnv, 'include', 'node', 'node.h'))) return fromEnv;
  const prefix = path.dirname(path.dirname(process.execPath));
  if (fs.existsSync(path.join(prefix, 'include', 'node', 'node.h'))) return prefix;
  return undefined;
}

function run(cmd, args, env) {
  console.log(`[samsa native] ${[cmd, ...args].join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env });
  if (r.error) return `${cmd}: ${r.error.message}`;
  if (r.status !== 0) return `${path.basename(args[0] ?? cmd)} exited with status ${r.status}`;
  return undefined;
}

function resolveOptional(id) {
  try {
    return require.resolve(id);
  } catch {
    return undefined;
  }
}

function buildWithCmakeJs(env) {
  const pkg = resolveOptional('cmake-js/package.json');
  if (!pkg) return 'cmake-js is not installed (node_modules/cmake-js)';
  const bin = path.join(path.dirname(pkg), 'bin', 'cmake-js');
  return run(process.execPath, [bin, 'compile', '--config', 'Release', '--parallel', '2'], env);
}

function buildWithNodeGyp(env, nodedir) {
  const candidates = [
    resolveOptional('node-gyp/bin/node-gyp.js'),
    path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules',
      'node-gyp', 'bin', 'node-gyp.js'),
  ].filter((p) => p && fs.existsSync(p));
  const args = ['rebuild', '--release', ...(nodedir ? [`--nodedir=${nodedir}`] : [])];
  if (candidates.length > 0) return run(process.execPath, [candidates[0], ...args], env);
  return run('node-gyp', args, env);
}

function main() {
  if (!force && upToDate()) {
    console.log('[samsa native] build/Release/samsa.node is up to date (use --force to rebuild)');
    return 0;
  }
  const nodedir = localNodeDir();
  const env = { ...process.env };
  if (nodedir) env.npm_config_nodedir = nodedir;
  const cmakeError = buildWithCmakeJs(env);
  if (!cmakeError && fs.existsSync(output)) {
    fs.utimesSync(output, new Date(), new Date());
    console.log(`[samsa native] built ${path.relative(root, output)} with cmake-js`);
    return 0;
  }
  console.error(`[samsa native] cmake-js build failed (${cmakeError ?? 'no samsa.node produced'}); ` +
    'falling back to node-gyp');
  const gypError = buildWithNodeGyp(env, nodedir);
  if (!gypError && fs.existsSync(output)) {
    console.log(`[samsa native] built ${path.relative(root, output)} with node-gyp`);
    return 0;
  }
  console.error([
    '[samsa native] ERROR: could not build the native addon build/Release/samsa.node.',
    `  cmake-js: ${cmakeError ?? 'no samsa.node produced'}`,
    `  node-gyp: ${gypError ?? 'no samsa.node produced'}`,
    '  Needs: a C++17 compiler (g++ >= 8 or clang >= 7), cmake >= 3.15 (or python3 + make for',
    `  node-gyp), and Node's headers (looked in ${nodedir ?? '<node prefix>/include/node'}; none found ` +
      'means cmake-js/node-gyp try to download them).',
    '  Fix the problem above, then run `npm run build:native`.',
  ].join('\n'));
  return 1;
}

process.exit(main());
