import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { svelteTesting } from '@testing-library/svelte/vite';

// Store and component tests in jsdom; the end-to-end tests have their own config.
export default defineConfig({
  plugins: [svelte(), svelteTesting()],
  test: {
    environment: 'jsdom',
    include: ['tests/unit/**/*.test.ts'],
    setupFiles: ['tests/unit/setup.ts'],
    // A busy 2-core machine renders a board in jsdom slowly; the default 5 s is too tight there.
    testTimeout: 20_000,
  },
});
