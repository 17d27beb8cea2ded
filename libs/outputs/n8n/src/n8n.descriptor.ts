import {
  BASIC_AUTH_SETTINGS,
  basicAuthHeaders,
  defineOutput,
  EventPostOutput,
  HTTP_SETTINGS,
  httpOptions,
  setting,
} from '@falconer/outputs-core';

export const N8N_SETTINGS = {
  address: setting.url('n8n Webhook node URL (enables the output)', { required: true, secret: true }),
  ...BASIC_AUTH_SETTINGS,
  headerauthname: setting.string("Header name for the Webhook node's Header Auth"),
  headerauthvalue: setting.string('Header value for Header Auth', '', { secret: true }),
  ...HTTP_SETTINGS,
};

export const n8nOutput = defineOutput({
  type: 'n8n',
  title: 'n8n',
  section: 'n8n',
  enabledBy: ['address'],
  settings: N8N_SETTINGS,
  falcosidekick: 'outputs/n8n.go',
  summary:
    "POSTs each event as falcosidekick's JSON payload to an n8n Webhook node, with Basic Auth (`user` and `password`) and/or Header Auth (`headerauthname: headerauthvalue`) when both parts are set.",
  example: `n8n:
  address: https://n8n.example/webhook/falco
  headerauthname: X-N8N-Key
  headerauthvalue: change-me`,
  create: (values, ctx) => {
    const auth = basicAuthHeaders(values.user, values.password);
    const headers = {
      ...auth.headers,
      ...(values.headerauthname !== '' && values.headerauthvalue !== ''
        ? { [values.headerauthname]: values.headerauthvalue }
        : {}),
    };
    return new EventPostOutput(ctx.name, ctx.type, {
      url: values.address,
      http: httpOptions(values, ctx, { secrets: [auth.secret] }),
      headers: () => headers,
    });
  },
});
