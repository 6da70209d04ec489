"""The phone lists names in exactly the server's order, in Welsh and in English: 200 names
with every Welsh digraph, ap/ab, accents, apostrophes and hyphens are sorted by the server
(``app.collation``) and by the phone's own code (``static/js/order.js``, run under Node)."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from app.collation import order_key_for, sort_key_for

ROOT = Path(__file__).parents[1]
FIRST = [
    "Angharad", "Aled", "Alun", "Bethan", "Cai", "Catrin", "Ceri", "Chris", "Dafydd", "Dai", "Ddafydd", "Dylan",
    "Eleri", "Elin", "Ffion", "Fflur", "Gareth", "Gwen", "Gwenllian", "Huw", "Iolo", "Ioan", "Llew", "Lowri",
    "Lewis", "Mared", "Ngaio", "Nia", "Owain", "Phillip", "Peredur", "Rhian", "Rhys", "Robert", "Siân", "Sion",
    "Tegan", "Thomas", "Tomos", "Tudur", "Wyn", "Ŵyn", "Zoë", "Zoe", "Ánna", "Anna", "Ann", "Élise", "Kyle", "Vaughan",
]
LAST = [
    "ap Gwilym", "ab Owen", "ap Rhys", "Bangor", "Davies", "Edwards", "Evans", "ferch Dafydd", "Ffrancon", "Griffiths",
    "Hughes", "Jones", "Llewellyn", "Lloyd", "Llangollen", "Morgan", "O'Brien", "Ongar", "Parry", "Phillips", "Price",
    "Pugh", "Rhodes", "Roberts", "Thomas", "Tanguy", "Williams", "Wynne-Jones", "Ŵyn", "ap Iorwerth",
]


def two_hundred_names() -> list[str]:
    chosen = random.Random(11)
    names = {f"{chosen.choice(FIRST)} {chosen.choice(LAST)}" for _ in range(600)}
    names = sorted(names)[:190] + ["Llew", "Lowri", "Ann Jones", "Anna Evans", "ap Gwilym", "Ng", "N", "Chris", "Cai", "Zoë"]
    assert len(set(names)) == 200
    return names


def phone_order(rows: list[dict]) -> list[str]:
    node = shutil.which("node")
    assert node, "Node.js is needed to run the phone's own code (apt-get install nodejs)"
    script = (
        "import { sortedByName } from './static/js/order.js';"
        "let input = ''; process.stdin.on('data', (c) => (input += c));"
        "process.stdin.on('end', () => console.log(JSON.stringify(sortedByName(JSON.parse(input)).map((p) => p.display_name))));"
    )
    done = subprocess.run([node, "--input-type=module", "-e", script], input=json.dumps(rows), capture_output=True,
                          text=True, cwd=ROOT, timeout=60, check=True)
    return json.loads(done.stdout)


@pytest.mark.parametrize("language", ["cy", "en"])
def test_the_phone_sorts_two_hundred_welsh_and_english_names_exactly_as_the_server(language):
    names = two_hundred_names()
    server = sorted(names, key=sort_key_for(language))
    shuffled = names[:]
    random.Random(language).shuffle(shuffled)
    rows = [{"id": index, "display_name": name, "order_key": order_key_for(language)(name)}
            for index, name in enumerate(shuffled)]
    assert phone_order(rows) == server
    # The two orders differ, so each language's keys are really used.
    assert server != sorted(names, key=sort_key_for("en" if language == "cy" else "cy"))


@pytest.mark.parametrize("language", ["cy", "en"])
@given(st.lists(st.text(min_size=0, max_size=12), min_size=2, max_size=8))
def test_the_order_keys_sort_as_the_sort_keys_for_any_text(language, names):
    by_key = sorted(names, key=sort_key_for(language))
    by_text = sorted(names, key=order_key_for(language))
    assert [sort_key_for(language)(name) for name in by_text] == [sort_key_for(language)(name) for name in by_key]
