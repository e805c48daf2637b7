#!/usr/bin/env python3
"""The web UI in a real browser: starts `innolink serve` with the bundled
web root on the demo data, adds an enterprise and a city operator, and runs
tests/e2e/browser/walk.mjs (playwright-core driving Debian's chromium,
headless), with records placed on chain links and a deal to move.
Screenshots are kept under the build tree, in
tests/screenshots.  `make test` installs chromium and the node modules
(npm ci); without them this test is skipped and says why.  Output is TAP.
"""
import os
import shutil
import subprocess
import sys

from httptest import INNOLINK, SRCDIR, Server, add_user, cli, run_tap

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
WEB = os.path.join(SRCDIR, "..", "web")
DRIVER = os.path.join(SRCDIR, "e2e", "browser")
MISSING = [what for what, path in (
    ("chromium", CHROMIUM), ("node", shutil.which("node") or ""),
    ("web/node_modules (npm ci in web)", os.path.join(WEB, "node_modules", "echarts")),
    ("tests/e2e/browser/node_modules (npm ci there)",
     os.path.join(DRIVER, "node_modules", "playwright-core"))) if not os.path.exists(path)]


def main():
    if MISSING:
        print("1..0 # SKIP missing: " + ", ".join(MISSING))
        return 0
    shots = os.path.join(os.path.dirname(os.path.abspath(INNOLINK)), "tests", "screenshots")
    os.makedirs(shots, exist_ok=True)

    def body(workdir, tap):
        db = os.path.join(workdir, "browser.db")
        cli("init", "--demo", "--db", db)
        cli("deal", "new", "--id", "DEA-WEB-1", "--title", "柱塞涂层技术许可", "--type", "licence",
            "--licence", "exclusive", "--buyer", "CO-002962", "--seller", "UNI-4142010489",
            "--amount", "120", "--db", db)
        add_user(db, "qiye", "enterprise", org="CO-002962")
        add_user(db, "jingzhou", "city_operator", region="4210")
        s = Server(workdir, db, "--web", WEB)
        try:
            env = dict(os.environ, BASE="http://127.0.0.1:%d" % s.port, SHOTS=shots,
                       CHROMIUM=CHROMIUM, ENTERPRISE="qiye", CITY="jingzhou",
                       PASSWORD="password-1234", CHAIN="CHN-JZ-PETROMACH",
                       REGION="4210", DEAL="DEA-WEB-1")
            p = subprocess.run(["node", "walk.mjs"], cwd=DRIVER, env=env, capture_output=True,
                               text=True, timeout=300)
            for line in p.stdout.splitlines():
                if line.startswith("ok ") or line.startswith("not ok "):
                    ok = line.startswith("ok ")
                    tap.report(ok, line.split(" - ", 1)[1] if " - " in line else line)
                elif line.startswith("#") and tap.n:
                    print(line, flush=True)
            if p.returncode != 0 and tap.failed == 0:
                tap.report(False, "browser run", p.stderr[-2000:] + p.stdout[-1000:])
        finally:
            s.stop()
    return run_tap("browser-", body)


if __name__ == "__main__":
    sys.exit(main())
