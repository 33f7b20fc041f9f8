import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    // Generous: on 2 cores, browser and process tests share the machine with the rest of the suite.
    testTimeout: 90_000,
    hookTimeout: 60_000,
    // Seeded order: a failure reproduces with the same seed.
    sequence: { seed: 20261127 },
  },
});
