import { defineOutput, EventPostOutput, HTTP_SETTINGS, httpOptions, setting } from '@falconer/outputs-core';
import { serializeEvent } from '@falconer/falco';
import { cloudEventHeaders, CORE_ATTRIBUTES, EXTENSION_NAME } from './cloudevents.format';

export const CLOUDEVENTS_SETTINGS = {
  address: setting.url('CloudEvents consumer URL, e.g. a Knative broker (enables the output)', {
    required: true,
    secret: true,
  }),
  extensions: setting.map('Extension attributes added to every event (`ce-<name>` headers), `name:value,…`'),
  ...HTTP_SETTINGS,
};

export const cloudEventsOutput = defineOutput({
  type: 'cloudevents',
  title: 'CloudEvents / Knative',
  section: 'cloudevents',
  enabledBy: ['address'],
  settings: CLOUDEVENTS_SETTINGS,
  falcosidekick: 'outputs/cloudevents.go',
  summary:
    "Sends each event as a CloudEvent in HTTP binary mode (Knative brokers and triggers): falcosidekick's `ce-*` attributes (`type: falco.rule.output.v1`, `source: https://falco.org`, `priority`, `rule`, `eventsource`, `hostname`) plus the configured `extensions`; the body is the event JSON.",
  example: `cloudevents:
  address: http://broker-ingress.knative-eventing.svc.cluster.local/falco/default
  extensions:
    cluster: prod-eu`,
  create: (values, ctx) => {
    // viper lower-cases YAML map keys, so falcosidekick sees `Team` as `team`: do the same
    const extensions: Record<string, string> = {};
    for (const [k, v] of Object.entries(values.extensions)) {
      const name = k.toLowerCase();
      if (!EXTENSION_NAME.test(name)) {
        ctx.error(
          'extensions',
          `"${k}" is not a CloudEvents attribute name (lower-case letters and digits only)`,
        );
      } else if (CORE_ATTRIBUTES.has(name)) {
        ctx.error('extensions', `"${k}" is a CloudEvents core attribute, not an extension`);
      } else extensions[name] = v;
    }
    return new EventPostOutput(ctx.name, ctx.type, {
      url: values.address,
      http: httpOptions(values, ctx),
      headers: (event) => cloudEventHeaders(event, extensions),
      // the Go SDK marshals the data with json.Marshal: no trailing newline
      body: (event) => serializeEvent(event),
    });
  },
});
