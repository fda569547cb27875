import { type ApprovalDecision, approvalSignalName } from '../core/approval.js';
import type { EventOf, OperationEvent } from '../core/journal-event.js';
import { encodeValue } from '../core/payload-codec.js';
import type { StoredSignal } from '../core/store.js';
import { Operation } from './operation.js';
import type { OperationHost } from './operation-host.js';
import type { CompletionEvent } from './replay-history.js';
import type { ApprovalRequest } from './workflow.js';

/**
 * `ctx.waitForApproval`: asks a person and waits durably for the answer. The request is journaled, then
 * listed in the store's approvals (idempotently, so a crash in between lists it on recovery). Every
 * decision reaches the run through its inbox, including the default one a timeout takes, so a person
 * deciding just as the timeout passes is resolved by the store, once: whichever comes first wins.
 */
export class ApprovalOperation extends Operation {
  readonly kind = 'approval';

  constructor(
    position: number,
    private readonly host: OperationHost,
    private readonly request: ApprovalRequest,
    private readonly timeoutMs: number | undefined,
    private readonly onTimeout: 'approve' | 'reject',
  ) {
    super(position, 'approval');
  }

  async replay(event: CompletionEvent): Promise<void> {
    if (event.kind === 'approval.decided') this.resolve(event.decision);
  }

  async live(recorded: readonly OperationEvent[]): Promise<void> {
    const asked = recorded.find(
      (event): event is EventOf<'approval.requested'> => event.kind === 'approval.requested',
    );
    const approvalId = asked?.approvalId ?? this.request.id ?? `${this.host.run.runId}:${this.position}`;
    const deadline =
      asked?.deadline ?? (this.timeoutMs === undefined ? undefined : this.host.now() + this.timeoutMs);
    // Listed first, journaled second: whoever sees the request in the journal can also find it in the
    // store. A crash in between lists it early; the run asks again (idempotently) when it resumes.
    await this.host.store.requestApproval({
      tenantId: this.host.run.tenantId,
      approvalId,
      runId: this.host.run.runId,
      request: { title: this.request.title, details: this.request.details },
      expiresAt: deadline,
      now: this.host.now(),
    });
    if (asked === undefined) {
      const request = encodeValue(
        { title: this.request.title, details: this.request.details },
        'An approval request',
      );
      await this.host.journal.append(
        [
          {
            kind: 'approval.requested',
            position: this.position,
            name: this.name,
            approvalId,
            request: request.ref,
            deadline,
          },
        ],
        request.blobs,
      );
    }
    if (await this.receive(approvalId)) return;
    if (deadline !== undefined && this.host.now() >= deadline) return this.expire(approvalId);
    this.host.wait(
      this,
      { wakeAt: deadline },
      deadline === undefined ? undefined : () => this.expire(approvalId),
    );
  }

  private async receive(approvalId: string): Promise<boolean> {
    const signal = await this.host.takeSignal(approvalSignalName(approvalId));
    if (signal === undefined) return false;
    await this.record(approvalId, signal, (await this.host.decode(signal.payload)) as ApprovalDecision);
    return true;
  }

  /** The timeout passed: the store takes the default decision unless a person's got there first. */
  private async expire(approvalId: string): Promise<void> {
    const approved = this.onTimeout === 'approve';
    await this.host.store.decideApproval({
      tenantId: this.host.run.tenantId,
      approvalId,
      status: 'expired',
      decision: {
        approved,
        by: 'timeout',
        reason: `no decision before the timeout; ${this.onTimeout}d by default`,
        at: this.host.now(),
      },
      now: this.host.now(),
    });
    // The store sent a decision (the default, or a person's that came first): it is in the inbox now.
    if (!(await this.receive(approvalId))) this.host.wait(this, {});
  }

  private record(approvalId: string, signal: StoredSignal, decision: ApprovalDecision): Promise<void> {
    const { signalId } = signal;
    const event = {
      kind: 'approval.decided' as const,
      position: this.position,
      name: this.name,
      approvalId,
      decision,
      signalId,
    };
    return this.host.settle([event], [], () => this.resolve(decision));
  }
}
