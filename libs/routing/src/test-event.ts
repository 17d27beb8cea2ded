import type { FalcoEvent, FieldValue } from '@falconer/contracts';

/** A valid event for scenarios; override what the scenario is about. */
export function testEvent(
  over: Partial<Omit<FalcoEvent, 'output_fields'>> & { output_fields?: Record<string, FieldValue> } = {},
): FalcoEvent {
  const fields = Object.assign(
    Object.create(null) as Record<string, FieldValue>,
    over.output_fields ?? { 'proc.name': 'bash' },
  );
  return {
    uuid: '3b4f2a4e-0000-4000-8000-000000000001',
    output: 'A shell was spawned',
    priority: 'Warning',
    rule: 'Terminal shell in container',
    time: '2026-11-20T10:15:02.482910331Z',
    source: 'syscall',
    tags: ['container', 'shell'],
    hostname: 'worker-1',
    ...over,
    output_fields: fields,
  };
}
