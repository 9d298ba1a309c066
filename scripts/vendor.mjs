// Copies the npm-installed front-end assets into static/vendor, where Django serves them.
// Only what the pages and USWDS's stylesheet use: the package's raw icon sets are
// thousands of files that would only slow down collecting and serving static files.
import { cpSync, mkdirSync, readdirSync, rmSync } from "node:fs";

const uswds = "node_modules/@uswds/uswds/dist";
const target = "static/vendor";
rmSync(target, { recursive: true, force: true });
mkdirSync(`${target}/uswds/img`, { recursive: true });
for (const dir of ["css", "js", "fonts", "img/usa-icons", "img/usa-icons-bg", "img/favicons"]) {
  cpSync(`${uswds}/${dir}`, `${target}/uswds/${dir}`, { recursive: true });
}
for (const file of readdirSync(`${uswds}/img`, { withFileTypes: true })) {
  if (file.isFile()) cpSync(`${uswds}/img/${file.name}`, `${target}/uswds/img/${file.name}`);
}
cpSync("node_modules/htmx.org/dist/htmx.min.js", `${target}/htmx.min.js`);
cpSync("node_modules/cytoscape/dist/cytoscape.min.js", `${target}/cytoscape.min.js`);
console.log(`front-end assets copied to ${target}`);
