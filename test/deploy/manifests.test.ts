import { createServer } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRuntime, type Runtime } from '../../src/runtime/runtime.js';
import { defineWorkflow, type Workflow } from '../../src/runtime/workflow.js';
import { metric, startWorkerProcess } from '../cli/worker-process.js';
import { describePostgres, freshSchema, POSTGRES_URL } from '../support/postgres.js';
import { flagValue, type Manifest, only, REPO_ROOT, readDockerfile, readManifests } from './deploy-files.js';

const workerObjects = readManifests('deploy/kubernetes/worker.yaml');
const kedaObjects = readManifests('deploy/kubernetes/keda-scaledobject.yaml');
const dockerfile = readDockerfile('deploy/Dockerfile');

const deployment = only(workerObjects, 'Deployment');
const secret = only(workerObjects, 'Secret');
const container = deployment.spec.template.spec.containers[0] as Manifest;
const args = container.args as string[];
const scaledObject = only(kedaObjects, 'ScaledObject');
const trigger = scaledObject.spec.triggers[0] as Manifest;

/** The JSON-array (exec form) arguments of the Dockerfile's last `instruction`. */
function execForm(instruction: string): string[] {
  const found = dockerfile.filter((line) => line.instruction === instruction).at(-1);
  if (found === undefined) throw new Error(`no ${instruction} in deploy/Dockerfile`);
  return JSON.parse(found.args) as string[];
}

/** The port a probe targets: a number, or the name of one of the container's ports. */
function probePort(probe: Manifest): number {
  const port = probe.httpGet.port as number | string;
  if (typeof port === 'number') return port;
  return (container.ports as { name: string; containerPort: number }[]).find((p) => p.name === port)!
    .containerPort;
}

