#!/usr/bin/env bash
# Makes sure the Debian packages in scripts/system-packages.txt are installed: installs the
# missing ones when it can (root with apt-get), otherwise stops at once with one line that says
# exactly what to install. Used by `make test` and `.ci/run`.
set -euo pipefail
list="${SYSTEM_PACKAGES_FILE:-$(dirname "$0")/system-packages.txt}"

missing=()
while read -r package alternative _; do
  [[ -z "$package" || "$package" == \#* ]] && continue
  # "cmd:npm": a command of that name on the PATH will do (Node.js from NodeSource bundles npm
  # and conflicts with Debian's npm package, so apt-get would refuse it).
  if [[ "$alternative" == cmd:* ]] && command -v "${alternative#cmd:}" >/dev/null; then
    continue
  fi
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done < "$list"
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
  echo "installing Debian packages: ${missing[*]}" >&2
  if apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
      apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; then
    exit 0
  fi
fi
echo "Missing Debian packages; install them with: sudo apt-get install ${missing[*]}" >&2
exit 1
