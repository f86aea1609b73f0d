#!/bin/sh
# Installs the Debian packages the rig needs. Idempotent: packages already
# present are left alone and apt is not even asked.
# Never with recommends: lava-dispatcher's would pull about 310 packages,
# a kernel image and a systemd upgrade among them (lava-run needs none).
# python3-jsonschema is for kcidb-io (../shared/vendor), which validates
# the KCIDB export.
set -eu

packages="cmake g++ make libgtest-dev file git xz-utils flex bison bc libelf-dev libssl-dev cpio
	qemu-system-x86 busybox-static ccache procps jq tmux
	git-email libmailtools-perl b4
	nlohmann-json3-dev python3-jsonschema lava-dispatcher"

missing=""
for p in $packages; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
if [ -z "$missing" ]; then
	echo "deps: all present ($packages)"
	exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1; then
		SUDO=sudo
	else
		echo "deps: missing:$missing; run 'make deps' as root" >&2
		exit 1
	fi
else
	SUDO=
fi
echo "deps: installing:$missing"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
