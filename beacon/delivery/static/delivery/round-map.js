// The delivery day's rounds on a Leaflet map: one coloured route per driver from the depot
// through the stops in order and back, a numbered marker per stop, grey unassigned stops.
// Data: the JSON in #round-map-data (presenters/planning.py, day_map). Markers and routes need
// no tiles, so they still draw when the tile server cannot be reached; so do a scale, the
// depot's name and the postcode districts' names, so the picture means something without
// tiles. Markers that share a place (one building, or a home at the depot's postcode) are
// spread in a ring around it, with a dot at the place itself.
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

  const SIZE = 28; // a marker's width and height in pixels

  // Where each marker sits, in pixels from its place: [0, 0] unless it shares the place.
  // The depot keeps the middle of a shared place; the stops go round it.
  function placeKey(latLng) {
    return latLng[0].toFixed(5) + "," + latLng[1].toFixed(5);
  }
  const sharing = {};
  function share(latLng, isDepot) {
    const key = placeKey(latLng);
    sharing[key] = sharing[key] || { latLng: latLng, depot: false, stops: 0 };
    if (isDepot) {
      sharing[key].depot = true;
    } else {
      sharing[key].stops += 1;
    }
  }
  const placed = {};
  function offsetFor(latLng) {
    const group = sharing[placeKey(latLng)];
    const others = group.stops + (group.depot ? 1 : 0);
    if (others < 2) {
      return [0, 0];
    }
    const index = placed[placeKey(latLng)] || 0;
    placed[placeKey(latLng)] = index + 1;
    const radius = Math.max(SIZE, (group.stops * (SIZE + 4)) / (2 * Math.PI));
    const angle = (2 * Math.PI * index) / group.stops - Math.PI / 2;
    return [Math.round(radius * Math.cos(angle)), Math.round(radius * Math.sin(angle))];
  }

  function anchored(offset) {
    return {
      iconSize: [SIZE, SIZE],
      iconAnchor: [SIZE / 2 - offset[0], SIZE / 2 - offset[1]],
      popupAnchor: [offset[0], offset[1] - SIZE / 2],
    };
  }

  function stopIcon(label, colour, extraClass, offset) {
    const dot = document.createElement("span");
    dot.className = "round-map-stop " + extraClass;
    dot.style.backgroundColor = colour;
    dot.textContent = label;
    return L.divIcon(Object.assign({ className: "round-map-marker", html: dot }, anchored(offset)));
  }

  // A name on the map that is not a control: text only, never HTML (names come from records).
  function addName(latLng, text, className) {
    const words = document.createElement("span");
    words.textContent = text;
    return L.marker(latLng, {
      icon: L.divIcon({ className: className, html: words, iconSize: null }),
      interactive: false,
      keyboard: false,
      zIndexOffset: -1000,
    }).addTo(map);
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
  map.fitBounds(L.latLngBounds(everywhere), { padding: [48, 48], maxZoom: 15 });
  L.control.scale({ metric: true, imperial: true, maxWidth: 160 }).addTo(map);

  share(depot, true);
  data.rounds.concat([data.unassigned]).forEach(function (group) {
    group.stops.forEach(function (stop) {
      share([stop.lat, stop.lon], false);
    });
  });
  Object.keys(sharing).forEach(function (key) {
    const group = sharing[key];
    if (group.stops + (group.depot ? 1 : 0) > 1) {
      L.circleMarker(group.latLng, {
        radius: 4,
        color: "#212b32",
        fillColor: "#212b32",
        fillOpacity: 1,
        weight: 1,
        interactive: false,
        className: "round-map-shared-place",
      }).addTo(map);
    }
  });

  (data.districts || []).forEach(function (district) {
    addName([district.lat, district.lon], district.name, "round-map-district");
  });

  const depotName = data.depot.name || "Depot";
  const depotIcon = L.divIcon({ className: "round-map-depot", html: "D", iconSize: [SIZE, SIZE] });
  addMarker(depot, depotIcon, "Depot: " + depotName, [
    depotName,
    "Depot: every route starts and ends here",
  ]);
  const depotLabel = document.createElement("span");
  depotLabel.textContent = depotName;
  L.marker(depot, {
    icon: L.divIcon({
      className: "round-map-depot-name",
      html: depotLabel,
      iconSize: null,
      iconAnchor: [-SIZE / 2 - 4, 10],
    }),
    interactive: false,
    keyboard: false,
  }).addTo(map);

  data.rounds.forEach(function (round) {
    const who = round.driver + ", " + round.vehicle;
    const path = [depot];
    round.stops.forEach(function (stop) {
      const latLng = [stop.lat, stop.lon];
      path.push(latLng);
      const arrival = stop.arrival ? "Arrival " + stop.arrival : "Not timed: plan again";
      addMarker(
        latLng,
        stopIcon(String(stop.position), round.colour, "round-map-stop--planned", offsetFor(latLng)),
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
      stopIcon("?", data.unassigned.colour, "round-map-stop--unassigned", offsetFor([stop.lat, stop.lon])),
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
