// The city styles, after the staff styles they build on: inline text for the same reason as the staff styles
// (web/src/pages/staff/styles.ts): a CSS asset of a lazy chunk would put Vite's preload helper into the resident entry.
import "../staff/styles";
import css from "./city.css?inline";

if (typeof document !== "undefined" && !document.getElementById("city-styles")) {
  const style = document.createElement("style");
  style.id = "city-styles";
  style.textContent = css;
  document.head.append(style);
}
