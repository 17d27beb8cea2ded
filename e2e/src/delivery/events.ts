/** The uuids in a webhook request body (one event, or an array when batched). */
export function uuidsIn(text: string): string[] {
  const body = JSON.parse(text) as { uuid: string } | { uuid: string }[];
  return Array.isArray(body) ? body.map((e) => e.uuid) : [body.uuid];
}
