// The server under load: the same createApp and database setup as `npm start` (server/node.ts), plus one trivial
// route to compare against. Started as a child process by bench/run.ts so the load generator does not share its
// event loop.
import { serve } from "@hono/node-server";
import { getConnInfo } from "@hono/node-server/conninfo";
import { createApp } from "../server/app";
import { parseConfig } from "../server/config";
import { migrateDatabase, openDatabase } from "../server/node/database";
import { createFileBlobStore } from "../server/node/file-blob-store";

const config = parseConfig(process.env);
const database = await openDatabase(config.databaseUrl, { checkpointInBackground: true });
await migrateDatabase(database.db);
const app = createApp({
  config,
  db: database.db,
  blobs: createFileBlobStore(`${config.dataDir}/files`),
  clientAddress: (c) => getConnInfo(c).remote.address,
});
// The baseline: a POST that parses nothing and touches no database.
app.post("/bench/trivial", (c) => c.json({ ok: true }));
// POST: GETs that are not /api fall through to the PWA routes, registered inside createApp.
app.post("/bench/rss", async (c) => {
  const sync = await database.client.execute("PRAGMA synchronous");
  // The parts of RSS, to tell a JS heap that keeps growing from memory held outside it (native libSQL, buffers).
  // Started with --expose-gc (heap investigations), collect first so that heapUsed is what is still reachable.
  (globalThis as { gc?: () => void }).gc?.();
  const { rss, heapTotal, heapUsed, external, arrayBuffers } = process.memoryUsage();
  return c.json({ rss, heapTotal, heapUsed, external, arrayBuffers, synchronous: sync.rows[0]?.[0] ?? null });
});

serve({ fetch: app.fetch, port: config.port, hostname: "127.0.0.1" }, () => {
  process.stdout.write("ready\n");
});
process.on("SIGTERM", () => {
  void database.close().then(() => process.exit(0));
});
