// The Node server's ReadingsProvider (features/furigana, docs/adr/0016): kuromoji with its IPADIC dictionary (18 MB of
// gzipped files in node_modules/kuromoji/dict, unzipped into about 200 MB of buffers and 70 MB of JS heap). It runs in
// a child process of its own, started on first use (a leader's 「ふりがな」 panel or a publication), never at start,
// and ended after IDLE_MS without use: the server's heap (--max-old-space-size=384) and RSS never hold the
// dictionary, an analysis never blocks the event loop, and ending the process gives all of its memory back (a worker
// thread did not: glibc kept its arenas, ~230 MiB of RSS, after the thread ended; bench/furigana.ts). kuromoji stays
// outside the bundle (scripts/build-server.mjs) and never reaches the PWA or the Worker.
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { spawn, type ChildProcess } from "node:child_process";
import type { ReadingsProvider, WordReading } from "../features/furigana/spans";

const IDLE_MS = 10 * 60 * 1000;
/** The child's heap limit: the dictionary takes about 90 MiB of it. */
const CHILD_HEAP_MB = 256;

// CommonJS, run with node -e: kuromoji's path and its dictionary's are resolved by the server (the bundled server
// knows where node_modules is) and given as arguments. It leaves when the server does (the IPC channel closes).
// kuromoji's word_position is 1-based.
const CHILD = `
const [kuromojiPath, dicPath] = process.argv.slice(1);
process.on("disconnect", () => process.exit(0));
require(kuromojiPath).builder({ dicPath }).build((err, tokenizer) => {
  if (err) return process.send({ failed: String(err) });
  process.send({ ready: true });
  process.on("message", ({ id, text }) => {
    const words = [];
    for (const t of tokenizer.tokenize(text)) {
      if (!t.reading || t.reading === "*") continue;
      const start = t.word_position - 1;
      words.push({ start, end: start + t.surface_form.length, reading: t.reading });
    }
    process.send({ id, words });
  });
});
`;

export interface NodeReadings {
  provider: ReadingsProvider;
  /** Whether the analyser's process is running now (tests and the bench). */
  loaded: () => boolean;
  /** The analyser's process id while it runs (the bench reads its memory). */
  pid: () => number | undefined;
  /** Ends the process now (tests); the next call starts it again. */
  close: () => Promise<void>;
}

interface Analyser {
  child: ChildProcess;
  ready: Promise<void>;
  pending: Map<number, { resolve: (w: WordReading[]) => void; reject: (e: Error) => void }>;
}

// A child with an IPC channel holds the event loop by the process and by the channel: both are let go when idle.
type Channel = { ref?: () => void; unref?: () => void };
const channelOf = (c: ChildProcess) => (c as unknown as { channel?: Channel }).channel;
function ref(c: ChildProcess) {
  c.ref();
  channelOf(c)?.ref?.();
}
function unref(c: ChildProcess) {
  c.unref();
  channelOf(c)?.unref?.();
}

export function createNodeReadings(opts: { idleMs?: number } = {}): NodeReadings {
  const require = createRequire(import.meta.url);
  let analyser: Analyser | null = null;
  let next = 0;
  let idle: ReturnType<typeof setTimeout> | undefined;

  function start(): Analyser {
    const kuromoji = require.resolve("kuromoji");
    const dicPath = join(dirname(require.resolve("kuromoji/package.json")), "dict");
    const child = spawn(process.execPath, [`--max-old-space-size=${CHILD_HEAP_MB}`, "-e", CHILD, kuromoji, dicPath], {
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    const pending: Analyser["pending"] = new Map();
    const t: Analyser = {
      child,
      pending,
      ready: new Promise((resolve, reject) => {
        const fail = (e: Error) => {
          if (analyser === t) analyser = null;
          reject(e);
          for (const p of pending.values()) p.reject(e);
          pending.clear();
        };
        child.on("message", (m: { ready?: true; failed?: string; id?: number; words?: WordReading[] }) => {
          if (m.ready) return resolve();
          if (m.failed) return fail(new Error(`kuromoji: ${m.failed}`));
          const p = pending.get(m.id!);
          pending.delete(m.id!);
          if (pending.size === 0) unref(child);
          p?.resolve(m.words ?? []);
        });
        child.on("error", fail);
        child.on("exit", () => fail(new Error("the readings process ended")));
      }),
    };
    // A rejection nobody awaits yet (the child failed before a call) must not stop the process.
    t.ready.catch(() => undefined);
    // The child keeps the server's process alive only while it loads or answers (ref'd here and for each call).
    void t.ready.then(() => pending.size === 0 && unref(child)).catch(() => undefined);
    return t;
  }

  async function close() {
    clearTimeout(idle);
    const t = analyser;
    analyser = null;
    if (!t || t.child.exitCode !== null) return;
    const gone = new Promise((resolve) => t.child.once("exit", resolve));
    t.child.kill();
    await gone;
  }

  const provider: ReadingsProvider = async (text) => {
    const t = (analyser ??= start());
    await t.ready;
    clearTimeout(idle);
    idle = setTimeout(() => void close(), opts.idleMs ?? IDLE_MS);
    idle.unref();
    const id = next++;
    return new Promise((resolve, reject) => {
      t.pending.set(id, { resolve, reject });
      ref(t.child);
      t.child.send({ id, text });
    });
  };
  return { provider, loaded: () => analyser !== null, pid: () => analyser?.child.pid, close };
}
