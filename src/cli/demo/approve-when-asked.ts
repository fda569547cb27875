import { setTimeout as delay } from 'node:timers/promises';
import type { StoredEvent } from '../../core/journal-event.js';
import type { Runtime } from '../../runtime/runtime.js';
import type { CliIo } from '../cli-io.js';

/** Who approves in the demo. */
export const DEMO_APPROVER = 'ada@example.com';

/** How long the demo's person takes to decide: long enough to see the run wait. */
const PERSON_MS = 400;

/**
 * The demo playing the person: a follower's `onEvent` that, when a run asks for approval, says that the
 * run is waiting, finds the approval the way anyone would (`listApprovals`), and approves it.
 */
export function approveWhenAsked(runtime: Runtime, io: CliIo): (stored: StoredEvent) => Promise<void> {
  return async ({ event }) => {
    if (event.kind !== 'approval.requested') return;
    // Aligned with the follower's lines, under their time column.
    const say = (text: string) => io.out(`${' '.repeat(11)}${text}`);
    say('… the run waits for a person now: held by no worker, in no memory, as long as it takes.');
    await delay(PERSON_MS);
    say(`… the demo, as ${DEMO_APPROVER}, finds the approval with listApprovals and approves it`);
    // The run journals its request, then lists it: give the listing a moment to appear.
    for (let tries = 0; tries < 100; tries++) {
      const pending = await runtime.listApprovals();
      if (pending.some((approval) => approval.approvalId === event.approvalId)) {
        await runtime.approve(event.approvalId, { by: DEMO_APPROVER, reason: 'within budget' });
        return;
      }
      await delay(20);
    }
    say(
      `(approval ${event.approvalId} was not listed: approve it with cairn approvals approve ${event.approvalId})`,
    );
  };
}
