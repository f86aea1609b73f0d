#!/bin/sh
# render-device.sh LAVA_SERVER_DEVICE_TYPES_DIR [OUT]: render the device
# dictionary qemu-irqfd-rig.jinja2 with lava-server's device-type templates
# (qemu.jinja2, base.jinja2) into the device YAML lava-run needs
# (default: qemu-irqfd-rig.yaml beside this script).
# The templates ship in Debian's lava-server package; they can be had without
# installing the server:
#   apt-get download lava-server && dpkg-deb -x lava-server_*.deb x
#   scripts/workflows/lava/render-device.sh x/usr/share/lava-server/device-types
set -eu
here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
templates=${1:?usage: render-device.sh LAVA_SERVER_DEVICE_TYPES_DIR [OUT]}
out=${2:-$here/qemu-irqfd-rig.yaml}
[ -f "$templates/qemu.jinja2" ] || { echo "render-device.sh: no qemu.jinja2 in $templates" >&2; exit 2; }
version=$(dpkg-query -W -f='${Version}' lava-server 2>/dev/null || true)
{
	echo "# The rig's local QEMU device for lava-run, rendered by scripts/workflows/lava/render-device.sh"
	echo "# from the device dictionary scripts/workflows/lava/qemu-irqfd-rig.jinja2 with lava-server's"
	echo "# qemu.jinja2 device-type template (Debian lava-server ${version:-2023.01-2}). Do not edit:"
	echo "# change the dictionary and render again."
	/usr/bin/python3 - "$here" "$templates" <<'PY'
import sys
import jinja2
import yaml
env = jinja2.Environment(loader=jinja2.FileSystemLoader([sys.argv[1], sys.argv[2]]),
                         trim_blocks=True, autoescape=False)
text = env.get_template("qemu-irqfd-rig.jinja2").render()
yaml.safe_load(text)  # a template error must not give a broken device
print(text)
PY
} >"$out.tmp"
mv "$out.tmp" "$out"
echo "render-device.sh: wrote $out"
