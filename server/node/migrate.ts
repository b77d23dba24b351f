// `npm run db:migrate`: applies the migrations in drizzle/ to DATABASE_URL (default ./data/kairan.db).
import { openForCli } from "./cli";

const { config, database } = await openForCli();
console.log(`Migrations applied to ${config.databaseUrl}`);
await database.close();
