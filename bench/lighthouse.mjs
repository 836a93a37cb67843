// Lighthouse on the public pages (issue 14 §3): starts `heder dev` on
// loopback, runs the pinned `lighthouse` npm package with Debian's Chromium
// against each public page, prints the four category scores per page and
// exits non-zero when a page is below the targets (100 for accessibility,
// best practices and SEO; 95 for performance).
//
//   node bench/lighthouse.mjs HEDER_BINARY   (make bench-lighthouse builds one)
//   node bench/lighthouse.mjs -url http://127.0.0.1:8080   (a running server)
//   flags: -runs N (median of N runs per page; default 3), -desktop
//   (Lighthouse's desktop preset instead of its default, a throttled mobile),
//   -json DIR (keep each page's full report)
//
// Nothing leaves the machine: Chromium resolves no host name (every name
// maps to nothing, only 127.0.0.1 is reachable), its background services
// (component updates, safe browsing, translation, domain reliability…)
// are off, and Lighthouse's own error reporting is off.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import desktopConfig from 'lighthouse/core/config/desktop-config.js';

const targets = { performance: 95, accessibility: 100, 'best-practices': 100, seo: 100 };
const categories = Object.keys(targets);

const args = process.argv.slice(2);
const opts = { runs: 3, desktop: false, url: '', json: '', bin: '' };
for (let i = 0; i < args.length; i++) {
	const a = args[i];
	if (a === '-runs') opts.runs = Number(args[++i]);
	else if (a === '-desktop') opts.desktop = true;
	else if (a === '-url') opts.url = args[++i].replace(/\/$/, '');
	else if (a === '-json') opts.json = args[++i];
	else if (!a.startsWith('-') && !opts.bin) opts.bin = a;
	else {
		console.error(`unknown argument ${a}`);
		process.exit(2);
	}
}
if (!opts.url && !opts.bin) {
	console.error('usage: node bench/lighthouse.mjs HEDER_BINARY | -url URL [-runs N] [-desktop] [-json DIR]');
	process.exit(2);
}
if (!(opts.runs >= 1)) {
	console.error('-runs must be at least 1');
	process.exit(2);
}

// startHeder runs `heder dev` on free loopback ports (its own throw-away
// PostgreSQL and demo data) and resolves with its base URL once ready.
function startHeder(bin) {
	const env = Object.fromEntries(
		Object.entries(process.env).filter(([k]) => !k.startsWith('HEDER_') && k !== 'DATABASE_URL'),
	);
	env.HEDER_LOG_LEVEL = 'warn';
	const child = spawn(bin, ['dev', '-addr', '127.0.0.1:0', '-idp-addr', '127.0.0.1:0'], {
		env,
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error('heder dev not ready after 120 s')), 120_000);
		child.on('exit', (code) => reject(new Error(`heder dev stopped before it was ready (exit ${code})`)));
		createInterface({ input: child.stdout }).on('line', (line) => {
			const m = line.match(/^ready: (http:\/\/127\.0\.0\.1:\d+)$/);
			if (m) {
				clearTimeout(timer);
				child.removeAllListeners('exit');
				resolve({ url: m[1], child });
			}
		});
	});
}

// pages lists the public pages; the project and the organisation are the
// first ones the 2017 winners' page links.
async function pages(base) {
	const year = '/priser/kommunal-innovasjonspris/2017';
	const res = await fetch(base + year);
	if (!res.ok) throw new Error(`GET ${year}: ${res.status}`);
	const html = await res.text();
	const first = (re, what) => {
		const m = html.match(re);
		if (!m) throw new Error(`no ${what} linked from ${year}`);
		return m[1];
	};
	return [
		'/',
		'/priser',
		'/priser/kommunal-innovasjonspris',
		year,
		first(/href="(\/prosjekter\/[0-9a-f]+)"/, 'project'),
		first(/href="(\/kommuner\/\d+)"/, 'organisation'),
		// Search results say noindex on purpose (endless, overlapping
		// pages; the archive's own pages are what to index), which
		// Lighthouse's is-crawlable audit counts against SEO.
		{ path: '/sok?q=' + encodeURIComponent('svømmehall'), allow: ['is-crawlable'] },
		// The search page itself is indexable.
		'/sok',
		'/om',
		'/personvern',
	];
}

const chromeFlags = [
	'--headless=new',
	'--no-sandbox',
	'--disable-gpu',
	// Only loopback: no name resolves, so nothing on the internet is reachable.
	'--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-domain-reliability',
	'--disable-client-side-phishing-detection',
	'--disable-sync',
	'--disable-default-apps',
	'--no-first-run',
	'--disable-features=AsyncDns,OptimizationHints,Translate,MediaRouter,DialMediaRouteProvider,AutofillServerCommunication,CertificateTransparencyComponentUpdater,NetworkTimeServiceQuerying',
];

