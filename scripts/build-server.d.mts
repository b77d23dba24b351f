// Types for scripts/build-server.mjs (plain JavaScript so that `npm start` needs no TypeScript loader).
import type { BuildOptions } from "esbuild";

export function serverBuildOptions(opts: { entry: string; outfile: string }): BuildOptions;
export function buildServer(opts?: { entry?: string; outfile?: string }): Promise<{ outfile: string; ms: number }>;
