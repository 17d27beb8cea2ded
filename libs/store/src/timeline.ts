import type { TriageMark } from '@falconer/contracts';

/** The triage state of an event nobody has touched. */
export const NEW_TRIAGE: Readonly<TriageMark> = Object.freeze({ state: 'new' });