const median = (xs) => {
	const s = [...xs].sort((a, b) => a - b);
	return s[Math.floor((s.length - 1) / 2)];
};

let heder;
let chrome;
let failed = false;
try {
	let base = opts.url;
	if (!base) {
		console.error('starting heder dev …');
		heder = await startHeder(path.resolve(opts.bin));
		base = heder.url;
	}
	if (!/^http:\/\/127\.0\.0\.1[:/]/.test(base + '/')) throw new Error(`${base}: only 127.0.0.1 is measured`);
	const list = await pages(base);
	chrome = await chromeLauncher.launch({
		chromePath: process.env.CHROME_PATH || '/usr/bin/chromium',
		chromeFlags,
	});
	const flags = { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: categories };
	const config = opts.desktop ? desktopConfig : undefined;
	const rows = [];
	const offsite = new Set();
	for (const page of list) {
		const { path: p, allow = [] } = typeof page === 'string' ? { path: page } : page;
		const scores = Object.fromEntries(categories.map((c) => [c, []]));
		const below = new Set();
		const short = new Set(); // categories with a failing audit not allowed on this page
		for (let run = 0; run < opts.runs; run++) {
			// A trace now and then comes back broken (NO_NAVSTART) on a busy
			// machine; Lighthouse's advice is to run again.
			let result;
			for (let attempt = 1; ; attempt++) {
				result = await lighthouse(base + p, flags, config);
				const e = result.lhr.runtimeError;
				if (!e) break;
				if (attempt === 3) throw new Error(`${p}: ${e.code} ${e.message}`);
				console.error(`${p}: ${e.code}, running again`);
			}
			const lhr = result.lhr;
			for (const c of categories) scores[c].push(Math.round(lhr.categories[c].score * 100));
			for (const req of lhr.audits['network-requests'].details?.items ?? []) {
				if (!req.url.startsWith(base + '/') && !req.url.startsWith('data:')) offsite.add(req.url);
			}
			// Which audits cost points, to say what to fix.
			for (const c of categories) {
				for (const ref of lhr.categories[c].auditRefs) {
					const a = lhr.audits[ref.id];
					if (ref.weight > 0 && a.score !== null && a.score < 1) {
						below.add(`${c}: ${ref.id} (${a.displayValue ?? a.score})${allow.includes(ref.id) ? ', allowed here' : ''}`);
						if (!allow.includes(ref.id)) short.add(c);
					}
				}
			}
			if (opts.json) {
				mkdirSync(opts.json, { recursive: true });
				const name = (p.replace(/[^a-z0-9]+/gi, '_').replace(/^_|_$/g, '') || 'home') + `.${run + 1}.json`;
				writeFileSync(path.join(opts.json, name), result.report);
			}
		}
		const row = { page: p, ...Object.fromEntries(categories.map((c) => [c, median(scores[c])])) };
		// Below target is below the figure, unless every audit that cost
		// points in it is one allowed on this page.
		const fails = categories.filter((c) => row[c] < targets[c] && (c === 'performance' || short.has(c)));
		row.fails = fails;
		row.allowed = allow;
		rows.push(row);
		if (fails.length) {
			failed = true;
			console.error(`${p}: below target in ${fails.join(', ')}; audits short of full marks:\n  ${[...below].join('\n  ')}`);
		}
	}
	if (offsite.size) {
		failed = true;
		console.error(`requests that were not to ${base}:\n  ${[...offsite].join('\n  ')}`);
	}
	const head = ['page', ...categories];
	const widths = head.map((h) => Math.max(h.length, ...rows.map((r) => String(r[h]).length)));
	const line = (cells) => cells.map((c, i) => (i ? String(c).padStart(widths[i]) : String(c).padEnd(widths[i]))).join('  ');
	console.log(`Lighthouse ${opts.desktop ? 'desktop' : 'mobile'}, median of ${opts.runs} run(s); targets: ${categories.map((c) => `${c} ${targets[c]}`).join(', ')}`);
	console.log(line(head));
	for (const r of rows) {
		const note = r.fails.length ? '  ✗' : categories.some((c) => r[c] < targets[c]) ? `  (allowed: ${r.allowed.join(', ')})` : '';
		console.log(line(head.map((h) => r[h])) + note);
	}
} catch (err) {
	failed = true;
	console.error(err.message ?? err);
} finally {
	if (chrome) chrome.kill();
	if (heder) heder.child.kill('SIGINT');
}
process.exitCode = failed ? 1 : 0;
