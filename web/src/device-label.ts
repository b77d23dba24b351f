// The short name a device is listed under in "this member's devices" (push subscriptions): "iPad", "iPhone",
// "Android", "パソコン". Never the User-Agent itself, which would say more about the resident's device than needed.
// Pure, so the service worker uses it too (web/sw/push.ts).

export function deviceLabel(userAgent: string, maxTouchPoints: number): string {
  // iPadOS Safari presents itself as a Mac; a Mac has no touch screen.
  if (/iPad/.test(userAgent) || (/Macintosh/.test(userAgent) && maxTouchPoints > 1)) return "iPad";
  if (/iPhone|iPod/.test(userAgent)) return "iPhone";
  if (/Android/.test(userAgent)) return "Android";
  return "パソコン";
}
