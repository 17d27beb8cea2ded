/** Injection tokens of the remediator (no emitDecoratorMetadata: every constructor parameter names one). */
export const CONFIG = Symbol('RemediatorConfig');
export const ENGINE = Symbol('RemediationEngine');
export const AUDIT_LOG = Symbol('AuditLog');
export const METRICS = Symbol('RemediatorMetrics');
export const REPORTER = Symbol('Reporter');
export const LOGGER = Symbol('Logger');
