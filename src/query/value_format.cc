#include "query/value_format.h"

#include <cmath>
#include <span>

#include "base/json_writer.h"
#include "base/time_util.h"
#include "query/query.h"

namespace plcscope::query {

void AppendShownText(base::ValueType type, const store::ValueRecord& v, std::string_view text,
                     std::string* out) {
  const store::ShownValue s = store::ShowValue(type, v, text);
  switch (type) {
    case base::ValueType::kBoolean:
      out->append(s.b ? "true" : "false");
      break;
    case base::ValueType::kInteger:
      base::AppendJsonInt(s.i, out);
      break;
    case base::ValueType::kFloat:
      base::AppendShortestDouble(s.d, out);
      break;
    case base::ValueType::kString:
      out->append(s.s);
      break;
  }
}

void AppendShownJson(const store::ShownValue& v, std::string* out) {
  switch (v.type) {
    case base::ValueType::kBoolean:
      out->append(v.b ? "true" : "false");
      break;
    case base::ValueType::kInteger:
      base::AppendJsonInt(v.i, out);
      break;
    case base::ValueType::kFloat:
      if (std::isfinite(v.d)) {
        base::AppendShortestDouble(v.d, out);
      } else {
        out->append("null");
      }
      break;
    case base::ValueType::kString:
      base::AppendJsonString(v.s, out);
      break;
  }
}

void AppendCsvField(std::string_view s, std::string* out) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) {
    out->append(s);
    return;
  }
  out->push_back('"');
  for (char c : s) {
    if (c == '"') out->push_back('"');
    out->push_back(c);
  }
  out->push_back('"');
}

void AppendValueJson(const store::Store& store, RowId row, std::string* out) {
  AppendShownJson(store.RowValue(row), out);
}

void AppendEntryJson(const store::Store& store, RowId row, std::span<const std::string> source_ids,
                     std::string* out, bool floats_as_strings) {
  const store::StreamRecord& st = store.streams()[store.row_stream()[row]];
  const store::SignalRecord& sig = store.signals()[st.signal];
  out->append("{\"deviceId\":");
  base::AppendJsonString(store.str(store.devices()[sig.device].name), out);
  out->append(",\"signalName\":");
  base::AppendJsonString(store.str(sig.name), out);
  out->append(",\"timestamp\":\"");
  char buf[40];
  out->append(buf, base::FormatRfc3339Millis(store.row_time()[row], buf));
  out->append("\",\"value\":");
  const store::ShownValue shown = store.Shown(st.signal, store.row_value()[row]);
  const auto type = static_cast<base::ValueType>(sig.type);
  if (floats_as_strings && type == base::ValueType::kFloat) {
    if (shown.type == base::ValueType::kString) {
      base::AppendJsonString(shown.s, out);
    } else {
      out->push_back('"');
      if (shown.type == base::ValueType::kFloat && std::isfinite(shown.d)) {
        base::AppendShortestDouble(shown.d, out);
      } else if (shown.type == base::ValueType::kInteger) {
        base::AppendJsonInt(shown.i, out);
      } else if (shown.type == base::ValueType::kBoolean) {
        out->append(shown.b ? "true" : "false");
      }
      out->push_back('"');
    }
    out->append(",\"signalType\":\"string\"");
  } else {
    AppendShownJson(shown, out);
    out->append(",\"signalType\":\"");
    out->append(base::ValueTypeName(type));
    out->push_back('"');
  }
  if (st.category != store::kNoCategory) {
    out->append(",\"category\":");
    base::AppendJsonString(store.str(st.category), out);
  }
  if (source_ids.size() > 1 && st.source < source_ids.size()) {
    out->append(",\"sourceId\":");
    base::AppendJsonString(source_ids[st.source], out);
  }
  out->push_back('}');
}

}  // namespace plcscope::query
