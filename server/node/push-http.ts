// The Node server's HTTP client for web pushes: node:http(s) requests over keep-alive sockets. It does what the
// sender needs of fetch (POST bytes, read the status and Retry-After) at a fraction of undici fetch's cost per
// request, which matters when a whole city's urgent notice fans out (bench/push.ts). Workers use fetch.
import http from "node:http";
import https from "node:https";
import type { PushFetch } from "../features/push/sender";

const agents = {
  "http:": new http.Agent({ keepAlive: true, maxSockets: 256 }),
  "https:": new https.Agent({ keepAlive: true, maxSockets: 256 }),
};

type Answer = Awaited<ReturnType<PushFetch>>;

/**
 * A kept-alive socket the push service has just closed fails the request with ECONNRESET before anything was sent
 * or received: that request is sent again once on a fresh socket (the pattern the Node docs give for
 * `request.reusedSocket`). Other failures go to the sender, which retries later.
 */
export const nodePushFetch: PushFetch = (url, init) =>
  post(url, init).catch((e: Error & { code?: string; reusedSocket?: boolean }) => {
    if (e.reusedSocket && e.code === "ECONNRESET" && !init.signal.aborted) return post(url, init);
    throw e;
  });

const post = (url: string, init: Parameters<PushFetch>[1]) =>
  new Promise<Answer>((resolve, reject) => {
    const target = new URL(url);
    const client = target.protocol === "https:" ? https : http;
    const req = client.request(
      target,
      {
        method: init.method,
        headers: { ...init.headers, "Content-Length": String(init.body.byteLength) },
        agent: target.protocol === "https:" ? agents["https:"] : agents["http:"],
        signal: init.signal,
      },
      (res) => {
        // The body is of no use; draining it frees the socket for the next push.
        res.resume();
        res.on("error", reject);
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: {
              get: (name: string) => {
                const v = res.headers[name.toLowerCase()];
                return Array.isArray(v) ? (v[0] ?? null) : (v ?? null);
              },
            },
            arrayBuffer: async () => new ArrayBuffer(0),
          }),
        );
      },
    );
    req.on("error", (e) => reject(Object.assign(e, { reusedSocket: req.reusedSocket })));
    req.end(init.body);
  });
