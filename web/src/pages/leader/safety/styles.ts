// The 安否確認 screens' styles, after the leader styles they build on (inline for the reason ../styles.ts gives).
import "../styles";
import css from "./safety.css?inline";

if (typeof document !== "undefined" && !document.getElementById("safety-styles")) {
  const style = document.createElement("style");
  style.id = "safety-styles";
  style.textContent = css;
  document.head.append(style);
}
