// City circulars (docs/adr/0005): city staff write one circular and send it to the whole city, chosen wards,
// districts or associations. Publishing is one batch that writes one `circulars` row (origin "city") per targeted
// association with member households, so feeds, receipts, reminders, pushes and late households work unchanged.
// The city sees counts and rates only (stats_circular), never who read what; every request is audited.
// One file per step (targets, reading, drafts, publish, attachments, figures); this is the verbs' one entry.
export { uploadCityAttachment, readCityAttachment, deleteCityAttachment } from "./attachments.service";
export { createCityDraft, updateCityDraft, deleteCityDraft, type CityDraftInput } from "./drafts.service";
export { cityCircularFigures } from "./figures.service";
export { publishCityCircular, withdrawCityCircular } from "./publish.service";
export { getCityCircular, listCityCirculars } from "./reading.service";
export type { CityTarget } from "./targets";
