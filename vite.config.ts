import { defineConfig } from "vitest/config";

// Vite builds the PWA (web/, from the PWA issue on) and the Node server bundle (`npm run build`); vitest runs the
// tests. Each API test file opens its own fresh libSQL file, so files run in parallel safely.
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
