import { api } from "../../../api";
import { DraftCompose } from "../../staff/compose/DraftCompose";
import { lt } from "../i18n";
import { uploadAttachment, type Block, type Circular } from "../leader-api";
import { LeaderLayout } from "../LeaderLayout";
import { AudiencePicker } from "./AudiencePicker";
import {
  audienceOf,
  checkDraft,
  composeText,
  EMPTY_DRAFT,
  FIELD_ORDER,
  formFromCircular,
  payloadOf,
  type DraftForm,
} from "./draft-form";
import { ResidentPreview } from "./ResidentPreview";

const loadBlocks = async () => (await api<{ blocks: Block[] }>("/api/blocks")).blocks;
const enc = encodeURIComponent;

/**
 * Writing a circular: /leader/new, then /leader/c/<id>/edit once saved as a draft. Preview shows the saved draft as
 * residents will see it; 「配布する」 asks first, naming the blocks and the number of households.
 */
export function ComposePage({ id }: { id?: string }) {
  return (
    <DraftCompose<DraftForm, Circular, Block[]>
      id={id}
      formId="compose"
      fieldOrder={FIELD_ORDER}
      empty={EMPTY_DRAFT}
      apiBase="/api/circulars"
      paths={{ list: "/leader", edit: (c) => `/leader/c/${enc(c)}/edit`, view: (c) => `/leader/c/${enc(c)}` }}
      back={{ href: "/leader", label: lt("leader.nav.backToList") }}
      layout={LeaderLayout}
      loadExtra={loadBlocks}
      formOf={formFromCircular}
      payloadOf={payloadOf}
      check={checkDraft}
      picker={({ form, extra, change, errors }) => (
        <AudiencePicker form={form} blocks={extra} onChange={change} error={errors.blockIds} idPrefix="compose" />
      )}
      checkPublish={async (form) => {
        // Fresh counts: a household may have been added since the page opened.
        const blocks = await loadBlocks();
        const size = audienceOf(form, blocks);
        if (size.households === 0)
          return { extra: blocks, field: "blockIds", problem: lt("leader.compose.noHouseholds") };
        const question =
          form.audience === "all"
            ? lt("leader.publish.confirmAll", { n: size.households })
            : lt("leader.publish.confirmBlocks", { blocks: size.names.join("・"), n: size.households });
        return { extra: blocks, question };
      }}
      publish={async (circularId) => {
        const r = await api<{ audienceSize: number }>(`/api/circulars/${enc(circularId)}/publish`, { method: "POST" });
        return lt("leader.publish.done", { n: r.audienceSize });
      }}
      attachments={{
        upload: uploadAttachment,
        deleteUrl: (_draft, a) => `/api/attachments/${enc(a.id)}`,
        text: (name, params) => lt(`leader.attach.${name}`, params),
      }}
      text={composeText}
      preview={{
        render: (c) => <ResidentPreview c={c} />,
        query: "?ruby=1",
        text: {
          button: lt("leader.compose.preview"),
          title: lt("leader.preview.title"),
          lead: lt("leader.preview.lead"),
          back: lt("leader.preview.back"),
        },
      }}
    />
  );
}
