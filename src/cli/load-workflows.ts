import { existsSync, statSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CairnError } from '../core/errors.js';
import type { AnyWorkflow } from '../runtime/runtime.js';

const TYPESCRIPT = new Set(['.ts', '.mts']);
const JAVASCRIPT = new Set(['.js', '.mjs']);

let typescriptLoader: Promise<void> | undefined;

/**
 * Imports a `.ts`, `.mts`, `.js` or `.mjs` file and returns the workflows and agents it exports
 * (anything with a `name` string and a `run` function), each once.
 *
 * TypeScript goes through tsx's loader, registered for this process. Not `tsImport`: that loads the
 * file's whole module graph as separate copies, so the file's `cairn` (its `CairnError`,
 * `NonRetryableError`) would not be the CLI's, and `instanceof` checks between the two would fail.
 */
export async function loadWorkflows(file: string): Promise<AnyWorkflow[]> {
  const path = resolve(file);
  if (!existsSync(path) || !statSync(path).isFile()) {
    throw new CairnError('invalid_argument', `No such file: ${file}`);
  }
  const extension = extname(path);
  if (!TYPESCRIPT.has(extension) && !JAVASCRIPT.has(extension)) {
    throw new CairnError('invalid_argument', `Cannot load ${file}: give a .ts, .mts, .js or .mjs file.`);
  }
  if (TYPESCRIPT.has(extension)) {
    typescriptLoader ??= import('tsx/esm/api').then(({ register }) => {
      register();
    });
    await typescriptLoader;
  }
  const exports = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  return [...new Set(Object.values(exports).filter(isWorkflow))];
}

/**
 * The workflow to run: the one `name` names; else the only one that is not a child of another (an
 * agent's sub-agents are exported too, often); else an error listing the choices.
 */
export function pickWorkflow(file: string, workflows: readonly AnyWorkflow[], name?: string): AnyWorkflow {
  const names = workflows.map((workflow) => `'${workflow.name}'`).join(', ');
  if (name !== undefined) {
    const named = workflows.find((workflow) => workflow.name === name);
    if (named !== undefined) return named;
    throw new CairnError(
      'workflow_not_found',
      `${file} exports no workflow or agent named '${name}'. It exports: ${names || 'none'}.`,
    );
  }
  if (workflows.length === 0) {
    throw new CairnError(
      'workflow_not_found',
      `${file} exports no workflow or agent. Export one made with defineWorkflow() or defineAgent().`,
    );
  }
  const children = new Set(workflows.flatMap((workflow) => workflow.children ?? []));
  const roots = workflows.filter((workflow) => !children.has(workflow as never));
  if (roots.length === 1) return roots[0]!;
  throw new CairnError(
    'invalid_argument',
    `${file} exports ${workflows.length} workflows and agents: ${names}. Choose one with --workflow <name>.`,
  );
}

/** Looks like what defineWorkflow or defineAgent returns. */
export function isWorkflow(value: unknown): value is AnyWorkflow {
  const candidate = value as { name?: unknown; run?: unknown } | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.name === 'string' &&
    typeof candidate.run === 'function'
  );
}
