#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages virgl4j needs to build, test and run its demo.
# Idempotent: only missing packages are installed. As non-root, prints the apt-get line instead.
#
#   native/install-deps.sh            build + tests + demo (default)
#   native/install-deps.sh --runtime  only what running the library needs
#   native/install-deps.sh --build    what building it needs (no test clients; the Dockerfile)
#   native/install-deps.sh --print    print the apt-get line, install nothing
#   native/install-deps.sh --check    exit 1 (and print the line) if anything is missing
set -euo pipefail

# libepoxy dlopens libEGL.so.1 (libegl1, glvnd) and then libOpenGL.so.0 / libGLESv2.so.2; none is
# a package dependency, so a clean image lacks them ("Couldn't open libEGL.so.1", then abort).
RUNTIME=(libvirglrenderer1 libegl1 libegl-mesa0 libopengl0 libgles2 libgl1-mesa-dri libgbm1 libepoxy0)
BUILD=(openjdk-17-jdk-headless maven g++ pkg-config libvirglrenderer-dev libepoxy-dev libgbm-dev binutils)
# Real Mesa clients for the vtest tests and benchmarks: virpipe lives in libgl1-mesa-dri.
TEST=(virgl-server mesa-utils xvfb glmark2-x11 glmark2-es2-x11 util-linux libgl-dev libx11-dev)

mode=all
case "${1:-}" in
  --runtime) mode=runtime ;;
  --build) mode=build ;;
  --print) mode=print ;;
  --check) mode=check ;;
  ""|--all) ;;
  *) echo "usage: $0 [--runtime|--build|--print|--check]" >&2; exit 2 ;;
esac

packages=("${RUNTIME[@]}")
case "$mode" in
  runtime) ;;
  build) packages+=("${BUILD[@]}") ;;
  *) packages+=("${BUILD[@]}" "${TEST[@]}") ;;
esac

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [ "$status" = "install ok installed" ] || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  [ "$mode" = print ] && echo "# all packages present"
  exit 0
fi

line="apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$mode" = print ] || [ "$mode" = check ]; then
  echo "apt-get update && $line"
  [ "$mode" = check ] && exit 1
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "virgl4j needs these packages; as root run:" >&2
  echo "  apt-get update && $line" >&2
  exit 1
fi
echo "installing: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends "${missing[@]}"
