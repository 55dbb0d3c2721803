"""Index problems a user can act on: the CLI turns them into messages, the web app into pages."""

from __future__ import annotations

from pathlib import Path


class IndexProblem(Exception):
    """Base for problems with an index (or what it is built from) that a person can fix."""


class IndexBusy(IndexProblem):
    def __init__(self, root: Path) -> None:
        super().__init__(
            f"the index at {root} is busy: another 'letters index' is writing it; "
            "wait for it to finish and try again"
        )


class IndexOutdated(IndexProblem):
    def __init__(self, root: Path) -> None:
        super().__init__(
            f"the index at {root} was built by another version of this program: "
            "run 'letters index' to rebuild it"
        )


class IndexMissing(IndexProblem):
    def __init__(self, root: Path) -> None:
        super().__init__(f"no index at {root}: build it with 'letters index'")


class IndexUnreadable(IndexProblem):
    """The index files could not be opened, e.g. a generation removed while it was opened."""

    def __init__(self, root: Path, reason: BaseException) -> None:
        super().__init__(
            f"the index at {root} cannot be read ({reason}): run 'letters index' to rebuild it"
        )
