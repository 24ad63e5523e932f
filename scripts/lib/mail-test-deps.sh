#!/usr/bin/env bash
# Installs what crates/mail's server tests need on a fresh Debian machine (run as root):
# dovecot (IMAP + POP3), openssl (test certificates) and aiosmtpd (SMTP sink, from PyPI).
# Idempotent and quiet: installs only what is missing; exits non-zero on failure.
set -euo pipefail

need_apt=()
[ -x /usr/sbin/dovecot ] && dpkg -s dovecot-imapd >/dev/null 2>&1 || need_apt+=(dovecot-imapd)
dpkg -s dovecot-pop3d >/dev/null 2>&1 || need_apt+=(dovecot-pop3d)
command -v openssl >/dev/null 2>&1 || need_apt+=(openssl)

if [ "${#need_apt[@]}" -gt 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    # The packages try to start the system dovecot; the tests start their own instances.
    apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
    # Do not leave a system-wide dovecot listening on the standard ports.
    if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet dovecot 2>/dev/null; then
        systemctl stop dovecot >/dev/null 2>&1 || true
    fi
fi

if ! python3 -c 'import aiosmtpd' >/dev/null 2>&1; then
    python3 -m pip install --quiet --disable-pip-version-check aiosmtpd >/dev/null
    python3 -c 'import aiosmtpd' >/dev/null
fi
