// Finds a Chrome or Chromium to run SecureVault in: $CHROME_PATH first, then the usual install
// locations on Linux, macOS and Windows. Never downloads a browser.
import { existsSync } from 'node:fs';
import path from 'node:path';

const CANDIDATES = {
  linux: [
    '/usr/bin/chromium',
    '/usr/lib/chromium/chromium',
    '/usr/bin/chromium-browser',
    '/snap/bin/chromium',
    '/usr/bin/google-chrome-stable',
    '/usr/bin/google-chrome',
    '/opt/google/chrome/chrome',
  ],
  darwin: [
    '/Applications/Chromium.app/Contents/MacOS/Chromium',
    '/Applications/Google Chrome for Testing.app/Contents/MacOS/Google Chrome for Testing',
    '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  ],
  win32: [
    path.join(process.env.LOCALAPPDATA ?? '', 'Chromium', 'Application', 'chrome.exe'),
    path.join(process.env.PROGRAMFILES ?? 'C:\\Program Files', 'Chromium', 'Application', 'chrome.exe'),
    path.join(process.env.PROGRAMFILES ?? 'C:\\Program Files', 'Google', 'Chrome', 'Application', 'chrome.exe'),
    path.join(process.env['PROGRAMFILES(X86)'] ?? 'C:\\Program Files (x86)', 'Google', 'Chrome', 'Application', 'chrome.exe'),
  ],
};

/**
 * Branded Google Chrome 137+ ignores --load-extension; Chromium and Chrome for Testing honour it.
 * @param {string} executable
 */
export function isBrandedChrome(executable) {
  return /google[- ]chrome|[\\/]google[\\/]chrome[\\/]/i.test(executable) && !/for testing/i.test(executable);
}

/** @returns {{ path: string, branded: boolean, source: string } | null} */
export function findChrome() {
  const fromEnv = process.env.CHROME_PATH;
  if (fromEnv) {
    if (existsSync(fromEnv)) return { path: fromEnv, branded: isBrandedChrome(fromEnv), source: 'CHROME_PATH' };
    console.warn(`CHROME_PATH is set to ${fromEnv}, but no file is there; looking in the usual places.`);
  }
  for (const candidate of CANDIDATES[process.platform] ?? []) {
    if (candidate && existsSync(candidate)) return { path: candidate, branded: isBrandedChrome(candidate), source: 'install location' };
  }
  return null;
}

export const INSTALL_HINT = `No Chrome or Chromium was found.
  Debian/Ubuntu:  sudo apt-get install chromium
  Fedora:         sudo dnf install chromium
  macOS:          install Chromium or Google Chrome in /Applications
  Windows:        install Google Chrome or Chromium
  Or point CHROME_PATH at a Chrome/Chromium executable.`;
