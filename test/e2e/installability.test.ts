// Chromium must be able to install the app on a tablet's home screen: Page.getInstallabilityErrors answers an empty
// list once the service worker is active, and the manifest has what a home-screen icon needs.
import { inflateSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scaled } from "../helpers/timeouts";
import {
  openBrowser,
  requireBuild,
  startServer,
  waitForServiceWorker,
  type Browser,
  type RunningServer,
} from "./harness";

let server: RunningServer;
let b: Browser | undefined;

beforeAll(async () => {
  requireBuild();
  server = await startServer();
});

afterAll(async () => {
  await b?.close();
  await server?.stop();
});

interface Manifest {
  name: string;
  short_name: string;
  lang: string;
  start_url: string;
  scope: string;
  id: string;
  display: string;
  background_color: string;
  theme_color: string;
  icons: { src: string; sizes: string; type: string; purpose?: string }[];
}

/** Width and height from a PNG's IHDR, and whether the file is a whole, valid PNG (its image data inflates). */
function pngInfo(bytes: Buffer): { width: number; height: number; valid: boolean } {
  const signature = bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const width = bytes.readUInt32BE(16);
  const height = bytes.readUInt32BE(20);
  const idat: Buffer[] = [];
  for (let at = 8; at < bytes.length;) {
    const len = bytes.readUInt32BE(at);
    const type = bytes.subarray(at + 4, at + 8).toString("ascii");
    if (type === "IDAT") idat.push(bytes.subarray(at + 8, at + 8 + len));
    at += 12 + len;
  }
  let valid = signature;
  try {
    inflateSync(Buffer.concat(idat));
  } catch {
    valid = false;
  }
  return { width, height, valid };
}

describe("installable PWA", { timeout: scaled(60_000) }, () => {
  it("serves a manifest with the name, language, display and icons a home screen needs", async () => {
    const res = await fetch(`${server.base}/manifest.webmanifest`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/manifest\+json/);
    const m = (await res.json()) as Manifest;
    expect(m).toMatchObject({ name: "回覧板", lang: "ja", display: "standalone", start_url: "/", scope: "/" });
    expect(m.short_name.length).toBeLessThanOrEqual(12);
    expect(m.theme_color).toMatch(/^#[0-9a-f]{6}$/i);
    expect(m.background_color).toMatch(/^#[0-9a-f]{6}$/i);
    const icon = (size: number, purpose: string) =>
      m.icons.find((i) => i.sizes === `${size}x${size}` && (i.purpose ?? "any").split(" ").includes(purpose));
    for (const [size, purpose] of [
      [192, "any"],
      [512, "any"],
      [512, "maskable"],
    ] as const) {
      const entry = icon(size, purpose);
      expect(entry, `${size} ${purpose} icon`).toBeDefined();
      expect(entry!.type).toBe("image/png");
      const file = await fetch(new URL(entry!.src, server.base));
      expect(file.status).toBe(200);
      expect(pngInfo(Buffer.from(await file.arrayBuffer()))).toEqual({ width: size, height: size, valid: true });
    }
    const html = await (await fetch(server.base)).text();
    expect(html).toContain('<link rel="manifest" href="/manifest.webmanifest"');
    expect(html).toMatch(/<html lang="ja">/);
  });

  it("is installable in Chromium once the service worker is active", async () => {
    b = await openBrowser();
    await b.page.goto(server.base);
    await waitForServiceWorker(b.page);
    const cdp = await b.context.newCDPSession(b.page);
    const manifest = (await cdp.send("Page.getAppManifest")) as { url: string; errors: unknown[]; data?: string };
    expect(manifest.url).toBe(`${server.base}/manifest.webmanifest`);
    expect(manifest.errors).toEqual([]);
    expect(JSON.parse(manifest.data!)).toMatchObject({ name: "回覧板", lang: "ja" });
    // Installability is computed asynchronously after the worker takes over: ask until it settles.
    let errors: unknown[] = ["not asked"];
    for (let i = 0; i < 20 && errors.length > 0; i++) {
      errors = ((await cdp.send("Page.getInstallabilityErrors")) as { installabilityErrors: unknown[] })
        .installabilityErrors;
      if (errors.length) await b.page.waitForTimeout(250);
    }
    expect(errors).toEqual([]);
    // The worker answers navigations (a fetch handler that works offline), so Chromium treats it as an app.
    const sw = await b.page.evaluate(async () => {
      const reg = await navigator.serviceWorker.getRegistration();
      return { scope: reg?.scope, script: reg?.active?.scriptURL };
    });
    expect(sw).toEqual({ scope: `${server.base}/`, script: `${server.base}/sw.js` });
  });
});
