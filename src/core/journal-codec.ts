import { CairnError } from './errors.js';
import { JOURNAL_VERSION, type JournalEvent, journalEventSchema } from './journal-event.js';

/**
 * Turns a stored event body back into a typed event, upcasting from older journal versions.
 * Version 1 is the first, so there is nothing to upcast yet; a future version adds a case here and a
 * fixture journal of the old version that `test/core/journal-fixtures.test.ts` replays.
 */
export function decodeJournalEvent(version: number, body: string, where: string): JournalEvent {
  if (version > JOURNAL_VERSION || version < 1) {
    throw new CairnError(
      'journal_version_unsupported',
      `${where} was written with journal version ${version}; this Cairn reads versions 1 to ${JOURNAL_VERSION}. Upgrade Cairn to read it.`,
      { details: { version } },
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch (cause) {
    throw new CairnError('journal_corrupt', `${where} is not valid JSON.`, { cause });
  }
  const parsed = journalEventSchema.safeParse(raw);
  if (!parsed.success) {
    throw new CairnError(
      'journal_corrupt',
      `${where} does not match the journal schema: ${parsed.error.message}`,
      {
        cause: parsed.error,
      },
    );
  }
  return parsed.data;
}

export function encodeJournalEvent(event: JournalEvent): string {
  return JSON.stringify(event);
}
