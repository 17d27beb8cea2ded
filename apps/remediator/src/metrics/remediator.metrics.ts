import { Counter, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics of the remediator, on its own registry (no global state between app instances). */
export class RemediatorMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'falconer_remediator_requests_total',
    help: 'Webhook requests by result',
    labelNames: ['status'] as const,
    registers: [this.registry],
  });
  readonly events = new Counter({
    name: 'falconer_remediator_events_total',
    help: 'Falco events received, by whether a response rule matched',
    labelNames: ['matched'] as const,
    registers: [this.registry],
  });
  readonly decisions = new Counter({
    name: 'falconer_remediator_decisions_total',
    help: 'Remediation decisions by action, outcome and reason code',
    labelNames: ['action', 'outcome', 'reason'] as const,
    registers: [this.registry],
  });
  readonly reports = new Counter({
    name: 'falconer_remediator_reports_total',
    help: 'Decision reports sent to the Falconer router, by result',
    labelNames: ['status'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }
}
