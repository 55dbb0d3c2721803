"""A correspondence network as GEXF 1.3 (Gephi's format): a node per person with the letters
they wrote or received, a directed edge per writer and addressee weighted by letters.

Node ids are the person keys; each node and edge carries its page or search address
(``url``), so a graph opened in Gephi leads back to the letters.
"""

from __future__ import annotations

from collections.abc import Callable
from xml.etree import ElementTree as ET

from indexer.correspondents import Network

NAMESPACE = "http://gexf.net/1.3"
_NOT_XML = str.maketrans({c: None for c in [*range(0, 9), 11, 12, *range(14, 32)]})

ET.register_namespace("", NAMESPACE)


def _q(tag: str) -> str:
    return f"{{{NAMESPACE}}}{tag}"


def _text(value: object) -> str:
    return str(value).translate(_NOT_XML)


def network_gexf(
    network: Network,
    node_url: Callable[[str], str],
    edge_url: Callable[[str, str], str],
    description: str = "",
) -> bytes:
    """The network as a GEXF 1.3 document (UTF-8)."""
    root = ET.Element(_q("gexf"), {"version": "1.3"})
    meta = ET.SubElement(root, _q("meta"))
    ET.SubElement(meta, _q("creator")).text = "letters archive"
    ET.SubElement(meta, _q("description")).text = _text(description or "correspondence network")
    graph = ET.SubElement(root, _q("graph"), {"defaultedgetype": "directed", "mode": "static"})
    node_attrs = ET.SubElement(graph, _q("attributes"), {"class": "node"})
    for number, (title, kind) in enumerate(
        (("letters", "integer"), ("sent", "integer"), ("received", "integer"), ("url", "anyURI"))
    ):
        ET.SubElement(
            node_attrs, _q("attribute"), {"id": str(number), "title": title, "type": kind}
        )
    edge_attrs = ET.SubElement(graph, _q("attributes"), {"class": "edge"})
    ET.SubElement(edge_attrs, _q("attribute"), {"id": "0", "title": "url", "type": "anyURI"})
    nodes = ET.SubElement(graph, _q("nodes"))
    for node in network.nodes:
        element = ET.SubElement(
            nodes, _q("node"), {"id": _text(node.key), "label": _text(node.name)}
        )
        values = ET.SubElement(element, _q("attvalues"))
        for number, value in enumerate(
            (node.letters, node.sent, node.received, node_url(node.key))
        ):
            ET.SubElement(values, _q("attvalue"), {"for": str(number), "value": _text(value)})
    edges = ET.SubElement(graph, _q("edges"))
    for number, edge in enumerate(network.edges):
        element = ET.SubElement(
            edges,
            _q("edge"),
            {"id": str(number), "source": _text(edge.source), "target": _text(edge.target),
             "weight": str(edge.letters), "label": f"{edge.letters} letters"},
        )  # fmt: skip
        values = ET.SubElement(element, _q("attvalues"))
        url = edge_url(edge.source, edge.target)
        ET.SubElement(values, _q("attvalue"), {"for": "0", "value": _text(url)})
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
