// Shared start-up for the command-line tools: config from the environment, the migrated database.
import { parseConfig } from "../config";
import { migrateDatabase, openDatabase } from "./database";

export async function openForCli() {
  const config = parseConfig(process.env);
  const database = await openDatabase(config.databaseUrl);
  await migrateDatabase(database.db);
  const origin = config.publicOrigin ?? `http://localhost:${config.port}`;
  return { config, database, origin };
}
