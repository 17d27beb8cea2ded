import { RequestOutput, type HttpSenderOptions } from '@falconer/outputs-core';
import { formatPagerduty } from './pagerduty.format';

export interface PagerdutyConfig {
  url: string;
  routingKey: string;
  http: HttpSenderOptions;
}

/** Triggers one PagerDuty alert per event. */
export function pagerdutyOutputInstance(name: string, config: PagerdutyConfig): RequestOutput {
  return new RequestOutput(name, {
    type: 'pagerduty',
    http: config.http,
    request: ([event]) => ({
      method: 'POST',
      url: config.url,
      headers: { 'Content-Type': 'application/json' },
      body: formatPagerduty(event!, config.routingKey),
    }),
  });
}
