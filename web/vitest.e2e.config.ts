import { defineConfig } from 'vitest/config';

// The board end to end: the real host (its own process, a temp data dir), real git, real Chromium.
export default defineConfig({
  test: {
    environment: 'node',
    include: ['tests/e2e/**/*.test.ts'],
    globalSetup: ['tests/e2e/global-setup.ts'],
    testTimeout: 90_000,
    hookTimeout: 180_000,
    // The host gets 10 s to stop before it is killed.
    teardownTimeout: 20_000,
    fileParallelism: false,
    reporters: ['default'],
  },
});
