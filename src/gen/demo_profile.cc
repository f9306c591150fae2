// The demo profile: ten minutes of one conveyor line, B1ACNV13301, scripted
// as a small discrete-event simulation. Trays arrive every 9-16 s and pass
// belts 101..106, a lifter (201) and an output port (301), where an operator
// picks them up. Belts start and stop with their trays; a barcode reader
// (104S) reads each tray on belt 104. At 5:00 belt 104 faults for 45 s
// (I_ERROR, STATE=ERROR, ALARM_CODE=231): trays queue upstream behind their
// stoppers. O_RECIPE_CHANGED changes exactly once (2:00); I_EMERGENCY_STOP
// pulses ON for one sample (7:30). The mcs rendering is the same trays as
// carriers (ADD → UPDATE per unit → COMPLETED → REMOVE). The log is cut at
// 10:00, so the last trays are still on their way.
#include <algorithm>
#include <string>
#include <vector>

#include "gen/generators.h"
#include "gen/mcs_line.h"
#include "gen/plant.h"
#include "gen/prng.h"
#include "gen/signal_lines.h"

namespace plcscope::gen {
namespace {

constexpr int64_t kMs = 1000;  // microseconds per millisecond
constexpr int64_t kDemoLength = 600'000 * kMs;
constexpr int kBelts = 6;
constexpr int kLifter = 6;  // station index
constexpr int kPort = 7;
constexpr int kStations = 8;
constexpr int kErrorBelt = 3;  // belt 104
constexpr int64_t kErrorStart = 300'000 * kMs;
constexpr int64_t kErrorEnd = 345'000 * kMs;
constexpr int64_t kRecipeChange = 120'000 * kMs;
constexpr int64_t kEmergencyPulse = 450'000 * kMs;
constexpr const char* kLine = "B1ACNV13301";
constexpr const char* kPathPrefix = "B1ACNV13301_PRE_AGING#1.B1ACNV13301_PRE_AGING#1.";

struct Event {
  int64_t ts;  // microseconds from the start
  uint32_t key;
  std::string value;
  uint32_t seq;  // insertion order, breaks ties
};

struct BeltKeys {
  uint32_t exist, move_in, move_out, motor, stopper, error, count, current, state;
};

// The demo plant and the key handles the script writes to.
struct DemoPlant {
  Plant plant;
  BeltKeys belt[kBelts];
  uint32_t lift_exist, lift_up, lift_down, lift_pos, lift_state;
  uint32_t port_exist, port_ready, port_carrier, port_mode;
  uint32_t read_ok, barcode, read_count;
  uint32_t line_state, alarm_code, estop, recipe_changed;

