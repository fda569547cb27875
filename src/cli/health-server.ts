import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the health endpoints report; `cairn worker` answers from its runtime. */
export interface HealthProbe {
  /** Liveness: the process and its worker loop are up. Answered without the store. */
  live(): boolean;
  /** Readiness: undefined when ready, else why not (starting, draining, the store does not answer). */
  notReady(): Promise<string | undefined>;
  /** The metrics, in Prometheus' text format. */
  metrics(): Promise<string>;
}

/** A running health server. */
export interface HealthServer {
  /** The port it listens on (the one chosen when it was asked for port 0). */
  readonly port: number;
  /** Stops listening and ends open connections (Prometheus keeps them alive between scrapes). */
  close(): Promise<void>;
}

const TEXT = 'text/plain; charset=utf-8';
/** The content type Prometheus expects for its text exposition format. */
export const PROMETHEUS_TEXT = 'text/plain; version=0.0.4; charset=utf-8';

/**
 * Serves `GET /healthz` (liveness), `GET /readyz` (readiness) and `GET /metrics` (Prometheus) on
 * `host:port`; HEAD too, for probes that only read the status. Resolves once it listens, and rejects
 * if it cannot (the port is taken), so a worker fails before it claims anything.
 */
export function startHealthServer(port: number, probe: HealthProbe, host = '0.0.0.0'): Promise<HealthServer> {
  const server = createServer((request, response) => {
    answer(request, probe).then(
      ({ status, type, body }) => send(request, response, status, type, body),
      (error: unknown) => send(request, response, 500, TEXT, `error: ${(error as Error).message}\n`),
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve({
        port: (server.address() as AddressInfo).port,
        close: () =>
          new Promise<void>((closed) => {
            server.close(() => closed());
            server.closeAllConnections();
          }),
      });
    });
  });
}

interface Answer {
  readonly status: number;
  readonly type: string;
  readonly body: string;
}

async function answer(request: IncomingMessage, probe: HealthProbe): Promise<Answer> {
  const path = new URL(request.url ?? '/', 'http://localhost').pathname;
  const known = path === '/healthz' || path === '/readyz' || path === '/metrics';
  if (!known) return { status: 404, type: TEXT, body: 'not found: try /healthz, /readyz or /metrics\n' };
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return { status: 405, type: TEXT, body: 'method not allowed: use GET\n' };
  }
  if (path === '/healthz') {
    return probe.live()
      ? { status: 200, type: TEXT, body: 'ok\n' }
      : { status: 503, type: TEXT, body: 'not live\n' };
  }
  if (path === '/readyz') {
    const why = await probe.notReady();
    return why === undefined
      ? { status: 200, type: TEXT, body: 'ready\n' }
      : { status: 503, type: TEXT, body: `not ready: ${why}\n` };
  }
  return { status: 200, type: PROMETHEUS_TEXT, body: await probe.metrics() };
}

function send(
  request: IncomingMessage,
  response: ServerResponse,
  status: number,
  type: string,
  body: string,
): void {
  response.statusCode = status;
  response.setHeader('Content-Type', type);
  response.setHeader('Cache-Control', 'no-store');
  if (status === 405) response.setHeader('Allow', 'GET, HEAD');
  response.end(request.method === 'HEAD' ? undefined : body);
}
