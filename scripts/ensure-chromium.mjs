// The end-to-end tests drive Debian's Chromium with Japanese and Devanagari fonts. Find both, or install what is missing with
// apt-get where we can (as root on Debian), or stop at once with one line saying what to install. The font matters:
// without one, Japanese renders as narrow boxes and the accessibility test's 48 px targets fail (「回覧板」 40x48)
// on a machine whose Chromium was installed without fonts-noto-cjk.
import { execSync } from "node:child_process";
import { existsSync } from "node:fs";

const candidates = [process.env.CHROME_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].filter(Boolean);
const found = () => candidates.find((p) => existsSync(p));
/** The fonts the pages need: Japanese (and Chinese and Korean, in the same package) and Nepali's Devanagari. */
const FONTS = [
  { lang: "ja", pkg: "fonts-noto-cjk", what: "Japanese" },
  // Noto Sans Devanagari, the font of Android tablets, so the overflow test measures नेपाली as residents see it.
  { lang: "ne", pkg: "fonts-noto-core", what: "Devanagari (नेपाली)" },
];
const hasFont = (lang) => {
  try {
    return execSync(`fc-list :lang=${lang} family`, { encoding: "utf8" }).trim() !== "";
  } catch {
    return true; // no fontconfig tools to ask: leave it to the tests
  }
};

if (!found()) {
  const canApt = process.getuid?.() === 0 && existsSync("/usr/bin/apt-get");
  if (!canApt) {
    console.error(
      "Chromium is needed for the end-to-end tests: install Debian's 'chromium' package (or set CHROME_PATH).",
    );
    process.exit(1);
  }
  console.log("Installing Debian's chromium and Japanese fonts for the end-to-end tests (apt-get)...");
  try {
    execSync(
      "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk fonts-noto-core >/dev/null",
      {
        stdio: "inherit",
        shell: "/bin/bash",
      },
    );
  } catch {
    console.error(
      "Could not install chromium with apt-get: install Debian's 'chromium' package by hand (or set CHROME_PATH).",
    );
    process.exit(1);
  }
  if (!found()) {
    console.error("apt-get finished but no chromium binary was found: install Debian's 'chromium' package.");
    process.exit(1);
  }
}

const missing = FONTS.filter((f) => !hasFont(f.lang));
if (missing.length) {
  const pkgs = missing.map((f) => f.pkg).join(" ");
  const what = missing.map((f) => f.what).join(" and ");
  const canApt = process.getuid?.() === 0 && existsSync("/usr/bin/apt-get");
  if (!canApt) {
    console.error(`${what} fonts are needed for the end-to-end tests: install Debian's ${pkgs}.`);
    process.exit(1);
  }
  console.log(`Installing ${what} fonts for the end-to-end tests (apt-get install ${pkgs})...`);
  try {
    execSync(`apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${pkgs} >/dev/null`, {
      stdio: "inherit",
      shell: "/bin/bash",
    });
  } catch {
    console.error(`Could not install ${pkgs} with apt-get: install it by hand.`);
    process.exit(1);
  }
  const still = missing.filter((f) => !hasFont(f.lang));
  if (still.length) {
    console.error(`apt-get finished but fc-list finds no font for ${still.map((f) => f.lang).join(", ")}.`);
    process.exit(1);
  }
}
