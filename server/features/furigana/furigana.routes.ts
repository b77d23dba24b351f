// The 「ふりがな」 panel of the compose screen: a draft's words with their readings, and the leader's corrections. The
// same two routes on an association's drafts (its leaders) and the city's (city staff).
import { createRoute } from "@hono/zod-openapi";
import { associationCtx, cityCtx, LEADERS } from "../../context";
import { createRouter, ErrorSchema, errorResponses, IdParam, json, jsonBody } from "../../lib/openapi";
import {
  circularReadings,
  cityCircularReadings,
  saveCircularReadings,
  saveCityCircularReadings,
} from "./furigana.service";
import { DraftReadingsSchema, ReadingFixes } from "./furigana.schemas";

const tags = ["ふりがな / Readings"];
const responses = {
  200: json(DraftReadingsSchema, "The draft's words and readings"),
  ...errorResponses,
  409: json(ErrorSchema, "Not a draft"),
};
const read = (path: string, who: string) =>
  createRoute({
    method: "get",
    path,
    tags,
    summary: `A draft's words with kanji and their readings (${who}); available: false where readings cannot be computed`,
    request: { params: IdParam },
    responses,
  });
const save = (path: string, who: string) =>
  createRoute({
    method: "put",
    path,
    tags,
    summary: `Save the reading corrections of a draft (${who}); kept and applied when it is published`,
    request: { params: IdParam, body: jsonBody(ReadingFixes) },
    responses,
  });

export const furiganaRoutes = createRouter()
  .openapi(read("/circulars/{id}/readings", "leaders"), async (c) =>
    c.json(await circularReadings({ ctx: associationCtx(c, LEADERS), input: c.req.valid("param") }), 200),
  )
  .openapi(save("/circulars/{id}/readings", "leaders"), async (c) =>
    c.json(
      await saveCircularReadings({
        ctx: associationCtx(c, LEADERS),
        input: { ...c.req.valid("param"), fixes: c.req.valid("json").fixes },
      }),
      200,
    ),
  )
  .openapi(read("/city/circulars/{id}/readings", "city staff"), async (c) =>
    c.json(await cityCircularReadings({ ctx: cityCtx(c), input: c.req.valid("param") }), 200),
  )
  .openapi(save("/city/circulars/{id}/readings", "city staff"), async (c) =>
    c.json(
      await saveCityCircularReadings({
        ctx: cityCtx(c),
        input: { ...c.req.valid("param"), fixes: c.req.valid("json").fixes },
      }),
      200,
    ),
  );
