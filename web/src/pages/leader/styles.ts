// The leader styles, added to the page when this chunk loads. Imported as text (?inline) rather than as a CSS
// asset on purpose: a CSS asset of a lazy chunk makes Vite put its stylesheet-preloading helper into the resident
// entry chunk, which must not grow. The page's CSP allows inline styles (style-src 'unsafe-inline').
import css from "./leader.css?inline";

if (typeof document !== "undefined" && !document.getElementById("leader-styles")) {
  const style = document.createElement("style");
  style.id = "leader-styles";
  style.textContent = css;
  document.head.append(style);
}
