// PLACEHOLDER: the English strings (vi.ts's placeholder), until the नेपाली translation replaces this file (same
// layout: every ResidentKey, a default export).
export { default } from "./vi";
