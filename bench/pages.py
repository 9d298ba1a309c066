"""Page-load benchmark: the search, case and dashboard pages, loaded cold (an empty browser
cache) and warm (the same browser again), as headless Chromium sees them: the time to the
load event and the bytes that crossed the wire. Measured twice in one run, on the same
demo casebook: "before", assets as development serves them (from the finders, uncompressed,
revalidated each time), and "after", as production serves them (collected, fingerprinted,
compressed, cached for a year by WhiteNoise). The figures are given beside each other with
the ratio after/before, since this machine is shared and its absolute times are noisy.

    .venv/bin/python bench/pages.py            # five loads of each page, each way
    .venv/bin/python bench/pages.py --loads 10

It makes its own SQLite database and search index under /tmp/casebook-bench-pages, loads
the demo casebook there, and runs `manage.py runserver` on a free port for each mode.
"""

import argparse
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = Path("/tmp/casebook-bench-pages")
CHROMIUM = "/usr/bin/chromium"
PASSWORD = "casebook-demo"  # the demo users' published password (demo/README)
# Targets: a cold load's assets shrink (compressed), a warm load fetches none again (cached
# for a year under fingerprinted names, so not even revalidated).
TARGET_COLD_BYTES_RATIO = 0.6


def environment(mode: str) -> dict:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{WORK / 'db.sqlite3'}",
        "SEARCH_INDEX_DIR": str(WORK / "index"),
        "SEMANTIC_SEARCH": "false",  # no encoder runs here: the pages' own work is measured
        "ALLOWED_HOSTS": "localhost",
    }
    env.pop("REDIS_URL", None)
    if mode == "after":
        secret = WORK / "secret_key"
        if not secret.exists():
            secret.write_text(secrets.token_urlsafe(64))
        env |= {"DEBUG": "false", "SECRET_KEY_FILE": str(secret), "SECURE_SSL_REDIRECT": "false"}
    else:
        env |= {"DEBUG": "true"}
    return env


def manage(*args: str, mode: str = "before") -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=environment(mode), check=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(mode: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload", "--nothreading"],
        cwd=ROOT,
        env=environment(mode),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://localhost:{port}"
    for _ in range(200):
        try:
            urllib.request.urlopen(f"{url}/healthz", timeout=1)
            return server, url
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit(f"The {mode} server did not start.")


LOADED = """() => {
  const [nav] = performance.getEntriesByType("navigation");
  const resources = performance.getEntriesByType("resource");
  return {
    ms: nav.loadEventEnd - nav.startTime,
    page: nav.transferSize,
    assets: resources.reduce((sum, entry) => sum + entry.transferSize, 0),
    fetched: resources.filter((entry) => entry.transferSize > 0).length,
  };
}"""


def measure(browser, url: str, paths: dict[str, str], loads: int) -> dict:
    """Per page: (cold, warm) medians of load time and bytes transferred."""
    found = {name: {"cold": [], "warm": []} for name in paths}
    for _ in range(loads):
        context = browser.new_context(base_url=url)
        page = context.new_page()
        devtools = context.new_cdp_session(page)
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill("legal")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/")
        for name, path in paths.items():
            devtools.send("Network.clearBrowserCache")  # cold: signed in, nothing cached
            page.goto(path, wait_until="load")
            found[name]["cold"].append(page.evaluate(LOADED))
            page.goto(path, wait_until="load")  # warm: what the first load cached
            found[name]["warm"].append(page.evaluate(LOADED))
        context.close()
    return {
        name: {kind: {key: statistics.median(r[key] for r in runs) for key in runs[0]} for kind, runs in kinds.items()}
        for name, kinds in found.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loads", type=int, default=5)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    manage("migrate", "--noinput", "-v0")
    manage("load_demo", "-v0")
    manage("collectstatic", "--noinput", "-v0", mode="after")
    sys.path.insert(0, str(ROOT))
    os.environ.update({k: v for k, v in environment("before").items() if k in ("DATABASE_URL", "SEARCH_INDEX_DIR")})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from casebook.models import Case

    case = Case.objects.filter(status="decided", restricted=False).order_by("pk").first()
    paths = {"search": "/search/?q=surveillance", "case": f"/cases/{case.pk}/", "dashboard": "/dashboard/"}

    results = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        for mode in ("before", "after"):
            server, url = serve(mode)
            try:
                # A first visit apiece warms the server's own caches (templates, the index).
                measure(browser, url, paths, 1)
                results[mode] = measure(browser, url, paths, args.loads)
            finally:
                server.terminate()
                server.wait()
        browser.close()

    print(f"\npage loads on the demo casebook, median of {args.loads} (before: development; after: production)")
    print(
        f"  {'page':10} {'load':5} {'ms before':>9} {'after':>6} {'ratio':>5} {'page KB':>8} "
        f"{'assets KB before':>16} {'after':>6} {'ratio':>5} {'assets fetched':>15}"
    )
    cold_ratios, warm_fetched = [], []
    for name in paths:
        for kind in ("cold", "warm"):
            before, after = results["before"][name][kind], results["after"][name][kind]
            ms = after["ms"] / before["ms"] if before["ms"] else float("nan")
            assets = after["assets"] / before["assets"] if before["assets"] else None
            if kind == "cold":
                cold_ratios.append(assets)
            else:
                warm_fetched.append(after["fetched"])
            print(
                f"  {name:10} {kind:5} {before['ms']:9.0f} {after['ms']:6.0f} {ms:5.2f} {after['page'] / 1024:8.1f} "
                f"{before['assets'] / 1024:16.1f} {after['assets'] / 1024:6.1f} "
                f"{f'{assets:5.2f}' if assets is not None else '    —'} "
                f"{before['fetched']:>7.0f} → {after['fetched']:<5.0f}"
            )
    cold, fetched = max(cold_ratios), max(warm_fetched)
    print(
        f"  assets' bytes on a cold load, after/before, worst page: {cold:.2f} (target ≤ {TARGET_COLD_BYTES_RATIO}): "
        f"{'met' if cold <= TARGET_COLD_BYTES_RATIO else 'MISSED'}"
    )
    print(
        f"  assets fetched again on a warm load, after, worst page: {fetched:.0f} (target 0: cached, not even "
        f"revalidated): {'met' if fetched == 0 else 'MISSED'}"
    )


if __name__ == "__main__":
    main()
