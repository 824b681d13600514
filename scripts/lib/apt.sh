# Installs Debian packages that are missing (sourced by scripts that need root tools):
#   apt_install PACKAGE…
# A fresh machine may have no package lists yet: they are fetched first when a package is unknown.
apt_install() {
    [ $# -gt 0 ] || return 0
    echo "installing $*" >&2
    export DEBIAN_FRONTEND=noninteractive
    if ! apt-get install -y -qq "$@" >&2 2>/dev/null; then
        apt-get update -qq >&2
        apt-get install -y -qq "$@" >&2
    fi
}
