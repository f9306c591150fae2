// Plant: the simulated factory behind a generated log — devices with their
// paths, signal names with their types and behaviour, and the signal keys
// (device × name) with how often each one is logged.
//
// BuildReferencePlant() makes the docs/targets.md plant from a seed;
// demo_profile.cc builds its own small one. A plain value type, immutable
// once built; safe to share between threads for reading.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace plcscope::gen {

enum class ValueType : uint8_t { kBoolean, kInteger, kString };

// How a signal's value evolves from one sample to the next.
enum class ValueKind : uint8_t {
  kToggle,   // boolean: flips (sometimes repeats)
  kCounter,  // integer: grows by 1..3
  kAnalog,   // integer: random walk in [lo, hi]
  kCode,     // integer: mostly 0, sometimes a code in [lo, hi]
  kCycle,    // integer: steps through lo..hi
  kState,    // string: a state machine (IDLE, RUNNING, ...)
  kId,       // string: prefix + number, e.g. TRAY00012345
  kChoice,   // string: one of a few words
  kMessage,  // string: free text with spaces, colons, brackets, commas
};

struct SignalName {
  std::string name;      // "I_LEVEL2_TRAY_EXIST"
  std::string category;  // "INPUT2" (plc_debug only)
  ValueType type = ValueType::kBoolean;
  ValueKind kind = ValueKind::kToggle;
  int64_t lo = 0;
  int64_t hi = 1;
  int vocabulary = 0;  // kState/kChoice/kMessage/kId: which word list
};

// What kind of unit a device is; some signal names belong to one kind only
// (LIFT_* to lifters, TURN_* to turntables, PIO/PORT to ports).
enum class DeviceGroup : uint8_t { kBelt, kLifter, kPort, kTurntable, kSystem };

struct Device {
  std::string id;        // "B1BCNV22905-121" (what a parser extracts)
  std::string path;      // plc_debug path, "B1BCNV22905_PRE_AGING#6....-121@B37"
  std::string tab_path;  // plc_tab first field
  std::string csv_name;  // csv device column
  std::string location;  // plc_tab location column, "CNV_202:7"
  uint32_t line = 0;     // conveyor line index (units of one line are a route)
  DeviceGroup group = DeviceGroup::kSystem;
};

struct SignalKey {
  uint32_t device = 0;
  uint32_t name = 0;
  double weight = 0;  // relative logging rate; 0: only scripted samples
  bool info_level = false;
};

struct Plant {
  std::vector<Device> devices;
  std::vector<SignalName> names;
  std::vector<SignalKey> keys;
  // Keys written only at scripted lines (landmarks), by role.
  uint32_t once_key = 0;        // boolean that changes exactly once
  uint32_t pulse_key = 0;       // boolean with rare one-sample ON pulses
  uint32_t code_pulse_key = 0;  // integer with one one-sample pulse
  // Conveyor lines: device indexes in flow order (for carrier routes).
  std::vector<std::vector<uint32_t>> lines;
};

// The reference plant: `devices` devices (~15.6 keys each), ~160 names.
Plant BuildReferencePlant(uint64_t seed, int devices);

// Word lists for kState / kChoice / kMessage / kId values.
struct Vocabulary {
  const char* const* words;
  int size;
};
Vocabulary GetVocabulary(int index);

}  // namespace plcscope::gen
