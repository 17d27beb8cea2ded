import { serializeEvent } from '@falconer/falco';
import { classifyStatus, parseRetryAfter } from '@falconer/outputs-core';
import { describe, expect, it } from 'vitest';
import { STATUS_CASES } from './contract';
import { sampleEvent, secondEvent } from './sample-events';

describe('the contract table agrees with the one classifier', () => {
  it.each(STATUS_CASES)('HTTP $status', (c) => {
    expect(classifyStatus(c.status)).toEqual({ ok: false, retryable: c.retryable, reason: c.reason });
    expect(parseRetryAfter(c.retryAfter)).toBe(c.retryAfterMs);
  });
});

describe('sample events', () => {
  it('serialise with the 19-digit number intact and Go escaping', () => {
    expect(serializeEvent(sampleEvent())).toContain('"evt.time":1507591916746609046');
    expect(serializeEvent(secondEvent())).toContain('\\u003cNA\\u003e \\u0026 co');
  });
});
