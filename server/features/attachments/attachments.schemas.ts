// The attachments API's request schema (a multipart upload), shared with city circulars. The response is the
// circulars' AttachmentSchema.
import { z } from "@hono/zod-openapi";

export const Upload = z.object({
  file: z
    .instanceof(File, { message: "ファイルを選んでください。" })
    .openapi({ type: "string", format: "binary", description: "JPEG, PNG, WebP or PDF, at most 10 MB" }),
});
