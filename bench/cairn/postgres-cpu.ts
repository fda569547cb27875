import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU seconds used so far by the live processes whose command is `postgres` (a server on this
 * machine), or undefined where /proc is not there to read. Only processes alive at both readings
 * count fully, so read before closing the connections being measured.
 */
export function postgresCpuSeconds(): number | undefined {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return undefined;
  }
  let ticks = 0;
  for (const pid of entries) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (!stat.includes('(postgres)')) continue;
      // Fields after the command: state is 0; utime, stime, cutime, cstime are 11 to 14.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
    } catch {
      // the process ended meanwhile
    }
  }
  return ticks / 100; // USER_HZ
}
