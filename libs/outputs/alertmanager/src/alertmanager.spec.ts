import { LosslessNumber } from '@falconer/contracts';
import { createOutput, prepare } from '@falconer/outputs-core';
import { outputContract, sampleEvent, secondEvent } from '@falconer/outputs-testing';
import {
  serviceAvailable,
  hasAlertmanager,
  startAlertmanager,
  type RealAlertmanager,
} from '@falconer/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertmanagerConfig, type AlertmanagerConfig } from './alertmanager.config';
import { alertmanagerOutput } from './alertmanager.descriptor';
import { formatAlertmanager, safeLabel } from './alertmanager.format';

const signal = (): AbortSignal => new AbortController().signal;

function cfg(settings: Record<string, unknown> = {}): AlertmanagerConfig {
  const p = prepare(alertmanagerOutput, {
    name: 'alertmanager',
    type: 'alertmanager',
    path: 'alertmanager',
    settings: { hostport: 'http://am:9093', ...settings },
  });
  const c = alertmanagerConfig(p.values, p.ctx);
  expect(p.errors).toEqual([]);
  return c;
}

const OUTPUT =
  '16:31:56.746609046: Error File below a known binary directory opened for writing (user=root command=touch /bin/hack file=/bin/hack)';

describe('Alertmanager body (falcosidekick outputs/alertmanager.go, newAlertmanagerPayload)', () => {
  it('the sample event: fields as safe labels, sorted map keys, annotations, zero endsAt, encoder newline', () => {
    expect(formatAlertmanager(sampleEvent(), cfg())).toBe(
      '[{"labels":{"eventsource":"syscall","evt_time":"1507591916746609046","fd_name":"/bin/hack",' +
        '"hostname":"falco-node-1","priority":"Error","proc_cmdline":"touch /bin/hack",' +
        '"rule":"Write below binary dir","severity":"warning","source":"falco",' +
        '"tags":"filesystem,mitre_persistence","user_name":"root"},' +
        `"annotations":{"description":"${OUTPUT}","info":"${OUTPUT}","summary":"Write below binary dir"},` +
        '"endsAt":"0001-01-01T00:00:00Z"}]\n',
    );
  });

  it('numbers kept as text, non-scalars dropped, Go escaping, extra labels/annotations win, expiresafter', () => {
    const body = formatAlertmanager(
      secondEvent({ output: 'a <b> & c' }),
      cfg({
        expiresafter: '300',
        extralabels: 'team:sec,rule:overridden',
        extraannotations: { runbook: 'https://r/x?a=1&b=2' },
        customseveritymap: 'notice:page',
      }),
    );
    expect(body).toContain('"proc_tty":"34816"');
    expect(body).toContain('"user_loginuid":"-1"');
    expect(body).toContain('"rule":"overridden"');
    expect(body).toContain('"team":"sec"');
    expect(body).toContain('"severity":"page"');
    expect(body).toContain('"info":"a \\u003cb\\u003e \\u0026 c"');
    expect(body).toContain('"runbook":"https://r/x?a=1\\u0026b=2"');
    expect(body).toContain('"endsAt":"2026-11-20T10:20:02.482910331Z"');
    expect(safeLabel('k8s.ns.name')).toBe('k8s_ns_name');
    expect(safeLabel('evt.arg[0]')).toBe('evt_arg_0');
    expect(safeLabel('.a..b.')).toBe('a_b');
  });

  it('syscall drops: n_evts left out, counts bucketed by threshold, priority raised', () => {
    const drop = (fields: Record<string, unknown>, settings: Record<string, unknown> = {}) =>
      JSON.parse(
        formatAlertmanager(
          sampleEvent({
            priority: 'Debug',
            output_fields: Object.assign(Object.create(null), fields),
            tags: [],
            hostname: '',
          }),
          cfg(settings),
        ),
      )[0].labels;
    expect(drop({ n_evts: '123', n_drops: '0' })).toEqual({
      eventsource: 'syscall',
      n_drops: '0',
      priority: 'Warning',
      rule: 'Write below binary dir',
      severity: 'warning',
      source: 'falco',
    });
    expect(drop({ n_drops: new LosslessNumber('12345') })).toMatchObject({
      n_drops: '>10000',
      priority: 'Critical',
      severity: 'critical',
    });
    expect(drop({ n_drops_buffer: '50' })).toMatchObject({ n_drops_buffer: '>10', priority: 'Warning' });
    // no threshold under 1: the count itself, at the default drop priority
    expect(drop({ n_drops: 1 }, { dropeventdefaultpriority: 'error' })).toMatchObject({
      n_drops: '1',
      priority: 'Error',
    });
    expect(drop({ n_drops: '7' }, { dropeventthresholds: '5:alert' })).toMatchObject({
      n_drops: '>5',
      priority: 'Alert',
    });
  });

  it('reports every configuration problem at start', () => {
    const { errors } = createOutput(alertmanagerOutput, {
      name: 'alertmanager',
      type: 'alertmanager',
      path: 'alertmanager',
      settings: {
        hostport: 'am:9093',
        extralabels: 'bad-name:x',
        customseveritymap: 'urgent:page',
        dropeventthresholds: '10:nope, x:critical',
      },
    });
    expect(errors).toEqual([
      'alertmanager.hostport: "am:9093" is not an http(s) URL',
      'alertmanager.extralabels: "bad-name" is not a valid name ([a-zA-Z_][a-zA-Z0-9_]*)',
      'alertmanager.customseveritymap: "urgent" is not a Falco priority',
      'alertmanager.dropeventthresholds: expected count:priority, got "10:nope"',
      'alertmanager.dropeventthresholds: expected count:priority, got "x:critical"',
    ]);
  });
});

