// The leader's own styles (the board, households, print views), after the staff styles they build on. Inline text for
// the same reason as the staff styles (../staff/styles.ts): a CSS asset of a lazy chunk would put Vite's preload
// helper into the resident entry.
import "../staff/styles";
import css from "./leader.css?inline";

if (typeof document !== "undefined" && !document.getElementById("leader-styles")) {
  const style = document.createElement("style");
  style.id = "leader-styles";
  style.textContent = css;
  document.head.append(style);
}
