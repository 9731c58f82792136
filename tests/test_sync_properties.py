"""Property: clones working at once and syncing in any order lose no event and double none (issue 14).

Random step sequences (contact, opinion, reply through the api) in three clones of a ledger whose items are
handled by several units, with syncs in a random order among them. The model: each clone holds the events it
accepted or took from the server; a sync sends the clone's events to the server and takes the server's. After
every sync the clone and the server hold exactly the model's events, each once; at the end, once every clone
has synced twice, every clone is byte for byte the server and `check` finds no error, whatever the order.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import textwrap
from pathlib import Path

from clones import SHARED, serve
from conftest import CONFIG, git
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tiandz import api
from tiandz.core.problems import ERROR, TiandzError
from tiandz.files.yamlio import parse
from tiandz.ledger.folder import Ledger

TODAY = dt.date(2024, 12, 31)
# J-16: 公安局 leads, 教体局 and 市场监管局 help; J-15 (SHARED): 教体局 leads, 公安局 helps.
OTHER = SHARED.replace("编号: 2024-J-015", "编号: 2024-J-016").replace("案号: 15", "案号: 16").replace(
    "  主办: [县教育和体育局]\n  协办: [县公安局]\n", "  主办: [县公安局]\n  协办: [县教育和体育局, 县市场监督管理局]\n")
ITEMS = {"J-15": "2024/2024-J-015.yaml", "J-16": "2024/2024-J-016.yaml"}
UNITS = {"J-15": ["县教育和体育局", "县公安局"], "J-16": ["县公安局", "县教育和体育局", "县市场监督管理局"]}
MARKER = {"沟通": "内容", "协办意见": "内容", "答复": "正文"}

steps = st.one_of(
    st.tuples(st.just("contact"), st.integers(0, 2), st.sampled_from(sorted(ITEMS)), st.integers(0, 2), st.integers(0, 60)),
    st.tuples(st.just("opinion"), st.integers(0, 2), st.sampled_from(sorted(ITEMS)), st.integers(1, 2), st.integers(0, 60)),
    st.tuples(st.just("reply"), st.integers(0, 2), st.sampled_from(sorted(ITEMS)), st.just(0), st.integers(0, 60)),
    st.tuples(st.just("sync"), st.integers(0, 2), st.just(""), st.just(0), st.just(0)),
)


def events(root: Path, read=None) -> list[tuple[str, str, str]]:
    """Every event of the ledger's items as (item, list, its marker), once for each time it is there."""
    found = []
    for name, path in ITEMS.items():
        data = parse(read(path) if read else (root / path).read_text(encoding="utf-8"))
        for key, marker in MARKER.items():
            found += [(name, key, str(event[marker]).strip()) for event in data.get(key) or []]
    return sorted(found)


def do(root: Path, step: tuple, number: int) -> tuple[str, str, str] | None:
    """The step in this clone; the event it added, or None when the step refused (the clone unchanged)."""
    kind, _, name, unit_index, offset = step
    ledger = Ledger(root)
    day = (dt.date(2024, 4, 1) + dt.timedelta(days=offset)).isoformat()
    units = UNITS[name]
    marker = f"第{number}号"
    try:
        if kind == "contact":
            api.contact(ledger, name, method="电话", unit=units[unit_index % len(units)], note=marker, date=day, today=TODAY)
            return (name, "沟通", marker)
        if kind == "opinion":
            api.opinion(ledger, name, unit=units[unit_index % len(units)], text=marker, date=day, today=TODAY)
            return (name, "协办意见", marker)
        api.reply(ledger, name, api.Answer(category="B", text=marker, unit=units[0], date=day,
                                           number=f"办函〔2024〕{number}号"), today=TODAY)
        return (name, "答复", marker)
    except TiandzError:
        return None


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(steps, min_size=1, max_size=12))
def test_any_steps_in_three_clones_synced_in_any_order_keep_every_event_once(sequence):
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        seed = base / "seed"
        (seed / "2024").mkdir(parents=True)
        (seed / "tiandz.yaml").write_text(CONFIG, encoding="utf-8")
        for text in (SHARED, OTHER):
            first = text.splitlines()[0].split(":", 1)[1].strip()
            (seed / "2024" / f"{first}.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
        git(seed, "init", "-q")
        git(seed, "add", "-A")
        git(seed, "-c", "user.name=种子", "-c", "user.email=seed@example.org", "commit", "-q", "-m", "init")
        network = serve(seed, base)
        clones = [network.clone(f"clone{index}") for index in range(3)]
        model: list[set] = [set(), set(), set()]
        server: set = set()
        for number, step in enumerate(sequence, start=1):
            index = step[1]
            if step[0] == "sync":
                api.sync_ledger(Ledger(clones[index]), today=TODAY)
                server |= model[index]
                model[index] = set(server)
                assert events(clones[index]) == sorted(server)
                shown = lambda path: git(network.server, "show", f"master:{path}")
                assert events(network.server, shown) == sorted(server)
            else:
                added = do(clones[index], step, number)
                if added is not None:
                    model[index].add(added)
                assert events(clones[index]) == sorted(model[index])
        for _ in range(2):
            for clone in clones:
                api.sync_ledger(Ledger(clone), today=TODAY)
        union = set().union(*model)
        for clone in clones:
            assert git(clone, "rev-parse", "HEAD") == git(network.server, "rev-parse", "master")
            assert events(clone) == sorted(union)
            assert git(clone, "status", "--porcelain") == ""
            assert git(clone, "rev-list", "--merges", "HEAD") == ""
            assert [p for p in api.check_ledger(Ledger(clone), today=TODAY) if p.severity == ERROR] == []
        files = [(clone / path).read_bytes() for clone in clones for path in ITEMS.values()]
        assert files[0:2] == files[2:4] == files[4:6]