describe('deploy/: the manifests and the Dockerfile agree', () => {
  it('the Deployment runs `cairn worker` with probes on its health port, its store from the Secret, and time to drain', () => {
    expect(args[0]).toBe('worker');
    const healthPort = Number(flagValue(args, '--health-port'));
    expect(healthPort).toBeGreaterThan(0);
    expect(probePort(container.livenessProbe)).toBe(healthPort);
    expect(container.livenessProbe.httpGet.path).toBe('/healthz');
    expect(probePort(container.readinessProbe)).toBe(healthPort);
    expect(container.readinessProbe.httpGet.path).toBe('/readyz');
    expect(probePort(container.startupProbe)).toBe(healthPort);
    expect(container.startupProbe.httpGet.path).toBe('/healthz');

    const store = (container.env as Manifest[]).find((variable) => variable.name === 'CAIRN_STORE');
    expect(store?.valueFrom?.secretKeyRef?.name).toBe(secret.metadata.name);
    const url = secret.stringData[store?.valueFrom.secretKeyRef.key] as string;
    expect(url).toMatch(/^postgres:\/\/.+\?schema=cairn$/);

    // SIGKILL comes after the grace period: it must leave the drain time, and then some, to the worker.
    const drainMs = Number(flagValue(args, '--drain-ms'));
    const graceMs = deployment.spec.template.spec.terminationGracePeriodSeconds * 1000;
    expect(drainMs).toBeGreaterThan(0);
    expect(graceMs).toBeGreaterThanOrEqual(drainMs + 10_000);

    expect(container.resources.requests).toMatchObject({
      cpu: expect.any(String),
      memory: expect.any(String),
    });
    expect(container.resources.limits).toMatchObject({ memory: expect.any(String) });
    expect(deployment.spec.template.spec.securityContext.runAsNonRoot).toBe(true);
  });

  it('the ScaledObject scales that Deployment on the postgresql trigger, authenticated from the Secret', () => {
    expect(scaledObject.spec.scaleTargetRef.name).toBe(deployment.metadata.name);
    expect(scaledObject.spec.minReplicaCount).toBeGreaterThanOrEqual(1);
    expect(scaledObject.spec.maxReplicaCount).toBeGreaterThan(scaledObject.spec.minReplicaCount);
    expect(trigger.type).toBe('postgresql');
    // One more worker per batch of queued runs as large as a worker's concurrency.
    expect(trigger.metadata.targetQueryValue).toBe(flagValue(args, '--concurrency'));

    const auth = only(kedaObjects, 'TriggerAuthentication');
    expect(trigger.authenticationRef.name).toBe(auth.metadata.name);
    const ref = auth.spec.secretTargetRef.find((entry: Manifest) => entry.parameter === 'connection');
    expect(ref.name).toBe(secret.metadata.name);
    const connection = new URL(secret.stringData[ref.key] as string);
    // KEDA's driver would send Cairn's own `schema` parameter to the server, which refuses it.
    expect(connection.searchParams.has('schema')).toBe(false);
    expect(connection.searchParams.get('options')).toBe('-c cairn.tenant=*');
  });

  it('the Dockerfile builds a non-root image whose command is the Deployment’s', () => {
    const from = dockerfile.filter((line) => line.instruction === 'FROM').map((line) => line.args);
    expect(from.at(-1)).toBe('node:20-bookworm-slim');
    const runs = dockerfile.filter((line) => line.instruction === 'RUN').map((line) => line.args);
    expect(runs.join('\n')).toMatch(/npm ci[\s\S]*npm run build && npm prune --omit=dev/);
    expect(dockerfile.find((line) => line.instruction === 'WORKDIR')?.args).toBe('/app');
    const user = dockerfile.filter((line) => line.instruction === 'USER').at(-1)?.args ?? 'root';
    expect(user).not.toMatch(/^(root|0)(:|$)/);
    expect(dockerfile.find((line) => line.instruction === 'STOPSIGNAL')?.args).toBe('SIGTERM');
    expect(execForm('ENTRYPOINT')).toEqual(['node', 'bin/cairn.js']);
    const command = execForm('CMD');
    expect(command.slice(0, 2)).toEqual(['worker', '/app/workflows/index.js']);
    expect(args[1]).toBe(command[1]);
    expect(flagValue(args, '--health-port')).toBe(flagValue(command, '--health-port'));
    expect(dockerfile.find((line) => line.instruction === 'EXPOSE')?.args).toBe(
      flagValue(command, '--health-port'),
    );
  });
});

/** Where the Dockerfile copies the workflows from: the source of its `COPY ... ./workflows/`. */
function workflowsSource(): string {
  const copy = dockerfile.find(
    (line) => line.instruction === 'COPY' && /\s(\.|\/app)\/workflows\/?$/.test(line.args),
  );
  if (copy === undefined) throw new Error('deploy/Dockerfile copies no workflows to /app/workflows/');
  return copy.args.split(/\s+/)[0]!;
}

/** True if nothing listens on `port` (on any interface) right now. */
function portIsFree(port: number): Promise<boolean> {
  const probe = createServer();
  return new Promise((resolve) => {
    probe.once('error', () => resolve(false));
    probe.listen(port, '0.0.0.0', () => probe.close(() => resolve(true)));
  });
}

