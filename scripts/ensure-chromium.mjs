// The end-to-end tests drive Debian's Chromium. Find it, or install it with apt-get where we can (as root on
// Debian), or stop at once with one line saying what to install.
import { execSync } from "node:child_process";
import { existsSync } from "node:fs";

const candidates = [process.env.CHROME_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].filter(Boolean);
const found = () => candidates.find((p) => existsSync(p));

if (!found()) {
  const canApt = process.getuid?.() === 0 && existsSync("/usr/bin/apt-get");
  if (!canApt) {
    console.error("Chromium is needed for the end-to-end tests: install Debian's 'chromium' package (or set CHROME_PATH).");
    process.exit(1);
  }
  console.log("Installing Debian's chromium and Japanese fonts for the end-to-end tests (apt-get)...");
  try {
    execSync("apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null", {
      stdio: "inherit",
      shell: "/bin/bash",
    });
  } catch {
    console.error("Could not install chromium with apt-get: install Debian's 'chromium' package by hand (or set CHROME_PATH).");
    process.exit(1);
  }
  if (!found()) {
    console.error("apt-get finished but no chromium binary was found: install Debian's 'chromium' package.");
    process.exit(1);
  }
}
