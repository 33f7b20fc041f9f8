import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Seeded order: a failure reproduces with the same seed.
    sequence: { seed: 20261127 },
  },
});
