// The delivery day's rounds on a Leaflet map: one coloured route per driver from the depot
// through the stops in order and back, a numbered marker per stop, grey unassigned stops.
// Data: the JSON in #round-map-data (presenters/planning.py, day_map). Markers and routes need
// no tiles, so they still draw when the tile server cannot be reached.
(function () {
  "use strict";

  const ATTRIBUTION =
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors';
  const container = document.getElementById("round-map");
  const source = document.getElementById("round-map-data");
  if (!container || !source || typeof L === "undefined") {
    return; // The lists below the map carry the same information.
  }
  const data = JSON.parse(source.textContent);

  const map = L.map(container, { scrollWheelZoom: false });
  const tileUrl = container.dataset.tileUrl;
  if (tileUrl) {
    L.tileLayer(tileUrl, { attribution: ATTRIBUTION, maxZoom: 19 }).addTo(map);
  }

  // Popups and labels are built as text, never as HTML: names come from records.
  function popupFor(lines) {
    const box = document.createElement("div");
    lines.forEach(function (line, index) {
      const part = document.createElement(index === 0 ? "strong" : "div");
      part.textContent = line;
      box.appendChild(part);
    });
    return box;
  }

  function stopIcon(label, colour, extraClass) {
    const dot = document.createElement("span");
    dot.className = "round-map-stop " + extraClass;
    dot.style.backgroundColor = colour;
    dot.textContent = label;
    return L.divIcon({ className: "round-map-marker", html: dot, iconSize: [28, 28] });
  }

  function addMarker(latLng, icon, description, popupLines) {
    const marker = L.marker(latLng, { icon: icon, title: description, riseOnHover: true });
    marker.bindPopup(popupFor(popupLines)).addTo(map);
    marker.getElement().setAttribute("aria-label", description);
    return marker;
  }

  // Set the view first: Leaflet adds layers (and their elements) only to a map with a view.
  const depot = [data.depot.lat, data.depot.lon];
  const everywhere = [depot];
  data.rounds.concat([data.unassigned]).forEach(function (group) {
    group.stops.forEach(function (stop) {
      everywhere.push([stop.lat, stop.lon]);
    });
  });
  map.fitBounds(L.latLngBounds(everywhere), { padding: [32, 32], maxZoom: 15 });

  const depotIcon = L.divIcon({ className: "round-map-depot", html: "D", iconSize: [28, 28] });
  addMarker(depot, depotIcon, "Depot", ["Depot", "Every route starts and ends here"]);

  data.rounds.forEach(function (round) {
    const who = round.driver + ", " + round.vehicle;
    const path = [depot];
    round.stops.forEach(function (stop) {
      const latLng = [stop.lat, stop.lon];
      path.push(latLng);
      const arrival = stop.arrival ? "Arrival " + stop.arrival : "Not timed: plan again";
      addMarker(
        latLng,
        stopIcon(String(stop.position), round.colour, "round-map-stop--planned"),
        "Stop " + stop.position + " of " + who + ": parcel " + stop.parcel_number,
        [
          "Parcel " + stop.parcel_number,
          stop.name + ", " + stop.postcode,
          "Stop " + stop.position + ", " + who,
          arrival,
        ],
      );
    });
    if (round.stops.length) {
      path.push(depot);
      L.polyline(path, {
        color: round.colour,
        weight: 4,
        opacity: 0.85,
        className: "round-map-route",
      })
        .bindPopup(popupFor([who, round.stops.length + " stops on the map"]))
        .addTo(map);
    }
  });

  data.unassigned.stops.forEach(function (stop) {
    addMarker(
      [stop.lat, stop.lon],
      stopIcon("?", data.unassigned.colour, "round-map-stop--unassigned"),
      "Unassigned: parcel " + stop.parcel_number,
      ["Parcel " + stop.parcel_number, stop.name + ", " + stop.postcode, "Unassigned"],
    );
  });

  // A key to the colours below the map (over it, it would hide stops), so colour is never
  // the only way to tell the rounds apart.
  const key = document.getElementById("round-map-key");
  if (key) {
    const entries = data.rounds.map(function (round) {
      return [round.colour, round.driver + ", " + round.vehicle];
    });
    if (data.unassigned.stops.length) {
      entries.push([data.unassigned.colour, "Unassigned (?)"]);
    }
    entries.forEach(function (entry) {
      const item = document.createElement("li");
      const swatch = document.createElement("span");
      swatch.className = "round-map-key__swatch";
      swatch.style.backgroundColor = entry[0];
      item.append(swatch, entry[1]);
      key.appendChild(item);
    });
  }
})();
