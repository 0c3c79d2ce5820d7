// Puppeteer's own browser download cannot reach its host on our machines, and Debian's Chromium is what we test
// against. Skip the download when a system browser exists, or when scripts/install-browser.js will install Debian's
// packages (root on Debian/Ubuntu); elsewhere puppeteer downloads its own browser as usual.
const fs = require('node:fs');

const systemBrowsers = [process.env.PUPPETEER_EXECUTABLE_PATH, '/usr/bin/chromium-headless-shell', '/usr/bin/chromium'];
const hasSystemBrowser = systemBrowsers.some((path) => path && fs.existsSync(path));
const willInstallDebianBrowser =
  process.platform === 'linux' && process.getuid?.() === 0 && fs.existsSync('/usr/bin/apt-get');

module.exports = {
  skipDownload: hasSystemBrowser || willInstallDebianBrowser,
};
