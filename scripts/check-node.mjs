// The first step of `npm start` and `npm run dev`: on a Node.js older than package.json's engines (22.12), stop at
// once with one line that says what to install, instead of failing later in the build with a stack trace.
const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  console.error(
    `Kairan needs Node.js 22.12 or newer (this is ${process.version}): install Node 24 LTS (see .nvmrc), then run npm start again. / Node.js 22.12 以上が必要です。`,
  );
  process.exit(1);
}
