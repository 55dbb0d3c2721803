"""What the network page and its exports show: who wrote to whom among a search's letters.

The page is a sorted table of pairs (works without JavaScript); ``network.js`` draws the graph
from ``/network.json`` with the same parameters. Each edge links to its letters: the search
with ``writer`` and ``addressee`` set to the pair (the search's own people filters give way).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from indexer.correspondents import Network
from indexer.request import SearchRequest
from webapp.searchview import href

MAX_TABLE_PAIRS = 200  # rows of the page's table; the exports hold every pair
MAX_TABLE_PEOPLE = 100
MAX_GRAPH_PEOPLE = 60  # drawn by network.js: the busiest, with the edges among them

PersonPath = Callable[[str], str]


@dataclass(frozen=True)
class PairView:
    source: str
    source_url: str
    target: str
    target_url: str
    letters: int
    url: str


def edge_url(request: SearchRequest, search_base: str, source: str, target: str) -> str:
    """The search for the letters of one edge: the request's, from ``source`` to ``target``."""
    return href(search_base, request, writer=source, addressee=target, page=1)


def network_json(
    network: Network, request: SearchRequest, search_base: str, person_path: PersonPath
) -> dict[str, Any]:
    """The network with the address of each person's page and each edge's letters."""
    data = network.to_json()
    for node in data["nodes"]:
        node["url"] = person_path(node["key"])
    for edge in data["edges"]:
        edge["url"] = edge_url(request, search_base, edge["source"], edge["target"])
    return data


def graph_json(
    network: Network, request: SearchRequest, search_base: str, person_path: PersonPath
) -> str:
    """The busiest people and the edges among them, as the page's graph draws them (JSON for
    a data attribute: the page needs no second request, and no inline script)."""
    nodes = network.nodes[:MAX_GRAPH_PEOPLE]
    keys = {node.key for node in nodes}
    shown = Network(
        network.letters,
        nodes,
        [e for e in network.edges if e.source in keys and e.target in keys],
        network.timed_out,
        network.truncated or len(nodes) < len(network.nodes),
    )
    return json.dumps(network_json(shown, request, search_base, person_path), ensure_ascii=False)


def network_page(
    network: Network,
    request: SearchRequest,
    search_base: str,
    export_bases: tuple[str, str],
    person_path: PersonPath,
) -> dict[str, Any]:
    """Everything network.html needs (``export_bases``: the JSON and GEXF addresses)."""
    names = {node.key: node.name for node in network.nodes}
    pairs = [
        PairView(
            names[edge.source],
            person_path(edge.source),
            names[edge.target],
            person_path(edge.target),
            edge.letters,
            edge_url(request, search_base, edge.source, edge.target),
        )
        for edge in network.edges[:MAX_TABLE_PAIRS]
    ]
    query = request.query_string(page=1, per_page=10)
    suffix = f"?{query}" if query else ""
    return {
        "network": network,
        "request": request,
        "pairs": pairs,
        "more_pairs": max(0, len(network.edges) - MAX_TABLE_PAIRS),
        "people": [(n, person_path(n.key)) for n in network.nodes[:MAX_TABLE_PEOPLE]],
        "more_people": max(0, len(network.nodes) - MAX_TABLE_PEOPLE),
        "search_url": href(search_base, request, page=1),
        "graph": graph_json(network, request, search_base, person_path),
        "json_url": export_bases[0] + suffix,
        "gexf_url": export_bases[1] + suffix,
    }
