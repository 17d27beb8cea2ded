import { describe, expect, it } from 'vitest';
import { DEFAULT_DELIVERY, readAggregateSettings, readDeliverySettings } from './settings';
import { aggregateKey, summaryEvent } from './aggregator';
import { testEvent } from '@falconer/testing';

describe('delivery settings', () => {
  it('defaults follow spec/delivery.md', () => {
    const { settings, errors } = readDeliverySettings({}, 'outputs[0]');
    expect(errors).toEqual([]);
    expect(settings).toEqual(DEFAULT_DELIVERY);
    expect(settings).toMatchObject({
      attempts: 12,
      timeoutMs: 10_000,
      concurrency: 4,
      queueSize: 100_000,
      backoffBaseMs: 500,
      backoffCapMs: 60_000,
    });
    expect(settings.breaker).toEqual({ afterMs: 10_000, minFailures: 5, probeMs: 2_000 });
  });

  it('reads YAML maps and environment strings alike', () => {
    const { settings, errors } = readDeliverySettings(
      {
        retries: '10',
        timeout: '5s',
        concurrency: 8,
        queuesize: 500,
        breaker: { after: '30s', minfailures: '3', probe: '1s' },
        'backoff.base': '1s',
      },
      'outputs[1]',
    );
    expect(errors).toEqual([]);
    expect(settings).toMatchObject({
      attempts: 10,
      timeoutMs: 5_000,
      concurrency: 8,
      queueSize: 500,
      backoffBaseMs: 1_000,
    });
    expect(settings.breaker).toEqual({ afterMs: 30_000, minFailures: 3, probeMs: 1_000 });
  });

  it('reports every problem at once, typos included', () => {
    const { errors } = readDeliverySettings(
      { retries: 'lots', timeout: 'soon', retires: 3, breaker: { aftr: '1s' } },
      'outputs[2]',
    );
    expect(errors).toHaveLength(4);
    expect(errors.join('\n')).toContain('outputs[2].delivery.retries: expected a whole number');
    expect(errors.join('\n')).toContain('outputs[2].delivery.timeout: expected a duration');
    expect(errors.join('\n')).toContain('outputs[2].delivery.retires: unknown delivery setting');
    expect(errors.join('\n')).toContain('outputs[2].delivery.breaker.aftr: unknown delivery setting');
  });

  it('aggregate: window and key, with defaults', () => {
    expect(readAggregateSettings({}, 'slack').settings).toEqual({
      windowMs: 60_000,
      key: ['rule', 'hostname', 'output_fields.k8s.pod.name'],
    });
    expect(readAggregateSettings({ window: '5m', key: 'rule,priority' }, 'slack').settings).toEqual({
      windowMs: 300_000,
      key: ['rule', 'priority'],
    });
    expect(readAggregateSettings({ window: 'x', size: 1 }, 'slack').errors).toHaveLength(2);
  });

  it('aggregate key and summary text', () => {
    const a = testEvent(1);
    const b = testEvent(2);
    const key = ['rule', 'hostname', 'output_fields.k8s.pod.name'];
    expect(aggregateKey(a, key)).toBe(aggregateKey(b, key));
    expect(aggregateKey(a, key)).not.toBe(
      aggregateKey(testEvent(1, { output_fields: { 'k8s.pod.name': 'web-2' } }), key),
    );
    expect(summaryEvent(b, 41, 60_000).output).toBe('Terminal shell in container #2 (×41 in 60s)');
    expect(summaryEvent(b, 41, 60_000).uuid).toBe(b.uuid);
  });
});
