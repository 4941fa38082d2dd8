#!/usr/bin/env bash
# install-test-deps.sh: make sure this Debian machine has what the end-to-end
# tests (client/e2e) need, and install what is missing.
#
# Idempotent and quiet when everything is present. As root it runs
# `apt-get update` once and installs the missing packages; otherwise it prints
# the one command to run and exits 1.
#
# Why each package (the native client is Ebiten v2.10.4, which loads X11 and GL
# with dlopen through purego, no cgo; see internal/glfw/x11_init_linbsd.go,
# glx_context_linbsd.go and graphicsdriver/opengl/gl/procaddr_linbsd.go):
#   xvfb, xauth          Xvfb and xvfb-run (xvfb-run calls xauth, only a Recommends)
#   libx11-6             libX11.so.6: required, Ebiten fails without it
#   libxrandr2 libxi6 libxcursor1 libxinerama1 libxrender1 libxext6
#                        optional X extensions GLFW dlopens (monitors, raw input,
#                        cursors, transparency, shape); loaded when present
#   libgl1 libglx-mesa0  libGL.so.1 / libGLX.so.0 (glvnd) and Mesa's GLX vendor
#   libgles2 libegl1     libGLESv2.so.2 (Ebiten tries GLES first) and EGL
#   libgl1-mesa-dri      Mesa's software rasterizer (llvmpipe) for Xvfb
#   chromium             the browser test's headless browser (/usr/bin/chromium)
#   fonts-dejavu-core    a font for the page's text in the browser screenshots
# Sound needs no package here: the client checks for PulseAudio or an ALSA
# device (libasound.so.2, dlopened) before it starts Ebiten's audio, and plays
# silently without one, as under Xvfb with no sound card (client/sound).
# libxxf86vm1 is not needed by Ebiten itself (GLFW no longer uses XF86VidMode);
# Mesa's GLX pulls it in as a dependency anyway.
set -euo pipefail

packages=(
	xvfb xauth
	libx11-6 libxrandr2 libxi6 libxcursor1 libxinerama1 libxrender1 libxext6
	libgl1 libglx-mesa0 libgles2 libegl1 libgl1-mesa-dri
	chromium
	fonts-dejavu-core
)

missing=()
for p in "${packages[@]}"; do
	status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	if [[ $status != "install ok installed" ]]; then
		missing+=("$p")
	fi
done

if ((${#missing[@]} == 0)); then
	exit 0
fi
if ((EUID != 0)); then
	echo "install-test-deps: missing Debian packages: ${missing[*]}" >&2
	echo "install-test-deps: run as root: apt-get update && apt-get install -y --no-install-recommends ${missing[*]}" >&2
	exit 1
fi

echo "install-test-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
# Wait for another apt/dpkg (an unattended upgrade, a parallel job) instead of
# failing on its lock.
lock=(-o DPkg::Lock::Timeout=300)
apt-get "${lock[@]}" update -q
apt-get "${lock[@]}" install -y -q --no-install-recommends "${missing[@]}"
