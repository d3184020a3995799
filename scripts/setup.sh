# Shared set-up for scripts/start and scripts/test: Debian packages, the virtualenv, Python packages.
# Safe to run again: every step checks first and does nothing when its work is already done.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"

# Debian packages WeasyPrint needs to render Chinese documents quickly (HarfBuzz subsetting) and the fonts;
# Graphviz lays out the procedure's state diagram; Tesseract with its Simplified Chinese model reads scanned
# materials (OCR), and poppler-utils reads PDFs' own text and rasterises their scanned pages for it.
RUNTIME_DEBS=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig fonts-noto-cjk graphviz
              tesseract-ocr tesseract-ocr-chi-sim poppler-utils)
# Extra packages for the test suite: the browser Playwright drives and the PDF-to-image tools.
TEST_DEBS=(chromium poppler-utils redis-server)

# The interpreter for the virtualenv: $PYTHON if set, else Debian's own Python 3 when it is 3.11 or newer (built
# with profile-guided and link-time optimisation, as the Docker image's is: WeasyPrint renders a document about a
# third faster than under a plain source build such as pyenv's), else the first python3 on PATH.
is_python311() { "$1" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; }
pick_python() {
    if [ -n "${PYTHON:-}" ]; then echo "$PYTHON"; return; fi
    if [ -x /usr/bin/python3 ] && is_python311 /usr/bin/python3; then
        echo /usr/bin/python3
    else
        echo python3
    fi
}
BASE_PYTHON="$(pick_python)"

# The address letters print in their verification links and QR codes when PUBLIC_BASE_URL is not set: the host and
# port the app is started on (a wildcard host is reached on the loopback address).
public_base_url() {
    if [ -n "${PUBLIC_BASE_URL:-}" ]; then echo "$PUBLIC_BASE_URL"; return; fi
    local host="$1" port="$2"
    case "$host" in 0.0.0.0 | "::" | "[::]" | "") host=127.0.0.1 ;; esac
    case "$host" in *:*) case "$host" in \[*) ;; *) host="[$host]" ;; esac ;; esac
    echo "http://$host:$port"
}

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

ensure_debs() {
    local missing=()
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    "$BASE_PYTHON" -c "import ensurepip, venv" 2>/dev/null || missing+=(python3-venv)
    [ ${#missing[@]} -eq 0 ] && return 0
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1; then
            sudo="sudo"
        else
            echo "These Debian packages are missing: ${missing[*]}" >&2
            echo "You are not root and sudo is not available. Ask an administrator to run:" >&2
            echo "    apt-get update && apt-get install -y ${missing[*]}" >&2
            exit 1
        fi
    fi
    say "Installing Debian packages (${missing[*]})${sudo:+ with sudo}"
    $sudo apt-get update -q
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q "${missing[@]}"
}

ensure_venv() {
    local extras="$1"
    is_python311 "$BASE_PYTHON" || {
        echo "Python 3.11 or newer is needed ($BASE_PYTHON: $("$BASE_PYTHON" -V 2>/dev/null || echo not runnable)); set PYTHON to one." >&2
        exit 1
    }
    local base
    base="$("$BASE_PYTHON" -c 'import os, sys; print(os.path.realpath(sys.executable))')"
    if [ -x "$VENV/bin/python" ] && [ "$(cat "$VENV/.base-python" 2>/dev/null)" != "$base" ]; then
        say "Re-creating the virtualenv for $base"
        rm -rf "$VENV"
    fi
    if [ ! -x "$VENV/bin/python" ]; then
        say "Creating the virtualenv in .venv ($base)"
        "$BASE_PYTHON" -m venv "$VENV"
        echo "$base" > "$VENV/.base-python"
    fi
    local stamp="$VENV/.installed-$extras"
    local want
    want="$(sha256sum "$ROOT/pyproject.toml" | cut -d' ' -f1)"
    if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
        say "Installing Python packages ($extras)"
        "$VENV/bin/python" -m pip install -q --upgrade pip
        "$VENV/bin/python" -m pip install -q -e "$ROOT[$extras]"
        echo "$want" > "$stamp"
    fi
}
