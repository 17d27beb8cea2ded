// Node flags the apps run with, in one place (tools/start.mjs, the benchmarks; the Dockerfile repeats them).
// A 32 MB young generation: ingest allocates a short-lived object graph per event while the history keeps
// the accepted ones; with the 16 MB default, scavenges run twice as often and promote more (ADR 0002).
export const NODE_FLAGS = ['--max-semi-space-size=32'];