  uint32_t AddDevice(const std::string& id, const std::string& path) {
    Device d;
    d.id = id;
    d.path = path;
    d.tab_path = id;
    d.csv_name = id;
    d.location = "CNV_201:" + std::to_string(plant.devices.size() + 1);
    plant.devices.push_back(std::move(d));
    return static_cast<uint32_t>(plant.devices.size() - 1);
  }
  uint32_t Key(uint32_t device, const char* name, const char* category, ValueType type) {
    uint32_t n = 0;
    while (n < plant.names.size() && plant.names[n].name != name) ++n;
    if (n == plant.names.size()) {
      SignalName s;
      s.name = name;
      s.category = category;
      s.type = type;
      plant.names.push_back(std::move(s));
    }
    plant.keys.push_back({device, n, 1.0, type == ValueType::kString});
    return static_cast<uint32_t>(plant.keys.size() - 1);
  }
};

DemoPlant BuildDemoPlant() {
  using T = ValueType;
  DemoPlant p;
  for (int b = 0; b < kBelts; ++b) {
    std::string id = std::string(kLine) + "-" + std::to_string(101 + b);
    uint32_t d =
        p.AddDevice(id, kPathPrefix + std::string("Belts.") + id + "@B3" + std::to_string(b));
    BeltKeys& k = p.belt[b];
    k.exist = p.Key(d, "I_TRAY_EXIST", "INPUT", T::kBoolean);
    k.move_in = p.Key(d, "I_MOVE_IN", "INPUT2", T::kBoolean);
    k.move_out = p.Key(d, "I_MOVE_OUT", "INPUT2", T::kBoolean);
    k.motor = p.Key(d, "O_MOTOR_RUN", "OUTPUT", T::kBoolean);
    k.stopper = p.Key(d, "O_STOPPER_UP", "OUTPUT", T::kBoolean);
    k.error = p.Key(d, "I_ERROR", "INPUT", T::kBoolean);
    k.count = p.Key(d, "TRAY_COUNT", "STATUS", T::kInteger);
    k.current = p.Key(d, "MOTOR_CURRENT", "STATUS", T::kInteger);
    k.state = p.Key(d, "STATE", "STATUS", T::kString);
  }
  uint32_t lift =
      p.AddDevice("B1ACNV13301-201", std::string(kPathPrefix) + "Lifters.B1ACNV13301-201@D11");
  p.lift_exist = p.Key(lift, "I_TRAY_EXIST", "INPUT", T::kBoolean);
  p.lift_up = p.Key(lift, "O_LIFT_UP", "OUTPUT", T::kBoolean);
  p.lift_down = p.Key(lift, "O_LIFT_DOWN", "OUTPUT", T::kBoolean);
  p.lift_pos = p.Key(lift, "LIFT_POSITION", "STATUS", T::kInteger);
  p.lift_state = p.Key(lift, "STATE", "STATUS", T::kString);
  uint32_t port =
      p.AddDevice("B1ACNV13301-301", std::string(kPathPrefix) + "Ports.B1ACNV13301-301@D12");
  p.port_exist = p.Key(port, "I_TRAY_EXIST", "INPUT", T::kBoolean);
  p.port_ready = p.Key(port, "O_PORT_READY", "OUTPUT", T::kBoolean);
  p.port_carrier = p.Key(port, "CARRIER_ID", "DATA", T::kString);
  p.port_mode = p.Key(port, "PORT_MODE", "STATUS", T::kString);
  uint32_t reader =
      p.AddDevice("B1ACNV13301-104S", std::string(kPathPrefix) + "Readers.B1ACNV13301-104S@R01");
  p.read_ok = p.Key(reader, "I_READ_OK", "INPUT2", T::kBoolean);
  p.barcode = p.Key(reader, "BARCODE", "DATA", T::kString);
  p.read_count = p.Key(reader, "READ_COUNT", "STATUS", T::kInteger);
  uint32_t lc = p.AddDevice("LC-01", "SYSTEM/LINE1/LC-01");
  p.line_state = p.Key(lc, "LINE_STATE", "STATUS", T::kString);
  p.alarm_code = p.Key(lc, "ALARM_CODE", "ALARM", T::kInteger);
  p.estop = p.Key(lc, "I_EMERGENCY_STOP", "INPUT", T::kBoolean);
  p.recipe_changed = p.Key(lc, "O_RECIPE_CHANGED", "OUTPUT", T::kBoolean);
  return p;
}

// One tray's trip: when it entered and left each station.
struct Trip {
  std::string tray;
  int64_t arrival;
  int64_t enter[kStations];
  int64_t ready[kStations];  // when its travel on the station was done
  int64_t exit[kStations];
  bool blocked;  // held on belt 104 by the fault
};

std::vector<Trip> Simulate(Rng& rng) {
  std::vector<Trip> trips;
  int64_t free_at[kStations] = {};  // when each station can take the next tray
  int64_t arrival = 3'000 * kMs;
  for (int i = 0; arrival < 570'000 * kMs; ++i, arrival += rng.Range(9'000, 16'000) * kMs) {
    Trip t;
    t.tray = "TRAY" + std::to_string(25092200 + i);
    t.arrival = arrival;
    t.blocked = false;
    int64_t at = std::max(arrival, free_at[0]);
    for (int k = 0; k < kStations; ++k) {
      t.enter[k] = at;
      int64_t travel =
          k < kBelts ? rng.Range(3'000, 4'500) : (k == kLifter ? 3'000 : rng.Range(6'000, 20'000));
      int64_t ready = at + travel * kMs;
      if (k == kErrorBelt && at < kErrorEnd && ready > kErrorStart) {
        ready = std::max(ready, kErrorEnd + 800 * kMs);
        t.blocked = true;
      }
      t.ready[k] = ready;
      t.exit[k] = k + 1 < kStations ? std::max(ready, free_at[k + 1]) : ready;
      at = t.exit[k];
    }
    for (int k = 0; k < kStations; ++k) {
      free_at[k] = t.exit[k] + (k == kLifter ? 2'500 * kMs : 0);
    }
    trips.push_back(std::move(t));
  }
  return trips;
}

class Script {
 public:
  explicit Script(const SignalLineWriter& w) : w_(w) {}
  void At(int64_t ts, uint32_t key, std::string value) {
    events_.push_back({ts, key, std::move(value), static_cast<uint32_t>(events_.size())});
  }
  void Bool(int64_t ts, uint32_t key, bool v) { At(ts, key, std::string(w_.BoolText(v))); }
  void Int(int64_t ts, uint32_t key, int64_t v) { At(ts, key, std::to_string(v)); }
  std::vector<Event>& events() { return events_; }

 private:
  const SignalLineWriter& w_;
  std::vector<Event> events_;
};

// Motor runs of one belt: occupancy merged across short gaps, minus the fault.
std::vector<std::pair<int64_t, int64_t>> MotorRuns(const std::vector<Trip>& trips, int b) {
  std::vector<std::pair<int64_t, int64_t>> runs;
  for (const Trip& t : trips) {
    int64_t a = t.enter[b] - 20 * kMs, e = t.exit[b] + 900 * kMs;
    if (!runs.empty() && a - runs.back().second < 1'500 * kMs) {
      runs.back().second = e;
    } else {
      runs.emplace_back(a, e);
    }
  }
  if (b != kErrorBelt) return runs;
  std::vector<std::pair<int64_t, int64_t>> clipped;
  for (auto [a, e] : runs) {
    if (e <= kErrorStart || a >= kErrorEnd) {
      clipped.emplace_back(a, e);
      continue;
    }
    if (a < kErrorStart) clipped.emplace_back(a, kErrorStart);
    if (e > kErrorEnd) clipped.emplace_back(kErrorEnd, e);
  }
  return clipped;
}

void ScriptSignals(const DemoPlant& p, const std::vector<Trip>& trips, Rng& rng, Script& s) {
  // Snapshot of the line at start-up.
  for (int b = 0; b < kBelts; ++b) {
    const BeltKeys& k = p.belt[b];
    int64_t t0 = (200 + 40 * b) * kMs;
    s.Bool(t0, k.exist, false);
    s.Bool(t0 + kMs, k.motor, false);
    s.Bool(t0 + 2 * kMs, k.error, false);
    s.At(t0 + 3 * kMs, k.state, "IDLE");
    s.Int(t0 + 4 * kMs, k.count, 1200 + 37 * b);
  }
  s.Int(500 * kMs, p.lift_pos, 0);
  s.At(501 * kMs, p.lift_state, "IDLE");
  s.At(520 * kMs, p.port_mode, "AUTO");
  s.Bool(521 * kMs, p.port_ready, true);
  s.At(522 * kMs, p.port_carrier, "EMPTY");
  s.Int(540 * kMs, p.read_count, 5000);
  s.At(600 * kMs, p.line_state, "RUNNING");
  s.Int(601 * kMs, p.alarm_code, 0);
  s.Bool(602 * kMs, p.estop, false);
  s.Bool(603 * kMs, p.recipe_changed, false);

  int64_t counts[kBelts];
  for (int b = 0; b < kBelts; ++b) counts[b] = 1200 + 37 * b;
  int64_t reads = 5000;
  for (size_t i = 0; i < trips.size(); ++i) {
    const Trip& t = trips[i];
    for (int b = 0; b < kBelts; ++b) {
      const BeltKeys& k = p.belt[b];
      int64_t in = t.enter[b], out = t.exit[b];
      s.Bool(in, k.move_in, true);
      s.Bool(in + 50 * kMs, k.exist, true);
      s.Int(in + 80 * kMs, k.count, ++counts[b]);
      s.Bool(in + 700 * kMs, k.move_in, false);
      int64_t ready = t.ready[b];
      if (out - ready > 300 * kMs) {
        s.Bool(ready, k.stopper, true);
        s.Bool(out - 150 * kMs, k.stopper, false);
      }
      s.Bool(out, k.move_out, true);
      s.Bool(out + 400 * kMs, k.exist, false);
      s.Bool(out + 600 * kMs, k.move_out, false);
    }
    // Lifter: up with the tray, down empty.
    int64_t in = t.enter[kLifter], out = t.exit[kLifter];
    s.Bool(in, p.lift_exist, true);
    s.At(in + 10 * kMs, p.lift_state, "RUNNING");
    s.Bool(in + 300 * kMs, p.lift_up, true);
    s.Int(in + 300 * kMs, p.lift_pos, 1);
    s.Int(in + 2'000 * kMs, p.lift_pos, 2);
    s.Bool(in + 2'200 * kMs, p.lift_up, false);
    s.Bool(out + 300 * kMs, p.lift_exist, false);
    s.Bool(out + 400 * kMs, p.lift_down, true);
    s.Int(out + 1'200 * kMs, p.lift_pos, 1);
    s.Int(out + 2'200 * kMs, p.lift_pos, 0);
    s.Bool(out + 2'300 * kMs, p.lift_down, false);
    s.At(out + 2'300 * kMs, p.lift_state, "IDLE");
    // Port: the operator takes the tray.
    in = t.enter[kPort];
    out = t.exit[kPort];
    s.Bool(in + 200 * kMs, p.port_exist, true);
    s.At(in + 250 * kMs, p.port_carrier, t.tray);
    s.Bool(in + 260 * kMs, p.port_ready, false);
    s.Bool(out, p.port_exist, false);
    s.At(out + 50 * kMs, p.port_carrier, "EMPTY");
    s.Bool(out + 500 * kMs, p.port_ready, true);
    // Barcode reader over belt 104; tray #7 is a no-read.
    int64_t r = t.enter[kErrorBelt] + 1'200 * kMs;
    s.Int(r, p.read_count, ++reads);
    if (i == 7) {
      s.At(r + 30 * kMs, p.barcode, "NOREAD");
    } else {
      s.Bool(r + 20 * kMs, p.read_ok, true);
      s.At(r + 30 * kMs, p.barcode, t.tray);
      s.Bool(r + 400 * kMs, p.read_ok, false);
    }
  }
  // Belt motors, with current samples while running.
  for (int b = 0; b < kBelts; ++b) {
    const BeltKeys& k = p.belt[b];
    for (auto [a, e] : MotorRuns(trips, b)) {
      s.Bool(a, k.motor, true);
      s.At(a + kMs, k.state, "RUNNING");
      for (int64_t c = a + 300 * kMs; c < e; c += rng.Range(2'000, 3'500) * kMs) {
        s.Int(c, k.current, rng.Range(310, 420));
      }
      s.Bool(e, k.motor, false);
      s.Int(e + kMs, k.current, 0);
      if (!(b == kErrorBelt && e == kErrorStart)) s.At(e + 2 * kMs, k.state, "IDLE");
    }
  }
  // The fault on belt 104 and its reset.
  const BeltKeys& f = p.belt[kErrorBelt];
  s.Bool(kErrorStart + 5 * kMs, f.error, true);
  s.At(kErrorStart + 6 * kMs, f.state, "ERROR");
  s.Int(kErrorStart + 50 * kMs, p.alarm_code, 231);
  s.At(kErrorStart + 60 * kMs, p.line_state, "ALARM");
  s.Bool(kErrorEnd - 200 * kMs, f.error, false);
  s.At(kErrorEnd - 199 * kMs, f.state, "IDLE");
  s.Int(kErrorEnd - 150 * kMs, p.alarm_code, 0);
  s.At(kErrorEnd - 100 * kMs, p.line_state, "RUNNING");
  // Rare events: one recipe change, one emergency-stop pulse, port to manual.
  s.Bool(kRecipeChange, p.recipe_changed, true);
  s.Bool(kEmergencyPulse, p.estop, true);
  s.Bool(kEmergencyPulse + 180 * kMs, p.estop, false);
  s.At(440'000 * kMs, p.port_mode, "MANUAL");
  s.At(470'000 * kMs, p.port_mode, "AUTO");
}

base::Status WriteDemoSignals(const GeneratorOptions& options, const DemoPlant& p,
                              const std::vector<Trip>& trips, Rng& rng, OutputWriter& out,
                              GeneratorStats* stats) {
  SignalLineWriter writer(p.plant, options.format);
  Script script(writer);
  ScriptSignals(p, trips, rng, script);
  std::vector<Event>& events = script.events();
  std::erase_if(events, [](const Event& e) { return e.ts >= kDemoLength; });
  std::sort(events.begin(), events.end(), [](const Event& a, const Event& b) {
    return a.ts != b.ts ? a.ts < b.ts : a.seq < b.seq;
  });
  uint64_t line = 0;
  if (!writer.Header().empty()) {
    out.Append(writer.Header());
    ++line;
  }
  uint64_t counts[3] = {};
  for (const Event& e : events) {
    ++line;
    int64_t ts = options.start_us + e.ts;
    writer.Write(out, ts, e.key, e.value);
    const SignalKey& key = p.plant.keys[e.key];
    ++counts[static_cast<int>(p.plant.names[key.name].type)];
    const char* what = nullptr;
    if (e.key == p.recipe_changed && e.ts == kRecipeChange) what = "once";
    if (e.key == p.estop && e.ts == kEmergencyPulse) what = "pulse";
    if (e.key == p.estop && e.ts == kEmergencyPulse + 180 * kMs) what = "pulse_end";
    if (e.key == p.belt[kErrorBelt].error && e.ts == kErrorStart + 5 * kMs) what = "error";
    if (what != nullptr) {
      stats->landmarks.push_back({what, line, ts / 1000 * 1000, p.plant.devices[key.device].id,
                                  p.plant.names[key.name].name, e.value});
    }
  }
  stats->lines = line;
  stats->samples = events.size();
  stats->boolean_samples = counts[0];
  stats->integer_samples = counts[1];
  stats->string_samples = counts[2];
  stats->first_us = options.start_us + (events.empty() ? 0 : events.front().ts);
  stats->last_us = options.start_us + (events.empty() ? 0 : events.back().ts);
  stats->devices = p.plant.devices.size();
  stats->signal_keys = p.plant.keys.size();
  stats->signal_names = p.plant.names.size();
  return base::Status::Ok();
}

// The same trays as carriers, for the map view:
//   2025-09-22 13:00:03.000 [ADD=CMD0000101, TRAY25092200] [CommandType=TRANSFER],
//   [CarrierLoc=B1ACNV13301-001], [Dest=B1ACNV13301-301], [Priority=50], [TransferState=QUEUED]
base::Status WriteDemoCarriers(const GeneratorOptions& options, const DemoPlant& p,
                               const std::vector<Trip>& trips, OutputWriter& out,
                               GeneratorStats* stats) {
  struct Line {
    int64_t ts;
    uint32_t seq;
    uint32_t trip;
    int kind;  // 0 ADD, 1 UPDATE at station `station`, 2 BLOCKED, 3 NORMAL, 4 REMOVE
    int station;
  };
  std::vector<Line> lines;
  auto add = [&](int64_t ts, uint32_t trip, int kind, int station) {
    lines.push_back({ts, static_cast<uint32_t>(lines.size()), trip, kind, station});
  };
  for (uint32_t i = 0; i < trips.size(); ++i) {
    const Trip& t = trips[i];
    add(t.arrival - 400 * kMs, i, 0, -1);
    for (int k = 0; k < kStations; ++k) add(t.enter[k] + 100 * kMs, i, 1, k);
    if (t.blocked) {
      add(std::max(t.enter[kErrorBelt], kErrorStart) + 200 * kMs, i, 2, kErrorBelt);
      add(kErrorEnd + 100 * kMs, i, 3, kErrorBelt);
    }
    add(t.exit[kPort], i, 4, kPort);
  }
  std::erase_if(lines, [](const Line& l) { return l.ts >= kDemoLength; });
  std::sort(lines.begin(), lines.end(), [](const Line& a, const Line& b) {
    return a.ts != b.ts ? a.ts < b.ts : a.seq < b.seq;
  });
  auto unit = [&](int station) -> std::string_view {
    return p.plant.devices[static_cast<size_t>(station)].id;
  };
  TimestampWriter ts_writer;
  char buf[McsLine::kMaxLength];
  char cmd[16];
  for (const Line& line : lines) {
    const Trip& t = trips[line.trip];
    std::string_view command = CommandId(cmd, 101 + line.trip);
    McsLine l(buf);
    int64_t ts = options.start_us + line.ts;
    switch (line.kind) {
      case 0:
        l.Head(ts_writer, ts, "ADD", command, t.tray);
        l.Group("CommandType", "TRANSFER");
        l.Group("CarrierLoc", "B1ACNV13301-001");
        l.Group("Dest", unit(kPort));
        l.Group("Priority", 50);
        l.Group("TransferState", "QUEUED");
        break;
      case 1:
        l.Head(ts_writer, ts, "UPDATE", command, t.tray);
        l.Group("CarrierLoc", unit(line.station));
        if (line.station == kPort) {
          l.Group("TransferState", "COMPLETED");
          l.Group("ResultCode", 0);
        } else {
          l.Group("TransferState", "TRANSFERRING");
        }
        break;
      case 2:
        l.Head(ts_writer, ts, "UPDATE", command, t.tray);
        l.Group("TransferAbnormalState", "BLOCKED");
        l.Group("WaitCount", 1);
        break;
      case 3:
        l.Head(ts_writer, ts, "UPDATE", command, t.tray);
        l.Group("TransferAbnormalState", "NORMAL");
        break;
      default:
        l.Head(ts_writer, ts, "REMOVE", command, t.tray);
        l.Group("ResultCode", 0);
        break;
    }
    size_t n = l.Finish();
    stats->samples += l.samples();
    std::memcpy(out.Reserve(n), buf, n);
    out.Commit(n);
  }
  stats->lines = lines.size();
  stats->devices = trips.size();
  stats->first_us = options.start_us + (lines.empty() ? 0 : lines.front().ts);
  stats->last_us = options.start_us + (lines.empty() ? 0 : lines.back().ts);
  return base::Status::Ok();
}

}  // namespace

base::Status WriteDemo(const GeneratorOptions& options, OutputWriter& out, GeneratorStats* stats) {
  DemoPlant plant = BuildDemoPlant();
  Rng rng(options.seed, /*stream=*/4);
  std::vector<Trip> trips = Simulate(rng);
  if (options.format == OutputFormat::kMcs) {
    return WriteDemoCarriers(options, plant, trips, out, stats);
  }
  return WriteDemoSignals(options, plant, trips, rng, out, stats);
}

}  // namespace plcscope::gen
