#!/bin/sh
# Install the Debian packages the tests use, where this machine allows it:
#   chromium            browser tests (Playwright drives it; no tool downloads a browser)
#   postgresql          the gradebook tests against a real PostgreSQL server
#   npm                 JupyterHub's proxy for the cohort hub test (make hub-proxy)
# Nothing is installed where it is already present. Without root or sudo and apt-get,
# the tests that need a package skip with a message saying which package to install.
set -u
missing=""
[ -x /usr/bin/chromium ] || missing="$missing chromium"
ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || missing="$missing postgresql"
command -v npm >/dev/null 2>&1 || missing="$missing npm"
if [ -z "$missing" ]; then
    exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    as_root=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null && command -v apt-get >/dev/null 2>&1; then
    as_root="sudo"
else
    echo "Missing Debian packages:$missing, and no way to install them here (need root or"
    echo "sudo, and apt-get). The tests that need them will be skipped."
    exit 0
fi
echo "Installing Debian packages for the tests:$missing (apt-get)..."
$as_root apt-get update -qq \
    && $as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null \
    && exit 0
echo "apt-get could not install$missing; the tests that need them will be skipped (or fail under CI)."
exit 0
