#!/usr/bin/env node
// postinstall: make sure a Chromium for PDF packs and browser tests exists, plus poppler-utils for reading PDFs back.
// Puppeteer cannot download its own browser on our machines, so on Debian/Ubuntu as root we install Debian's
// packages; anywhere else we print exactly what to install. WORKBENCH_SKIP_BROWSER_INSTALL=1 skips this step.
const { execFileSync, spawnSync } = require('node:child_process');
const fs = require('node:fs');

const PACKAGES = ['chromium', 'chromium-headless-shell', 'fonts-liberation', 'poppler-utils'];

function found() {
  const candidates = [process.env.PUPPETEER_EXECUTABLE_PATH, '/usr/bin/chromium-headless-shell', '/usr/bin/chromium'];
  for (const path of candidates) if (path && fs.existsSync(path)) return path;
  try {
    const downloaded = require('puppeteer').executablePath();
    if (downloaded && fs.existsSync(downloaded)) return downloaded;
  } catch {
    // no puppeteer browser either
  }
  return null;
}

const hasPoppler = () => spawnSync('pdftotext', ['-v']).status === 0;

function main() {
  if (process.env.WORKBENCH_SKIP_BROWSER_INSTALL === '1') return;
  const browser = found();
  if (browser && hasPoppler()) {
    console.log(`workbench: using Chromium at ${browser}`);
    return;
  }
  const debian = fs.existsSync('/etc/debian_version') && fs.existsSync('/usr/bin/apt-get');
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  const missing = browser ? ['poppler-utils'] : PACKAGES;
  if (debian && root) {
    console.log(`workbench: installing Debian packages ${missing.join(' ')} (one-time, a few minutes)...`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { stdio: 'inherit', env });
    console.log(`workbench: Chromium at ${found()}`);
    return;
  }
  console.warn(
    [
      'workbench: no Chromium (or no pdftotext) found. PDF evidence packs and the browser tests need them. Install:',
      '  Debian/Ubuntu: sudo apt-get install chromium chromium-headless-shell fonts-liberation poppler-utils',
      '  elsewhere:     any Chromium or Chrome, then export PUPPETEER_EXECUTABLE_PATH=/path/to/chrome, and poppler',
    ].join('\n'),
  );
}

main();
