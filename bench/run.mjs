#!/usr/bin/env node
// `npm run bench`: installs the peers' packages (kept out of Cairn's own install) on first use, then
// runs bench/index.ts with a GC handle so memory figures are measured after a full collection.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bench = fileURLToPath(new URL('.', import.meta.url));
const root = fileURLToPath(new URL('..', import.meta.url));
const peers = ['@langchain/langgraph', '@dbos-inc/dbos-sdk'];
if (peers.some((peer) => !existsSync(new URL(`./node_modules/${peer}`, import.meta.url)))) {
  console.error('bench: installing the peers (LangGraph.js, DBOS Transact) under bench/ ...');
  const install = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: bench, stdio: 'inherit' });
  if (install.status !== 0) process.exit(install.status ?? 1);
}
const build = spawnSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
const run = spawnSync(process.execPath, ['--import', 'tsx', 'bench/index.ts'], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(run.status ?? 1);
