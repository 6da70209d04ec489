"""The scripts and styles served for the current build are minified copies (app/assets.py):
smaller than the sources, compressed after minifying, and still the same modules, as Node's
own parser reads them."""

import json
import re
import shutil
import subprocess
from pathlib import Path

import brotli
import pytest

from tests.test_phone_app import build_of

STATIC = Path(__file__).parent.parent / "static"
SCRIPTS = sorted(path.relative_to(STATIC).as_posix() for path in (STATIC / "js").glob("*.js"))
STYLES = sorted(path.relative_to(STATIC).as_posix() for path in (STATIC / "css").glob("*.css"))
# A template literal inside another's ${…}: rjsmin minifies only unnested ones correctly.
NESTED_TEMPLATE = re.compile(r"\$\{[^}]*`")
DYNAMIC_IMPORT = re.compile(r"""\bimport\(\s*["']([^"']+)["']\s*\)""")

# One Node for every file: each is compiled as an ES module (a syntax error is reported, not
# thrown) and its static imports (`import … from`, `import "…"`, `export … from`) listed by V8.
PARSE = """
import vm from "node:vm";
import { readFileSync } from "node:fs";
const answers = {};
for (const [name, source] of Object.entries(JSON.parse(readFileSync(0, "utf8")))) {
  try {
    answers[name] = { imports: new vm.SourceTextModule(source, { identifier: name }).dependencySpecifiers };
  } catch (error) {
    answers[name] = { error: String(error) };
  }
}
process.stdout.write(JSON.stringify(answers));
"""


def parsed(sources: dict[str, str]) -> dict[str, dict]:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is needed to parse the minified modules (it runs tests/js too)")
    done = subprocess.run([node, "--experimental-vm-modules", "--no-warnings", "--input-type=module", "-e", PARSE],
                          input=json.dumps(sources), capture_output=True, text=True, timeout=60, check=True)
    return json.loads(done.stdout)


def served(client, url: str) -> str:
    with client.get(url) as response:
        assert response.status_code == 200, url
        assert "Content-Encoding" not in response.headers
        return response.get_data(as_text=True)


@pytest.fixture
def build(client) -> str:
    return build_of(client.get("/sw.js").get_data(as_text=True))["version"]


def test_the_sources_have_no_nested_template_literal():
    for name in [*SCRIPTS, "sw.js"]:
        assert not NESTED_TEMPLATE.search((STATIC / name).read_text(encoding="utf-8")), name


def test_this_builds_scripts_and_styles_are_minified_then_compressed(client, build):
    for name in SCRIPTS + STYLES:
        url = f"/static/{build}/{name}"
        body = served(client, url)
        source = (STATIC / name).read_text(encoding="utf-8")
        assert len(body) < 0.9 * len(source), f"{name} is not minified"
        assert "/*" not in body and "\n  " not in body, name
        with client.get(url, headers={"Accept-Encoding": "br"}) as response:
            assert response.headers["Content-Encoding"] == "br"
            assert brotli.decompress(response.get_data()).decode() == body, f"{name}.br is not of the minified copy"


def test_the_plain_addresses_still_serve_the_sources_as_they_are(client, build):
    for name in ("js/app.js", "css/app.css"):
        source = (STATIC / name).read_text(encoding="utf-8")
        assert served(client, f"/static/{name}") == source != served(client, f"/static/{build}/{name}")


def test_the_minified_modules_parse_and_import_exactly_what_their_sources_import(client, build):
    sources = {name: (STATIC / name).read_text(encoding="utf-8") for name in SCRIPTS}
    minified = {name: served(client, f"/static/{build}/{name}") for name in SCRIPTS}
    worker = client.get("/sw.js").get_data(as_text=True)
    assert len(worker) < (STATIC / "sw.js").stat().st_size  # minified, with the build in it
    answers = parsed({**{f"source:{name}": text for name, text in sources.items()}, "source:sw.js":
                      (STATIC / "sw.js").read_text(encoding="utf-8"),
                      **{f"served:{name}": text for name, text in minified.items()}, "served:sw.js": worker})
    for name in [*SCRIPTS, "sw.js"]:
        source, served_ = answers[f"source:{name}"], answers[f"served:{name}"]
        assert "error" not in served_, f"{name} minified: {served_.get('error')}"
        expected = source["imports"]
        if name == "sw.js":  # its imports are given this build's address
            expected = [target.replace("/static/js/", f"/static/{build}/js/") for target in expected]
        assert sorted(served_["imports"]) == sorted(expected), name
    assert "./store.js" in answers["served:js/app.js"]["imports"]
    # The screens loaded later (`import("./record.js")`), which V8 lists only when they run.
    assert any(DYNAMIC_IMPORT.findall(text) for text in sources.values())
    for name in SCRIPTS:
        assert DYNAMIC_IMPORT.findall(minified[name]) == DYNAMIC_IMPORT.findall(sources[name]), name
