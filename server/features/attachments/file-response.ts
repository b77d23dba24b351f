// Answering with a stored file, shared by the association's and the city's attachment routes.
import type { Context } from "hono";
import type { AppEnv } from "../../context";
import { contentDisposition } from "../../lib/content-disposition";

/**
 * A stored file as the response: its type, an inline disposition with the (Japanese) name, and headers that keep
 * anything in it from running script or reaching out. 404 in our error shape if the bytes are missing.
 */
export async function fileResponse(
  c: Context<AppEnv>,
  row: { id: string; blobKey: string; contentType: string; fileName: string },
) {
  const blob = await c.get("deps").blobs.get(row.blobKey);
  if (!blob) {
    console.error(`attachment ${row.id}: blob ${row.blobKey} missing`);
    return c.json(
      {
        error: {
          code: "not_found",
          message: "ファイルが見つかりません。",
          messageEn: "The file is missing.",
          requestId: c.get("requestId") ?? "",
        },
      },
      404,
    );
  }
  const isPdf = row.contentType === "application/pdf";
  return c.body(blob.body as ReadableStream | Uint8Array<ArrayBuffer>, 200, {
    "Content-Type": row.contentType,
    "Content-Length": String(blob.size),
    "Content-Disposition": contentDisposition("inline", row.fileName),
    "X-Content-Type-Options": "nosniff",
    // Nothing in the file may run script or reach out; PDFs need their built-in viewer, images nothing at all.
    "Content-Security-Policy": isPdf
      ? "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; object-src 'self'; frame-ancestors 'self'"
      : "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'; sandbox",
    "Cache-Control": "private, max-age=86400",
    "Cross-Origin-Resource-Policy": "same-origin",
  });
}
