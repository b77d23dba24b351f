// A circular's やさしい日本語 version on staff screens (the leader's preview, the city's circular page): under its own
// heading, drawn as residents see it (BodyText). Nothing when the circular has none.
import type { BodyPart } from "../../api";
import { BodyText } from "../../components/BodyText";
import { st } from "./i18n";

export function EasyBodyText({ parts, id }: { parts: BodyPart[] | null; id: string }) {
  if (!parts) return null;
  return (
    <section class="stack" aria-labelledby={id}>
      <h3 id={id}>{st("staff.easy.field")}</h3>
      <BodyText parts={parts} />
    </section>
  );
}
