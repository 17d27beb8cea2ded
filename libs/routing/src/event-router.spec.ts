import { describe, expect, it } from 'vitest';
import { createEventRouter, TEST_RULE } from './event-router';
import { compileDrop, compileFilter } from './filter';
import { testEvent } from './test-event';

/** Output instances as the registry builds them: a name and the compiled filter of its configuration. */
const targets = [
  { name: 'slack-critical', matches: compileFilter({ minimumpriority: 'critical' }).filter.matches },
  { name: 'webhook-all', matches: compileFilter(undefined).filter.matches },
  { name: 'es-nothing', matches: compileFilter({ rules: { include: ['Nothing'] } }).filter.matches },
];

describe('EventRouter', () => {
  it('routes an event to the outputs whose filter it meets, in configuration order', () => {
    const router = createEventRouter(targets, compileDrop(undefined).drop);
    expect(router.outputs).toEqual(['slack-critical', 'webhook-all', 'es-nothing']);
    expect(router.route(testEvent({ priority: 'Warning' }))).toEqual(['webhook-all']);
    expect(router.route(testEvent({ priority: 'Emergency' }))).toEqual(['slack-critical', 'webhook-all']);
  });

  it('sends the test event to every output, whatever the filters say', () => {
    const router = createEventRouter(targets, compileDrop(undefined).drop);
    expect(router.route(testEvent({ rule: TEST_RULE, priority: 'Debug' }))).toEqual([
      'slack-critical',
      'webhook-all',
      'es-nothing',
    ]);
  });

  it('drops what the drop filter matches, never the test event', () => {
    const router = createEventRouter(targets, compileDrop({ minimumpriority: 'debug' }).drop);
    expect(router.drops(testEvent())).toBe(true);
    expect(router.drops(testEvent({ rule: TEST_RULE }))).toBe(false);
    expect(createEventRouter(targets, compileDrop({}).drop).drops(testEvent())).toBe(false);
  });
});
