import { describe, expect, it } from 'vitest';
import { decodeStoredEvent, parseEvent } from './parse';
import { serializeEvent, serializeStoredEvent } from './serialize';

const BODY =
  '{"output":"shell","priority":"Notice","rule":"Terminal shell in container","time":"2026-11-30T10:00:00Z",' +
  '"output_fields":{"evt.time":1507591916746609046},"hostname":"worker-1"}';

describe("Falconer's silenced mark", () => {
  const event = { ...parseEvent(BODY).event, silenced: ['s-1', 's"2'] };

  it('is kept in history and shown, never in what outputs are sent', () => {
    const stored = serializeStoredEvent(event);
    expect(stored).toBe(serializeEvent(event).slice(0, -1) + ',"silenced":["s-1","s\\"2"]}');
    expect(serializeEvent(event)).not.toContain('silenced');
    const back = decodeStoredEvent(stored);
    expect(back.silenced).toEqual(['s-1', 's"2']);
    expect(serializeEvent(back)).toBe(serializeEvent(event));
    expect(serializeStoredEvent({ ...event, silenced: [] })).toBe(serializeEvent(event));
  });

  it('is never read from a sender', () => {
    const sent = BODY.replace(/}$/, ',"silenced":["forged"]}');
    expect(parseEvent(sent).event.silenced).toBeUndefined();
  });
});
