import { RequestOutput, type HttpSenderOptions } from '@falconer/outputs-core';
import { formatOpsgenie } from './opsgenie.format';

export interface OpsgenieConfig {
  url: string;
  apiKey: string;
  http: HttpSenderOptions;
}

/** Creates one Opsgenie alert per event. */
export function opsgenieOutputInstance(name: string, config: OpsgenieConfig): RequestOutput {
  return new RequestOutput(name, {
    type: 'opsgenie',
    http: config.http,
    request: ([event]) => ({
      method: 'POST',
      url: config.url,
      headers: { Authorization: `GenieKey ${config.apiKey}` },
      body: formatOpsgenie(event!),
    }),
  });
}
