// Writing a city circular: /city/circulars/new, then /city/circulars/<id>/edit once saved as a draft, on the staff
// compose screen (../../staff/compose/DraftCompose.tsx) with the target picker. 「配布する」 asks first, saying how
// many associations it goes to.
import { api } from "../../../api";
import { baseFormOf, basePayload, checkDraftBase, EMPTY_BASE, type DraftBase } from "../../staff/compose/draft-base";
import { DraftCompose, type ComposeText } from "../../staff/compose/DraftCompose";
import { uploadCityAttachment, type Areas, type CityCircular, type Published } from "../city-api";
import { CityLayout } from "../CityLayout";
import { count } from "../format";
import { ct } from "../i18n";
import { associationIds, loadAreas, targetNames, targetText } from "./targets";
import { TargetPicker, toTarget, type TargetForm } from "./TargetPicker";

interface Form extends DraftBase {
  target: TargetForm;
}

const EMPTY: Form = { ...EMPTY_BASE, target: { scope: "city", ids: [] } };
const FIELD_ORDER = ["title", "body", "easyBody", "target", "priority", "dueAt", "questions", "file"];
const enc = encodeURIComponent;

/** The compose screen's words: "city.compose.title" and so on. */
const text: ComposeText = (name, params) => ct(`city.${name}`, params);

function formOf(c: CityCircular): Form {
  return {
    ...baseFormOf(c),
    target: c.target.scope === "city" ? { scope: "city", ids: [] } : { scope: c.target.scope, ids: [...c.target.ids] },
  };
}

const payloadOf = (f: Form) => ({ ...basePayload(f), target: toTarget(f.target) });

function check(f: Form, publishing: boolean): Record<string, string> {
  const fields = checkDraftBase(f, publishing, text);
  if (f.target.scope !== "city" && f.target.ids.length === 0) fields.target = ct("city.compose.targetMissing");
  return fields;
}

export function CityComposePage({ id }: { id?: string }) {
  return (
    <DraftCompose<Form, CityCircular, Areas>
      id={id}
      formId="city-compose"
      fieldOrder={FIELD_ORDER}
      empty={EMPTY}
      apiBase="/api/city/circulars"
      paths={{
        list: "/city/circulars",
        edit: (c) => `/city/circulars/${enc(c)}/edit`,
        view: (c) => `/city/circulars/${enc(c)}`,
      }}
      back={{ href: "/city/circulars", label: ct("city.circ.back") }}
      layout={CityLayout}
      loadExtra={loadAreas}
      formOf={formOf}
      payloadOf={payloadOf}
      check={check}
      picker={({ form, extra, change, errors }) => (
        <TargetPicker
          value={form.target}
          areas={extra}
          onChange={(target) => change({ target })}
          error={errors.target}
          idPrefix="city-compose"
        />
      )}
      checkPublish={async (form, areas) => {
        const target = toTarget(form.target);
        const n = associationIds(target, areas).length;
        if (n === 0) return { field: "target", problem: ct("city.compose.noAssociations") };
        return {
          question: ct("city.publish.confirm", {
            target: targetText(target, targetNames(target, areas)),
            n: count(n)!,
          }),
        };
      }}
      publish={async (circularId) => {
        const r = await api<Published>(`/api/city/circulars/${enc(circularId)}/publish`, { method: "POST" });
        return ct("city.publish.done", { n: count(r.associations)! });
      }}
      attachments={{
        upload: uploadCityAttachment,
        deleteUrl: (draft, a) => `/api/city/circulars/${enc(draft)}/attachments/${enc(a.id)}`,
        text: (name, params) => ct(`city.attach.${name}`, params),
      }}
      text={text}
      formClass="narrow-form"
    />
  );
}
