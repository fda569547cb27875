import { type Command, Option } from 'commander';
import { DEFAULT_TENANT } from '../core/run.js';
import { DEFAULT_STORE_URL } from '../store/open-store.js';

/** The options every command takes. */
export interface GlobalOptions {
  readonly store: string;
  readonly tenant: string;
}

/** Adds `--store` and `--tenant` to the program; they are accepted before or after any subcommand. */
export function addGlobalOptions(program: Command): void {
  program.addOption(
    new Option(
      '--store <url>',
      'where runs are stored (sqlite:<path>, or postgres://user:pass@host:5432/db?schema=cairn)',
    )
      .env('CAIRN_STORE')
      .default(DEFAULT_STORE_URL),
  );
  program.addOption(new Option('--tenant <id>', 'the tenant whose runs to use').default(DEFAULT_TENANT));
}

/** The global options as a (sub)command sees them, wherever they were written on the command line. */
export function globalOptions(command: Command): GlobalOptions {
  const { store, tenant } = command.optsWithGlobals<{ store?: unknown; tenant?: unknown }>();
  return { store: String(store ?? DEFAULT_STORE_URL), tenant: String(tenant ?? DEFAULT_TENANT) };
}
