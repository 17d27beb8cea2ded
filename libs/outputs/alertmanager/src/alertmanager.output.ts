import type { FalcoEvent } from '@falconer/contracts';
import { HttpSender, sendEach, type Output, type SendResult } from '@falconer/outputs-core';
import type { AlertmanagerConfig } from './alertmanager.config';
import { formatAlertmanager } from './alertmanager.format';

/**
 * Posts each event to every configured Alertmanager. A send succeeds when every host took the alert;
 * otherwise the whole send is retried by the delivery layer — the hosts that already have the alert
 * merge the repeat into it (same labels, same alert), so an HA pair never misses one.
 */
export class AlertmanagerOutput implements Output {
  readonly type = 'alertmanager';
  private readonly http: HttpSender;

  constructor(
    readonly name: string,
    private readonly config: AlertmanagerConfig,
  ) {
    this.http = new HttpSender(config.http);
  }

  send(batch: readonly FalcoEvent[], signal: AbortSignal): Promise<SendResult> {
    return sendEach(batch, async (event) => {
      const body = formatAlertmanager(event, this.config);
      const results = await Promise.all(
        this.config.urls.map((url) => this.http.send({ method: 'POST', url, body }, signal)),
      );
      const failures = results.filter((r) => !r.ok);
      if (failures.length === 0) return { ok: true };
      // a retryable failure anywhere makes the event worth sending again
      return failures.find((f) => f.retryable) ?? failures[0]!;
    });
  }

  close(): Promise<void> {
    this.http.close();
    return Promise.resolve();
  }
}
