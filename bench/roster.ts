// `npm run bench` (part 7), or alone: `npm run bench:roster`. 「名簿を取り込む」 at the size of Sendai's largest
// associations and beyond (issue 14): a 5,000-household CSV previewed (read, checked, compared), applied in one batch
// (blocks, households, their late receipts, the audit row), and imported again (nothing to change), beside the bare
// operation: the same 5,000 households written by a plain libSQL batch of INSERTs in the same run. Prints figures;
// asserts nothing.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { parseConfig } from "../server/config";
import { applyRoster, previewRoster } from "../server/features/roster/roster.service";
import { newId } from "../server/lib/ids";
import { migrateDatabase, openDatabase } from "../server/node/database";
import { seedPublishAssociation } from "./fixtures";
import { ms, stats } from "./harness";
import { sized } from "./smoke";

const ROWS = sized(5_000, 50);
const RUNS = sized(5, 1);

/** The roster file: ROWS households over blocks of 20, every fourth on paper, some with a note (UTF-8 with BOM). */
function rosterCsv(): Uint8Array {
  const lines = ["班,世帯名,回覧方法,備考"];
  for (let i = 0; i < ROWS; i++)
    lines.push(
      `${Math.floor(i / 20) + 1}班,世帯${i + 1},${i % 4 === 3 ? "紙" : "アプリ"},${i % 10 === 0 ? "高齢" : ""}`,
    );
  return new TextEncoder().encode(`\uFEFF${lines.join("\r\n")}\r\n`);
}

export async function benchRoster() {
  const dir = mkdtempSync(join(tmpdir(), "kairan-bench-roster-"));
  try {
    const config = parseConfig({ DATA_DIR: dir, SEED_DEMO: "false" });
    const { db, client, close } = await openDatabase(`file:${join(dir, "bench.db")}`);
    await migrateDatabase(db);
    const file = rosterCsv();
    const previews: number[] = [];
    const applies: number[] = [];
    const again: number[] = [];
    const bare: number[] = [];
    let mismatch = false;
    for (let run = 0; run < RUNS; run++) {
      const ctx = await seedPublishAssociation(db, config, 0);
      let t0 = performance.now();
      const preview = await previewRoster({ ctx, input: { bytes: file } });
      previews.push(performance.now() - t0);
      if (preview.errors.length > 0 || preview.add.length !== ROWS) mismatch = true;
      t0 = performance.now();
      const applied = await applyRoster({ ctx, input: { bytes: file, token: preview.token, leave: [] } });
      applies.push(performance.now() - t0);
      if (applied.added !== ROWS) mismatch = true;
      t0 = performance.now();
      const second = await previewRoster({ ctx, input: { bytes: file } });
      const none = await applyRoster({ ctx, input: { bytes: file, token: second.token, leave: [] } });
      again.push(performance.now() - t0);
      if (none.added + none.changed !== 0 || second.unchanged !== ROWS) mismatch = true;

      // The bare operation: the same households by a plain batch of INSERTs, into another association.
      const other = await seedPublishAssociation(db, config, 0);
      const blockIds = Array.from({ length: Math.ceil(ROWS / 20) }, () => newId());
      const now = Date.now();
      t0 = performance.now();
      await client.batch(
        [
          ...blockIds.map((id, i) => ({
            sql: "INSERT INTO blocks (id, association_id, name, sort_order, created_at) VALUES (?, ?, ?, ?, ?)",
            args: [id, other.associationId, `${i + 1}班`, i, now],
          })),
          ...Array.from({ length: ROWS }, (_, i) => ({
            sql: "INSERT INTO households (id, association_id, block_id, label, channel, joined_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            args: [newId(), other.associationId, blockIds[Math.floor(i / 20)]!, `世帯${i + 1}`, "app", now, now],
          })),
        ],
        "write",
      );
      bare.push(performance.now() - t0);
    }
    close();
    const p = stats(previews);
    const a = stats(applies);
    const g = stats(again);
    const b = stats(bare);
    const n = ROWS.toLocaleString("en");
    console.log(`\n7. 名簿を取り込む: a ${n}-household CSV (${RUNS} runs, each into a new association)`);
    console.table({
      "preview (read, check, compare)": { p50: ms(p.p50), p99: ms(p.p99) },
      "apply (one batch)": { p50: ms(a.p50), p99: ms(a.p99) },
      "the same file again (preview + apply, no change)": { p50: ms(g.p50), p99: ms(g.p99) },
      [`bare libSQL batch, ${n} household INSERTs`]: { p50: ms(b.p50), p99: ms(b.p99) },
    });
    console.log(
      `   apply / bare batch = ${(a.p50 / b.p50).toFixed(2)}x; preview + apply = ${((p.p50 + a.p50) / 1000).toFixed(2)} s` +
        (mismatch ? " (MISMATCH: the import did not add or keep every household)" : ""),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  console.log(`Kairan roster import benchmark: Node ${process.version}, ${new Date().toISOString()}`);
  await benchRoster();
}
