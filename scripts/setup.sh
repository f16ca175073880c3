# Shared set-up for scripts/run-app and scripts/run-tests (sourced, not run).
# Installs the Debian packages the app (and, for tests, LibreOffice) needs, then a virtual
# environment in .venv with the project installed from pyproject.toml.  Safe to repeat: it
# installs only what is missing.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${TRACKER_VENV:-$ROOT/.venv}"
PYTHON="${PYTHON:-python3}"

# Qt's xcb/offscreen platforms need these on a bare Debian/Ubuntu.
QT_PACKAGES="libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 fonts-dejavu-core libdbus-1-3 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-xinerama0 libxcb-randr0 libxcb-render-util0 libxcb-image0"
# Real-client tests: LibreOffice opens what we write; pdftotext reads its PDFs; Gnumeric's ssconvert
# re-saves exchange workbooks.  The file-dialog tests run GTK's native dialog on a real X server (xvfb,
# libgtk-3-0, shared-mime-info) and the network-drive test mounts a folder through sshfs over
# loopback (openssh-server, sshfs).
TEST_PACKAGES="libreoffice-calc-nogui poppler-utils gnumeric xvfb libgtk-3-0 shared-mime-info openssh-server openssh-client sshfs"
# The domain tests also run against a real PostgreSQL server (the shared-server set-up).
PG_PACKAGES="postgresql"

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

install_debian_packages() {
    command -v dpkg-query >/dev/null 2>&1 || { echo "Not a Debian/Ubuntu system: install the Qt libraries yourself." >&2; return 0; }
    local missing=()
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    if ! "$PYTHON" -c "import venv, ensurepip" >/dev/null 2>&1; then missing+=(python3-venv); fi
    if [ ${#missing[@]} -gt 0 ]; then
        echo "Installing system packages: ${missing[*]}"
        as_root apt-get update -qq
        DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    fi
}

make_venv() {  # make_venv DIR EXTRAS
    local dir="$1" extras="$2"
    [ -x "$dir/bin/python" ] || "$PYTHON" -m venv "$dir"
    "$dir/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip
    "$dir/bin/python" -m pip install -q --disable-pip-version-check -e "$ROOT$extras"
}

start_test_postgres() {  # start the local PostgreSQL cluster; export a wipeable test database URL
    command -v pg_lsclusters >/dev/null 2>&1 || { echo "PostgreSQL is not installed: its tests will not run." >&2; return 0; }
    local ver name port status
    read -r ver name port status _ < <(pg_lsclusters --no-header | head -n 1)
    [ -n "$ver" ] || { echo "No PostgreSQL cluster found: its tests will not run." >&2; return 0; }
    [ "$status" = online ] || as_root pg_ctlcluster "$ver" "$name" start
    local psql=(as_root runuser -u postgres -- psql -p "$port" -qtA)
    "${psql[@]}" -c "select 1 from pg_roles where rolname = 'tracker_test'" | grep -q 1 \
        || "${psql[@]}" -c "create role tracker_test login password 'tracker_test'"
    "${psql[@]}" -c "select 1 from pg_database where datname = 'tracker_test'" | grep -q 1 \
        || "${psql[@]}" -c "create database tracker_test owner tracker_test"
    export TRACKER_TEST_POSTGRES="postgresql://tracker_test:tracker_test@127.0.0.1:$port/tracker_test"
}
