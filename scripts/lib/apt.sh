# Installs Debian packages that are missing (sourced by scripts that need root tools):
#   apt_install PACKAGE…
# A fresh machine may have no package lists yet: they are fetched first when a package is unknown.
apt_install() {
    [ $# -gt 0 ] || return 0
    echo "installing $*" >&2
    export DEBIAN_FRONTEND=noninteractive
    local sudo=
    [ "$(id -u)" = 0 ] || sudo=sudo
    if ! $sudo apt-get install -y -qq "$@" >&2 2>/dev/null; then
        $sudo apt-get update -qq >&2
        $sudo apt-get install -y -qq "$@" >&2
    fi
}
