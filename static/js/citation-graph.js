// Draws the citation graph whose nodes and edges the page carries as JSON (#graph-data):
// one node a case, ringed by its citator flag, the focal case at the centre and the rest
// in rings by their steps from it; each citation an arrow from the citing case to the one
// it cites, drawn by treatment in line style as well as colour. Edge labels show only for
// the case under the pointer (or focus), so they never pile up. A click opens the case.
(function () {
  const data = JSON.parse(document.getElementById("graph-data").textContent);
  const tone = { positive: "#00a91c", caution: "#936f38", warning: "#c05600", negative: "#b50909" };
  const line = {
    follows: ["#005ea2", "solid", 2],
    extends: ["#005ea2", "solid", 2],
    distinguishes: ["#6f5a2e", "dashed", 2],
    questions: ["#c05600", "dotted", 3],
    overrules: ["#b50909", "solid", 5],
  };
  const container = document.getElementById("citation-graph");
  const graph = cytoscape({
    container,
    elements: [
      ...data.nodes.map((n) => ({
        data: { ...n, id: `d${n.id}`, label: `${n.docket}${n.folded.length ? " ↻" : ""}\n${n.flag_label}` },
      })),
      ...data.edges.map((e) => ({
        data: { ...e, id: `c${e.id}`, source: `d${e.source}`, target: `d${e.target}`, label: `${e.treatment} (${e.provision})` },
      })),
    ],
    style: [
      {
        selector: "node",
        style: {
          label: "data(label)",
          "background-color": "#fff",
          "border-width": 4,
          "border-color": (n) => tone[n.data("tone")],
          "font-size": 11,
          "text-wrap": "wrap",
          "text-valign": "bottom",
          "text-margin-y": 5,
          "text-background-color": "#fff",
          "text-background-opacity": 0.9,
          "text-background-padding": 2,
          width: 24,
          height: 24,
        },
      },
      { selector: "node[?focus]", style: { "background-color": "#1b1b1b", width: 34, height: 34, "font-weight": "bold", "font-size": 13 } },
      {
        selector: "edge",
        style: {
          "curve-style": "bezier",
          "target-arrow-shape": "triangle",
          "line-color": (e) => line[e.data("treatment")][0],
          "target-arrow-color": (e) => line[e.data("treatment")][0],
          "line-style": (e) => line[e.data("treatment")][1],
          width: (e) => line[e.data("treatment")][2],
          "font-size": 10,
          "text-rotation": "autorotate",
          "text-background-color": "#fff",
          "text-background-opacity": 1,
        },
      },
      { selector: "edge.shown", style: { label: "data(label)" } },
      { selector: "node.faded, edge.faded", style: { opacity: 0.25 } },
    ],
    layout: {
      name: "concentric",
      concentric: (n) => 10 - n.data("step"),
      levelWidth: () => 1,
      minNodeSpacing: 60,
      avoidOverlap: true,
      padding: 30,
    },
    minZoom: 0.2,
    maxZoom: 3,
    wheelSensitivity: 0.2,
  });
  // A small graph fitted to the box would be drawn huge: no larger than life.
  const settle = () => {
    graph.fit(undefined, 30);
    if (graph.zoom() > 1.2) {
      graph.zoom(1.2);
      graph.center();
    }
  };
  settle();
  const highlight = (node) => {
    const near = node.closedNeighborhood();
    graph.elements().not(near).addClass("faded");
    near.edges().addClass("shown");
  };
  const clear = () => graph.elements().removeClass("faded shown");
  graph.on("mouseover", "node", (event) => highlight(event.target));
  graph.on("mouseout", "node", clear);
  graph.on("tap", "node", (event) => {
    const node = event.target.data();
    window.location.assign(`/cases/${node.case}/#decision-${node.id.slice(1)}`);
  });
  const zoomBy = (factor) =>
    graph.zoom({ level: graph.zoom() * factor, renderedPosition: { x: container.clientWidth / 2, y: container.clientHeight / 2 } });
  const tools = { in: () => zoomBy(1.25), out: () => zoomBy(0.8), fit: settle };
  document.querySelectorAll("[data-graph]").forEach((button) => button.addEventListener("click", tools[button.dataset.graph]));
  container.dataset.ready = "true";
})();
