import { randomBytes } from 'node:crypto';
import { readlinkSync } from 'node:fs';
import { hostname } from 'node:os';

/**
 * Where pids mean the same thing: the host name, with the pid namespace when the system shows it
 * (Linux). Containers that share a host name but not a pid namespace (replicas given one fixed
 * hostname, a container restarted in its pod) then never mistake each other's pids for their own.
 */
export function pidScope(): string {
  try {
    const namespace = /\[(\d+)\]/.exec(readlinkSync('/proc/self/ns/pid'))?.[1];
    return namespace === undefined ? hostname() : `${hostname()}:${namespace}`;
  } catch {
    return hostname();
  }
}

/** A worker's id: `<pid scope>/<pid>/<nonce>`, so a restarted process in the same scope can spot a dead one. */
export function newWorkerId(): string {
  return `${pidScope()}/${process.pid}/${randomBytes(4).toString('hex')}`;
}

/**
 * Of these lease owners, the ones that were processes in this pid scope that no longer exist. Their
 * runs can be taken at once rather than after their leases expire; if a pid was reused we merely wait
 * for the lease, and fencing keeps a mistaken takeover safe either way.
 */
export function deadLocalWorkers(owners: readonly string[]): string[] {
  const scope = pidScope();
  return owners.filter((owner) => {
    const [ownerScope, pidText] = owner.split('/');
    const pid = Number(pidText);
    return ownerScope === scope && Number.isInteger(pid) && pid !== process.pid && !isAlive(pid);
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
