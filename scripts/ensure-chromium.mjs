// The end-to-end tests drive Debian's Chromium with a Japanese font. Find both, or install what is missing with
// apt-get where we can (as root on Debian), or stop at once with one line saying what to install. The font matters:
// without one, Japanese renders as narrow boxes and the accessibility test's 48 px targets fail (「回覧板」 40x48)
// on a machine whose Chromium was installed without fonts-noto-cjk.
import { execSync } from "node:child_process";
import { existsSync } from "node:fs";

const candidates = [process.env.CHROME_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].filter(Boolean);
const found = () => candidates.find((p) => existsSync(p));
const japaneseFont = () => {
  try {
    return execSync("fc-list :lang=ja family", { encoding: "utf8" }).trim() !== "";
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
      "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null",
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

if (!japaneseFont()) {
  const canApt = process.getuid?.() === 0 && existsSync("/usr/bin/apt-get");
  if (!canApt) {
    console.error("A Japanese font is needed for the end-to-end tests: install Debian's 'fonts-noto-cjk' package.");
    process.exit(1);
  }
  console.log("Installing Japanese fonts for the end-to-end tests (apt-get install fonts-noto-cjk)...");
  try {
    execSync("apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk >/dev/null", {
      stdio: "inherit",
      shell: "/bin/bash",
    });
  } catch {
    console.error("Could not install fonts-noto-cjk with apt-get: install it by hand.");
    process.exit(1);
  }
}
