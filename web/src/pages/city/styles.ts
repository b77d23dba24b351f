// The city styles, added to the page when this chunk loads: inline text for the same reason as the leader's
// (web/src/pages/leader/styles.ts): a CSS asset of a lazy chunk would put Vite's preload helper into the resident entry.
import css from "./city.css?inline";

if (typeof document !== "undefined" && !document.getElementById("city-styles")) {
  const style = document.createElement("style");
  style.id = "city-styles";
  style.textContent = css;
  document.head.append(style);
}
