import { connect } from 'node:net';
import { defineConfig, type ViteUserConfig } from 'vitest/config';

/**
 * Two projects: every test (on the embedded SQLite store unless it says otherwise), and the runtime and agent cases again on
 * PostgreSQL (CAIRN_TEST_STORE=postgres), so both stores prove the same behaviour. Without a reachable
 * server the PostgreSQL project is left out with a notice, unless CAIRN_TEST_POSTGRES=required (as
 * in CI), where the cases run and fail.
 */
const onPostgres = ['test/runtime/**/*.test.ts', 'test/agent/**/*.test.ts'];
const sqliteOnly = ['test/runtime/storage.test.ts']; // reads the SQLite file's tables directly

function postgresAnswers(): Promise<boolean> {
  const url = new URL(process.env.CAIRN_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
  return new Promise((resolve) => {
    const socket = connect(Number(url.port || 5432), url.hostname);
    socket.setTimeout(2_000, () => socket.destroy(new Error('timeout')));
    socket.on('connect', () => {
      socket.end();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

export default defineConfig(async (): Promise<ViteUserConfig> => {
  const postgres = process.env.CAIRN_TEST_POSTGRES === 'required' || (await postgresAnswers());
  if (!postgres) {
    console.warn(
      '\n  ⚠ No PostgreSQL answers: the runtime and agent cases run on SQLite only.\n' +
        '    Start one (or set CAIRN_TEST_POSTGRES_URL), and set CAIRN_TEST_POSTGRES=required to make them mandatory.\n',
    );
  }
  return {
    test: {
      testTimeout: 30_000,
      hookTimeout: 30_000,
      // Crash tests spawn and SIGKILL real processes; two cores, so keep parallelism modest.
      maxWorkers: 2,
      projects: [
        { extends: true, test: { name: 'main', include: ['test/**/*.test.ts'] } },
        ...(postgres
          ? [
              {
                extends: true as const,
                test: {
                  name: 'postgres',
                  include: onPostgres,
                  exclude: sqliteOnly,
                  env: { CAIRN_TEST_STORE: 'postgres' },
                },
              },
            ]
          : []),
      ],
    },
  };
});
