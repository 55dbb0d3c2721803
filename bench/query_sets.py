"""The run's query sets, each seeded: the measured ones, and the others that warm up for them.

The warm-up sets and the web load are drawn with other seeds, so that none of their requests
is a measured one answered from a results cache (:mod:`bench.first_sight` also leaves out any
that is); the web load is distinct requests (:func:`bench.web.distinct_targets`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bench import broad_queries, queries
from bench.broad_queries import build_broad_mix
from bench.queries import Query, build_mix

WARMUP_SHARE = 5  # a warm-up set is a fifth of its measured set (at least one of each kind)
WEB_LOAD_SEED = 20_261_202
WEB_LOAD_SIZE = 6  # times the main mix: more different requests than the load sends


def scaled(mix: dict[str, int], factor: float) -> dict[str, int]:
    return {kind: max(1, round(count * factor)) for kind, count in mix.items()}


@dataclass(frozen=True)
class QuerySets:
    main: list[Query]
    main_warmup: list[Query]
    broad: list[Query]
    broad_warmup: list[Query]
    web_load: list[Query]  # the throughput measure's requests (the main mix's kinds)

    @classmethod
    def for_files(cls, files: list[Path], share: float = 1.0) -> QuerySets:
        """``share`` < 1: that part of each measured set (``--quick``: a quarter), seeded alike."""
        main, broad = scaled(queries.MIX, share), scaled(broad_queries.BROAD_MIX, share)
        return cls(
            main=build_mix(files, mix=main),
            main_warmup=build_mix(files, seed=queries.SEED + 1, mix=scaled(main, 1 / WARMUP_SHARE)),
            broad=build_broad_mix(files, mix=broad),
            broad_warmup=build_broad_mix(
                files, seed=broad_queries.SEED + 1, mix=scaled(broad, 1 / WARMUP_SHARE)
            ),
            web_load=build_mix(files, seed=WEB_LOAD_SEED, mix=scaled(queries.MIX, WEB_LOAD_SIZE)),
        )
