import { useEffect } from "preact/hooks";

/**
 * After the app moves to another screen, the element that had focus (the card or button just pressed) is gone, and
 * a keyboard or screen-reader user would be left nowhere. Put focus on the new screen's <main> instead, so the
 * next Tab starts at the top of the content. Only when focus was actually lost, so typing is never interrupted.
 */
export function useFocusMainOnArrival(): void {
  useEffect(() => {
    const active = document.activeElement;
    if (!active || active === document.body) document.getElementById("main")?.focus({ preventScroll: true });
  }, []);
}
