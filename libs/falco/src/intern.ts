/** Most distinct strings remembered; the table starts over when it is full. */
const MAX_ENTRIES = 20_000;
/** Longer strings (command lines with arguments, file lists) are mostly unique: not worth a lookup. */
const MAX_LENGTH = 256;

let table = new Map<string, string>();

/**
 * One shared copy of a value that recurs from event to event (rule names, images, namespaces, pod names,
 * tags). JSON.parse makes a new string for each occurrence longer than ten characters, and the history
 * keeps up to `store.maxevents` events: with shared copies each stored event holds about half as many
 * objects, and every young-generation garbage collection copies the ones it holds. Invisible to callers:
 * the string is equal either way.
 */
export function intern(s: string): string {
  // V8's JSON.parse already shares strings of up to ten characters
  if (s.length <= 10 || s.length > MAX_LENGTH) return s;
  const known = table.get(s);
  if (known !== undefined) return known;
  if (table.size >= MAX_ENTRIES) table = new Map();
  table.set(s, s);
  return s;
}
