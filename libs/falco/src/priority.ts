import { PRIORITIES, PRIORITY_LEVEL, type Priority } from '@falconer/contracts';

const BY_NAME = new Map<string, Priority>(PRIORITIES.map((p) => [p.toLowerCase(), p]));
BY_NAME.set('info', 'Informational');
const EXACT = new Map<string, Priority>(PRIORITIES.map((p) => [p, p]));

/** Case-insensitive priority name (`info` = Informational); undefined when unknown. */
export function parsePriority(name: string): Priority | undefined {
  // Falco sends the canonical spelling: answer that without allocating
  return EXACT.get(name) ?? BY_NAME.get(name.trim().toLowerCase());
}

export function priorityLevel(p: Priority): number {
  return PRIORITY_LEVEL[p];
}
