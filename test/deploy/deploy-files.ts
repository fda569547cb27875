import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

/** The repository root: the image's /app (its WORKDIR) has the same layout. */
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A Kubernetes object as parsed from YAML; the tests read what they check. */
// biome-ignore lint/suspicious/noExplicitAny: manifests are checked field by field, not typed.
type Fields = Record<string, any>;
export type Manifest = { kind: string; metadata: { name: string } & Fields } & Fields;

/** The objects of a multi-document YAML file under the repository root. */
export function readManifests(path: string): Manifest[] {
  const documents = parseAllDocuments(readFileSync(`${REPO_ROOT}/${path}`, 'utf8'));
  for (const document of documents) if (document.errors.length > 0) throw document.errors[0];
  return documents.map((document) => document.toJS() as Manifest).filter((object) => object !== null);
}

/** The one object of `kind` among `objects`. */
export function only(objects: readonly Manifest[], kind: string): Manifest {
  const found = objects.filter((object) => object.kind === kind);
  if (found.length !== 1) throw new Error(`expected one ${kind}, found ${found.length}`);
  return found[0]!;
}

/** A Dockerfile's instructions, in order: continuation lines joined, comments left out. */
export function readDockerfile(path: string): { instruction: string; args: string }[] {
  const text = readFileSync(`${REPO_ROOT}/${path}`, 'utf8').replace(/\\\r?\n/g, ' ');
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const [instruction = '', ...rest] = line.split(/\s+/);
      return { instruction: instruction.toUpperCase(), args: rest.join(' ') };
    });
}

/** The value after `flag` in a command line, or undefined. */
export function flagValue(args: readonly string[], flag: string): string | undefined {
  const at = args.indexOf(flag);
  return at === -1 ? undefined : args[at + 1];
}
