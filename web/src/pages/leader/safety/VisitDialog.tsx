// 「訪問して確認」: after a visit or a call, a 班長 (their block) or a leader records 無事 / 助けが必要 / 不在, how they
// checked (訪問 / 電話), and for 助けが必要 what is needed and a note (PUT …/households/{householdId}/visit, which
// answers the new board).
import { useEffect, useState } from "preact/hooks";
import { api } from "../../../api";
import { ConfirmDialog } from "../../staff/ConfirmDialog";
import { messageFor } from "../../staff/errors";
import { RadioGroup, TextAreaField } from "../../staff/fields";
import { SAFETY_NEED_LABELS, SAFETY_NEEDS } from "../../../../../server/features/safety/safety-questions";
import { serverLang } from "../../../i18n";
import { sl } from "./i18n";
import { checkPath, type SafetyBoard, type SafetyHousehold, type SafetyNeed } from "./safety-api";

type State = "safe" | "help" | "absent";

export function VisitDialog({
  checkId,
  household,
  onClose,
  onSaved,
}: {
  checkId: string;
  household: SafetyHousehold | null;
  onClose: () => void;
  onSaved: (board: SafetyBoard, message: string) => void;
}) {
  const [state, setState] = useState<State | "">("");
  const [channel, setChannel] = useState<"visit" | "phone">("visit");
  const [needs, setNeeds] = useState<SafetyNeed[]>([]);
  const [note, setNote] = useState("");
  const [stateError, setStateError] = useState<string | undefined>();
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  // A fresh form for each household.
  useEffect(() => {
    setState("");
    setChannel("visit");
    setNeeds([]);
    setNote("");
    setStateError(undefined);
    setProblem(null);
  }, [household?.id]);

  const stateLabel = (s: State) =>
    s === "safe" ? sl("safety.safe") : s === "help" ? sl("safety.help") : sl("safety.absent");

  async function save() {
    if (!household || busy) return;
    if (!state) {
      setStateError(sl("safety.visitStateMissing"));
      setTimeout(() => document.getElementById("visit-state")?.focus(), 0);
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      const help = state === "help";
      const board = await api<SafetyBoard>(
        `${checkPath(checkId)}/households/${encodeURIComponent(household.id)}/visit`,
        {
          method: "PUT",
          json: {
            state,
            channel,
            ...(help && needs.length ? { needs } : {}),
            ...(help && note.trim() ? { note: note.trim() } : {}),
          },
        },
      );
      onSaved(board, sl("safety.visitDone", { label: household.label, state: stateLabel(state) }));
    } catch (e) {
      setProblem(messageFor(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <ConfirmDialog
      open={!!household}
      title={household ? sl("safety.visitTitle", { label: household.label }) : ""}
      confirmLabel={sl("safety.visitSave")}
      busyLabel={sl("safety.visitSaving")}
      busy={busy}
      describe={false}
      onConfirm={save}
      onClose={onClose}
    >
      <p class="muted">{sl("safety.visitHelp")}</p>
      {problem && (
        <p class="notice error" role="alert">
          {problem}
        </p>
      )}
      <RadioGroup<State | "">
        id="visit-state"
        name="visit-state"
        legend={sl("safety.visitState")}
        value={state}
        onChange={(s) => {
          setState(s);
          setStateError(undefined);
        }}
        options={(["safe", "help", "absent"] as const).map((s) => ({ value: s, label: stateLabel(s) }))}
        error={stateError}
      />
      <RadioGroup<"visit" | "phone">
        id="visit-channel"
        name="visit-channel"
        legend={sl("safety.visitHow")}
        value={channel}
        onChange={setChannel}
        options={[
          { value: "visit", label: sl("safety.channel.visit") },
          { value: "phone", label: sl("safety.channel.phone") },
        ]}
      />
      {state === "help" && (
        <>
          <fieldset class="field">
            <legend>{sl("safety.visitNeeds")}</legend>
            <ul class="choice-list">
              {SAFETY_NEEDS.map((n) => (
                <li key={n}>
                  <label class="choice">
                    <input
                      type="checkbox"
                      checked={needs.includes(n)}
                      onChange={(e) => {
                        const on = (e.target as HTMLInputElement).checked;
                        const chosen = on ? [...needs, n] : needs.filter((x) => x !== n);
                        setNeeds(SAFETY_NEEDS.filter((x) => chosen.includes(x)));
                      }}
                    />
                    {SAFETY_NEED_LABELS[n][serverLang()]}
                  </label>
                </li>
              ))}
            </ul>
          </fieldset>
          <TextAreaField
            id="visit-note"
            label={sl("safety.visitNote")}
            value={note}
            onInput={setNote}
            help={sl("safety.visitNoteHelp")}
            maxLength={200}
            rows={3}
          />
        </>
      )}
    </ConfirmDialog>
  );
}
