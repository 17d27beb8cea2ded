/** Typed injection tokens of the router (values are built in app.ts, before Nest starts). */
export const CONFIG = Symbol('FalconerConfig');
export const LOGGER = Symbol('Logger');
export const METRICS_REGISTRY = Symbol('MetricsRegistry');
export const STORE = Symbol('EventStore');
export const OUTPUTS = Symbol('OutputInstances');
export const DISPATCHER = Symbol('Dispatcher');
export const VERSION = Symbol('Version');
export const REQUEST_GATE = Symbol('RequestGate');
export const EVENT_ROUTER = Symbol('EventRouter');
export const SILENCES = Symbol('Silences');
