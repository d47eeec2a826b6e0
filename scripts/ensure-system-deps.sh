#!/usr/bin/env bash
# Installs the Debian packages Sealpost's tests and `npm start` need, if any are missing:
# Thunderbird (the product's host and the E2E target), Xvfb + xauth (a display for headed runs),
# Chromium (the recipient's reader in tests), GnuPG (interop checks), fonts for screenshots,
# PostgreSQL (the server tests start a throw-away cluster from its binaries), dovecot's IMAP
# server (the drafts test runs one on loopback to see what a draft leaves on a mail server),
# OpenStack Swift's Python package (the payload-store tests run it on loopback as their S3 server).
# Idempotent and quick when everything is present (a few dpkg-query calls, ~0.2 s). As root it runs
# apt-get itself; otherwise it prints the exact command and fails.
# Set SEALPOST_SKIP_SYSTEM_DEPS=1 to skip the check (e.g. on a machine managed another way).
set -euo pipefail

if [[ "${SEALPOST_SKIP_SYSTEM_DEPS:-}" == 1 ]]; then
  exit 0
fi

packages=(thunderbird xvfb xauth chromium gnupg fonts-dejavu-core postgresql dovecot-imapd python3-swift)

if ! command -v dpkg-query >/dev/null 2>&1; then
  # Not Debian-like: check for the programs and say what is missing.
  missing_programs=()
  for program in thunderbird Xvfb chromium gpg dovecot; do
    command -v "$program" >/dev/null 2>&1 || missing_programs+=("$program")
  done
  if ((${#missing_programs[@]} > 0)); then
    echo "ensure-system-deps: missing programs: ${missing_programs[*]}" >&2
    echo "ensure-system-deps: install them with your package manager (Debian: ${packages[*]})." >&2
    exit 1
  fi
  exit 0
fi

missing=()
while read -r package status; do
  [[ "$status" == installed ]] || missing+=("$package")
done < <(
  for package in "${packages[@]}"; do
    printf '%s %s\n' "$package" \
      "$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null || echo absent)"
  done
)

if ((${#missing[@]} == 0)); then
  exit 0
fi

command_line="apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${missing[*]}"
if [[ "$(id -u)" != 0 ]]; then
  echo "ensure-system-deps: missing Debian packages: ${missing[*]}" >&2
  echo "ensure-system-deps: run as root:  sudo sh -c '$command_line'" >&2
  exit 1
fi

echo "ensure-system-deps: installing ${missing[*]} (about a minute)"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${missing[@]}" >/dev/null
echo "ensure-system-deps: done"
