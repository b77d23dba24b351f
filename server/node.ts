// The Node entry: `npm start`. Applies migrations, seeds demo data into an empty database, serves the app and runs
// the periodic jobs on a timer. Everything Node-specific lives here and in server/node/.
import { serve } from "@hono/node-server";
import { getConnInfo } from "@hono/node-server/conninfo";
import { createApp } from "./app";
import { parseConfig } from "./config";
import { runPeriodicJobs, runPushJobs } from "./jobs";
import { createOutboxPump } from "./features/push/pump";
import { nodePushFetch } from "./node/push-http";
import { vapidKeys } from "./features/push/vapid";
import { migrateDatabase, openDatabase } from "./node/database";
import { createFileAssets } from "./node/file-assets";
import { createFileBlobStore } from "./node/file-blob-store";
import { createNodeReadings } from "./node/readings";
import { WEB_DIST } from "./node/paths";
import { isEmpty, seedDemo } from "./node/seed";

const config = parseConfig(process.env);
const database = await openDatabase(config.databaseUrl, { checkpointInBackground: true });
await migrateDatabase(database.db);
// Web push keys: generated and stored on the first start; configured ones are checked to be a pair (fails fast).
await vapidKeys(database.db, config);

const origin = config.publicOrigin ?? `http://${config.host === "0.0.0.0" ? "localhost" : config.host}:${config.port}`;
let demo: Awaited<ReturnType<typeof seedDemo>> | null = null;
if (config.seedDemo && (await isEmpty(database.db))) {
  demo = await seedDemo({ db: database.db, config, now: new Date(), origin });
}

// Pushes: sent right after a publish or reminder, and every minute (held, retried, due-date reminders).
const pump = createOutboxPump({ db: database.db, config, now: () => new Date(), fetch: nodePushFetch });

const app = createApp({
  config,
  db: database.db,
  sendQueuedPushes: () => pump.kick(),
  pushFetch: nodePushFetch,
  blobs: createFileBlobStore(`${config.dataDir}/files`),
  assets: createFileAssets(WEB_DIST),
  clientAddress: (c) => getConnInfo(c).remote.address,
  // ふりがな: kuromoji, loaded on first use (docs/adr/0016), unless FURIGANA=false. The Worker passes none.
  readings: config.furigana ? createNodeReadings().provider : undefined,
});

const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
  const url = config.publicOrigin ?? `http://${info.address === "0.0.0.0" ? "localhost" : info.address}:${info.port}`;
  console.log(`\n回覧板 Kairan is running: ${url}`);
  console.log(`  API reference: ${url}/api/docs   health: ${url}/api/health`);
  console.log(`  database: ${config.databaseUrl}`);
  if (demo) {
    console.log(`\nDemo data was created (${demo.associationName} and one more association).`);
    console.log(`  Sign in with password "${demo.password}":`);
    for (const a of demo.accounts) console.log(`    ${a.role.padEnd(13)} ${a.email}  ${a.name}`);
    console.log(`  A household invite (QR link): ${demo.invite.url}`);
    console.log(`  or its code: ${demo.invite.codeDisplay} (for ${demo.invite.householdLabel})`);
  }
  console.log("");
});

const jobs = setInterval(
  () => {
    runPeriodicJobs({ db: database.db, config, now: new Date() }).catch((e) =>
      console.error("periodic jobs failed", e),
    );
  },
  60 * 60 * 1000,
);
jobs.unref();
const pushJobs = setInterval(() => {
  runPushJobs({ db: database.db, config, now: () => new Date() }, { send: false })
    .then(() => pump.kick())
    .catch((e) => console.error("push jobs failed", e));
}, 60 * 1000);
pushJobs.unref();
pump.kick();

function shutdown() {
  clearInterval(jobs);
  clearInterval(pushJobs);
  server.close(() => {
    void database.close().then(() => process.exit(0));
  });
  setTimeout(() => process.exit(0), 3000).unref();
}
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
