import { useEffect, useRef, useState } from "preact/hooks";
import { api } from "../../../api";
import { useFormErrors } from "../../staff/errors";
import { FormSummary, TextField } from "../../staff/fields";
import { lt } from "../i18n";
import type { Block } from "../leader-api";
import { RotationEditor } from "../rotation/RotationEditor";
import { rotationT } from "../rotation/i18n";

function BlockItem({ b, onChanged }: { b: Block; onChanged: (message: string) => void }) {
  const [editing, setEditing] = useState(false);
  const [rotation, setRotation] = useState(false);
  const [name, setName] = useState(b.name);
  const [busy, setBusy] = useState(false);
  const form = useFormErrors(`block-${b.id}`, ["name"]);
  const nameId = `block-name-${b.id}`;
  const renameButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (editing) document.getElementById(form.fieldId("name"))?.focus();
  }, [editing]);
  const close = () => {
    setEditing(false);
    setTimeout(() => renameButton.current?.focus(), 0);
  };

  async function rename(e: Event) {
    e.preventDefault();
    if (busy) return;
    if (!name.trim()) return form.show({ summary: null, fields: { name: lt("leader.blocks.nameMissing") } });
    setBusy(true);
    try {
      await api(`/api/blocks/${encodeURIComponent(b.id)}`, { method: "PATCH", json: { name: name.trim() } });
      close();
      onChanged(lt("leader.blocks.renamed", { name: name.trim() }));
    } catch (err) {
      form.showError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <li class="stack block-item">
      <div class="row">
        <span class="hh-name" id={nameId}>
          {b.name}
        </span>
        <span class="muted">{lt("leader.households.count", { n: b.households })}</span>
        <button
          type="button"
          class="btn"
          ref={renameButton}
          onClick={() => setEditing(!editing)}
          aria-expanded={editing}
          aria-describedby={nameId}
        >
          {lt("leader.blocks.rename")}
        </button>
        <button
          type="button"
          class="btn"
          onClick={() => setRotation(!rotation)}
          aria-expanded={rotation}
          aria-describedby={nameId}
        >
          {rotationT("rotation.open")}
        </button>
      </div>
      {rotation && <RotationEditor blockId={b.id} blockName={b.name} />}
      {editing && (
        <form class="stack inline-form" onSubmit={rename} noValidate>
          <FormSummary message={form.errors.summary} summaryRef={form.summaryRef} />
          <TextField
            id={form.fieldId("name")}
            label={lt("leader.blocks.newName", { name: b.name })}
            value={name}
            onInput={setName}
            required
            maxLength={40}
            error={form.errors.fields.name}
          />
          <div class="row actions">
            <button type="submit" class="btn primary" aria-disabled={busy ? "true" : undefined}>
              {lt("leader.form.save")}
            </button>
            <button type="button" class="btn" onClick={close}>
              {lt("leader.form.cancel")}
            </button>
          </div>
        </form>
      )}
    </li>
  );
}

/** The association's blocks (班): their names and household counts; add one, rename one. */
export function BlocksSection({ blocks, onChanged }: { blocks: Block[]; onChanged: (message: string) => void }) {
  const [name, setName] = useState("");
  const [busy, setBusy] = useState(false);
  const form = useFormErrors("block-add", ["name"]);

  async function add(e: Event) {
    e.preventDefault();
    if (busy) return;
    if (!name.trim()) return form.show({ summary: null, fields: { name: lt("leader.blocks.nameMissing") } });
    setBusy(true);
    try {
      await api("/api/blocks", { method: "POST", json: { name: name.trim() } });
      setName("");
      form.clear();
      onChanged(lt("leader.blocks.added", { name: name.trim() }));
    } catch (err) {
      form.showError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="stack" aria-labelledby="blocks-h">
      <h2 id="blocks-h">{lt("leader.blocks.title")}</h2>
      <ul class="plain-list stack">
        {blocks.map((b) => (
          <BlockItem key={b.id} b={b} onChanged={onChanged} />
        ))}
      </ul>
      <form class="stack inline-form" onSubmit={add} noValidate>
        <FormSummary message={form.errors.summary} summaryRef={form.summaryRef} />
        <TextField
          id={form.fieldId("name")}
          label={lt("leader.blocks.addLabel")}
          value={name}
          onInput={setName}
          maxLength={40}
          help={lt("leader.blocks.addHelp")}
          error={form.errors.fields.name}
        />
        <p>
          <button type="submit" class="btn" aria-disabled={busy ? "true" : undefined}>
            {lt("leader.blocks.add")}
          </button>
        </p>
      </form>
    </section>
  );
}
