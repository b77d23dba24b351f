// The rotation's styles, after the leader styles they build on (inline for the reason ../styles.ts gives).
import "../styles";
import css from "./rotation.css?inline";

if (typeof document !== "undefined" && !document.getElementById("rotation-styles")) {
  const style = document.createElement("style");
  style.id = "rotation-styles";
  style.textContent = css;
  document.head.append(style);
}
