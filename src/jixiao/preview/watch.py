"""Watching the workspace and the template folder for saved files (``watchfiles``).

Specs and ``_defaults.yaml`` files (any ``.yaml``/``.yml`` in the workspace, not in
the output folder or a hidden folder) reload the workspace; any file of the
template folder makes a new renderer. Editors save in bursts (a temporary file,
a rename): changes that arrive within :data:`DEBOUNCE_MS` of each other are one.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from pathlib import Path

import watchfiles

from jixiao.load.workspace import SPEC_SUFFIXES

# Short enough that a saved file shows in the browser well within a second (watchfiles'
# default, 1.6 s, is for restarting servers).
DEBOUNCE_MS = 120
STEP_MS = 30


class Watcher:
    """A thread that calls ``on_specs()`` or ``on_templates()`` when such files change."""

    def __init__(self, root: Path, out_dir: Path, template_dir: Path,
                 on_specs: Callable[[], None], on_templates: Callable[[], None]) -> None:
        self.root = root.resolve()
        self.out_dir = out_dir.resolve()
        self.template_dir = template_dir.resolve()
        self.on_specs = on_specs
        self.on_templates = on_templates
        self.stop_event = threading.Event()
        self.ready = threading.Event()
        self.thread = threading.Thread(target=self._run, name="jixiao-preview-watch", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self.stop_event.set()
        if self.thread.is_alive():
            self.thread.join(timeout)

    def is_spec(self, path: Path) -> bool:
        if path.suffix not in SPEC_SUFFIXES or not path.is_relative_to(self.root):
            return False
        if path.is_relative_to(self.out_dir):
            return False
        return not any(part.startswith(".") for part in path.relative_to(self.root).parts)

    def is_template(self, path: Path) -> bool:
        return path.is_relative_to(self.template_dir)

    def _wanted(self, _change: watchfiles.Change, raw: str) -> bool:
        path = Path(raw)
        return self.is_spec(path) or self.is_template(path)

    def _paths(self) -> Iterable[Path]:
        yield self.root
        if not self.template_dir.is_relative_to(self.root):
            yield self.template_dir

    def _run(self) -> None:
        self.ready.set()
        for changes in watchfiles.watch(*self._paths(), watch_filter=self._wanted, debounce=DEBOUNCE_MS,
                                        step=STEP_MS, stop_event=self.stop_event, raise_interrupt=False,
                                        rust_timeout=500, yield_on_timeout=False):
            paths = [Path(raw) for _, raw in changes]
            if any(self.is_template(p) for p in paths):
                self.on_templates()
            elif paths:
                self.on_specs()
