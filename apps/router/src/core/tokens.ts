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
/** Where accepted events are written: straight to the store and queues, or through the spool (ADR 0013). */
export const EVENT_WRITER = Symbol('EventWriter');
/** The spool's state for health, stats and queries; undefined without Redis. */
export const SPOOL = Symbol('Spool');
export const SILENCES = Symbol('Silences');