await describePostgres('deploy/ against PostgreSQL', () => {
  const schema = freshSchema('cairn_deploy');
  const store = `${POSTGRES_URL}?schema=${schema}`;
  let runtime: Runtime;

  beforeAll(async () => {
    runtime = await createRuntime({ store, worker: false });
  });
  afterAll(() => runtime.close());

  it('the KEDA query counts the load (claimable and running runs), as any role that reads the runs', async () => {
    const queued = defineWorkflow('queued', async () => null);
    for (let i = 0; i < 6; i++) await runtime.start(queued, null);
    await runtime.start(queued, null, { tenant: 'acme' });
    // Of the seven runnable runs, a worker takes three: one stays held, one sleeps for an hour, and
    // one sleeps on a timer that is already due (claimable again).
    const now = Date.now();
    const claimed = await runtime.store.claim({ workerId: 'elsewhere', leaseMs: 60_000, limit: 3, now });
    expect(claimed).toHaveLength(3);
    const [later, due] = claimed;
    for (const [run, wakeAt] of [
      [later!, now + 3_600_000],
      [due!, now - 1_000],
    ] as const) {
      await runtime.store.suspend({ ...run, status: 'waiting', wakeAt, seenWakeSeq: run.wakeSeq, now });
    }
    expect(await runtime.store.countClaimable(Date.now())).toBe(5); // four runnable (one acme's), one due
    const expected = 6; // and the one being executed

    const query = trigger.metadata.query as string;
    expect(query).toContain('FROM cairn.runs');
    const here = query.replace('FROM cairn.runs', `FROM "${schema}".runs`);
    const owner = new pg.Client({ connectionString: POSTGRES_URL });
    await owner.connect();
    const role = `keda_${schema.slice(-10)}`;
    try {
      expect(Number((await owner.query(here)).rows[0].count)).toBe(expected);

      // A role that only reads the runs table is subject to row-level security: it counts nothing,
      // unless its connection sets cairn.tenant=* as the Secret's keda-connection does.
      await owner.query(`CREATE ROLE ${role} LOGIN`);
      await owner.query(`GRANT USAGE ON SCHEMA "${schema}" TO ${role}`);
      await owner.query(`GRANT SELECT ON "${schema}".runs TO ${role}`);
      const options = new URL(secret.stringData['keda-connection'] as string).searchParams.get('options')!;
      const countAs = async (withOptions: boolean): Promise<number> => {
        const url = new URL(POSTGRES_URL);
        url.username = role;
        url.password = '';
        if (withOptions) url.searchParams.set('options', options);
        const client = new pg.Client({ connectionString: url.toString() });
        await client.connect();
        try {
          return Number((await client.query(here)).rows[0].count);
        } finally {
          await client.end();
        }
      };
      expect(await countAs(false)).toBe(0);
      expect(await countAs(true)).toBe(expected);
    } finally {
      await owner.query(`DROP OWNED BY ${role}`).catch(() => undefined);
      await owner.query(`DROP ROLE IF EXISTS ${role}`);
      await owner.end();
    }
  });

  it('the image’s command line serves the example workflows, answers its probes, and drains', async () => {
    // The image's /app is the repository root; its /app/workflows/ is the folder the Dockerfile copies.
    const command = execForm('CMD').map((arg) =>
      arg.startsWith('/app/workflows/')
        ? join(REPO_ROOT, workflowsSource(), arg.slice('/app/workflows/'.length))
        : arg,
    );
    // The command's port (8080) when it is free here; else any free port, which the start line names.
    const at = command.indexOf('--health-port') + 1;
    if (!(await portIsFree(Number(command[at])))) command[at] = '0';
    const [node, ...entry] = execForm('ENTRYPOINT');
    expect(node).toBe('node');
    const worker = await startWorkerProcess([...entry, ...command], { CAIRN_STORE: store });
    expect(worker.startLine).toMatch(
      / started: store postgres:.*, workflows hello, concurrency 32, health on port/,
    );
    for (const probe of [container.livenessProbe, container.readinessProbe, container.startupProbe]) {
      expect((await worker.get(probe.httpGet.path)).status).toBe(200);
    }
    expect(metric((await worker.get('/metrics')).body, 'cairn_worker_draining')).toBe(0);

    const module = (await import(pathToFileURL(join(REPO_ROOT, 'deploy/workflows/index.js')).href)) as {
      hello: Workflow<{ name: string }, unknown>;
    };
    const run = await runtime.start(module.hello, { name: 'Ada' });
    expect(await run.result()).toEqual({ greeting: 'Hello, Ada!' });

    worker.kill('SIGTERM'); // what Kubernetes sends, and the image's STOPSIGNAL
    const exit = await worker.exited;
    expect(exit).toMatchObject({ code: 0, stderr: '' });
    expect(exit.stdout).toMatch(/drained after SIGTERM/);
  });
});
