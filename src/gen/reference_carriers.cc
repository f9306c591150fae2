// The reference mcs log: carriers (trays) are sent along the plant's conveyor
// lines, one transfer command each, and move unit by unit:
//
//   2025-09-22 00:00:01.204 [ADD=CMD0000017, CAR-00017] [CommandType=TRANSFER],
//   [CarrierLoc=B1BCNV22905-101], [Dest=B1BCNV22905-121], [Priority=50], [TransferState=QUEUED],
//   [IsBoost=FALSE] 2025-09-22 00:00:02.931 [UPDATE=CMD0000017, CAR-00017]
//   [CarrierLoc=B1BCNV22905-103], [TransferState=TRANSFERRING], [TransferAbnormalState=None]
//   2025-09-22 00:00:09.118 [UPDATE=CMD0000017, CAR-00017] [TransferState=COMPLETED],
//   [ResultCode=0], [CarrierLoc=B1BCNV22905-121] 2025-09-22 00:00:09.650 [REMOVE=CMD0000017,
//   CAR-00017] [ResultCode=0]
//
// Some transfers get blocked for a while (TransferAbnormalState=BLOCKED,
// WaitCount), some use the CarrierLocation spelling, some end with the
// one-ID form `[REMOVE=CMD0000017]` (rarely: its device is the command). Several hundred carriers
// are in flight at once; their lines interleave in time order.
#include <algorithm>
#include <deque>

#include "gen/generators.h"
#include "gen/mcs_line.h"
#include "gen/plant.h"
#include "gen/prng.h"

namespace plcscope::gen {
namespace {

enum class Phase : uint8_t { kMoving, kBlocked, kCompleted };

struct Transfer {
  uint64_t command = 0;
  uint32_t carrier = 0;
  uint32_t line = 0;
  uint32_t pos = 0;  // index into the line's route
  uint32_t end = 0;
  int priority = 50;
  int waits = 0;
  Phase phase = Phase::kMoving;
};

}  // namespace

base::Status WriteReferenceCarriers(const GeneratorOptions& options, OutputWriter& out,
                                    GeneratorStats* stats) {
  const Plant plant = BuildReferencePlant(options.seed, options.devices);
  Rng rng(options.seed, /*stream=*/3);
  std::vector<uint32_t> usable_lines;
  for (uint32_t i = 0; i < plant.lines.size(); ++i) {
    if (plant.lines[i].size() >= 3) usable_lines.push_back(i);
  }
  if (usable_lines.empty()) return base::InvalidArgument("mcs needs at least one conveyor line");

  const uint32_t carrier_pool =
      static_cast<uint32_t>(std::clamp<uint64_t>(options.lines / 6000, 50, 99999));
  const size_t in_flight = std::max<size_t>(4, std::min<size_t>(carrier_pool / 2, 300));
  std::deque<uint32_t> free_carriers;
  for (uint32_t c = 1; c <= carrier_pool; ++c) free_carriers.push_back(c);
  std::vector<Transfer> active;
  uint64_t next_command = 1;

  const double gap = MeanLineGapMicros(options);
  const uint64_t spread = static_cast<uint64_t>(2 * gap) + 1;
  TimestampWriter ts_writer;
  int64_t ts = options.start_us;
  stats->first_us = ts;
  char buf[McsLine::kMaxLength];
  char cmd[16];
  char car[16];
  auto unit = [&](const Transfer& t, uint32_t pos) -> std::string_view {
    return plant.devices[plant.lines[t.line][pos]].id;
  };

  for (uint64_t line = 0; line < options.lines; ++line) {
    ts += static_cast<int64_t>(rng.Below(spread));
    int64_t printed = ts;
    if (options.unsorted_fraction > 0 && rng.Chance(options.unsorted_fraction)) {
      printed = std::max(options.start_us, ts - rng.Range(1000, 3'000'000));
    }
    McsLine l(buf);
    if (active.size() < in_flight && !free_carriers.empty() &&
        (active.empty() || rng.Chance(0.1))) {
      Transfer t;
      t.command = next_command++;
      t.carrier = free_carriers.front();
      free_carriers.pop_front();
      t.line = usable_lines[rng.Below(usable_lines.size())];
      uint32_t n = static_cast<uint32_t>(plant.lines[t.line].size());
      t.pos = static_cast<uint32_t>(rng.Below(n / 2));
      t.end = static_cast<uint32_t>(rng.Range(t.pos + 2, n - 1));
      t.priority = static_cast<int>(rng.Range(1, 9)) * 10;
      l.Head(ts_writer, printed, "ADD", CommandId(cmd, t.command), CarrierId(car, t.carrier));
      l.Group("CommandType", "TRANSFER");
      l.Group("CarrierLoc", unit(t, t.pos));
      l.Group("Dest", unit(t, t.end));
      l.Group("Priority", t.priority);
      l.Group("TransferState", "QUEUED");
      l.Group("IsBoost", rng.Chance(0.05) ? "TRUE" : "FALSE");
      active.push_back(t);
    } else {
      size_t i = rng.Below(active.size());
      Transfer& t = active[i];
      bool remove = false;
      switch (t.phase) {
        case Phase::kMoving:
          if (rng.Chance(0.02)) {
            t.phase = Phase::kBlocked;
            l.Head(ts_writer, printed, "UPDATE", CommandId(cmd, t.command),
                   CarrierId(car, t.carrier));
            l.Group("TransferAbnormalState", "BLOCKED");
            l.Group("WaitCount", ++t.waits);
          } else if (++t.pos < t.end) {
            l.Head(ts_writer, printed, "UPDATE", CommandId(cmd, t.command),
                   CarrierId(car, t.carrier));
            l.Group(rng.Chance(0.1) ? "CarrierLocation" : "CarrierLoc", unit(t, t.pos));
            l.Group("TransferState", "TRANSFERRING");
            l.Group("TransferAbnormalState", "None");
            if (rng.Chance(0.05))
              l.Group("Priority", t.priority = static_cast<int>(rng.Range(1, 9)) * 10);
          } else {
            t.phase = Phase::kCompleted;
            l.Head(ts_writer, printed, "UPDATE", CommandId(cmd, t.command),
                   CarrierId(car, t.carrier));
            l.Group("TransferState", "COMPLETED");
            l.Group("ResultCode", 0);
            l.Group("CarrierLoc", unit(t, t.end));
          }
          break;
        case Phase::kBlocked:
          t.phase = Phase::kMoving;
          l.Head(ts_writer, printed, "UPDATE", CommandId(cmd, t.command),
                 CarrierId(car, t.carrier));
          l.Group("TransferAbnormalState", "NORMAL");
          l.Group("AltCount", t.waits);
          break;
        case Phase::kCompleted:
          remove = true;
          if (rng.Chance(0.005)) {
            l.Head(ts_writer, printed, "REMOVE", CommandId(cmd, t.command), {});
          } else {
            l.Head(ts_writer, printed, "REMOVE", CommandId(cmd, t.command),
                   CarrierId(car, t.carrier));
            l.Group("ResultCode", 0);
          }
          break;
      }
      if (remove) {
        free_carriers.push_back(t.carrier);
        active[i] = active.back();
        active.pop_back();
      }
    }
    size_t n = l.Finish();
    stats->samples += l.samples();
    std::memcpy(out.Reserve(n), buf, n);
    out.Commit(n);
  }
  stats->last_us = ts;
  stats->lines = options.lines;
  stats->devices = carrier_pool;
  return base::Status::Ok();
}

}  // namespace plcscope::gen
