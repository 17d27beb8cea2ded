declare const FALCONER_VERSION: string | undefined;

/** Injected by the build (tools/build-node.mjs); "dev" when running from source (tests). */
export const version: string = typeof FALCONER_VERSION === 'string' ? FALCONER_VERSION : '0.0.0-dev';
