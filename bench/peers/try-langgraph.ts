// Smoke run of the LangGraph.js peer: node --import tsx bench/peers/try-langgraph.ts (from the repo root).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { langGraphLongRun, langGraphTenStepRuns } from './langgraph.js';

async function inTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'cairn-bench-langgraph-'));
  try {
    return await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const tenStep = await inTempDir((dir) => langGraphTenStepRuns({ dir, runs: 20 }));
console.log('ten-step runs:', tenStep);
const longRun = await inTempDir((dir) => langGraphLongRun({ dir, steps: 200, sampleAt: [10, 100, 200] }));
console.log('long run:', longRun);
