// A process-wide cache: see ./index.ts for what these caches promise.
import { goJsonString } from '../json/go-json';

/** Most distinct strings remembered; the table starts over when it is full. */
const MAX_ENTRIES = 20_000;
/** Longer strings (command lines with arguments, file lists) are mostly unique: not worth a lookup. */
const MAX_LENGTH = 256;

interface Shared {
  readonly s: string;
  /** The string as a Go JSON literal, made on first serialisation. */
  json: string | undefined;
}

let table = new Map<string, Shared>();

/** V8's JSON.parse already shares strings of up to ten characters; longer ones past MAX_LENGTH are not kept. */
function sharable(s: string): boolean {
  return s.length > 10 && s.length <= MAX_LENGTH;
}

/**
 * One shared copy of a value that recurs from event to event (rule names, images, namespaces, pod names,
 * tags). JSON.parse makes a new string for each occurrence longer than ten characters, and the history
 * keeps up to `store.maxevents` events: with shared copies each stored event holds about half as many
 * objects, and every young-generation garbage collection copies the ones it holds. Invisible to callers:
 * the string is equal either way.
 */
export function intern(s: string): string {
  return sharable(s) ? lookup(s) : s;
}

/**
 * `intern` for strings that did not come from JSON.parse on this thread — a structured clone (the parse
 * worker's events) copies every string, the short ones V8 would have shared too: tags, priorities,
 * `execve`, `bash`, `root`. Measured with a heap snapshot (bench/memory.mjs): ~9 such copies per event,
 * ~250 bytes of every retained event.
 */
export function internCloned(s: string): string {
  return s.length <= MAX_LENGTH ? lookup(s) : s;
}

function lookup(s: string): string {
  const known = table.get(s);
  if (known !== undefined) return known.s;
  if (table.size >= MAX_ENTRIES) table = new Map();
  table.set(s, { s, json: undefined });
  return s;
}

/**
 * `s` as a Go JSON literal (goJsonString), remembered for shared values: serialising an alert for an
 * output writes the same rule, image and pod names again and again. Any string is accepted.
 */
export function jsonOfShared(s: string): string {
  if (sharable(s)) {
    const known = table.get(s);
    if (known !== undefined) return (known.json ??= goJsonString(known.s));
  }
  return goJsonString(s);
}
