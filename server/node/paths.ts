// Where the server finds the files it ships with: the migrations (drizzle/) and the built PWA (dist/web).
// The same code runs from source (server/node/*.ts under tsx, tests, the CLI) and bundled into dist/server/node.js,
// so a path relative to this module would differ between the two. Both live inside the project folder, so the
// folder is found by walking up to the one that holds drizzle/meta/_journal.json; that holds wherever the project
// is checked out and whatever the working directory is (systemd, npm scripts, tests).
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

function findProjectRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "drizzle", "meta", "_journal.json"))) return dir;
    if (dirname(dir) === dir) {
      throw new Error(
        `Kairan: drizzle/meta/_journal.json not found above ${from}; run the server from its project folder`,
      );
    }
  }
}

export const PROJECT_ROOT = findProjectRoot(dirname(fileURLToPath(import.meta.url)));
export const MIGRATIONS_FOLDER = join(PROJECT_ROOT, "drizzle");
export const WEB_DIST = join(PROJECT_ROOT, "dist", "web");
