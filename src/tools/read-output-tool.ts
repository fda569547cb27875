import { z } from 'zod';
import { defineTool } from './tool.js';
import { READ_OUTPUT_TOOL } from './tool-result-view.js';

/** The arguments of `read_tool_output`. */
export const readOutputInput = z.object({
  toolCallId: z.string().describe('The id of the tool call whose output was cut.'),
  offset: z.number().int().min(0).describe('The character to read from (the cut note says where).'),
});

/**
 * `read_tool_output`, as the model sees it: pages through a tool output too large to show at once.
 * The agent loop answers it from the outputs it keeps (no step runs); `execute` is never called.
 */
export const readOutputTool = defineTool({
  name: READ_OUTPUT_TOOL,
  description:
    'Reads more of a tool output that was cut because it was too long: give the tool call id and the offset from the note at its end.',
  input: readOutputInput,
  effect: 'pure',
  source: 'builtin',
  execute: () => {
    throw new Error(`${READ_OUTPUT_TOOL} is answered by the agent loop.`);
  },
});
