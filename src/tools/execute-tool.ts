import type { StepContext } from '../runtime/workflow.js';
import type { AnyFunctionTool } from './tool.js';
import { classifyToolError, ToolError } from './tool-error.js';
import { toolLogger } from './tool-logger.js';
import { type ToolResult, toolFailure, toolResultOf } from './tool-result.js';

/**
 * One attempt at a tool call, inside its durable step: runs `execute` with the call's context, aborts
 * it after `timeoutMs`, and returns the normalized result. An error the tool marks retryable is thrown
 * (the step retries it with backoff, and after the last attempt the model sees it); any other error,
 * and a timeout, come back as a result with an error, which the journal keeps like any result.
 */
export async function executeTool(
  tool: AnyFunctionTool,
  args: unknown,
  step: StepContext,
  call: { readonly toolCallId: string; readonly timeoutMs: number },
): Promise<ToolResult> {
  const timeout = new AbortController();
  const signal = AbortSignal.any([step.signal, timeout.signal]);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_resolve, reject) => {
    if (tool.ownTimeout === true) return; // the tool keeps its own deadline
    timer = setTimeout(() => {
      const error = timeoutError(tool, call.timeoutMs);
      timeout.abort(error);
      reject(error);
    }, call.timeoutMs);
  });
  try {
    const output = await Promise.race([
      Promise.resolve().then(() =>
        tool.execute(args, {
          ...step,
          signal,
          toolCallId: call.toolCallId,
          timeoutMs: call.timeoutMs,
          logger: toolLogger({
            tool: tool.name,
            runId: step.runId,
            tenantId: step.tenantId,
            toolCallId: call.toolCallId,
          }),
        }),
      ),
      timedOut,
    ]);
    return toolResultOf(output);
  } catch (error) {
    if (step.signal.aborted) throw error; // the run was cancelled or lost: not the tool's failure
    const failure = classifyToolError(error);
    if (failure.retryable) throw error;
    return toolFailure(failure);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A call that did not answer in time. Retried (and reported retryable) only when running the tool
 * again is safe; a side effect that timed out may or may not have happened, and the model is told so.
 */
function timeoutError(tool: AnyFunctionTool, timeoutMs: number): ToolError {
  const seconds =
    timeoutMs >= 1_000
      ? `${(timeoutMs / 1_000).toFixed(timeoutMs % 1_000 === 0 ? 0 : 1)} s`
      : `${timeoutMs} ms`;
  if (tool.effect === 'side-effect') {
    return new ToolError(
      `Tool '${tool.name}' did not answer within ${seconds}; it may or may not have acted. Check before calling it again.`,
      { code: 'tool_timeout' },
    );
  }
  return new ToolError(`Tool '${tool.name}' did not answer within ${seconds}.`, {
    code: 'tool_timeout',
    retryable: true,
  });
}
