import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/** A worker's id: `<host>/<pid>/<nonce>`, so a restarted process on the same host can spot a dead one. */
export function newWorkerId(): string {
  return `${hostname()}/${process.pid}/${randomBytes(4).toString('hex')}`;
}

/**
 * Of these lease owners, the ones that were processes on this host that no longer exist. Their runs
 * can be taken at once rather than after their leases expire; if a pid was reused we merely wait for
 * the lease, and fencing keeps a mistaken takeover safe either way.
 */
export function deadLocalWorkers(owners: readonly string[]): string[] {
  const host = hostname();
  return owners.filter((owner) => {
    const [ownerHost, pidText] = owner.split('/');
    const pid = Number(pidText);
    return ownerHost === host && Number.isInteger(pid) && pid !== process.pid && !isAlive(pid);
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
