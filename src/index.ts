/**
 * Cairn: a durable runtime for AI agents. The public API of the library.
 * @packageDocumentation
 */

export type { AgentDefinition, AgentInput } from './agent/agent-definition.js';
export type { AgentProgress } from './agent/agent-progress.js';
export type { SubAgentTotals } from './agent/agent-state.js';
export { type AgentResult, type AgentSummary, isAgentResult } from './agent/agent-summary.js';
export type { AgentTool, Tool } from './agent/agent-tool.js';
export { agentUsage, runUsage, type UsageTotals } from './agent/agent-usage.js';
export { type Agent, defineAgent, isAgent } from './agent/define-agent.js';
export type { ModelToolCall, ModelTurn } from './agent/model-call.js';
export { watchText } from './agent/text-stream.js';
export {
  type ApprovalDecision,
  type ApprovalRecord,
  type ApprovalStatus,
  approvalSignalName,
} from './core/approval.js';
export type { Blob } from './core/blob.js';
export type { Duration } from './core/duration.js';
export { toMillis } from './core/duration.js';
export { CairnError, type CairnErrorCode, type CairnErrorKind, isCairnError } from './core/errors.js';
export {
  type EventOf,
  JOURNAL_VERSION,
  type JournalEvent,
  type JournalEventKind,
  type StepEffect,
  type StoredEvent,
} from './core/journal-event.js';
export {
  DEFAULT_TENANT,
  isFinalStatus,
  type RunOutcome,
  type RunRecord,
  type RunStatus,
} from './core/run.js';
export { RecordedError, type SerializedError } from './core/serialized-error.js';
export type * from './core/store.js';
export type { JsonValue, ValueRef } from './core/value-ref.js';
export {
  type McpCallOptions,
  McpConnection,
  type McpConnectOptions,
  type McpListOptions,
  type McpToolsChangedListener,
} from './mcp/mcp-connection.js';
export { isMcpError, type McpErrorCode, type McpErrorDetails, type McpFailure } from './mcp/mcp-error.js';
export {
  type McpHttpServerConfig,
  type McpServerConfig,
  type McpStdioServerConfig,
  validateMcpServerConfig,
} from './mcp/mcp-server-config.js';
export { McpServerPool, mcpServerPool } from './mcp/mcp-server-pool.js';
export type {
  McpCallToolResult,
  McpObjectSchema,
  McpProgress,
  McpToolAnnotations,
  McpToolInfo,
} from './mcp/mcp-tool.js';
export {
  costOf,
  DEFAULT_PRICES,
  type ModelPrice,
  type PriceTable,
  priceFor,
  type UsageCost,
} from './models/price-table.js';
export { type ModelSpec, resolveModel } from './models/resolve-model.js';
export {
  type Script,
  type ScriptedCall,
  type ScriptedModel,
  type ScriptedModelOptions,
  type ScriptedToolCall,
  type ScriptedTurn,
  scriptedModel,
} from './models/scripted-model.js';
export { addUsage, type SdkUsage, type TokenUsage, usageFromV3, ZERO_USAGE } from './models/token-usage.js';
export {
  type AnyWorkflow,
  type CallOptions,
  createRuntime,
  type DecisionOptions,
  type ListRunsOptions,
  type RunHandle,
  type RunInspection,
  Runtime,
  type RuntimeOptions,
  type StartOptions,
  type WorkerPhase,
  type WorkerSettings,
  type WorkerStatus,
} from './runtime/runtime.js';
export type { StepResolution } from './runtime/step-resolution.js';
export {
  type ApprovalRequest,
  type ApprovalWaitOptions,
  type ChildOptions,
  defineWorkflow,
  NonRetryableError,
  type RateLimitOptions,
  type Reconciliation,
  type RetryPolicy,
  type SignalWaitOptions,
  type StepContext,
  type StepOptions,
  type Workflow,
  type WorkflowContext,
  type WorkflowOptions,
} from './runtime/workflow.js';
export { DEFAULT_STORE_URL, openStore } from './store/open-store.js';
export { SqliteStore, type SqliteStoreOptions } from './store/sqlite/sqlite-store.js';
export type { ListedMcpTool, McpListing, McpServerOptions, McpServers } from './tools/mcp-tools.js';
export {
  type AnyFunctionTool,
  type ApprovalRule,
  defineTool,
  type FunctionTool,
  type ToolApprovalOptions,
  type ToolContext,
  type ToolDefinition,
  type ToolRateLimit,
} from './tools/tool.js';
export { classifyToolError, ToolError } from './tools/tool-error.js';
export type { JsonSchemaObject, ToolInput } from './tools/tool-input.js';
export {
  setToolLogSink,
  type ToolLogger,
  type ToolLogRecord,
  type ToolLogSink,
} from './tools/tool-logger.js';
export type { ToolContent, ToolFailure, ToolResult } from './tools/tool-result.js';
