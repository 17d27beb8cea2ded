import { defineOutput, faasOutput, HTTP_SETTINGS, setting } from '@falconer/outputs-core';

export const OPENFAAS_SETTINGS = {
  functionname: setting.string('Function name (enables the output)', '', { required: true }),
  functionnamespace: setting.string('Namespace of the function', 'openfaas-fn'),
  gatewayservice: setting.string('Service of the OpenFaaS gateway', 'gateway'),
  gatewayport: setting.int('Port of the gateway service', 8080, { min: 1, max: 65535 }),
  gatewaynamespace: setting.string('Namespace of the gateway', 'openfaas'),
  kubeconfig: setting.string(
    "Kubeconfig file: call the function through the Kubernetes API server's service proxy (from outside the cluster)",
  ),
  endpoint: setting.url('Full URL to POST to instead of the in-cluster gateway URL', { extension: true }),
  ...HTTP_SETTINGS,
};

/** falcosidekick's in-cluster URL: `http://<gatewayservice>.<gatewaynamespace>:<port>/function/<name>.<namespace>`. */
export function openFaasUrl(v: {
  gatewayservice: string;
  gatewaynamespace: string;
  gatewayport: number;
  functionname: string;
  functionnamespace: string;
}): string {
  return `http://${v.gatewayservice}.${v.gatewaynamespace}:${v.gatewayport}/function/${v.functionname}.${v.functionnamespace}`;
}

export const openFaasOutput = defineOutput({
  type: 'openfaas',
  title: 'OpenFaaS',
  section: 'openfaas',
  enabledBy: ['functionname'],
  settings: OPENFAAS_SETTINGS,
  falcosidekick: 'outputs/openfaas.go',
  summary:
    "Invokes an OpenFaaS function through its gateway with falcosidekick's event JSON as the request body.",
  example: `openfaas:
  functionname: falco-responder
  functionnamespace: openfaas-fn
  gatewayservice: gateway
  gatewaynamespace: openfaas
  gatewayport: 8080`,
  create: (values, ctx) =>
    faasOutput(values, ctx, {
      url: values.endpoint || openFaasUrl(values),
      target: {
        namespace: values.gatewaynamespace,
        service: values.gatewayservice,
        port: values.gatewayport,
        path: `/function/${values.functionname}.${values.functionnamespace}`,
      },
    }),
});
