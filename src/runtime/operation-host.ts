import type { Blob } from '../core/blob.js';
import type { JournalEvent } from '../core/journal-event.js';
import type { ClaimedRun, Store, StoredSignal } from '../core/store.js';
import type { ValueRef } from '../core/value-ref.js';
import type { JournalWriter } from './journal-writer.js';
import type { Operation } from './operation.js';

/** What a blocked operation waits for: a time (timer, timeout), a person, or only a wake-up. */
export interface WaitCondition {
  readonly wakeAt?: number | undefined;
  /** Set when only a person can unblock the operation: the run shows `needs_attention` with this text. */
  readonly attention?: string | undefined;
}

/** What operations may use of the run execution that hosts them. */
export interface OperationHost {
  readonly run: ClaimedRun;
  readonly store: Store;
  readonly journal: JournalWriter;
  /** Aborted when the run is cancelled or lost; handed to step functions. */
  readonly abortSignal: AbortSignal;
  /** True once the execution stopped (suspended, finished, cancelled, lost): start nothing new. */
  readonly stopped: boolean;
  /** Wall-clock time, for live decisions that are then recorded (never for replayed ones). */
  now(): number;
  decode(ref: ValueRef): Promise<unknown>;
  /** Hands a result to the workflow in journal order. Call it from an append's `after`. */
  deliver(settle: () => void | Promise<void>): void;
  /** Commits an operation's outcome, then hands it to the workflow: journaled before the run moves on. */
  settle(
    events: readonly JournalEvent[],
    blobs: readonly Blob[],
    settle: () => void | Promise<void>,
  ): Promise<void>;
  /** Registers `operation` as blocked. With `onDue`, calls it at `wakeAt` if the run is still here. */
  wait(operation: Operation, condition: WaitCondition, onDue?: () => Promise<void>): void;
  /** Takes the oldest signal with this name from the inbox that no operation has consumed yet. */
  takeSignal(
    name: string,
    accept?: (signal: StoredSignal) => Promise<boolean>,
  ): Promise<StoredSignal | undefined>;
  /** A child run was created: tell the local worker, which may pick it up at once. */
  childCreated(): void;
}

/** What the workflow context needs of the execution behind it. */
export interface ContextHost extends OperationHost {
  /** Assigns the next position and checks it against the journal; undefined if the code diverged. */
  takePosition(kind: Operation['kind'], name: string): number | undefined;
  /** Registers an operation the code called; it settles from the journal or goes live. */
  register(operation: Operation): Promise<unknown>;
  /** `ctx.now()` and `ctx.random()`: the recorded value on replay, else a fresh one, recorded. */
  recordedValue(name: 'now' | 'random', fresh: () => number): number;
  checkpoint(state: unknown): Promise<void>;
  restored(): readonly unknown[] | undefined;
}
