import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    globalSetup: ['test/global-setup.ts'],
    // Most suites wait on sysdig or chromium child processes: two files at a time keep both cores busy
    // (vitest's default on 2 cores is one).
    maxWorkers: 2
  }
})
