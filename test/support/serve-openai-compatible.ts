import { afterEach } from 'vitest';
import { type OpenAICompatibleServer, startOpenAICompatibleServer } from './openai-compatible-server.js';

const servers: OpenAICompatibleServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** A local chat-completions server answering from these turns, closed after the test. */
export async function serveOpenAICompatible(
  ...turns: Parameters<typeof startOpenAICompatibleServer>[0]
): Promise<OpenAICompatibleServer> {
  const server = await startOpenAICompatibleServer(turns);
  servers.push(server);
  return server;
}
