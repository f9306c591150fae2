#include "map/layout.h"

#include <gtest/gtest.h>

#include "base/mapped_file.h"

namespace plcscope::map {
namespace {

TEST(LayoutTest, ConveyorMapWithChildElements) {
  auto l = ParseLayoutXml(R"(<?xml version="1.0"?>
<ConveyorMap version="1.0">
  <Object name="Belt_01" type="SmartFactory.SmartCIM.GUI.Widgets.WidgetBelt">
    <Size>120, 40</Size><Location>20, 100</Location><UnitId>B1ACNV13301-104</UnitId><Text>Infeed 1</Text>
  </Object>
  <Object name="Arrow_01" type="SmartFactory.SmartCIM.GUI.Widgets.WidgetArrow">
    <Size>30, 20</Size><Location>135, 110</Location><FlowDirection>Angle_90</FlowDirection>
  </Object>
</ConveyorMap>)");
  ASSERT_TRUE(l.ok()) << l.status().ToString();
  EXPECT_EQ(l->version, "1.0");
  ASSERT_EQ(l->objects.size(), 2u);
  const MapObject& belt = l->objects[0];
  EXPECT_EQ(belt.name, "Belt_01");
  EXPECT_EQ(belt.type, "SmartFactory.SmartCIM.GUI.Widgets.WidgetBelt");
  EXPECT_EQ(belt.size, "120, 40");
  EXPECT_EQ(belt.unit_id, "B1ACNV13301-104");
  EXPECT_EQ(belt.text, "Infeed 1");
  EXPECT_DOUBLE_EQ(belt.width, 120);
  EXPECT_DOUBLE_EQ(belt.height, 40);
  EXPECT_DOUBLE_EQ(belt.x, 20);
  EXPECT_DOUBLE_EQ(belt.y, 100);
  EXPECT_FALSE(belt.angle_deg.has_value());
  const MapObject* arrow = l->Find("Arrow_01");
  ASSERT_NE(arrow, nullptr);
  EXPECT_EQ(arrow->flow_direction, "Angle_90");
  ASSERT_TRUE(arrow->angle_deg.has_value());
  EXPECT_DOUBLE_EQ(*arrow->angle_deg, 90);
}

TEST(LayoutTest, MapLayoutWithAttributesInAnyCase) {
  auto l = ParseLayoutXml(R"(<MapLayout><Objects>
    <Object Name="P1" Type="X.WidgetPort" Size="10,12" Location="1, 2" UnitID="PORT-1"
            LINETHICK="3" foreColor="Red" EndCap="ArrowAnchor" startcap="Flat" DashStyle="Dash"/>
    <Object name="P2" unitid="PORT-2" location="5 6" size="7 8"/>
  </Objects></MapLayout>)");
  ASSERT_TRUE(l.ok()) << l.status().ToString();
  ASSERT_EQ(l->objects.size(), 2u);
  const MapObject& p = l->objects[0];
  EXPECT_EQ(p.name, "P1");
  EXPECT_EQ(p.type, "X.WidgetPort");
  EXPECT_EQ(p.unit_id, "PORT-1");
  EXPECT_EQ(p.line_thick, "3");
  EXPECT_EQ(p.fore_color, "Red");
  EXPECT_EQ(p.end_cap, "ArrowAnchor");
  EXPECT_EQ(p.start_cap, "Flat");
  EXPECT_EQ(p.dash_style, "Dash");
  EXPECT_DOUBLE_EQ(p.width, 10);
  EXPECT_DOUBLE_EQ(p.height, 12);
  EXPECT_EQ(l->objects[1].unit_id, "PORT-2");
  EXPECT_DOUBLE_EQ(l->objects[1].x, 5);
  EXPECT_DOUBLE_EQ(l->objects[1].height, 8);
  EXPECT_EQ(l->UnitIds(), (std::vector<std::string>{"PORT-1", "PORT-2"}));
}

TEST(LayoutTest, MapRootAndNestedObjectsFlattenedByName) {
  auto l = ParseLayoutXml(R"(<Map>
    <Object name="Group_A">
      <Object name="A1" unitId="U1"><Object name="A1_label" text="hello"/></Object>
      <Object><Object name="Deep" unitId="U2"/></Object>
    </Object>
  </Map>)");
  ASSERT_TRUE(l.ok()) << l.status().ToString();
  std::vector<std::string> names;
  for (const MapObject& o : l->objects) names.push_back(o.name);
  EXPECT_EQ(names, (std::vector<std::string>{"Group_A", "A1", "A1_label", "Deep"}));
  EXPECT_EQ(l->Find("A1_label")->text, "hello");
  // A1's own text is not taken from its child object.
  EXPECT_EQ(l->Find("A1")->text, "");
}

TEST(LayoutTest, DotNetDesignerExportWithPropertyElements) {
  auto l =
      ParseLayoutXml(R"(<Object type="SmartFactory.SmartCIM.GUI.MapForm, SmartCIM" name="MapForm">
  <Property name="Size">2000, 1000</Property>
  <Object type="SmartFactory.SmartCIM.GUI.Widgets.WidgetBelt, SmartCIM" name="widgetBelt1">
    <Property name="Location">40, 80</Property>
    <Property name="Size">100, 30</Property>
    <Property name="UnitId">B1ACNV13301</Property>
    <Property name="FlowDirection">Angle_180</Property>
  </Object>
  <Object type="SmartFactory.SmartCIM.GUI.Widgets.WidgetLabel, SmartCIM" name="label1">
    <Property name="Text">Line 1</Property>
  </Object>
</Object>)");
  ASSERT_TRUE(l.ok()) << l.status().ToString();
  // The root object is the designer's canvas, not a map object.
  ASSERT_EQ(l->objects.size(), 2u);
  const MapObject& b = l->objects[0];
  EXPECT_EQ(b.name, "widgetBelt1");
  EXPECT_EQ(b.type, "SmartFactory.SmartCIM.GUI.Widgets.WidgetBelt, SmartCIM");
  EXPECT_EQ(b.unit_id, "B1ACNV13301");
  EXPECT_DOUBLE_EQ(b.x, 40);
  EXPECT_DOUBLE_EQ(b.width, 100);
  EXPECT_DOUBLE_EQ(*b.angle_deg, 180);
  EXPECT_EQ(l->objects[1].text, "Line 1");
}

TEST(LayoutTest, DuplicateNameKeepsTheLastDefinitionInPlace) {
  auto l = ParseLayoutXml(R"(<ConveyorMap><Object name="A" text="one"/><Object name="B"/>
    <Object name="A" text="two"/></ConveyorMap>)");
  ASSERT_TRUE(l.ok());
  ASSERT_EQ(l->objects.size(), 2u);
  EXPECT_EQ(l->objects[0].text, "two");
}

TEST(LayoutTest, InvalidXmlIsAClearError) {
  auto l = ParseLayoutXml("<ConveyorMap>\n<Object name=\"A\">\n</ConveyorMap>");
  ASSERT_FALSE(l.ok());
  EXPECT_EQ(l.status().code(), base::StatusCode::kInvalidArgument);
  EXPECT_NE(l.status().message().find("invalid layout XML at line 3"), std::string::npos)
      << l.status().message();

  auto empty = ParseLayoutXml("");
  ASSERT_FALSE(empty.ok());
  auto wrong_root = ParseLayoutXml("<Svg><Object name=\"A\"/></Svg>");
  ASSERT_FALSE(wrong_root.ok());
  EXPECT_NE(wrong_root.status().message().find("unknown root <Svg>"), std::string::npos);
  auto garbage = ParseLayoutXml(std::string("\x00\x01\xff<", 4));
  EXPECT_FALSE(garbage.ok());
}

TEST(LayoutTest, ParsesPairsAndAngles) {
  double a = 0, b = 0;
  EXPECT_TRUE(ParsePair(" 1.5 ,-2 ", &a, &b));
  EXPECT_DOUBLE_EQ(a, 1.5);
  EXPECT_DOUBLE_EQ(b, -2);
  EXPECT_FALSE(ParsePair("12", &a, &b));
  EXPECT_FALSE(ParsePair("x, 1", &a, &b));
  EXPECT_DOUBLE_EQ(*ParseFlowAngle("angle_270"), 270);
  EXPECT_DOUBLE_EQ(*ParseFlowAngle("45"), 45);
  EXPECT_FALSE(ParseFlowAngle("Angle_").has_value());
  EXPECT_FALSE(ParseFlowAngle("Left").has_value());
}

TEST(LayoutTest, TheDemoLayoutParses) {
  auto file = base::ReadFileToString(std::string(PLCSCOPE_SOURCE_DIR) + "/demo/layout.xml");
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  const std::string& text = *file;
  auto l = ParseLayoutXml(text);
  ASSERT_TRUE(l.ok()) << l.status().ToString();
  EXPECT_GE(l->objects.size(), 30u);
  const MapObject* belt = l->Find("Belt_104");
  ASSERT_NE(belt, nullptr);
  EXPECT_EQ(belt->unit_id, "B1ACNV13301-104");
  EXPECT_DOUBLE_EQ(belt->width, 120);
}

// A layout nested 12,000 levels (82 KB) crashed the server with a stack
// overflow in the recursive flattening; now it is an error naming the limit.
TEST(LayoutTest, DeepNestingIsAnErrorNotACrash) {
  std::string xml = "<ConveyorMap>";
  for (int i = 0; i < 12000; ++i) xml += "<Object>";
  for (int i = 0; i < 12000; ++i) xml += "</Object>";
  xml += "</ConveyorMap>";
  auto l = ParseLayoutXml(xml);
  ASSERT_FALSE(l.ok());
  EXPECT_EQ(l.status().code(), base::StatusCode::kInvalidArgument);
  EXPECT_NE(l.status().message().find("nested deeper than 64 levels"), std::string::npos)
      << l.status().ToString();
}

TEST(LayoutTest, NestingUpToTheLimitIsAccepted) {
  // The root is level 1; 62 <Object>s below it, the last holding text (level 64).
  std::string xml = "<Map>";
  for (int i = 0; i < 62; ++i) xml += "<Object name=\"o" + std::to_string(i) + "\">";
  xml += "<Text>deep</Text>";
  for (int i = 0; i < 62; ++i) xml += "</Object>";
  xml += "</Map>";
  auto l = ParseLayoutXml(xml);
  ASSERT_TRUE(l.ok()) << l.status().ToString();
  ASSERT_EQ(l->objects.size(), 62u);
  EXPECT_EQ(l->objects[0].name, "o0");  // document order
  EXPECT_EQ(l->objects[61].text, "deep");
}

// The old backend kept a label as written; "BCR " lost its space.
TEST(LayoutTest, TextIsKeptAsWritten) {
  auto l = ParseLayoutXml(R"(<ConveyorMap>
  <Object name=" Label_01 "><Text>BCR </Text><UnitId> U1 </UnitId></Object>
  <Object name="Label_02" text="  two  "/>
</ConveyorMap>)");
  ASSERT_TRUE(l.ok()) << l.status().ToString();
  ASSERT_EQ(l->objects.size(), 2u);
  EXPECT_EQ(l->objects[0].text, "BCR ");
  EXPECT_EQ(l->objects[0].name, "Label_01");  // names and ids are still trimmed
  EXPECT_EQ(l->objects[0].unit_id, "U1");
  EXPECT_EQ(l->objects[1].text, "  two  ");
}

TEST(LayoutTest, InvalidUtf8IsRepaired) {
  auto l = ParseLayoutXml(
      "<Map><Object name=\"A\xff\" text=\"St\xf6rung\"/>"
      "<Object name=\"A\xfe\"/></Map>");
  ASSERT_TRUE(l.ok()) << l.status().ToString();
  ASSERT_EQ(l->objects.size(), 1u);  // both names repair to the same one: later wins
  EXPECT_EQ(l->objects[0].name, "A\xEF\xBF\xBD");
  EXPECT_EQ(l->objects[0].text, "");
}

}  // namespace
}  // namespace plcscope::map
