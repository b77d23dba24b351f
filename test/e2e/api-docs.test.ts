// The API reference (/api/docs) on a network without the internet, as in a city's intranet: the page renders the
// OpenAPI document and its test client answers, with every request that leaves the server refused and recorded, and
// nothing blocked by the page's own CSP (server/lib/api-docs.ts).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openBrowser, requireBuild, startServer, type Browser, type RunningServer } from "./harness";

let server: RunningServer;
let b: Browser | undefined;

beforeAll(async () => {
  requireBuild();
  server = await startServer({ SEED_DEMO: "false" });
});

afterAll(async () => {
  await b?.close();
  await server?.stop();
});

describe("the API reference without the internet", () => {
  it("renders from this server alone, under its own CSP", async () => {
    b = await openBrowser({ viewport: { width: 1280, height: 900 } });
    const { page } = b;
    const outside: string[] = [];
    const problems: string[] = [];
    await page.route("**/*", (route) => {
      const url = new URL(route.request().url());
      if (url.origin === server.base) return route.continue();
      outside.push(url.href);
      return route.abort("internetdisconnected");
    });
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("console", (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) problems.push(m.text());
    });

    await page.goto(`${server.base}/api/docs`);
    // The document's title and a tag of its operations, drawn by the viewer's script.
    await page.getByRole("heading", { name: "Kairan API" }).first().waitFor();
    await page.getByText("市 / City").first().waitFor();
    // Its test client sends to this server: GET /api/health and its answer.
    await page
      .getByRole("button", { name: /Test Request/i })
      .first()
      .click();
    await page.getByRole("button", { name: /^Send/ }).first().click();
    await page.getByText("200 OK").first().waitFor();

    expect(outside).toEqual([]);
    expect(problems).toEqual([]);
  });
});
