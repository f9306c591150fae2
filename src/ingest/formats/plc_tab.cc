// plc_tab: the tab-separated PLC log (docs/formats.md §3).
//
//   TIMESTAMP " [] " PATH \t SIGNAL \t DIRECTION \t VALUE [\t more columns, ignored]

#include "ingest/formats/device_path.h"
#include "ingest/formats/line_parser.h"
#include "ingest/formats/parse_util.h"

namespace plcscope::ingest {

using internal::Find;
using internal::TrimView;

// 2026-02-05 00:00:00.026 [] B1ACNV13301-596\tI_BUFFER_STATUS            \tIN      \t0\t\t
//     CNV_202:7\tT\tT\t2026-02-05 00:00:00.026   (one line; wrapped here)
void ParsePlcTabLine(std::string_view line, SampleSink& sink) {
  Sample s;
  size_t used;
  if (!internal::LeadingTimestamp(line, reason::kNoMatchPlcTab, sink, &s.ts_ns, &used)) return;
  const char* const end = line.data() + line.size();
  const char* p = line.data() + used;

  // The literal " [] " (spaces around it may repeat).
  if (p == end || *p != ' ') return sink.OnError(reason::kNoMatchPlcTab);
  while (p < end && *p == ' ') ++p;
  if (end - p < 3 || p[0] != '[' || p[1] != ']' || p[2] != ' ') {
    return sink.OnError(reason::kNoMatchPlcTab);
  }
  p += 3;

  // PATH \t SIGNAL \t DIRECTION \t VALUE: at least four fields.
  const char* tab1 = Find(p, end, '\t');
  if (tab1 == nullptr) return sink.OnError(reason::kNoMatchPlcTab);
  const char* tab2 = Find(tab1 + 1, end, '\t');
  if (tab2 == nullptr) return sink.OnError(reason::kNoMatchPlcTab);
  const char* tab3 = Find(tab2 + 1, end, '\t');
  if (tab3 == nullptr) return sink.OnError(reason::kNoMatchPlcTab);
  const char* value_end = Find(tab3 + 1, end, '\t');
  if (value_end == nullptr) value_end = end;

  s.path = TrimView(p, tab1);
  s.signal = TrimView(tab1 + 1, tab2);
  s.value = TrimView(tab3 + 1, value_end);
  s.device = DeviceFromPath(s.path);
  if (s.device.empty()) return sink.OnError(reason::kNoDevice);
  if (s.signal.empty()) return sink.OnError(reason::kNoSignal);
  sink.OnSample(s);
}

}  // namespace plcscope::ingest
