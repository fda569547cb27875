import { createRequire } from 'node:module';

/**
 * How Cairn introduces itself in the MCP handshake: name 'cairn' and the package's version. The
 * package.json is two folders up both from src/mcp (tsx, tests) and from dist/mcp (the build).
 */
export const CLIENT_INFO: { readonly name: string; readonly version: string } = {
  name: 'cairn',
  version: packageVersion(),
};

function packageVersion(): string {
  try {
    const pkg = createRequire(import.meta.url)('../../package.json') as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  } catch {
    return '0.0.0'; // bundled without its package.json
  }
}
