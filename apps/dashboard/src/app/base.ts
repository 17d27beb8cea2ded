/**
 * The router injects `<meta name="falconer-base" content="/ui">` into index.html, so the app knows its
 * base path without an inline script (the CSP forbids them). The Vite dev server has no meta: root.
 */
export function basePath(doc: Document = document): string {
  const content = doc.querySelector('meta[name="falconer-base"]')?.getAttribute('content') ?? '';
  const trimmed = content.replace(/\/+$/, '');
  return trimmed === '' ? '/' : trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}
