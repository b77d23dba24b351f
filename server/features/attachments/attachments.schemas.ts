// The attachments API's upload (a multipart `file`) and its answers, shared by the association's and the city's
// upload routes. The attachment itself is the circulars' AttachmentSchema.
import { z } from "@hono/zod-openapi";
import { ErrorSchema, errorResponses, IdParam, json } from "../../lib/openapi";
import { AttachmentSchema } from "../circulars/circulars.schemas";

export const Upload = z.object({
  file: z
    .instanceof(File, { message: "ファイルを選んでください。" })
    .openapi({ type: "string", format: "binary", description: "JPEG, PNG, WebP or PDF, at most 10 MB" }),
});

/** The request of an upload route: the draft's id and the file. */
export const uploadRequest = {
  params: IdParam,
  body: { content: { "multipart/form-data": { schema: Upload } }, required: true },
};

/** The answers of an upload route. */
export const uploadResponses = {
  201: json(AttachmentSchema, "Attached"),
  ...errorResponses,
  409: json(ErrorSchema, "Not a draft, or already 5 attachments"),
  413: json(ErrorSchema, "Larger than 10 MB"),
  415: json(ErrorSchema, "Not a JPEG, PNG, WebP or PDF"),
};

/** What the upload services take of the posted file. */
export async function uploadedFile(file: File) {
  return { fileName: file.name, bytes: new Uint8Array(await file.arrayBuffer()) };
}
