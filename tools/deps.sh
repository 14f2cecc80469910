#!/bin/sh
# Installs the Debian 12 packages facteur needs to build and test.
# As root: installs only what is missing (a second run does not touch apt).
# As a normal user: prints the one command to run, and fails.
set -eu
PKGS="build-essential pkg-config libglib2.0-dev libgmime-3.0-dev libpcap-dev
libncurses-dev libjson-glib-dev gettext curl python3 tmux mutt"
[ $# -gt 0 ] && PKGS="$PKGS $*"
missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -eq 0 ]; then
	echo "facteur: installing Debian packages:$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing
else
	echo "facteur needs these Debian packages. Run this once, then try again:"
	echo "  sudo apt-get install -y$missing"
	exit 1
fi
