// Puppeteer (bundled by whatsapp-web.js) must not download its own Chrome: Dalil uses Debian's Chromium.
module.exports = { skipDownload: true };
