import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ScriptedTurn } from '../../src/models/scripted-model.js';

/** A local server speaking the OpenAI chat-completions wire protocol, answering from a script. */
export interface OpenAICompatibleServer {
  /** The base URL, ending in `/v1`. */
  readonly url: string;
  /** Every JSON body POSTed to /v1/chat/completions, valid or not, in order. */
  readonly requests: unknown[];
  /** The headers of those requests, in the same order. */
  readonly headers: IncomingHttpHeaders[];
  close(): Promise<void>;
}

interface ChatRequest {
  readonly model: string;
  readonly messages: unknown[];
  readonly stream?: boolean;
  readonly stream_options?: { readonly include_usage?: boolean };
}

/**
 * Starts the server on 127.0.0.1 on a free port. Request n gets turn n as a `chat.completion`, or as
 * Server-Sent Events `chat.completion.chunk`s when the request says `stream: true`. Turns without
 * usage report a rough estimate from the request's size. Past the script: a 400 error (not a 5xx, so
 * that clients do not retry it).
 */
export async function startOpenAICompatibleServer(
  turns: readonly ScriptedTurn[],
): Promise<OpenAICompatibleServer> {
  const requests: unknown[] = [];
  const headers: IncomingHttpHeaders[] = [];
  let answered = 0;
  const server = createServer(async (req, res) => {
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
      return sendError(res, 404, `No route for ${req.method} ${req.url}: use POST /v1/chat/completions.`);
    }
    let body: unknown;
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return sendError(res, 400, 'The request body is not valid JSON.');
    }
    requests.push(body);
    headers.push(req.headers);
    const request = body as Partial<ChatRequest>;
    if (typeof request.model !== 'string' || !Array.isArray(request.messages)) {
      return sendError(res, 400, "The request needs a 'model' string and a 'messages' array.");
    }
    const turn = turns[answered];
    if (turn === undefined)
      return sendError(res, 400, `The script has ${turns.length} turns; all were used.`);
    const id = `chatcmpl-${++answered}`;
    const usage = usageOf(turn, JSON.stringify(request.messages).length);
    if (request.stream === true) return sendStream(res, id, request as ChatRequest, turn, usage);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(completion(id, request.model, turn, usage)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    headers,
    close: () =>
      new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

function completion(id: string, model: string, turn: ScriptedTurn, usage: object): object {
  const calls = toolCalls(turn).map(({ id, name, args }) => ({
    id,
    type: 'function',
    function: { name, arguments: args },
  }));
  const message = {
    role: 'assistant',
    content: turn.text ?? null,
    ...(calls.length ? { tool_calls: calls } : {}),
  };
  return {
    id,
    object: 'chat.completion',
    created: 1_700_000_000,
    model,
    choices: [{ index: 0, message, finish_reason: finishReason(turn), logprobs: null }],
    usage,
  };
}

function sendStream(
  res: ServerResponse,
  id: string,
  request: ChatRequest,
  turn: ScriptedTurn,
  usage: object,
) {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const base = { id, object: 'chat.completion.chunk', created: 1_700_000_000, model: request.model };
  const send = (data: unknown) => res.write(`data: ${JSON.stringify(data)}\n\n`);
  const chunk = (delta: object, finish: string | null = null) =>
    send({ ...base, choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }] });
  chunk({ role: 'assistant', content: '' });
  for (const piece of pieces(turn.text ?? '', 3)) chunk({ content: piece });
  toolCalls(turn).forEach(({ id: callId, name, args }, index) => {
    // The first delta names the call; the arguments follow in pieces, as OpenAI streams them.
    chunk({ tool_calls: [{ index, id: callId, type: 'function', function: { name, arguments: '' } }] });
    for (const piece of pieces(args, 3)) chunk({ tool_calls: [{ index, function: { arguments: piece } }] });
  });
  chunk({}, finishReason(turn));
  if (request.stream_options?.include_usage === true) send({ ...base, choices: [], usage });
  res.end('data: [DONE]\n\n');
}

function toolCalls(turn: ScriptedTurn) {
  return (turn.toolCalls ?? []).map((call, n) => ({
    id: call.id ?? `call_${n}`,
    name: call.name,
    args: JSON.stringify(call.input ?? {}),
  }));
}

function finishReason(turn: ScriptedTurn): string {
  return turn.toolCalls?.length ? 'tool_calls' : 'stop';
}

function usageOf(turn: ScriptedTurn, requestChars: number) {
  const prompt = turn.usage?.input ?? Math.ceil(requestChars / 4);
  const completion = turn.usage?.output ?? Math.ceil((turn.text ?? '').length / 4) + 1;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: turn.usage?.cachedInput ?? 0 },
    completion_tokens_details: { reasoning_tokens: turn.usage?.reasoning ?? 0 },
  };
}

function pieces(text: string, count: number): string[] {
  const size = Math.max(1, Math.ceil(text.length / count));
  const out: string[] = [];
  for (let at = 0; at < text.length; at += size) out.push(text.slice(at, at + size));
  return out;
}

function sendError(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: { message, type: 'invalid_request_error', param: null, code: null } }));
}
