// Smoke run of the DBOS Transact peer, from the repo root after `npm run build`:
//   node --import tsx bench/peers/try-dbos.ts
// Needs PostgreSQL; DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test) names any database on
// the server, through which the peer (re)creates its own system database `dbos_bench_sys`.
import { dbosConcurrentRuns, dbosTenStepRuns } from './dbos.js';

const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const sequential = await dbosTenStepRuns({ databaseUrl, runs: 50 });
console.log('ten-step runs, sequential:', sequential);
const concurrent = await dbosConcurrentRuns({ databaseUrl, runs: 200, concurrency: 8 });
console.log('ten-step runs, 8 in flight:', concurrent);
// Launching a second time in one process, after the first shutdown, must work too.
const again = await dbosTenStepRuns({ databaseUrl, runs: 50 });
console.log('ten-step runs, sequential (again):', again);
