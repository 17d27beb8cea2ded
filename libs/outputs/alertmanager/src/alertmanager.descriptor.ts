import { defineOutput, HTTP_SETTINGS, PRIORITY_NAMES, setting } from '@falconer/outputs-core';
import { alertmanagerConfig } from './alertmanager.config';
import { AlertmanagerOutput } from './alertmanager.output';

export const ALERTMANAGER_SETTINGS = {
  hostport: setting.list(
    'Alertmanager base URLs, comma separated (`http://am-0:9093,http://am-1:9093`); every one receives each alert (enables the output)',
    [],
    { required: true },
  ),
  endpoint: setting.string('Path posted to on each host', '/api/v2/alerts'),
  expiresafter: setting.int(
    'Seconds after the event time when the alert resolves (`endsAt`); 0 = never set',
    0,
    {
      min: 0,
    },
  ),
  extralabels: setting.map('Labels added to every alert, `name:value,name:value`'),
  extraannotations: setting.map('Annotations added to every alert, `name:value,name:value`'),
  customseveritymap: setting.map(
    'Falco priority → `severity` label, `critical:page,warning:ticket` (the rest keep the default mapping)',
  ),
  dropeventdefaultpriority: setting.enum(
    'Priority given to a syscall-drop event (`n_drops*` fields) no threshold matched',
    PRIORITY_NAMES,
    'critical',
  ),
  dropeventthresholds: setting.string(
    'Drop counts that raise the priority of a syscall-drop event, `count:priority` comma separated',
    '10000:critical, 1000:critical, 100:critical, 10:warning, 1:warning',
  ),
  ...HTTP_SETTINGS,
};

export const alertmanagerOutput = defineOutput({
  type: 'alertmanager',
  title: 'Prometheus Alertmanager',
  section: 'alertmanager',
  enabledBy: ['hostport'],
  settings: ALERTMANAGER_SETTINGS,
  falcosidekick: 'outputs/alertmanager.go',
  summary:
    "Posts each event as an Alertmanager alert (falcosidekick's labels and annotations: output fields as labels, `rule`, `priority`, `severity`, `eventsource`, `hostname`, `tags`) to every configured Alertmanager.",
  example: `alertmanager:
  hostport: http://alertmanager-0:9093,http://alertmanager-1:9093
  expiresafter: 300
  extralabels: "team:security,cluster:prod"
  extraannotations: "runbook_url:https://runbooks.example/falco"
  customseveritymap: "critical:page,error:ticket"
  minimumpriority: warning`,
  create: (values, ctx) => new AlertmanagerOutput(ctx.name, alertmanagerConfig(values, ctx)),
});
