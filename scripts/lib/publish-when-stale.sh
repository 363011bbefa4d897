# Sourced by scripts/publish-host and scripts/lazyaf: a .NET program published once into a folder and published again only when
# one of its sources is newer than the published binary, so a start runs precompiled code instead of building first.
#   publish_when_stale OUT BIN PUBLISH SOURCE...
# OUT: the folder (published into OUT.new, then swapped in whole); BIN: the file in OUT whose time is compared with the
# sources (obj/ and bin/ under them are skipped); PUBLISH: a command called with the folder to publish into.

# The .NET runtime identifier of this machine (a Raspberry Pi's 64-bit OS is linux-arm64, its 32-bit one linux-arm).
this_rid() {
  case "$(uname -m)" in
    aarch64 | arm64) echo linux-arm64 ;;
    armv7l | armv6l) echo linux-arm ;;
    *) echo linux-x64 ;;
  esac
}

# True when BIN is missing or a file under one of the SOURCEs is newer than it.
is_stale() { # BIN SOURCE...
  local bin=$1
  shift
  [[ ! -e "$bin" ]] && return 0
  [[ -n "$(find "$@" \( -path '*/obj' -o -path '*/bin' \) -prune -o -type f -newer "$bin" -print -quit 2>/dev/null)" ]]
}

publish_when_stale() { # OUT BIN PUBLISH SOURCE...
  local out=$1 bin=$2 publish=$3
  shift 3
  is_stale "$bin" "$@" || return 0
  mkdir -p "$(dirname "$out")"
  # One publish at a time; a second caller waits for it and then finds the binary fresh.
  exec 9>"$out.lock"
  flock 9
  if is_stale "$bin" "$@"; then
    rm -rf "$out.new"
    touch "$out.stamp"
    "$publish" "$out.new"
    rm -rf "$out"
    mv "$out.new" "$out"
    # The binary takes the time the publish began, so a source saved during it makes it stale again.
    touch -r "$out.stamp" "$bin"
  fi
  exec 9>&-
}
