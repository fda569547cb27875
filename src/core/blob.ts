/**
 * A stored payload, addressed by the SHA-256 of its encoding and data, so equal payloads are stored once.
 * `json` holds one JSON value; `text` one large string, as is (no JSON escaping to do or undo); `list` a
 * JSON array of ValueRefs, one per element of a large array, so a list that grows by one element shares
 * every earlier element's blob; `object` a JSON object of ValueRefs, one per field, so that a large
 * value nested in different envelopes (a tool's output, the message that carries it) is stored once.
 */
export interface Blob {
  readonly hash: string;
  readonly encoding: BlobEncoding;
  readonly data: string;
}

export type BlobEncoding = 'json' | 'list' | 'object' | 'text';
