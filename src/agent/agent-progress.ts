import type { TokenUsage } from '../models/token-usage.js';

/** What a stop condition sees after each step. */
export interface AgentProgress {
  readonly steps: number;
  readonly toolCalls: Readonly<Record<string, number>>;
  readonly usage: TokenUsage;
  readonly costUsd: number;
  /** The text of the model's last response. */
  readonly lastText: string;
}
