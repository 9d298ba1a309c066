// Copies the npm-installed front-end assets into static/vendor, where Django serves them.
import { cpSync, mkdirSync, rmSync } from "node:fs";

const target = "static/vendor";
rmSync(target, { recursive: true, force: true });
mkdirSync(target, { recursive: true });
cpSync("node_modules/@uswds/uswds/dist/css", `${target}/uswds/css`, { recursive: true });
cpSync("node_modules/@uswds/uswds/dist/js", `${target}/uswds/js`, { recursive: true });
cpSync("node_modules/@uswds/uswds/dist/img", `${target}/uswds/img`, { recursive: true });
cpSync("node_modules/@uswds/uswds/dist/fonts", `${target}/uswds/fonts`, { recursive: true });
cpSync("node_modules/htmx.org/dist/htmx.min.js", `${target}/htmx.min.js`);
console.log(`front-end assets copied to ${target}`);
