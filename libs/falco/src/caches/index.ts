/*
 * Process-wide caches of the ingest and serialisation hot paths, kept together on purpose.
 *
 * Each holds module-level state that lives as long as the process and is shared by every request, queue
 * and output in it: the intern table (one copy of recurring strings, and their Go JSON text), the
 * key-layout cache (sorted output_fields keys with their escaped prefixes), the uuid pool (random bytes
 * drawn 128 at a time, written as flat strings) and the thread transfer that re-interns a worker's
 * events. They exist for speed and memory only — bench/ingest.mjs and bench/memory.mjs show what each
 * buys — and none changes a result: removing one makes Falconer slower or larger, never different.
 * Each is bounded (a fixed number of entries or a pool of fixed size), so no client can grow them
 * without limit. A new cache of this kind belongs here, with the same promises.
 */
export { intern, internCloned, jsonOfShared } from './intern';
export { layoutOf } from './key-layout';
export { flatRandomUuid } from './uuid';
export { fromTransfer, toTransfer, type TransferredEvent, type TransferredRefusal } from './transfer';
