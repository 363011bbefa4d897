import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// `npm run dev` serves the board with hot reload and forwards the host's paths to a running host.
const host = process.env.LAZYAF_SERVER ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [svelte()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // The Svelte compiler is slow on a busy machine; that is no news worth printing on every build.
    rolldownOptions: { checks: { bundlerTimings: false } },
  },
  server: {
    proxy: {
      '/api': host,
      '/git': host,
      '/openapi': host,
      '/ws': { target: host.replace(/^http/, 'ws'), ws: true },
    },
  },
});
