// The Node server's ReadingsProvider (features/furigana, docs/adr/0016): kuromoji with its IPADIC dictionary (18 MB of
// gzipped files in node_modules/kuromoji/dict, read with fs and unzipped into about 200 MB of buffers). Loaded on
// first use (a leader's ふりがな panel or a publication), never at start, and let go after IDLE_MS without use so an
// idle server does not keep it. kuromoji stays outside the bundle (scripts/build-server.mjs) and never reaches the
// PWA or the Worker.
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { Tokenizer, IpadicFeatures } from "kuromoji";
import type { ReadingsProvider, WordReading } from "../features/furigana/spans";

const IDLE_MS = 10 * 60 * 1000;

export interface NodeReadings {
  provider: ReadingsProvider;
  /** Whether the dictionary is in memory now (tests and the bench). */
  loaded: () => boolean;
}

async function loadTokenizer(): Promise<Tokenizer<IpadicFeatures>> {
  const kuromoji = (await import("kuromoji")).default;
  const dicPath = join(dirname(createRequire(import.meta.url).resolve("kuromoji/package.json")), "dict");
  return new Promise((done, fail) =>
    kuromoji.builder({ dicPath }).build((err, tokenizer) => (err ? fail(err) : done(tokenizer))),
  );
}

/** Words with a reading, offsets on the text (kuromoji's word_position is 1-based). */
export function wordsOf(tokenizer: Tokenizer<IpadicFeatures>, text: string): WordReading[] {
  const out: WordReading[] = [];
  for (const t of tokenizer.tokenize(text)) {
    if (!t.reading || t.reading === "*") continue;
    const start = t.word_position - 1;
    out.push({ start, end: start + t.surface_form.length, reading: t.reading });
  }
  return out;
}

export function createNodeReadings(opts: { idleMs?: number } = {}): NodeReadings {
  let loading: Promise<Tokenizer<IpadicFeatures>> | null = null;
  let idle: ReturnType<typeof setTimeout> | undefined;
  const provider: ReadingsProvider = async (text) => {
    loading ??= loadTokenizer().catch((e: unknown) => {
      loading = null;
      throw e;
    });
    const tokenizer = await loading;
    clearTimeout(idle);
    idle = setTimeout(() => (loading = null), opts.idleMs ?? IDLE_MS);
    idle.unref();
    return wordsOf(tokenizer, text);
  };
  return { provider, loaded: () => loading !== null };
}
