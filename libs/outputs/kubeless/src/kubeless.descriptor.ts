import { defineOutput, faasOutput, HTTP_SETTINGS, newEventId, setting } from '@falconer/outputs-core';

export const KUBELESS_SETTINGS = {
  function: setting.string('Function name (enables the output, with `namespace`)', '', { required: true }),
  namespace: setting.string('Namespace of the function (mandatory)', '', { required: true }),
  port: setting.int('Port of the function service', 8080, { min: 1, max: 65535 }),
  kubeconfig: setting.string(
    "Kubeconfig file: call the function through the Kubernetes API server's service proxy (from outside the cluster)",
  ),
  endpoint: setting.url('Full URL to POST to instead of the in-cluster function URL', { extension: true }),
  ...HTTP_SETTINGS,
};

/** falcosidekick's in-cluster URL: `http://<function>.<namespace>.svc.cluster.local:<port>`. */
export function kubelessUrl(v: { function: string; namespace: string; port: number }): string {
  return `http://${v.function}.${v.namespace}.svc.cluster.local:${v.port}`;
}

export const kubelessOutput = defineOutput({
  type: 'kubeless',
  title: 'Kubeless',
  section: 'kubeless',
  enabledBy: ['function'],
  settings: KUBELESS_SETTINGS,
  falcosidekick: 'outputs/kubeless.go',
  summary:
    "Invokes a Kubeless function's service with falcosidekick's event JSON and its `event-id`, `event-type: falco` and `event-namespace` headers. Kubeless is no longer maintained: prefer another output.",
  example: `kubeless:
  function: falco-responder
  namespace: kubeless
  port: 8080`,
  create: (values, ctx) => {
    ctx.warn(
      'Kubeless is no longer maintained upstream; consider OpenFaaS, Fission, Knative (cloudevents) or a webhook',
    );
    const namespace = values.namespace;
    return faasOutput(values, ctx, {
      url: values.endpoint || kubelessUrl(values),
      target: { namespace, service: values.function, port: values.port, path: '/' },
      headers: () => ({
        'Content-Type': 'application/json',
        'event-id': newEventId(),
        'event-type': 'falco',
        'event-namespace': namespace,
      }),
    });
  },
});
