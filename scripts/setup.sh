# Shared set-up for scripts/start and scripts/test: Debian packages, the virtualenv, Python packages.
# Safe to run again: every step checks first and does nothing when its work is already done.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"

# Debian packages WeasyPrint needs to render Chinese documents quickly (HarfBuzz subsetting) and the fonts.
RUNTIME_DEBS=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig fonts-noto-cjk)
# Extra packages for the test suite: the browser Playwright drives and the PDF-to-image tools.
TEST_DEBS=(chromium poppler-utils)

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

ensure_debs() {
    local missing=()
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    python3 -c "import ensurepip, venv" 2>/dev/null || missing+=(python3-venv)
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
    if [ ! -x "$VENV/bin/python" ]; then
        say "Creating the virtualenv in .venv"
        python3 -m venv "$VENV"
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
