import { defineOutput, HTTP_SETTINGS, setting } from '@falconer/outputs-core';
import { webUiConfig } from './webui.config';
import { WebUiOutput } from './webui.output';

export const WEBUI_SETTINGS = {
  url: setting.url('falcosidekick-ui (or another Falconer) base URL (enables the output)', {
    required: true,
    secret: true,
  }),
  outputs: setting.list('The `outputs` names sent in the envelope', [], { extension: true }),
  ...HTTP_SETTINGS,
};

export const webUiOutput = defineOutput({
  type: 'webui',
  title: 'falcosidekick-ui',
  section: 'webui',
  enabledBy: ['url'],
  settings: WEBUI_SETTINGS,
  falcosidekick: 'outputs/webui.go',
  summary:
    'Forwards each event to falcosidekick-ui (or another Falconer) at `<url>/api/v1/events/add`, in falcosidekick\'s `{"event": …, "outputs": […]}` envelope.',
  example: `webui:
  url: http://falcosidekick-ui:2802`,
  create: (values, ctx) => new WebUiOutput(ctx.name, ctx.type, webUiConfig(values, ctx)),
});
