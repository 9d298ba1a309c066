// Draws the citation graph whose nodes and edges the page carries as JSON (#graph-data):
// each decision a node coloured by its citator flag, each citation an arrow from the
// citing decision to the one it cites, labelled with its treatment. A click opens the case.
(function () {
  const data = JSON.parse(document.getElementById("graph-data").textContent);
  const tone = { positive: "#00a91c", caution: "#ffbe2e", warning: "#e66f0e", negative: "#b50909" };
  const treatment = { follows: "#005ea2", extends: "#005ea2", distinguishes: "#936f38", questions: "#e66f0e", overrules: "#b50909" };
  const graph = cytoscape({
    container: document.getElementById("citation-graph"),
    elements: [
      ...data.nodes.map((n) => ({ data: { ...n, id: `d${n.id}`, label: n.docket } })),
      ...data.edges.map((e) => ({
        data: { ...e, id: `c${e.id}`, source: `d${e.source}`, target: `d${e.target}`, label: `${e.treatment} (${e.provision})` },
      })),
    ],
    style: [
      { selector: "node", style: { label: "data(label)", "background-color": (n) => tone[n.data("tone")], "font-size": 11, "text-valign": "bottom", "text-margin-y": 4, width: 22, height: 22 } },
      { selector: "node[?focus]", style: { "border-width": 4, "border-color": "#1b1b1b", width: 32, height: 32, "font-weight": "bold" } },
      { selector: "edge", style: { label: "data(label)", "font-size": 9, "curve-style": "bezier", "target-arrow-shape": "triangle", width: 2, "line-color": (e) => treatment[e.data("treatment")], "target-arrow-color": (e) => treatment[e.data("treatment")], "text-rotation": "autorotate", "text-background-color": "#fff", "text-background-opacity": 1 } },
    ],
    layout: { name: "breadthfirst", directed: true, spacingFactor: 1.3, padding: 20 },
    wheelSensitivity: 0.2,
  });
  graph.on("tap", "node", (event) => {
    const node = event.target.data();
    window.location.assign(`/cases/${node.case}/#decision-${node.id.slice(1)}`);
  });
  document.getElementById("citation-graph").dataset.ready = "true";
})();
