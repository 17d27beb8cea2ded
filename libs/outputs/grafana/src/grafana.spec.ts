import { createOutput } from '@falconer/outputs-core';
import { outputContract, sampleEvent, secondEvent } from '@falconer/outputs-testing';
import { describe, expect, it } from 'vitest';
import { grafanaOnCallOutput, grafanaOutput } from './grafana.descriptor';
import { formatGrafanaAnnotation, formatGrafanaOnCall } from './grafana.format';

const OUTPUT =
  '16:31:56.746609046: Error File below a known binary directory opened for writing (user=root command=touch /bin/hack file=/bin/hack)';

describe('Grafana bodies (falcosidekick outputs/grafana.go)', () => {
  it('annotation for the sample event (newGrafanaPayload), byte for byte', () => {
    expect(
      formatGrafanaAnnotation(sampleEvent(), { dashboardId: 0, panelId: 0, allFieldsAsTags: false }),
    ).toBe(
      '{"time":1558107116746,"timeEnd":1558107116746,"tags":["falco","Error","Write below binary dir","syscall","falco-node-1"],' +
        `"text":"${OUTPUT}"}\n`,
    );
  });

  it('annotation with dashboard, panel and every field as a tag', () => {
    const body = JSON.parse(
      formatGrafanaAnnotation(secondEvent(), { dashboardId: 12, panelId: 3, allFieldsAsTags: true }),
    );
    expect(body.dashboardId).toBe(12);
    expect(body.panelId).toBe(3);
    expect(body.tags).toEqual([
      'falco',
      'Notice',
      'Terminal shell in container',
      'syscall',
      'worker-1',
      '4f1c2a9b7d3e',
      'docker.io/library/nginx',
      'shop',
      'web-6d4cf56db6-q8x2z',
      'bash',
      '34816',
      '-1',
      'root',
      'T1059',
      'container',
      'shell',
    ]);
  });

  it('OnCall for the sample event (newGrafanaOnCallPayload), byte for byte', () => {
    expect(formatGrafanaOnCall(sampleEvent())).toBe(
      '{"alert_uid":"a6f3e4c2-1b2d-4e5f-8a9b-0c1d2e3f4a5b","state":"alerting","title":"[Error] Write below binary dir",' +
        `"message":"${OUTPUT}"}\n`,
    );
  });

  it('grafana needs both hostport and apikey', () => {
    const { errors } = createOutput(grafanaOutput, {
      name: 'grafana',
      type: 'grafana',
      path: 'grafana',
      settings: { hostport: 'http://grafana:3000' },
    });
    expect(errors).toEqual(['grafana.apikey: required']);
  });
});

outputContract({
  name: 'grafana',
  make: (url) =>
    createOutput(grafanaOutput, {
      name: 'grafana',
      type: 'grafana',
      path: 'grafana',
      settings: { hostport: url, apikey: 'glsa_s3cr3t_token' },
    }).output,
  secrets: ['glsa_s3cr3t_token'],
  checkRequest: (req) => {
    expect(req.url).toBe('/api/annotations');
    expect(req.headers['authorization']).toBe('Bearer glsa_s3cr3t_token');
    expect(req.text).toBe(
      formatGrafanaAnnotation(sampleEvent(), { dashboardId: 0, panelId: 0, allFieldsAsTags: false }),
    );
  },
});

outputContract({
  name: 'grafanaoncall',
  make: (url) =>
    createOutput(grafanaOnCallOutput, {
      name: 'grafanaoncall',
      type: 'grafanaoncall',
      path: 'grafanaoncall',
      settings: { webhookurl: `${url}/integrations/v1/formatted_webhook/oncallS3cr3tPath/` },
    }).output,
  secrets: ['oncallS3cr3tPath'],
  checkRequest: (req) => {
    expect(req.url).toBe('/integrations/v1/formatted_webhook/oncallS3cr3tPath/');
    expect(req.text).toBe(formatGrafanaOnCall(sampleEvent()));
  },
});
