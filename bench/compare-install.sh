#!/bin/sh
# Installs, as root, the servers bench/compare.py measures facteur against:
# Dovecot (IMAP, POP3) and Postfix (SMTP), from Debian's packages. Postfix is
# preseeded as "Local only" so that debconf asks nothing. Services are not
# started by the packages: bench/compare.py starts its own instances on
# loopback ports and stops them at the end.
set -eu
PKGS="dovecot-imapd dovecot-pop3d postfix"
missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
	echo "bench/compare-install.sh must run as root (it installs:$missing)." >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
echo "postfix postfix/main_mailer_type select Local only" | debconf-set-selections
echo "postfix postfix/mailname string bench.example.org" | debconf-set-selections
# The packages must not start their services on the standard ports: a
# policy-rc.d that refuses is put in place for the install when none exists.
placed=""
if [ ! -e /usr/sbin/policy-rc.d ]; then
	printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
	chmod 755 /usr/sbin/policy-rc.d
	placed=yes
fi
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing
[ -n "$placed" ] && rm -f /usr/sbin/policy-rc.d
# Stop anything a package started anyway (systemd without policy-rc.d).
for s in dovecot postfix; do
	if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet "$s" 2>/dev/null; then
		systemctl stop "$s" || true
	fi
done
exit 0
