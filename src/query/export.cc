// Session::Export: every row of a filter+sort, streamed as CSV or JSON lines
// in chunks of about 64 KiB. Time orders are produced by scanning blocks of
// rows, so memory stays bounded; other orders read the (cached) sorted row
// list, 4 bytes a row.
#include <algorithm>
#include <string>

#include "base/time_util.h"
#include "query/row_filter.h"
#include "query/session_impl.h"
#include "query/value_format.h"

namespace plcscope::query {
namespace {

constexpr size_t kChunkBytes = 64 << 10;
constexpr uint64_t kScanBlock = 1 << 16;

class Writer {
 public:
  Writer(const store::Store& store, const ExportQuery& q, const ExportSink& sink)
      : store_(store), q_(q), sink_(sink), merged_(q.source_ids.size() > 1) {
    buf_.reserve(kChunkBytes + 4096);
    if (q.format == ExportFormat::kCsv) {
      buf_.append("timestamp,deviceId,signalName,category,value,type");
      buf_.append(merged_ ? ",sourceId\n" : "\n");
    }
  }

  bool Row(RowId row) {
    if (q_.format == ExportFormat::kJsonLines) {
      AppendEntryJson(store_, row, q_.source_ids, &buf_);
      buf_.push_back('\n');
    } else {
      const store::StreamRecord& st = store_.streams()[store_.row_stream()[row]];
      const store::SignalRecord& sig = store_.signals()[st.signal];
      buf_.append(base::FormatDisplayMillis(store_.row_time()[row]));
      buf_.push_back(',');
      AppendCsvField(store_.str(store_.devices()[sig.device].name), &buf_);
      buf_.push_back(',');
      AppendCsvField(store_.str(sig.name), &buf_);
      buf_.push_back(',');
      AppendCsvField(store_.str(st.category), &buf_);
      buf_.push_back(',');
      const store::ValueRecord& v = store_.values()[store_.row_value()[row]];
      text_.clear();
      AppendShownText(static_cast<base::ValueType>(sig.type), v, store_.str(v.text), &text_);
      AppendCsvField(text_, &buf_);
      buf_.push_back(',');
      buf_.append(base::ValueTypeName(static_cast<base::ValueType>(sig.type)));
      if (merged_) {
        buf_.push_back(',');
        AppendCsvField(st.source < q_.source_ids.size() ? q_.source_ids[st.source] : "", &buf_);
      }
      buf_.push_back('\n');
    }
    return buf_.size() < kChunkBytes || Flush();
  }

  bool Flush() {
    if (buf_.empty()) return true;
    const bool ok = sink_(buf_);
    buf_.clear();
    return ok;
  }

 private:
  const store::Store& store_;
  const ExportQuery& q_;
  const ExportSink& sink_;
  const bool merged_;
  std::string buf_;
  std::string text_;
};

}  // namespace

base::Status Session::Export(const ExportQuery& q, const ExportSink& sink,
                             const Deadline& deadline) const {
  base::Status gone = base::IoError("export stopped by its receiver");
  Writer writer(*store_, q, sink);
  if (q.sort.field != SortField::kTimestamp) {
    auto order = impl_->Order(q.filter, q.sort, deadline);
    if (!order.ok()) return order.status();
    for (uint64_t i = 0; i < order->size(); ++i) {
      if (i % kScanBlock == 0) PLCSCOPE_RETURN_IF_ERROR(deadline.Check());
      if (!writer.Row(order->at(i))) return gone;
    }
    return writer.Flush() ? base::Status::Ok() : gone;
  }
  auto cf = CompiledFilter::Compile(*store_, impl_->names, q.filter, deadline);
  if (!cf.ok()) return cf.status();
  std::vector<RowId> block;
  const uint64_t begin = cf->row_begin(), end = cf->row_end();
  for (uint64_t done = 0; done < end - begin; done += kScanBlock) {
    PLCSCOPE_RETURN_IF_ERROR(deadline.Check());
    const uint64_t len = std::min(kScanBlock, end - begin - done);
    const uint64_t b = q.sort.descending ? end - done - len : begin + done;
    block.clear();
    cf->Scan(b, b + len, &block);
    if (q.sort.descending) std::reverse(block.begin(), block.end());
    for (RowId r : block) {
      if (!writer.Row(r)) return gone;
    }
  }
  return writer.Flush() ? base::Status::Ok() : gone;
}

}  // namespace plcscope::query
