// Requests through the real app (app.request: the full middleware stack, no sockets), as a browser would send them:
// same-origin Origin header, the session cookie.
import { expect } from "vitest";
import type { TestApp } from "./app";

export const ORIGIN = "http://localhost";

export interface Res<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export function client(t: TestApp, token?: string, extraHeaders: Record<string, string> = {}) {
  async function send<T = any>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Res<T>> {
    const h: Record<string, string> = { origin: ORIGIN, ...extraHeaders, ...headers };
    if (token) h.cookie = `kairan_session=${token}`;
    let payload: BodyInit | undefined;
    if (body instanceof FormData) payload = body;
    else if (typeof body === "string") {
      payload = body;
      h["content-type"] ??= "application/json";
    } else if (body !== undefined) {
      payload = JSON.stringify(body);
      h["content-type"] = "application/json";
    }
    const res = await t.app.request(path, { method, headers: h, body: payload });
    const text = await res.text();
    let parsed: unknown = text;
    if (res.headers.get("content-type")?.includes("application/json")) parsed = text ? JSON.parse(text) : null;
    return { status: res.status, body: parsed as T, headers: res.headers };
  }
  return {
    get: <T = any>(path: string, headers?: Record<string, string>) => send<T>("GET", path, undefined, headers),
    post: <T = any>(path: string, body?: unknown, headers?: Record<string, string>) =>
      send<T>("POST", path, body, headers),
    patch: <T = any>(path: string, body?: unknown, headers?: Record<string, string>) =>
      send<T>("PATCH", path, body, headers),
    put: <T = any>(path: string, body?: unknown, headers?: Record<string, string>) =>
      send<T>("PUT", path, body, headers),
    delete: <T = any>(path: string, headers?: Record<string, string>) => send<T>("DELETE", path, undefined, headers),
    raw: (path: string, init: RequestInit) => t.app.request(path, init),
  };
}

/** The session token from a Set-Cookie header. */
export function sessionFrom(res: Res): string {
  const cookie = res.headers.get("set-cookie") ?? "";
  const m = cookie.match(/(?:__Host-)?kairan_session=([^;]+)/);
  if (!m?.[1]) throw new Error(`no session cookie in: ${cookie}`);
  return decodeURIComponent(m[1]);
}

/** Asserts the error shape every 4xx/5xx must have, and returns it. */
export function errorOf(res: Res): {
  code: string;
  message: string;
  messageEn: string;
  requestId: string;
  fields?: unknown[];
} {
  const e = (res.body as { error?: any })?.error;
  if (!e || typeof e.code !== "string" || typeof e.message !== "string" || typeof e.messageEn !== "string")
    throw new Error(`not an error body (${res.status}): ${JSON.stringify(res.body)}`);
  return e;
}

/**
 * Asserts a 4xx/5xx in our error shape: the status and code, a message in Japanese with English alongside, and
 * the request id that the X-Request-Id header also carries.
 */
export function expectError(res: Res, status: number, code: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  const e = errorOf(res);
  expect(e.code).toBe(code);
  expect(e.message).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
  expect(e.messageEn).toMatch(/[A-Za-z]/);
  expect(e.requestId).toMatch(/\S{8,}/);
  expect(res.headers.get("x-request-id")).toBe(e.requestId);
  return e;
}
