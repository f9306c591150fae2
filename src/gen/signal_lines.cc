#include "gen/signal_lines.h"

#include <algorithm>

namespace plcscope::gen {
namespace {

const char* DeclaredType(ValueType t) {
  switch (t) {
    case ValueType::kBoolean:
      return "Boolean";
    case ValueType::kInteger:
      return "Integer";
    case ValueType::kString:
      return "String";
  }
  return "String";
}

std::string PadRight(std::string s, size_t width) {
  if (s.size() < width) s.append(width - s.size(), ' ');
  return s;
}

std::string Direction(const std::string& signal) {
  if (signal.rfind("I_", 0) == 0) return "IN";
  if (signal.rfind("O_", 0) == 0) return "OUT";
  return "STS";
}

}  // namespace

SignalLineWriter::SignalLineWriter(const Plant& plant, OutputFormat format) : format_(format) {
  switch (format) {
    case OutputFormat::kPlcTab:
      true_text_ = "True";
      false_text_ = "False";
      break;
    case OutputFormat::kCsv:
      true_text_ = "TRUE";
      false_text_ = "FALSE";
      break;
    default:
      true_text_ = "ON";
      false_text_ = "OFF";
      break;
  }
  prefix_.reserve(plant.keys.size());
  suffix_.reserve(plant.keys.size());
  for (const SignalKey& key : plant.keys) {
    const Device& d = plant.devices[key.device];
    const SignalName& n = plant.names[key.name];
    std::string pre, suf;
    switch (format) {
      case OutputFormat::kPlcDebug:
        // 2025-09-22 13:00:00.014 [Debug]
        // [B1BCNV22905_PRE_AGING#6.B1BCNV22905_PRE_AGING#6.Belts.B1BCNV22905-121@B37]
        // [INPUT2:I_LEVEL2_TRAY_EXIST] (Boolean) : ON
        pre = std::string(key.info_level ? " [Info] [" : " [Debug] [") + d.path + "] [" +
              n.category + ":" + n.name + "] (" + DeclaredType(n.type) + ") : ";
        break;
      case OutputFormat::kPlcTab:
        // 2026-02-05 00:00:00.026 [] B1ACNV13301-596\tI_BUFFER_STATUS            \tIN
        // \t0\t\tCNV_202:7\tT\tT\t2026-02-05 00:00:00.026
        pre = " [] " + d.tab_path + "\t" + PadRight(n.name, 27) + "\t" +
              PadRight(Direction(n.name), 8) + "\t";
        suf = "\t\t" + d.location + "\tT\tT\t";
        break;
      case OutputFormat::kCsv:
        // 2025-10-21 23:08:27.995,B1ACNV13309-104@D19,B,62
        pre = "," + d.csv_name + "," + n.name + ",";
        break;
      case OutputFormat::kMcs:
        break;
    }
    prefix_.push_back(Add(pre));
    suffix_.push_back(Add(suf));
  }
}

SignalLineWriter::Span SignalLineWriter::Add(std::string_view text) {
  Span s{static_cast<uint32_t>(arena_.size()), static_cast<uint32_t>(text.size())};
  arena_.append(text);
  return s;
}

std::string_view SignalLineWriter::Header() const {
  return format_ == OutputFormat::kCsv ? "timestamp,device,signal,value\n" : "";
}

bool SignalLineWriter::NeedsQuotes(std::string_view v) {
  return v.find_first_of(",\"") != std::string_view::npos;
}

char* SignalLineWriter::WriteQuoted(char* p, std::string_view v) {
  *p++ = '"';
  for (char c : v) {
    if (c == '"') *p++ = '"';
    *p++ = c;
  }
  *p++ = '"';
  return p;
}

void ValueState::Init(const SignalName& name, Rng& rng) {
  switch (name.kind) {
    case ValueKind::kToggle:
      v = static_cast<int64_t>(rng.Below(2));
      break;
    case ValueKind::kCounter:
      v = rng.Range(0, 50000);
      break;
    case ValueKind::kAnalog:
      v = rng.Range(name.lo, name.hi);
      break;
    case ValueKind::kCycle:
      v = name.lo;
      break;
    case ValueKind::kId:
      v = rng.Range(100000, 9000000);
      break;
    default:
      v = 0;
      break;
  }
}

size_t ValueState::Next(const SignalName& name, const SignalLineWriter& writer, Rng& rng,
                        char* buf) {
  char* p = buf;
  switch (name.kind) {
    case ValueKind::kToggle:
      if (rng.Chance(0.94)) v ^= 1;
      p = WriteText(p, writer.BoolText(v != 0));
      break;
    case ValueKind::kCounter:
      v += rng.Range(1, 3);
      p = WriteInt(p, v);
      break;
    case ValueKind::kAnalog: {
      int64_t step = std::max<int64_t>(1, (name.hi - name.lo) / 40);
      v = std::clamp(v + rng.Range(-step, step), name.lo, name.hi);
      p = WriteInt(p, v);
      break;
    }
    case ValueKind::kCode:
      v = (v != 0 || name.hi == 0) ? 0 : rng.Range(name.lo, name.hi);
      p = WriteInt(p, v);
      break;
    case ValueKind::kCycle:
      v = rng.Chance(0.1) ? rng.Range(name.lo, name.hi) : (v >= name.hi ? name.lo : v + 1);
      p = WriteInt(p, v);
      break;
    case ValueKind::kState: {
      Vocabulary voc = GetVocabulary(name.vocabulary);
      v = rng.Chance(0.8) ? (v == 1 ? 0 : 1) : static_cast<int64_t>(rng.Below(voc.size));
      p = WriteText(p, voc.words[v]);
      break;
    }
    case ValueKind::kId: {
      v += rng.Range(1, 40);
      p = WriteText(p, GetVocabulary(name.vocabulary).words[0]);
      p = WritePadded(p, static_cast<uint64_t>(v) % 100000000, 8);
      break;
    }
    case ValueKind::kChoice: {
      Vocabulary voc = GetVocabulary(name.vocabulary);
      v = static_cast<int64_t>(rng.Below(voc.size));
      p = WriteText(p, voc.words[v]);
      break;
    }
    case ValueKind::kMessage: {
      Vocabulary voc = GetVocabulary(name.vocabulary);
      v = rng.Chance(0.5) ? 0 : static_cast<int64_t>(rng.Below(voc.size));
      p = WriteText(p, voc.words[v]);
      break;
    }
  }
  return static_cast<size_t>(p - buf);
}

}  // namespace plcscope::gen
