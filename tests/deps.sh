#!/bin/sh
# make deps (tools/deps.sh): with everything installed it says nothing and
# touches nothing; a normal user who lacks a package gets the one
# "sudo apt-get install …" line and a failure. Prints TAP.
n=0
fail=0
ok() { n=$((n + 1)); if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=1; fi; }
top=${FACTEUR_TOP:?}
out=$(sh "$top/tools/deps.sh" 2>&1)
rc=$?
[ $rc -eq 0 ] && [ -z "$out" ]
ok $? "everything installed: deps is silent and succeeds (a second run does not touch apt)"

as_user() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u nobody -- "$@"
	else
		"$@"
	fi
}
# A copy anyone can read: the clone may sit in a directory only root enters.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp"
cp "$top/tools/deps.sh" "$tmp/deps.sh"
chmod 755 "$tmp/deps.sh"
out=$(cd "$tmp" && as_user sh "$tmp/deps.sh" facteur-no-such-package 2>&1)
rc=$?
[ $rc -ne 0 ]
ok $? "a normal user missing a package: deps fails"
[ "$(printf '%s\n' "$out" | grep -c 'sudo apt-get install')" -eq 1 ] &&
	printf '%s\n' "$out" | grep -q 'sudo apt-get install -y facteur-no-such-package$'
ok $? "…and prints the one sudo apt-get install line naming only what is missing"
echo "1..$n"
exit $fail
