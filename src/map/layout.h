// Map layout: the conveyor drawing a map view shows (docs/formats.md §7, docs/map.md).
// ParseLayoutXml turns any of the accepted XML forms into a flat list of named
// objects. Value types; Layout is immutable once parsed and safe to share
// between threads through a const reference or shared_ptr.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace plcscope::map {

// One drawable object. Text fields are kept as written in the XML so that the
// compat JSON shape (docs/api.md "Map view") repeats them verbatim; the parsed
// geometry sits beside them for the server's own use.
struct MapObject {
  std::string name;
  std::string type;  // a .NET class name, e.g. "...Widgets.WidgetBelt, ..."
  std::string text;
  std::string size;      // "w, h"
  std::string location;  // "x, y"
  std::string unit_id;
  std::string line_thick;
  std::string flow_direction;  // "Angle_<deg>"
  std::string fore_color;
  std::string end_cap;
  std::string start_cap;
  std::string dash_style;

  double x = 0, y = 0, width = 0, height = 0;
  std::optional<double> angle_deg;  // from flow_direction when it parses
};

struct Layout {
  std::string version;             // the root's version attribute, "" when none
  std::vector<MapObject> objects;  // document order; names are unique (later wins)

  const MapObject* Find(std::string_view name) const;
  // Distinct non-empty unit ids, in first-seen order.
  std::vector<std::string> UnitIds() const;
};

// The deepest element nesting a layout may have (the root is level 1).
inline constexpr int kMaxLayoutDepth = 64;

// Parses a layout from XML text. Accepted roots: <ConveyorMap>, <MapLayout>
// (objects under <Objects>), <Map>, or an <Object> holding <Object> children.
// Invalid XML or an unknown root is an InvalidArgument naming the problem
// (and, for syntax errors, the byte offset and line), as is a layout nested
// deeper than kMaxLayoutDepth. Iterative: any input is safe to pass.
base::Result<Layout> ParseLayoutXml(std::string_view xml);

// "120, 40" -> {120, 40}; false when the text is not two numbers.
bool ParsePair(std::string_view text, double* a, double* b);
// "Angle_90" (any case, also "90") -> 90.
std::optional<double> ParseFlowAngle(std::string_view text);

}  // namespace plcscope::map
