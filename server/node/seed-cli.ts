// `npm run seed`: demo data into an empty database (npm start does the same on first start).
import { openForCli } from "./cli";
import { isEmpty, seedDemo } from "./seed";

const { config, database, origin } = await openForCli();
if (!(await isEmpty(database.db))) {
  console.log(`${config.databaseUrl} already has data; nothing seeded. Remove the data folder to start again.`);
} else {
  const demo = await seedDemo({ db: database.db, config, now: new Date(), origin });
  console.log(`Seeded ${config.databaseUrl}. Password for the demo accounts: ${demo.password}`);
  for (const a of demo.accounts) console.log(`  ${a.role.padEnd(13)} ${a.email}`);
  console.log(`Household invite: ${demo.invite.url} (code ${demo.invite.codeDisplay})`);
}
await database.close();
