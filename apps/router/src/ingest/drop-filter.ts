import type { FalcoEvent } from '@falconer/contracts';

/** The global `drop:` filter: true = discard before recording. */
export type DropFilter = (event: FalcoEvent) => boolean;
export const DROP_FILTER = Symbol('DropFilter');
