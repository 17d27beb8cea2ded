import { compileFilter } from './filter';

/**
 * `n` instance filters of the usual shape (minimum priority, tags, rule globs, an output field): the even
 * ones want at least Notice, the odd ones Critical. Shared by the spec that checks which match and by
 * bench/routing-filters.mjs that times them.
 */
export function manyFilters(n: number): ReturnType<typeof compileFilter>['filter'][] {
  return Array.from(
    { length: n },
    (_, i) =>
      compileFilter({
        minimumpriority: i % 2 === 0 ? 'notice' : 'critical',
        tags: { any: ['container', `t${i}`] },
        rules: { exclude: [`Rule ${i}*`] },
        fields: { 'k8s.ns.name': { notin: ['kube-system'] } },
      }).filter,
  );
}
