import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * Relative asset URLs (`base: './'`): the router serves the build under any base path (`ui.basepath`)
 * and tells the app where it lives through `<meta name="falconer-base">`.
 */
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  plugins: [react()],
  resolve: {
    alias: { '@falconer/contracts': resolve(import.meta.dirname, '../../libs/contracts/src/index.ts') },
  },
  build: { outDir: '../../dist/apps/dashboard', emptyOutDir: true, sourcemap: true },
  server: {
    // development: the Vite dev server proxies the API and the live stream to a local router
    proxy: {
      '/api': 'http://127.0.0.1:2801',
      '/socket.io': { target: 'http://127.0.0.1:2801', ws: true },
    },
  },
});
