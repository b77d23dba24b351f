import { lt } from "../i18n";

/** On screen above a print view: the way back and 「印刷する」. Not printed. */
export function PrintToolbar({ back, backLabel, help }: { back: string; backLabel: string; help?: string }) {
  return (
    <div class="print-toolbar no-print stack">
      <p>
        <a href={back}>← {backLabel}</a>
      </p>
      {help && <p class="notice">{help}</p>}
      <p>
        <button type="button" class="btn primary" onClick={() => window.print()}>
          {lt("leader.print.button")}
        </button>
      </p>
    </div>
  );
}
