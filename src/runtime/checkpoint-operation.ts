import { encodeValue } from '../core/payload-codec.js';
import { Operation } from './operation.js';
import type { OperationHost } from './operation-host.js';

/**
 * `ctx.checkpoint(state)`: records an incremental checkpoint. A later execution of the run replays only
 * what came after the latest checkpoint, and hands the workflow every checkpoint's state (oldest first)
 * through `ctx.restored()`. Recording is deferred like a result: losing it in a crash only means
 * replaying from the checkpoint before.
 */
export class CheckpointOperation extends Operation {
  readonly kind = 'checkpoint';

  constructor(
    position: number,
    private readonly host: OperationHost,
    private readonly state: unknown,
    private readonly consumedSignals: () => number[],
  ) {
    super(position, 'checkpoint');
  }

  /** Nothing to settle from a completion: a recorded checkpoint is settled when called. */
  async replay(): Promise<void> {
    this.resolve(undefined);
  }

  async live(): Promise<void> {
    const encoded = encodeValue(this.state, 'A checkpoint state');
    this.host.journal.defer(
      {
        kind: 'snapshot.recorded',
        position: this.position,
        name: this.name,
        state: encoded.ref,
        consumedSignals: this.consumedSignals(),
      },
      encoded.blobs,
    );
    this.resolve(undefined);
  }
}
