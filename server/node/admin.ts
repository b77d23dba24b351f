// `npm run admin -- <command>`: set up associations and city staff, and print invites. Prints what it did.
import { parseArgs } from "node:util";
import {
  createAssociation,
  createStaffAccount,
  inviteHousehold,
  inviteLeader,
  listAssociationHouseholds,
  listAssociations,
  resetLeader,
} from "../features/admin/admin.service";
import { ServiceError } from "../lib/errors";
import { newSecret } from "../lib/ids";
import { formatDateTimeJa } from "../lib/time";
import { openForCli } from "./cli";

const USAGE = `使い方 / usage: npm run admin -- <command> [options]

  create-association --ward 青葉区 --district 宮城地区 --name 作並町内会 [--households 120]
      Creates the association (and the ward and district if new) and prints a one-time invite for its first leader.
  invite-leader --association <id>
      A new first-leader invite for an association.
  reset-leader --association <id>
      Recovery when the leader is gone and nobody can sign in: a one-time leader invite (link and code), audited.
  invite-household --association <id> --household <id or label>
      A new invite (link and code) for one household, as a leader prints from 「世帯と招待」.
  list-households --association <id>
      The association's households (id, block, label), to find the one to invite.
  create-city-staff --email someone@city.sendai.jp --name "地域政策課 山田" [--password ...]
      A city staff account. Without --password one is generated and printed once.
  create-admin --email ... --name ... [--password ...]
  list-associations
      Every association with its id.
`;

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    ward: { type: "string" },
    district: { type: "string" },
    name: { type: "string" },
    households: { type: "string" },
    association: { type: "string" },
    household: { type: "string" },
    email: { type: "string" },
    password: { type: "string" },
    help: { type: "boolean", short: "h" },
  },
});

function need(name: keyof typeof values): string {
  const v = values[name];
  if (typeof v !== "string" || !v.trim()) {
    console.error(`--${name} が必要です / --${name} is required\n\n${USAGE}`);
    process.exit(2);
  }
  return v.trim();
}

const command = positionals[0];
if (!command || values.help) {
  console.log(USAGE);
  process.exit(command ? 0 : 2);
}

const { config, database, origin } = await openForCli();
const deps = { db: database.db, config, now: new Date() };

function printInvite(invite: { url: string; codeDisplay: string; expiresAt: string }, then: string) {
  console.log(`  招待リンク / invite link: ${invite.url}`);
  console.log(`  招待コード / code:        ${invite.codeDisplay}`);
  console.log(`  有効期限 / expires:       ${formatDateTimeJa(new Date(invite.expiresAt))} (JST)`);
  console.log(`  ${then}`);
}
const leaderThen = `The leader opens the link (or enters the code at ${origin}/join) and sets an email and password.`;

try {
  switch (command) {
    case "create-association": {
      const households = Number(values.households ?? "0");
      if (!Number.isInteger(households) || households < 0) throw new Error("--households must be a whole number");
      const r = await createAssociation(deps, {
        ward: need("ward"),
        district: need("district"),
        name: need("name"),
        householdsInArea: households,
        origin,
      });
      console.log(`町内会を作成しました / association created: ${values.name} (id ${r.associationId})`);
      if (r.wardCreated) console.log(`  区を作成 / ward created: ${values.ward}`);
      if (r.districtCreated) console.log(`  地区を作成 / district created: ${values.district}`);
      printInvite(r.invite, leaderThen);
      break;
    }
    case "invite-leader": {
      const invite = await inviteLeader(deps, { associationId: need("association"), origin });
      console.log(`会長・役員の招待を作成しました / leader invite created for ${invite.associationName}`);
      printInvite(invite, leaderThen);
      break;
    }
    case "reset-leader": {
      const r = await resetLeader(deps, { associationId: need("association"), origin });
      console.log(`会長の復旧用の招待を作成しました / leader recovery invite created for ${r.invite.associationName}`);
      console.log(`  今の会長・役員のアカウント / current leader accounts: ${r.leaders}`);
      printInvite(
        r.invite,
        `${leaderThen} It is used once; this recovery is recorded in the association's audit log (leader.reset).`,
      );
      break;
    }
    case "invite-household": {
      const invite = await inviteHousehold(deps, {
        associationId: need("association"),
        household: need("household"),
        origin,
      });
      console.log(
        `世帯の招待を作成しました / household invite created: ${invite.householdLabel} (${invite.associationName})`,
      );
      printInvite(
        invite,
        `The household opens the link on its tablet (or enters the code at ${origin}/join); it is used once.`,
      );
      break;
    }
    case "list-households": {
      const rows = await listAssociationHouseholds(deps, { associationId: need("association") });
      if (rows.length === 0) console.log("世帯はまだありません / no households yet");
      for (const r of rows)
        console.log(
          `${r.id}  ${r.blockName} / ${r.label}  ${r.channel === "paper" ? "紙 / paper" : "アプリ / app"}  端末 / devices ${r.devices}`,
        );
      break;
    }
    case "create-city-staff":
    case "create-admin": {
      const password = values.password ?? newSecret().slice(0, 16);
      const r = await createStaffAccount(deps, {
        role: command === "create-admin" ? "admin" : "city",
        email: need("email"),
        displayName: need("name"),
        password,
      });
      console.log(`アカウントを作成しました / account created: ${r.email} (${r.role}, id ${r.id})`);
      if (!values.password) console.log(`  初期パスワード / initial password (shown once): ${password}`);
      break;
    }
    case "list-associations": {
      const rows = await listAssociations(database.db);
      if (rows.length === 0) console.log("町内会はまだありません / no associations yet");
      for (const r of rows)
        console.log(
          `${r.id}  ${r.ward} / ${r.district} / ${r.name}  世帯 ${r.households} / 区域 ${r.householdsInArea}`,
        );
      break;
    }
    default:
      console.error(`不明なコマンドです / unknown command: ${command}\n\n${USAGE}`);
      process.exitCode = 2;
  }
} catch (e) {
  if (e instanceof ServiceError) console.error(`${e.messageJa} / ${e.messageEn}`);
  else console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
} finally {
  await database.close();
}
