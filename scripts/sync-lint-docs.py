#!/usr/bin/env python3
"""Refreshes the examples in docs/lint/<rule-id>.md from tests/fixtures/lint/<rule-id>/.

Each rule page has three fenced blocks after the lines "Flagged:", "Fine:" and
"`strata lint` prints ...": err.sql, ok.sql and err.expected. Run it after
`STRATA_UPDATE_FIXTURES=1 ./build/unit_tests --gtest_filter='LintFixtures.*'`;
the unit tests check that every page shows its rule's current err.expected.
"""
import pathlib
import re
import sys

root = pathlib.Path(__file__).resolve().parent.parent
fixtures = root / "tests" / "fixtures" / "lint"
changed = 0
for page in sorted((root / "docs" / "lint").glob("*.md")):
    rule = page.stem
    if rule == "README" or not (fixtures / rule).is_dir():
        continue
    text = page.read_text()
    blocks = {
        "Flagged:": ("sql", (fixtures / rule / "err.sql").read_text()),
        "Fine:": ("sql", (fixtures / rule / "ok.sql").read_text()),
        "`strata lint` prints": ("text", (fixtures / rule / "err.expected").read_text()),
    }
    new = text
    for lead, (lang, body) in blocks.items():
        pattern = re.compile(r"(^" + re.escape(lead) + r"[^\n]*\n\n```" + lang + r"\n).*?(\n```)",
                             re.S | re.M)
        new = pattern.sub(lambda m: m.group(1) + body.rstrip("\n") + m.group(2), new, count=1)
    if new != text:
        page.write_text(new)
        changed += 1
        print(f"updated {page.relative_to(root)}")
sys.exit(0)
