// Routing filters: one event matched against 50 compiled instance filters (minimum priority, tags, rule
// globs, output fields), as the router does for every accepted event with 50 outputs configured.
// Prints the time per event (all 50 filters); typical is a few µs. Usage: node bench/routing-filters.mjs [rounds]
import { loadavg } from 'node:os';
import { loadTs } from './lib.mjs';

const ROUNDS = Number(process.argv[2] ?? 20_000);
const FILTERS = 50;

const { manyFilters, testEvent } = await loadTs(
  'routing',
  "export { manyFilters } from './libs/routing/src/many-filters.ts'; export { testEvent } from './libs/routing/src/test-event.ts';",
);
const filters = manyFilters(FILTERS);
const ev = testEvent({ output_fields: { 'k8s.ns.name': 'shop' } });

function run(rounds) {
  let hits = 0;
  const t0 = process.hrtime.bigint();
  for (let r = 0; r < rounds; r++) for (const f of filters) if (f.matches(ev)) hits++;
  return { hits, ns: Number(process.hrtime.bigint() - t0) };
}

run(Math.min(ROUNDS, 2_000)); // warm-up (JIT)
const { hits, ns } = run(ROUNDS);
// half the filters want at least Notice, the event is a Warning; the others want Critical
if (hits !== (FILTERS / 2) * ROUNDS) {
  console.error(`unexpected matches: ${hits}, expected ${(FILTERS / 2) * ROUNDS}`);
  process.exit(1);
}
const perEventUs = ns / 1000 / ROUNDS;
console.log(
  `routing: one event against ${FILTERS} filters: ${perEventUs.toFixed(2)} µs ` +
    `(${(perEventUs / FILTERS).toFixed(3)} µs per filter; ${ROUNDS.toLocaleString('en-US')} rounds; load ${loadavg()[0].toFixed(1)})`,
);