const hasAm = await serviceAvailable('prometheus-alertmanager', hasAlertmanager);

describe.skipIf(!hasAm)('Alertmanager output against a real Alertmanager', () => {
  let a: RealAlertmanager;
  let b: RealAlertmanager;
  beforeAll(async () => {
    [a, b] = (await Promise.all([startAlertmanager(), startAlertmanager()])) as [
      RealAlertmanager,
      RealAlertmanager,
    ];
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
  });

  it('both Alertmanagers of hostport list the alert with falcosidekick labels and annotations', async () => {
    const { output, errors } = createOutput(alertmanagerOutput, {
      name: 'alertmanager',
      type: 'alertmanager',
      path: 'alertmanager',
      settings: { hostport: `${a.url},${b.url}`, expiresafter: 3600, extralabels: 'team:sec' },
    });
    expect(errors).toEqual([]);
    // the event is recent so that the alert is still firing (endsAt = time + 1h)
    const ev = sampleEvent({ time: new Date(Date.now() - 1000).toISOString() });
    expect(await output.send([ev], signal())).toEqual({ ok: true });
    for (const am of [a, b]) {
      const alerts = await am.alerts();
      expect(alerts).toHaveLength(1);
      expect(alerts[0]!.labels).toEqual({
        eventsource: 'syscall',
        evt_time: '1507591916746609046',
        fd_name: '/bin/hack',
        hostname: 'falco-node-1',
        priority: 'Error',
        proc_cmdline: 'touch /bin/hack',
        rule: 'Write below binary dir',
        severity: 'warning',
        source: 'falco',
        tags: 'filesystem,mitre_persistence',
        team: 'sec',
        user_name: 'root',
      });
      expect(alerts[0]!.annotations).toEqual({
        description: OUTPUT,
        info: OUTPUT,
        summary: 'Write below binary dir',
      });
      expect(alerts[0]!.status.state).toBe('active');
    }
    await output.close?.();
  });

  it('one host down: the send fails retryably (network) and names no secret', async () => {
    const { output } = createOutput(alertmanagerOutput, {
      name: 'alertmanager',
      type: 'alertmanager',
      path: 'alertmanager',
      settings: { hostport: `${a.url},http://127.0.0.1:9`, customheaders: 'Authorization:Bearer am-s3cret' },
    });
    const r = await output.send([secondEvent()], signal());
    expect(r).toMatchObject({ ok: false, retryable: true, reason: 'network' });
    expect(JSON.stringify(r)).not.toContain('am-s3cret');
    await output.close?.();
  });
});

outputContract({
  name: 'alertmanager',
  make: (url) =>
    createOutput(alertmanagerOutput, {
      name: 'alertmanager',
      type: 'alertmanager',
      path: 'alertmanager',
      settings: { hostport: url, customheaders: { Authorization: 'Bearer am-token-123' } },
    }).output,
  secrets: ['am-token-123'],
  okReply: () => ({ status: 200 }),
  checkRequest: (req) => {
    expect(req.url).toBe('/api/v2/alerts');
    expect(req.headers['authorization']).toBe('Bearer am-token-123');
    expect(req.text).toBe(formatAlertmanager(sampleEvent(), cfg()));
  },
});
