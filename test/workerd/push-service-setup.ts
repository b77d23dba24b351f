// Node side of the workerd push tests (a vitest globalSetup): the loopback push service of test/helpers/push-service.ts,
// plus a small control server so that tests running inside workerd, which cannot import node:http, can make
// subscriptions, script answers, set the service's clock and read what it received (decrypted and checked here).
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { TestProject } from "vitest/node";
import { startPushService } from "../helpers/push-service";

declare module "vitest" {
  export interface ProvidedContext {
    /** http://127.0.0.1:PORT of the control server. */
    pushControl: string;
  }
}

export default async function setup(project: TestProject) {
  let clock: number | null = null;
  const ps = await startPushService({ now: () => clock ?? Date.now() });
  const control = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString("utf8")) : {};
    const reply = (value: unknown) =>
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(value));
    try {
      if (req.url === "/subscription") return reply(await ps.subscription(body.name));
      if (req.url === "/respond") {
        ps.respondWith(body.name, ...body.answers);
        return reply({});
      }
      if (req.url === "/clock") return reply({ clock: (clock = body.at ?? null) });
      if (req.url === "/messages") return reply(ps.received);
      res.writeHead(404).end();
    } catch (e) {
      res.writeHead(500).end(String(e));
    }
  });
  await new Promise<void>((resolve) => control.listen(0, "127.0.0.1", resolve));
  project.provide("pushControl", `http://127.0.0.1:${(control.address() as AddressInfo).port}`);
  return async () => {
    control.close();
    await ps.close();
  };
}
