import { useEffect } from "preact/hooks";

let watching = false;

/**
 * Marks the page `data-input="keyboard"` from the moment someone moves with Tab, until they touch or click again.
 * The main region shows its focus ring only then (styles.css): browsers count a focus moved by script on a freshly
 * opened page (the QR link, the start page) as keyboard focus and would frame the whole content for a resident who
 * only ever taps.
 */
function watchKeyboardUse(): void {
  if (watching || typeof document === "undefined") return;
  watching = true;
  const root = document.documentElement;
  addEventListener(
    "keydown",
    (e) => {
      if (e.key === "Tab") root.dataset.input = "keyboard";
    },
    true,
  );
  addEventListener(
    "pointerdown",
    () => {
      root.dataset.input = "pointer";
    },
    true,
  );
}

/**
 * After the app moves to another screen, the element that had focus (the card or button just pressed) is gone, and
 * a keyboard or screen-reader user would be left nowhere. Put focus on the new screen's <main> instead, so the
 * next Tab starts at the top of the content and a screen reader announces the new screen. Only when focus was
 * actually lost, so typing is never interrupted.
 */
export function useFocusMainOnArrival(): void {
  useEffect(() => {
    watchKeyboardUse();
    focusMainIfLost();
  }, []);
}

/** Focus on <main> if focus is nowhere (the element that had it has just been removed). */
export function focusMainIfLost(): void {
  const active = document.activeElement;
  if (!active || active === document.body) document.getElementById("main")?.focus({ preventScroll: true });
}
