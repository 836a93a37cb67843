// PurgeCSS's settings for Designsystemet's component CSS, which
// scripts/assets.sh prunes into web/static/vendor/designsystemet.css: only the
// rules of components that Heder's pages use are served (about 60 of 147 kB).
//
// What decides: the class and tag names found in the content below, the words
// of every template, script and Go source that may write markup. A rule goes
// only when it needs a class or tag that none of them mention; so the rules of
// components no page uses (combobox, tabs, popover, ...) go, and every state
// of a component in use stays:
// - attribute selectors are all kept (dynamicAttributes): states and variants
//   such as [aria-invalid=true], [disabled], [open], [data-color=...],
//   [data-size=...] and [data-variant=...] are set by Go values, by templates'
//   conditions or by the browser, not spelled out where PurgeCSS could see
//   them;
// - pseudo-classes and pseudo-elements are kept (the safelist's /^:/):
//   PurgeCSS judges each selector inside :is() and :where() on its own, and
//   one that is only a state, as in .ds-link:where(:hover), would count as
//   unused and take its whole rule with it;
// - custom properties, @keyframes and @font-face are kept (PurgeCSS's
//   defaults: variables, keyframes and fontFace false): the theme and app.css
//   use Designsystemet's properties.
"use strict";

const fs = require("fs");
const path = require("path");

const root = path.join(__dirname, "..");
const source = path.join(root, "node_modules/@digdir/designsystemet-css/dist/src/index.css");

// Every attribute name in the CSS's selectors, taken from the pinned version
// so a new state in a later version is kept too.
const attributes = [
	...new Set([...fs.readFileSync(source, "utf8").matchAll(/\[\s*([a-zA-Z][\w-]*)/g)].map((m) => m[1])),
];

module.exports = {
	css: [source],
	content: [
		path.join(root, "web/templates/**/*.html"),
		path.join(root, "web/static/*.js"),
		path.join(root, "internal/**/*.go"),
		"!" + path.join(root, "internal/**/*_test.go"),
	],
	dynamicAttributes: attributes,
	safelist: { standard: [/^:/] },
};
