"""The report and the notebooks in a real browser (headless Chromium, driven by Playwright).

    python .ci/browser_check.py [--base DIR] [--no-lab]

1. Opens runs/<profile>/html/index.html (the last reproduction under DIR, `make report` wrote it) and every page it
   links, from file://; fails when a page is missing, an image is broken (naturalWidth == 0) or a page raises a
   JavaScript error; saves a screenshot of the index beside it (index.png).
2. Starts JupyterLab on a loopback port with a token, opens nbs/05_decoder.ipynb and an experiment notebook, fails unless
   their cells render, saves screenshots (lab_*.png) and stops the server.
"""
import argparse, json, os, secrets, shutil, socket, subprocess, sys, tempfile, time, urllib.request
from pathlib import Path

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
REPO = Path(__file__).resolve().parent.parent

def fail(msg):
    print(f"browser check FAILED: {msg}", file=sys.stderr); raise SystemExit(1)

def chromium_path() -> str:
    for p in ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"):
        if Path(p).exists(): return p
    fail("no Chromium found: install Debian's chromium package (make browser-check does)")

def latest_html(base: Path) -> Path:
    pages = [p for p in (base / "runs").glob("*/html/index.html")]
    if not pages: fail(f"no runs/*/html/index.html under {base}: run `make reproduce` and `make report` first")
    return max(pages, key=lambda p: p.stat().st_mtime)

def check_pages(browser, index: Path) -> list[str]:
    "Open the index and every page it links; return the problems found."
    problems, page = [], browser.new_page(viewport={"width": 1280, "height": 900})
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(index.as_uri()); page.wait_for_load_state("load")
    links = page.eval_on_selector_all("nav a", "as => as.map(a => a.getAttribute('href'))")
    if not links: problems.append(f"{index} links no notebook pages")
    page.screenshot(path=str(index.with_suffix(".png")), full_page=True)
    for target in [index] + [index.parent / l for l in links]:
        if not target.is_file(): problems.append(f"missing page {target.name} (linked from the index)"); continue
        errors.clear()
        page.goto(target.as_uri()); page.wait_for_load_state("load")
        broken = page.evaluate("Array.from(document.images).filter(i => !i.complete || i.naturalWidth === 0).map(i => (i.alt || i.src).slice(0, 80))")
        n_images = page.evaluate("document.images.length")
        if broken: problems.append(f"{target.name}: {len(broken)} broken images, e.g. {broken[0]}")
        if errors: problems.append(f"{target.name}: JavaScript error: {errors[0][:200]}")
        print(f"  {target.name}: {n_images} images, {len(broken)} broken, {len(errors)} JavaScript errors")
    page.close()
    return problems

def free_port() -> int:
    with socket.socket() as s: s.bind(("127.0.0.1", 0)); return s.getsockname()[1]

def check_notebook(browser, url: str, nb: str, out: Path) -> list[str]:
    "Open one notebook in a workspace of its own; its cells must render within 3 min (one reload allowed, for a slow CI)."
    page, shot = browser.new_page(viewport={"width": 1400, "height": 1000}), out / f"lab_{Path(nb).stem}.png"
    try:
        for attempt in range(2):
            page.goto(url)
            try: page.wait_for_selector(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .cm-content", timeout=90_000); break
            except Exception: continue
        else:
            page.screenshot(path=str(shot))
            return [f"JupyterLab: the cells of {nb} did not render within 2 × 90 s (screenshot {shot})"]
        time.sleep(2)
        cells = page.eval_on_selector_all(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell", "cs => cs.length")
        page.screenshot(path=str(shot))
        print(f"  JupyterLab {nb}: {cells} cells rendered; screenshot {shot}")
        return [f"JupyterLab rendered only {cells} cells of {nb}"] if cells < 5 else []
    finally: page.close()

def check_lab(browser, out: Path) -> list[str]:
    "Start JupyterLab on loopback, open two notebooks, check their cells render; stop the server."
    token, port = secrets.token_hex(16), free_port()
    jupyter = Path(sys.executable).parent / "jupyter"
    # fresh settings and workspaces: no restored tabs, and autosave off so opening a notebook never rewrites it
    state = Path(tempfile.mkdtemp(prefix="dinoinv_lab_"))
    docmanager = state / "settings" / "@jupyterlab" / "docmanager-extension"; docmanager.mkdir(parents=True)
    (docmanager / "plugin.jupyterlab-settings").write_text(json.dumps({"autosave": False}))
    server = subprocess.Popen([str(jupyter), "lab", "--no-browser", f"--ServerApp.port={port}", "--ServerApp.ip=127.0.0.1",
                               f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={REPO}", "--LabApp.news_url=",
                               "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate", "--ServerApp.allow_root=True",
                               f"--LabApp.user_settings_dir={state / 'settings'}", f"--LabApp.workspaces_dir={state / 'workspaces'}"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    problems = []
    try:
        url = f"http://127.0.0.1:{port}"
        for _ in range(120):
            try: urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2); break
            except OSError: time.sleep(1)
        else: return [f"JupyterLab did not answer on {url} within 120 s"]
        for i, nb in enumerate(("nbs/05_decoder.ipynb", "nbs/experiments/01_inversion.ipynb")):
            problems += check_notebook(browser, f"{url}/lab/workspaces/check{i}/tree/{nb}?reset&token={token}", nb, out)
    finally:
        os.killpg(server.pid, 15)
        try: server.wait(timeout=20)
        except subprocess.TimeoutExpired: os.killpg(server.pid, 9)
        shutil.rmtree(state, ignore_errors=True)
    return problems

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--base", default=str(REPO), help="the folder the reproduction wrote to (make: OUT)")
    ap.add_argument("--no-lab", action="store_true", help="skip the JupyterLab check")
    a = ap.parse_args()
    from playwright.sync_api import sync_playwright
    index = latest_html(Path(a.base))
    print(f"report pages: {index.parent}")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
        problems = check_pages(browser, index)
        if not a.no_lab: problems += check_lab(browser, index.parent)
        browser.close()
    if problems: fail("; ".join(problems))
    print(f"browser check passed; screenshot of the index: {index.with_suffix('.png')}")

if __name__ == "__main__":
    main()
