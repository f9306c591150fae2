#include "map/layout.h"

#include <charconv>
#include <cstring>
#include <pugixml.hpp>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "base/utf8.h"
#include "base/value_text.h"

namespace plcscope::map {
namespace {

bool IEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

bool ParseDouble(std::string_view s, double* out) {
  s = base::Trim(s);
  if (s.empty()) return false;
  if (s.front() == '+') s.remove_prefix(1);
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && end == s.data() + s.size();
}

// A property of an object element, looked up in the three places a layout
// may keep it (any case of the name):
//   <Object name="Belt_01" ...>                      attribute
//   <Object><Size>120, 40</Size></Object>            child element
//   <Object><Property name="Size">120, 40</Property>  .NET designer export
// Values are trimmed, except `text` (the label drawn on the map), which is
// kept as written: "<Text>BCR </Text>" -> "BCR ". Invalid UTF-8 is repaired
// (U+FFFD) here, so names stay distinct keys in the JSON that shows them.
std::string Property(const pugi::xml_node& node, std::string_view key) {
  const bool verbatim = IEquals(key, "text");
  auto value = [verbatim](const char* v) {
    std::string_view text = verbatim ? std::string_view(v) : base::Trim(v);
    return base::IsValidUtf8(text) ? std::string(text) : base::RepairUtf8(text);
  };
  for (const pugi::xml_attribute& a : node.attributes()) {
    if (IEquals(a.name(), key)) return value(a.value());
  }
  for (const pugi::xml_node& c : node.children()) {
    if (c.type() != pugi::node_element) continue;
    if (IEquals(c.name(), key)) return value(c.text().get());
    if (IEquals(c.name(), "Property") && IEquals(c.attribute("name").value(), key)) {
      return value(c.text().get());
    }
  }
  return {};
}

MapObject ReadObject(const pugi::xml_node& node) {
  MapObject o;
  o.name = Property(node, "name");
  o.type = Property(node, "type");
  o.text = Property(node, "text");
  o.size = Property(node, "size");
  o.location = Property(node, "location");
  o.unit_id = Property(node, "unitId");
  o.line_thick = Property(node, "lineThick");
  o.flow_direction = Property(node, "flowDirection");
  o.fore_color = Property(node, "foreColor");
  o.end_cap = Property(node, "endCap");
  o.start_cap = Property(node, "startCap");
  o.dash_style = Property(node, "dashStyle");
  ParsePair(o.size, &o.width, &o.height);
  ParsePair(o.location, &o.x, &o.y);
  o.angle_deg = ParseFlowAngle(o.flow_direction);
  return o;
}

// Adds each named <Object> at or below the root's children to a layout, in
// document order; names flatten the tree (a later object of a name wins).
class Flattener {
 public:
  explicit Flattener(Layout* layout) : layout_(layout) {}

  // Walks every element below `root` depth first with an explicit stack (a
  // layout is untrusted text: no recursion over it); an element deeper than
  // kMaxLayoutDepth is an InvalidArgument.
  base::Status Visit(const pugi::xml_node& root) {
    std::vector<pugi::xml_node> next;  // per level: the next sibling to look at
    next.push_back(root.first_child());
    while (!next.empty()) {
      const pugi::xml_node c = next.back();
      if (!c) {
        next.pop_back();
        continue;
      }
      next.back() = c.next_sibling();
      if (c.type() != pugi::node_element) continue;
      if (next.size() + 1 > static_cast<size_t>(kMaxLayoutDepth)) {  // c's level; the root is 1
        return base::InvalidArgument("invalid layout XML: the layout is nested deeper than " +
                                     std::to_string(kMaxLayoutDepth) + " levels");
      }
      if (IEquals(c.name(), "Object")) Add(ReadObject(c));
      if (c.first_child()) next.push_back(c.first_child());
    }
    return base::Status::Ok();
  }

 private:
  void Add(MapObject o) {
    if (o.name.empty()) return;
    auto [it, inserted] = index_.try_emplace(o.name, layout_->objects.size());
    if (inserted) {
      layout_->objects.push_back(std::move(o));
    } else {
      layout_->objects[it->second] = std::move(o);
    }
  }

  Layout* layout_;
  std::unordered_map<std::string, size_t> index_;
};

}  // namespace

const MapObject* Layout::Find(std::string_view name) const {
  for (const MapObject& o : objects) {
    if (o.name == name) return &o;
  }
  return nullptr;
}

std::vector<std::string> Layout::UnitIds() const {
  std::vector<std::string> out;
  std::unordered_set<std::string> seen;
  for (const MapObject& o : objects) {
    if (!o.unit_id.empty() && seen.insert(o.unit_id).second) out.push_back(o.unit_id);
  }
  return out;
}

bool ParsePair(std::string_view text, double* a, double* b) {
  text = base::Trim(text);
  size_t sep = text.find(',');
  if (sep == std::string_view::npos) sep = text.find(' ');
  if (sep == std::string_view::npos) return false;
  double x, y;
  if (!ParseDouble(text.substr(0, sep), &x) || !ParseDouble(text.substr(sep + 1), &y)) {
    return false;
  }
  *a = x;
  *b = y;
  return true;
}

std::optional<double> ParseFlowAngle(std::string_view text) {
  text = base::Trim(text);
  if (text.size() > 6 && IEquals(text.substr(0, 6), "Angle_")) text.remove_prefix(6);
  double deg;
  if (!ParseDouble(text, &deg)) return std::nullopt;
  return deg;
}

base::Result<Layout> ParseLayoutXml(std::string_view xml) {
  pugi::xml_document doc;
  pugi::xml_parse_result parsed = doc.load_buffer(xml.data(), xml.size());
  if (!parsed) {
    size_t offset = static_cast<size_t>(std::max<ptrdiff_t>(parsed.offset, 0));
    size_t line = 1;
    for (size_t i = 0; i < offset && i < xml.size(); ++i) line += xml[i] == '\n';
    return base::InvalidArgument("invalid layout XML at line " + std::to_string(line) + " (byte " +
                                 std::to_string(offset) + "): " + parsed.description());
  }
  pugi::xml_node root = doc.document_element();
  if (!root) return base::InvalidArgument("invalid layout XML: no root element");
  std::string_view root_name = root.name();
  if (!IEquals(root_name, "ConveyorMap") && !IEquals(root_name, "MapLayout") &&
      !IEquals(root_name, "Map") && !IEquals(root_name, "Object")) {
    return base::InvalidArgument("invalid layout XML: unknown root <" + std::string(root_name) +
                                 ">; expected <ConveyorMap>, <MapLayout>, <Map> or <Object>");
  }
  Layout layout;
  layout.version = Property(root, "version");
  // A root <Object> is the designer's canvas: its children are the map.
  PLCSCOPE_RETURN_IF_ERROR(Flattener(&layout).Visit(root));
  return layout;
}

}  // namespace plcscope::map
