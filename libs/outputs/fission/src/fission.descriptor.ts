import { defineOutput, faasOutput, HTTP_SETTINGS, newEventId, setting } from '@falconer/outputs-core';

export const FISSION_SETTINGS = {
  function: setting.string('Function name (enables the output)', '', { required: true }),
  routernamespace: setting.string('Namespace of the Fission router', 'fission'),
  routerservice: setting.string('Service of the Fission router', 'router'),
  routerport: setting.int('Port of the router service', 80, { min: 1, max: 65535 }),
  kubeconfig: setting.string(
    "Kubeconfig file: call the function through the Kubernetes API server's service proxy (from outside the cluster)",
  ),
  endpoint: setting.url('Full URL to POST to instead of the in-cluster router URL', { extension: true }),
  ...HTTP_SETTINGS,
};

/** falcosidekick's in-cluster URL: `http://<routerservice>.<routernamespace>.svc.cluster.local:<port>/fission-function/<function>`. */
export function fissionUrl(v: {
  routerservice: string;
  routernamespace: string;
  routerport: number;
  function: string;
}): string {
  return `http://${v.routerservice}.${v.routernamespace}.svc.cluster.local:${v.routerport}/fission-function/${v.function}`;
}

export const fissionOutput = defineOutput({
  type: 'fission',
  title: 'Fission',
  section: 'fission',
  enabledBy: ['function'],
  settings: FISSION_SETTINGS,
  falcosidekick: 'outputs/fission.go',
  summary:
    "Invokes a Fission function through the Fission router with falcosidekick's event JSON, `Content-Type: application/json` and a fresh `event-id` header.",
  example: `fission:
  function: falco-responder
  routernamespace: fission
  routerservice: router
  routerport: 80`,
  create: (values, ctx) =>
    faasOutput(values, ctx, {
      url: values.endpoint || fissionUrl(values),
      target: {
        namespace: values.routernamespace,
        service: values.routerservice,
        port: values.routerport,
        path: `/fission-function/${values.function}`,
      },
      headers: () => ({ 'Content-Type': 'application/json', 'event-id': newEventId() }),
    }),
});
