// Bundled in place of `linkedom` in the Node server (esbuild alias in scripts/build-server.mjs). BudouX's
// entry module imports linkedom for its HTML processor, which Kairan never uses (only Parser.parseBoundaries, see
// phrases.ts); linkedom would add about 140 KB gzipped (760 KB) to the bundle. The Worker build needs no
// alias: wrangler follows BudouX's "browser" field to dom-browser.js. Tests under tsx and vitest load the real one.
export class DOMParser {
  parseFromString(): never {
    throw new Error("no DOM on the server: use Parser.parseBoundaries");
  }
}
