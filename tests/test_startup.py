"""Start-up: spaCy and jieba are imported without what the tool never uses, and still work.

Each check runs in a fresh interpreter, since this one has long since imported both.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest


def _fresh(code: str) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_importing_the_package_leaves_spacy_cli_and_pkg_resources_unloaded() -> None:
    found = _fresh(
        "import json, sys, nlp_pipeline\n"
        "from nlp_pipeline.annotate import build_nlp\n"
        "words = [t.text for t in build_nlp().make_doc('举办科普讲座900场次')]\n"
        "print(json.dumps({'cli': 'spacy.cli' in sys.modules,\n"
        "                  'pkg': 'pkg_resources' in sys.modules, 'words': words}))\n"
    )
    assert found == {"cli": False, "pkg": False, "words": ["举办", "科普讲座", "900", "场次"]}


def test_spacy_cli_and_info_still_work_after_the_package_is_imported() -> None:
    found = _fresh(
        "import json, nlp_pipeline, spacy\n"
        "info = spacy.info()\n"
        "import spacy.cli\n"
        "print(json.dumps({'version': info['spacy_version'] == spacy.__version__,\n"
        "                  'real_cli': callable(spacy.cli.setup_cli)}))\n"
    )
    assert found == {"version": True, "real_cli": True}


@pytest.mark.parametrize("first", ["import spacy.cli", "import spacy", "import jieba"])
def test_a_module_imported_before_the_package_is_used_as_it_is(first: str) -> None:
    found = _fresh(
        f"{first}\n"
        "import json, sys, spacy, nlp_pipeline\n"
        "from nlp_pipeline.annotate import jieba\n"
        "print(json.dumps({'jieba': jieba is sys.modules['jieba'],\n"
        "                  'spacy': nlp_pipeline._startup.spacy is spacy}))\n"
    )
    assert found == {"jieba": True, "spacy": True}


def test_a_spacy_that_needs_more_of_its_cli_is_imported_the_usual_way() -> None:
    # Stand in a spaCy whose __init__ imports something else from spacy.cli.
    found = _fresh(
        "import json, os, sys, tempfile\n"
        "from nlp_pipeline._startup import import_spacy\n"
        "root = tempfile.mkdtemp()\n"
        "pkg = os.path.join(root, 'spacy'); os.makedirs(os.path.join(pkg, 'cli'))\n"
        "open(os.path.join(pkg, '__init__.py'), 'w').write(\n"
        "    'from .cli.info import info\\nfrom .cli import setup_cli\\n')\n"
        "open(os.path.join(pkg, 'cli', '__init__.py'), 'w').write('def setup_cli(): return 1\\n')\n"
        "open(os.path.join(pkg, 'cli', 'info.py'), 'w').write('def info(): return 2\\n')\n"
        "sys.path.insert(0, root)\n"
        "for name in [m for m in sys.modules if m == 'spacy' or m.startswith('spacy.')]:\n"
        "    del sys.modules[name]\n"
        "spacy = import_spacy()\n"
        "print(json.dumps({'file': spacy.__file__.startswith(root),\n"
        "                  'cli': spacy.setup_cli(), 'info': spacy.info()}))\n"
    )
    assert found == {"file": True, "cli": 1, "info": 2}


def test_extraction_imports_no_spacy() -> None:
    found = _fresh(
        "import json, sys\n"
        "from nlp_pipeline import extract_text\n"
        "from nlp_pipeline.parallel import warm_up\n"
        "warm_up()\n"
        "records = extract_text('举办科普讲座10余场，参与群众4万余人次。', 'demo')\n"
        "print(json.dumps({'records': len(records), 'spacy': 'spacy' in sys.modules}))\n"
    )
    assert found == {"records": 1, "spacy": False}
