#include "gen/plant.h"

#include <algorithm>
#include <cmath>
#include <string_view>

#include "gen/prng.h"

namespace plcscope::gen {
namespace {

using T = ValueType;
using K = ValueKind;

// One row of the signal-name catalogue. `popularity` (1..3) sets how many
// devices carry the name.
struct NameSpec {
  const char* name;
  const char* category;
  ValueType type;
  ValueKind kind;
  int64_t lo, hi;
  int vocabulary;
  int popularity;
};

// Vocabulary indexes.
enum : int {
  kVocStates = 0,
  kVocModes,
  kVocLineStates,
  kVocJob,
  kVocCommands,
  kVocRecipes,
  kVocModels,
  kVocUnits,
  kVocVersions,
  kVocMessages,
  kVocTray,
  kVocCassette,
  kVocLot,
  kVocBarcode,
  kVocCount
};

#define B(n, c, pop) \
  { n, c, T::kBoolean, K::kToggle, 0, 1, 0, pop }
#define I(n, c, kind, lo, hi, pop) \
  { n, c, T::kInteger, K::kind, lo, hi, 0, pop }
#define S(n, c, kind, voc, pop) \
  { n, c, T::kString, K::kind, 0, 0, voc, pop }

constexpr NameSpec kNames[] = {
    B("I_TRAY_EXIST", "INPUT", 3),
    B("I_LEVEL1_TRAY_EXIST", "INPUT2", 2),
    B("I_LEVEL2_TRAY_EXIST", "INPUT2", 2),
    B("I_LEVEL3_TRAY_EXIST", "INPUT2", 1),
    B("I_MOVE_IN", "INPUT2", 3),
    B("I_MOVE_OUT", "INPUT2", 3),
    B("I_MOVE_IN_REQ", "INPUT2", 2),
    B("I_MOVE_OUT_REQ", "INPUT2", 2),
    B("I_MOVE_IN_COMPLETE", "INPUT2", 2),
    B("I_MOVE_OUT_COMPLETE", "INPUT2", 2),
    B("I_ARRIVAL_SENSOR", "INPUT", 3),
    B("I_DECEL_SENSOR", "INPUT", 2),
    B("I_STOP_SENSOR", "INPUT", 2),
    B("I_SLOW_SENSOR", "INPUT", 1),
    B("I_ENTRY_SENSOR", "INPUT", 2),
    B("I_EXIT_SENSOR", "INPUT", 2),
    B("I_STOPPER_UP", "INPUT", 2),
    B("I_STOPPER_DOWN", "INPUT", 2),
    B("I_LIFT_UP_END", "INPUT", 1),
    B("I_LIFT_DOWN_END", "INPUT", 1),
    B("I_LIFT_MID_POS", "INPUT", 1),
    B("I_TURN_CW_END", "INPUT", 1),
    B("I_TURN_CCW_END", "INPUT", 1),
    B("I_CLAMP_FWD", "INPUT", 1),
    B("I_CLAMP_BWD", "INPUT", 1),
    B("I_PUSHER_FWD", "INPUT", 1),
    B("I_PUSHER_BWD", "INPUT", 1),
    B("I_CENTERING_FWD", "INPUT", 1),
    B("I_CENTERING_BWD", "INPUT", 1),
    B("I_DOOR_CLOSED", "INPUT", 1),
    B("I_DOOR_LOCKED", "INPUT", 1),
    B("I_LIGHT_CURTAIN_OK", "INPUT", 1),
    B("I_AIR_PRESSURE_OK", "INPUT", 2),
    B("I_MOTOR_OVERLOAD", "INPUT", 2),
    B("I_INVERTER_READY", "INPUT", 2),
    B("I_INVERTER_FAULT", "INPUT", 2),
    B("I_SERVO_READY", "INPUT", 1),
    B("I_SERVO_ALARM", "INPUT", 1),
    B("I_BUFFER_FULL", "INPUT2", 1),
    B("I_BUFFER_EMPTY", "INPUT2", 1),
    B("I_TRAY_DIRECTION_OK", "INPUT2", 1),
    B("I_TRAY_HEIGHT_OVER", "INPUT2", 1),
    B("I_TRAY_DOUBLE_DETECT", "INPUT2", 1),
    B("I_BCR_READ_OK", "INPUT2", 1),
    B("I_BCR_READ_NG", "INPUT2", 1),
    B("I_RFID_READ_OK", "INPUT2", 1),
    B("I_AUTO_MODE", "INPUT", 2),
    B("I_MANUAL_MODE", "INPUT", 2),
    B("I_RESET_SW", "INPUT", 1),
    B("I_START_SW", "INPUT", 1),
    B("I_STOP_SW", "INPUT", 1),
    B("I_HANDSHAKE_READY", "INPUT2", 2),
    B("I_HANDSHAKE_BUSY", "INPUT2", 2),
    B("I_HANDSHAKE_COMPLETE", "INPUT2", 2),
    B("I_UPSTREAM_READY", "INPUT2", 2),
    B("I_DOWNSTREAM_READY", "INPUT2", 2),
    B("I_PIO_VALID", "INPUT2", 1),
    B("I_PIO_CS_0", "INPUT2", 1),
    B("I_PIO_TR_REQ", "INPUT2", 1),
    B("I_PIO_BUSY", "INPUT2", 1),
    B("I_PIO_COMPT", "INPUT2", 1),
    B("I_FIRE_SENSOR", "INPUT", 1),
    B("I_SMOKE_DETECT", "INPUT", 1),
    B("I_TEMP_ALARM", "INPUT", 1),
    B("I_RACK_EXIST", "INPUT2", 1),
    B("I_CELL_EXIST", "INPUT2", 1),
    B("I_JAM_DETECT", "INPUT", 1),
    B("I_OVER_TRAVEL", "INPUT", 1),
    B("O_MOTOR_RUN", "OUTPUT", 3),
    B("O_MOTOR_FWD", "OUTPUT", 2),
    B("O_MOTOR_REV", "OUTPUT", 2),
    B("O_MOTOR_HIGH_SPEED", "OUTPUT", 2),
    B("O_MOTOR_LOW_SPEED", "OUTPUT", 2),
    B("O_STOPPER_UP", "OUTPUT", 2),
    B("O_STOPPER_DOWN", "OUTPUT", 2),
    B("O_LIFT_UP", "OUTPUT", 1),
    B("O_LIFT_DOWN", "OUTPUT", 1),
    B("O_TURN_CW", "OUTPUT", 1),
    B("O_TURN_CCW", "OUTPUT", 1),
    B("O_CLAMP", "OUTPUT", 1),
    B("O_UNCLAMP", "OUTPUT", 1),
    B("O_PUSHER_FWD", "OUTPUT", 1),
    B("O_PUSHER_BWD", "OUTPUT", 1),
    B("O_CENTERING", "OUTPUT", 1),
    B("O_MOVE_IN_READY", "OUTPUT", 2),
    B("O_MOVE_OUT_READY", "OUTPUT", 2),
    B("O_MOVE_IN_ENABLE", "OUTPUT", 2),
    B("O_MOVE_OUT_ENABLE", "OUTPUT", 2),
    B("O_BUZZER", "OUTPUT", 1),
    B("O_LAMP_RED", "OUTPUT", 1),
    B("O_LAMP_YELLOW", "OUTPUT", 1),
    B("O_LAMP_GREEN", "OUTPUT", 1),
    B("O_DOOR_UNLOCK", "OUTPUT", 1),
    B("O_BCR_TRIGGER", "OUTPUT", 1),
    B("O_RFID_TRIGGER", "OUTPUT", 1),
    B("O_PIO_L_REQ", "OUTPUT", 1),
    B("O_PIO_U_REQ", "OUTPUT", 1),
    B("O_PIO_READY", "OUTPUT", 1),
    B("O_HO_AVBL", "OUTPUT", 1),
    B("O_ES_OK", "OUTPUT", 1),
    B("O_AIR_BLOW", "OUTPUT", 1),
    B("O_VACUUM_ON", "OUTPUT", 1),
    B("O_ION_BLOWER", "OUTPUT", 1),
    B("O_HEATER_ON", "OUTPUT", 1),
    B("O_FAN_ON", "OUTPUT", 1),
    I("TRAY_COUNT", "STATUS", kCounter, 0, 0, 3),
    I("CELL_COUNT", "STATUS", kCounter, 0, 0, 1),
    I("MOTOR_CURRENT", "STATUS", kAnalog, 0, 1200, 2),
    I("MOTOR_SPEED", "STATUS", kAnalog, 0, 3000, 2),
    I("INVERTER_FREQ", "STATUS", kAnalog, 0, 6000, 1),
    I("SERVO_POSITION", "STATUS", kAnalog, -50000, 50000, 1),
    I("SERVO_TORQUE", "STATUS", kAnalog, -300, 300, 1),
    I("LIFT_POSITION", "STATUS", kCycle, 0, 3, 1),
    I("TURN_ANGLE", "STATUS", kAnalog, -180, 180, 1),
    I("ALARM_CODE", "ALARM", kCode, 100, 999, 2),
    I("WARNING_CODE", "ALARM", kCode, 1000, 1999, 1),
    I("ERROR_CODE", "ALARM", kCode, 1, 255, 1),
    I("STEP_NO", "STATUS", kCycle, 0, 12, 2),
    I("SEQ_STEP", "STATUS", kCycle, 0, 30, 1),
    I("CYCLE_TIME_MS", "STATUS", kAnalog, 800, 4000, 1),
    I("TACT_TIME_MS", "STATUS", kAnalog, 1500, 9000, 1),
    I("BUFFER_COUNT", "STATUS", kCycle, 0, 8, 1),
    I("QUEUE_LENGTH", "STATUS", kCycle, 0, 5, 1),
    I("ZONE_TEMP", "STATUS", kAnalog, 180, 450, 1),
    I("AIR_PRESSURE_KPA", "STATUS", kAnalog, 380, 620, 1),
    I("RETRY_COUNT", "STATUS", kCounter, 0, 0, 1),
    I("BCR_READ_COUNT", "STATUS", kCounter, 0, 0, 1),
    I("DEST_PORT", "DATA", kCycle, 1, 16, 1),
    I("SRC_PORT", "DATA", kCycle, 1, 16, 1),
    I("CURRENT_ZONE", "DATA", kCycle, 1, 9, 1),
    I("TARGET_ZONE", "DATA", kCycle, 1, 9, 1),
    I("HEARTBEAT", "STATUS", kCounter, 0, 0, 2),
    I("PIO_STATE", "STATUS", kCycle, 0, 7, 1),
    I("MODE_CODE", "STATUS", kCycle, 0, 4, 1),
    I("JOB_NO", "DATA", kCounter, 0, 0, 1),
    I("LOT_QTY", "DATA", kCounter, 0, 0, 1),
    I("RACK_LEVEL", "DATA", kCycle, 1, 6, 1),
    S("STATE", "STATUS", kState, kVocStates, 3),
    S("MODE", "STATUS", kState, kVocModes, 2),
    S("LINE_STATE", "STATUS", kState, kVocLineStates, 1),
    S("JOB_STATUS", "DATA", kState, kVocJob, 1),
    S("COMMAND", "DATA", kState, kVocCommands, 1),
    S("TRAY_ID", "DATA", kId, kVocTray, 2),
    S("CARRIER_ID", "DATA", kId, kVocCassette, 1),
    S("LOT_ID", "DATA", kId, kVocLot, 1),
    S("BCR_DATA", "DATA", kId, kVocBarcode, 1),
    S("RFID_DATA", "DATA", kId, kVocCassette, 1),
    S("RECIPE", "DATA", kChoice, kVocRecipes, 1),
    S("MODEL_CODE", "DATA", kChoice, kVocModels, 1),
    S("DEST_UNIT", "DATA", kChoice, kVocUnits, 1),
    S("SRC_UNIT", "DATA", kChoice, kVocUnits, 1),
    S("PLC_VERSION", "STATUS", kChoice, kVocVersions, 1),
    S("ALARM_TEXT", "ALARM", kMessage, kVocMessages, 1),
    S("LAST_ERROR", "ALARM", kMessage, kVocMessages, 1),
    S("OPERATOR_MSG", "STATUS", kMessage, kVocMessages, 1),
};
#undef B
#undef I
#undef S

constexpr const char* kStates[] = {"IDLE",   "RUNNING", "WAITING", "STOPPED",
                                   "MANUAL", "ERROR",   "INIT"};
constexpr const char* kModes[] = {"AUTO", "MANUAL", "MAINT", "SEMI_AUTO"};
constexpr const char* kLineStates[] = {"RUNNING", "STOPPED", "ALARM", "WARMUP"};
constexpr const char* kJob[] = {"QUEUED", "ACTIVE", "DONE", "ABORTED"};
constexpr const char* kCommands[] = {"NONE",      "MOVE_IN", "MOVE_OUT", "LIFT_UP",
                                     "LIFT_DOWN", "TURN",    "HOLD"};
constexpr const char* kRecipes[] = {"RCP_A100", "RCP_A200", "RCP_B110", "RCP_C300"};
constexpr const char* kModels[] = {"M-4680-N1", "M-2170-H", "M-18650-S"};
constexpr const char* kUnits[] = {"STK-01", "STK-02", "AGING-A", "AGING-B", "FORM-03", "PACK-01"};
constexpr const char* kVersions[] = {"V2.3.1", "V2.4.0"};
constexpr const char* kMessages[] = {
    "OK",
    "Tray jam at sensor S3 [zone 2]",
    "Motor overload: inverter trip (code 31)",
    "Door opened, line paused",
    "BCR read fail: retry 2/3",
    "Air pressure low: 0.42 MPa",
    "Handshake timeout [PIO TR_REQ]",
};
constexpr const char* kTray[] = {"TRAY"};
constexpr const char* kCassette[] = {"CST"};
constexpr const char* kLot[] = {"LOT2509"};
constexpr const char* kBarcode[] = {"BC"};

constexpr const char* kAreas[] = {"PRE_AGING",   "HT_AGING", "FORMATION",  "DEGAS_PRESS",
                                  "OCV_GRADING", "PACKING",  "STACKER_IN", "BUFFER_OUT"};
struct GroupSpec {
  const char* path_part;
  DeviceGroup group;
};
constexpr GroupSpec kGroups[] = {
    {"Belts", DeviceGroup::kBelt}, {"Belts", DeviceGroup::kBelt},
    {"Belts", DeviceGroup::kBelt}, {"Lifters", DeviceGroup::kLifter},
    {"Ports", DeviceGroup::kPort}, {"Turntables", DeviceGroup::kTurntable}};

// The one device group a name belongs to, or kSystem for "any device".
DeviceGroup HomeGroup(std::string_view name) {
  auto has = [&](const char* part) { return name.find(part) != std::string_view::npos; };
  if (has("LIFT")) return DeviceGroup::kLifter;
  if (has("TURN")) return DeviceGroup::kTurntable;
  if (has("PIO") || has("PORT") || has("HO_AVBL") || has("ES_OK")) return DeviceGroup::kPort;
  return DeviceGroup::kSystem;
}

bool Allowed(std::string_view name, DeviceGroup device) {
  DeviceGroup home = HomeGroup(name);
  return home == DeviceGroup::kSystem || home == device;
}

}  // namespace

Vocabulary GetVocabulary(int index) {
  switch (index) {
#define V(i, a) \
  case i:       \
    return {a, static_cast<int>(std::size(a))};
    V(kVocStates, kStates)
    V(kVocModes, kModes)
    V(kVocLineStates, kLineStates)
    V(kVocJob, kJob)
    V(kVocCommands, kCommands)
    V(kVocRecipes, kRecipes)
    V(kVocModels, kModels)
    V(kVocUnits, kUnits)
    V(kVocVersions, kVersions)
    V(kVocMessages, kMessages)
    V(kVocTray, kTray)
    V(kVocCassette, kCassette)
    V(kVocLot, kLot)
    V(kVocBarcode, kBarcode)
#undef V
    default:
      return {kStates, static_cast<int>(std::size(kStates))};
  }
}

namespace {

std::string Padded(uint64_t v, int width) {
  std::string s(width, '0');
  for (int i = width - 1; i >= 0; --i, v /= 10) s[i] = static_cast<char>('0' + v % 10);
  return s;
}

// Adds the conveyor lines and system devices of the reference plant.
void AddDevices(Rng& rng, int device_count, Plant& plant) {
  int system_devices = std::max(2, device_count / 16);
  int conveyor_devices = std::max(0, device_count - system_devices);
  uint32_t line_index = 0;
  while (conveyor_devices > 0) {
    int n = std::min<int>(conveyor_devices, static_cast<int>(rng.Range(16, 28)));
    conveyor_devices -= n;
    // B1BCNV22905: building, block letter, CNV, a five-digit line number.
    std::string code = "B1" + std::string(1, static_cast<char>('A' + rng.Below(6))) + "CNV" +
                       Padded(rng.Range(10000, 29999), 5);
    std::string area = kAreas[rng.Below(std::size(kAreas))];
    bool long_style = rng.Chance(0.85);
    std::string prefix = code + "_" + area;
    if (long_style) {
      prefix += "#" + std::to_string(rng.Range(1, 9));
      prefix = prefix + "." + prefix;
    }
    std::vector<uint32_t> route;
    int unit = static_cast<int>(rng.Range(1, 5)) * 100 + 1;
    for (int i = 0; i < n; ++i, unit += static_cast<int>(rng.Range(1, 3))) {
      Device d;
      d.id = code + "-" + std::to_string(unit);
      std::string suffix = "@" + std::string(1, "BD"[rng.Below(2)]) + Padded(rng.Range(10, 99), 2);
      const GroupSpec& g = kGroups[rng.Below(std::size(kGroups))];
      d.group = g.group;
      d.path = prefix + "." + g.path_part + "." + d.id + suffix;
      d.tab_path = rng.Chance(0.8) ? d.id : "AMHS/" + code + "/" + d.id;
      d.csv_name = rng.Chance(0.6) ? d.id + suffix : d.id;
      d.location = "CNV_" + std::to_string(200 + line_index) + ":" + std::to_string(i + 1);
      d.line = line_index;
      route.push_back(static_cast<uint32_t>(plant.devices.size()));
      plant.devices.push_back(std::move(d));
    }
    plant.lines.push_back(std::move(route));
    ++line_index;
  }
  for (int i = 0; i < system_devices; ++i) {
    Device d;
    int line = i / 8 + 1;
    d.id = "DEV-" + std::to_string(101 + i);
    d.path = (i % 2 == 0 ? "SYSTEM/LINE" : "AMHS/LINE") + std::to_string(line) + "/" + d.id;
    d.tab_path = "SYSTEM/LINE" + std::to_string(line) + "/" + d.id;
    d.csv_name = d.id;
    d.location = "SYS_" + std::to_string(line) + ":" + std::to_string(i + 1);
    d.line = UINT32_MAX;
    plant.devices.push_back(std::move(d));
  }
}

}  // namespace

Plant BuildReferencePlant(uint64_t seed, int device_count) {
  Rng rng(seed, /*stream=*/1);
  Plant plant;
  device_count = std::max(device_count, 3);
  AddDevices(rng, device_count, plant);

  for (const NameSpec& s : kNames) {
    plant.names.push_back({s.name, s.category, s.type, s.kind, s.lo, s.hi, s.vocabulary});
  }
  // Landmark names, written only at scripted lines.
  uint32_t once_name = static_cast<uint32_t>(plant.names.size());
  plant.names.push_back({"O_RECIPE_CHANGED", "OUTPUT", T::kBoolean, K::kToggle, 0, 1, 0});
  plant.names.push_back({"I_EMERGENCY_STOP", "INPUT", T::kBoolean, K::kToggle, 0, 1, 0});
  plant.names.push_back({"E_STOP_CODE", "ALARM", T::kInteger, K::kCode, 0, 0, 0});

  // Each device carries 10..22 names its group allows, drawn by popularity
  // (weights 1, 4, 16), and every catalogue name appears on some device.
  const size_t catalogue = std::size(kNames);
  std::vector<double> pick_weight(catalogue);
  for (size_t i = 0; i < catalogue; ++i) pick_weight[i] = std::pow(4.0, kNames[i].popularity - 1);
  std::vector<uint8_t> used(catalogue, 0);
  std::vector<uint8_t> taken(catalogue);
  auto add_key = [&](uint32_t d, uint32_t i) {
    // Log-uniform activity over three decades: busy sensors to rare alarms.
    double weight = std::exp(rng.Unit() * std::log(1000.0));
    plant.keys.push_back({d, i, weight, kNames[i].type == T::kString && rng.Chance(0.5)});
    used[i] = 1;
  };
  std::vector<double> weight(catalogue);
  for (uint32_t d = 0; d < plant.devices.size(); ++d) {
    const DeviceGroup group = plant.devices[d].group;
    double total = 0;
    for (size_t i = 0; i < catalogue; ++i) {
      weight[i] = Allowed(kNames[i].name, group) ? pick_weight[i] : 0;
      total += weight[i];
    }
    std::fill(taken.begin(), taken.end(), 0);
    for (int k = static_cast<int>(rng.Range(10, 22)); k > 0; --k) {
      double x = rng.Unit() * total;
      size_t i = catalogue;
      for (size_t j = 0; j < catalogue; ++j) {
        if (taken[j] || weight[j] == 0) continue;
        i = j;
        x -= weight[j];
        if (x < 0) break;
      }
      if (i == catalogue) break;
      taken[i] = 1;
      total -= weight[i];
    }
    for (uint32_t i = 0; i < catalogue; ++i) {
      if (taken[i]) add_key(d, i);
    }
  }
  // Every catalogue name appears somewhere: on the first device that may carry it.
  for (uint32_t i = 0; i < catalogue; ++i) {
    if (used[i]) continue;
    for (uint32_t d = 0; d < plant.devices.size(); ++d) {
      if (Allowed(kNames[i].name, plant.devices[d].group)) {
        add_key(d, i);
        break;
      }
    }
  }
  // The landmark keys live on the first system devices.
  uint32_t sys0 = 0;
  while (plant.devices[sys0].line != UINT32_MAX) ++sys0;
  plant.once_key = static_cast<uint32_t>(plant.keys.size());
  plant.keys.push_back({sys0, once_name, 0, false});
  plant.pulse_key = plant.once_key + 1;
  plant.keys.push_back({sys0 + 1, once_name + 1, 0, false});
  plant.code_pulse_key = plant.once_key + 2;
  plant.keys.push_back({sys0 + 1, once_name + 2, 0, false});
  return plant;
}

}  // namespace plcscope::gen
