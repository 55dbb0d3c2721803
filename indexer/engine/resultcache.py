"""Complete search results of the current index generation, kept for repeated requests.

People page back and forth, click a facet and take it off again, and open letters from a
result whose ``?q=`` searches once more: the same request against the same letters gives the
same answer, so it is kept (as Elasticsearch's request cache and Solr's queryResultCache
do). A result is kept pickled: its size in bytes bounds the cache, and every caller gets its
own copy to change as it likes. Entries of an older generation are dropped as soon as a
newer one is seen; a result that ran out of time is never kept (a later, less busy request
may find more).
"""

from __future__ import annotations

import pickle
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import fields, replace

from indexer.request import SearchRequest
from indexer.results import SearchResult

OLD_GENERATIONS_KEPT = 8  # generations remembered as replaced (their results are not kept)


def request_key(request: SearchRequest) -> tuple[Hashable, ...]:
    """The request as a hashable value: the query with its outer spaces trimmed, the facet
    names in order (their values as given)."""
    parts: list[Hashable] = []
    for item in fields(request):
        value = getattr(request, item.name)
        if item.name == "q":
            value = value.strip()
        elif isinstance(value, dict):
            value = tuple(sorted((name, tuple(values)) for name, values in value.items()))
        parts.append(value)
    return tuple(parts)


class ResultCache:
    """Bounded by ``megabytes`` of pickled results (0: nothing is kept); safe for threads."""

    def __init__(self, megabytes: float) -> None:
        if megabytes < 0:
            raise ValueError(f"result cache size must be 0 or more megabytes, not {megabytes}")
        self.limit = int(megabytes * 1_000_000)
        self.used = 0
        self.hits = 0
        self.misses = 0
        self._entries: OrderedDict[tuple[Hashable, ...], bytes] = OrderedDict()
        self._generation: object = None
        self._replaced: OrderedDict[object, None] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def search(
        self,
        generation: object,
        request: SearchRequest,
        compute: Callable[[], SearchResult],
    ) -> SearchResult:
        """The result of ``request`` on ``generation``: kept, else ``compute()`` (kept if it
        finished in time and fits)."""
        if self.limit == 0:
            return compute()
        key = request_key(request)
        with self._lock:
            self._see(generation)
            kept = self._entries.get(key) if generation == self._generation else None
            if kept is not None:
                self._entries.move_to_end(key)
                self.hits += 1
            else:
                self.misses += 1
        if kept is not None:
            result: SearchResult = pickle.loads(kept)
            return replace(result, request=request)
        result = compute()
        if not result.timed_out:
            self._keep(generation, key, pickle.dumps(result, pickle.HIGHEST_PROTOCOL))
        return result

    def _see(self, generation: object) -> None:
        """A generation not seen before is the newest: the older results go."""
        if generation == self._generation or generation in self._replaced:
            return
        if self._generation is not None:
            self._replaced[self._generation] = None
            while len(self._replaced) > OLD_GENERATIONS_KEPT:
                self._replaced.popitem(last=False)
        self._generation = generation
        self._entries.clear()
        self.used = 0

    def _keep(self, generation: object, key: tuple[Hashable, ...], data: bytes) -> None:
        if len(data) > self.limit:
            return
        with self._lock:
            self._see(generation)
            if generation != self._generation:
                return  # a search still running on a replaced generation
            old = self._entries.pop(key, None)
            self.used -= len(old) if old is not None else 0
            self._entries[key] = data
            self.used += len(data)
            while self.used > self.limit:
                _key, dropped = self._entries.popitem(last=False)
                self.used -= len(dropped)
