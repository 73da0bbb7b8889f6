#!/bin/sh
# Install Debian's chromium for the browser tests, where this machine allows it.
# Playwright drives it through executable_path; no tool downloads a browser.
set -u
if [ -x /usr/bin/chromium ]; then
    exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian's chromium for the browser tests (apt-get)..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null \
        && exit 0
    echo "apt-get could not install chromium; browser tests will be skipped (or fail under CI)."
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian's chromium for the browser tests (sudo apt-get)..."
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null \
        && exit 0
    echo "apt-get could not install chromium; browser tests will be skipped (or fail under CI)."
else
    echo "No /usr/bin/chromium and no way to install it here (need root or sudo, and apt-get)."
    echo "Browser tests will be skipped. Install Debian's 'chromium' package to run them."
fi
exit 0
