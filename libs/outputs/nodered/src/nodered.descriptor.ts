import {
  BASIC_AUTH_SETTINGS,
  basicAuthHeaders,
  defineOutput,
  EventPostOutput,
  HTTP_SETTINGS,
  httpOptions,
  setting,
} from '@falconer/outputs-core';

export const NODERED_SETTINGS = {
  address: setting.url('Node-RED `http in` node URL (enables the output)', { required: true, secret: true }),
  ...BASIC_AUTH_SETTINGS,
  ...HTTP_SETTINGS,
};

export const nodeRedOutput = defineOutput({
  type: 'nodered',
  title: 'Node-RED',
  section: 'nodered',
  enabledBy: ['address'],
  settings: NODERED_SETTINGS,
  falcosidekick: 'outputs/nodered.go',
  summary:
    "POSTs each event as falcosidekick's JSON payload to a Node-RED `http in` node, with Basic Auth when `user` and `password` are both set and any `customheaders`.",
  example: `nodered:
  address: http://node-red:1880/falco
  user: falco
  password: change-me`,
  create: (values, ctx) => {
    const auth = basicAuthHeaders(values.user, values.password);
    return new EventPostOutput(ctx.name, ctx.type, {
      url: values.address,
      http: httpOptions(values, ctx, { secrets: [auth.secret] }),
      headers: () => auth.headers,
    });
  },
});
