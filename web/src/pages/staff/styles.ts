// The staff styles (forms, lists of circulars, compose, dialogs), added to the page when the leader or the city chunk
// loads. Imported as text (?inline) rather than as a CSS asset on purpose: a CSS asset of a lazy chunk makes Vite put
// its stylesheet-preloading helper into the resident entry chunk, which must not grow. The page's CSP allows inline
// styles (style-src 'unsafe-inline').
import css from "./staff.css?inline";

if (typeof document !== "undefined" && !document.getElementById("staff-styles")) {
  const style = document.createElement("style");
  style.id = "staff-styles";
  style.textContent = css;
  document.head.append(style);
}
