import { defineOutput, EventPostOutput, HTTP_SETTINGS, httpOptions, setting } from '@falconer/outputs-core';

export const TEKTON_SETTINGS = {
  eventlistener: setting.url('Tekton Triggers EventListener URL (enables the output)', {
    required: true,
    secret: true,
  }),
  ...HTTP_SETTINGS,
};

export const tektonOutput = defineOutput({
  type: 'tekton',
  title: 'Tekton',
  section: 'tekton',
  enabledBy: ['eventlistener'],
  settings: TEKTON_SETTINGS,
  falcosidekick: 'outputs/tekton.go',
  summary:
    "POSTs each event as falcosidekick's JSON payload to a Tekton Triggers EventListener, whose TriggerBindings read it (`$(body.rule)`, `$(body.output_fields['k8s.pod.name'])`).",
  example: `tekton:
  eventlistener: http://el-falco-listener.tekton-pipelines:8080`,
  create: (values, ctx) =>
    new EventPostOutput(ctx.name, ctx.type, { url: values.eventlistener, http: httpOptions(values, ctx) }),
});
