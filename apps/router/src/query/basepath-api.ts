/**
 * falcosidekick-ui's frontend calls `<its page's path>api/v1/…`: served under the dashboard's base path it
 * asks `/ui/api/v1/…`. Those URLs are rewritten to the API before routing, so the API, and whatever guards
 * it, has one home (ADR 0006).
 */
export function basepathApiRewrite(basepath: string): (url: string) => string {
  const prefix = `${basepath}/api/`;
  return (url) => (url.startsWith(prefix) ? url.slice(basepath.length) : url);
}
