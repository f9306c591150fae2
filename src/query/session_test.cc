#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "base/time_util.h"
#include "query/query.h"
#include "query/test_store.h"

namespace plcscope::query {
namespace {

using base::DeclaredType;
using base::ValueType;

int64_t Base() {
  int64_t ns;
  size_t used;
  EXPECT_TRUE(base::ParseTimestamp("2025-09-22 13:00:00", &ns, &used));
  return ns;
}
int64_t Ms(int64_t ms) { return Base() + ms * base::kNanosPerMilli; }

// Eleven samples of five signals on two devices, added out of time order.
std::shared_ptr<const store::Store> SmallStore() {
  return testing::BuildStore([](store::SessionBuilder& b) {
    const uint32_t d1 = b.Device("DEV-1", "A/B/DEV-1");
    const uint32_t d2 = b.Device("DEV-2", "X/DEV-2");
    const uint32_t flag1 = b.Stream(b.Signal(d1, "FLAG"), "IN", 0);
    const uint32_t count = b.Stream(b.Signal(d1, "COUNT"), "", 0);
    const uint32_t flag2 = b.Stream(b.Signal(d2, "FLAG"), "OUT", 0);
    const uint32_t state = b.Stream(b.Signal(d2, "STATE"), "INPUT2", 0);
    const uint32_t temp = b.Stream(b.Signal(d2, "TEMP"), "", 0);
    auto v = [&](const char* text) { return b.Value(text, DeclaredType::kInfer); };
    b.AddRow(Ms(7000), flag1, v("OFF"));
    b.AddRow(Ms(1000), flag1, v("ON"));
    b.AddRow(Ms(1000), state, v("IDLE"));
    b.AddRow(Ms(2000), count, v("5"));
    b.AddRow(Ms(3000), flag1, v("ON"));
    b.AddRow(Ms(3000), flag2, v("OFF"));
    b.AddRow(Ms(4000), temp, v("2.50"));
    b.AddRow(Ms(5000), count, v("0x1F"));
    b.AddRow(Ms(6000), state, b.Value("", DeclaredType::kString));
    b.AddRow(Ms(61000), state, v("RUN"));
    b.AddRow(Ms(125000), temp, v("-1.5"));
    b.AddError(0, 3, "bad timestamp", "xx");
    b.AddError(0, 9, "bad timestamp", "yy");
    b.AddError(0, 12, "device ID not found in path", "zz");
  });
}

class SessionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = SmallStore();
    ASSERT_NE(store_, nullptr);
    session_ = std::make_unique<Session>(store_);
  }
  // "DEV::SIG=value@ms" for each row of a page.
  std::vector<std::string> Describe(const std::vector<RowId>& rows) {
    std::vector<std::string> out;
    for (RowId r : rows) {
      const auto& sig = store_->signals()[store_->row_signal(r)];
      const auto& val = store_->values()[store_->row_value()[r]];
      out.push_back(std::string(store_->str(sig.key)) + "=" + std::string(store_->str(val.text)) +
                    "@" + std::to_string((store_->row_time()[r] - Base()) / 1000000));
    }
    return out;
  }
  EntriesPage Page(Filter f, Sort s = {}, int64_t page = 1, int64_t size = 100) {
    EntriesQuery q;
    q.filter = std::move(f);
    q.sort = s;
    q.page = page;
    q.page_size = size;
    auto r = session_->Entries(q);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? r.value() : EntriesPage{};
  }
  uint64_t Total(Filter f) { return Page(std::move(f)).total; }

  std::shared_ptr<const store::Store> store_;
  std::unique_ptr<Session> session_;
};

TEST_F(SessionTest, PagesInTimeOrderBothWays) {
  EntriesPage p = Page({}, {}, 1, 4);
  EXPECT_EQ(p.total, 11u);
  EXPECT_EQ(Describe(p.rows),
            (std::vector<std::string>{"DEV-1::FLAG=ON@1000", "DEV-2::STATE=IDLE@1000",
                                      "DEV-1::COUNT=5@2000", "DEV-1::FLAG=ON@3000"}));
  EXPECT_EQ(Page({}, {}, 3, 4).rows.size(), 3u);
  EXPECT_TRUE(Page({}, {}, 4, 4).rows.empty());
  EXPECT_TRUE(Page({}, {}, 1000000000, 1000).rows.empty());
  Sort desc{SortField::kTimestamp, true};
  EXPECT_EQ(Describe(Page({}, desc, 1, 2).rows),
            (std::vector<std::string>{"DEV-2::TEMP=-1.5@125000", "DEV-2::STATE=RUN@61000"}));
  // The exact reverse, ties included.
  EXPECT_EQ(Describe(Page({}, desc, 3, 4).rows).back(), "DEV-1::FLAG=ON@1000");
}

TEST_F(SessionTest, PageSizeIsCappedAndValidated) {
  EntriesQuery q;
  q.page_size = 5000;
  auto r = session_->Entries(q);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->page_size, kMaxPageSize);
  q.page = 0;
  EXPECT_EQ(session_->Entries(q).status().code(), base::StatusCode::kInvalidArgument);
  q.page = 1;
  q.page_size = 0;
  EXPECT_EQ(session_->Entries(q).status().code(), base::StatusCode::kInvalidArgument);
}

TEST_F(SessionTest, SearchMatchesWrittenAndShownValueText) {
  Filter f;
  f.search = "on";  // "ON" as written; no name or category holds "on"
  EXPECT_EQ(Total(f), 2u);
  f.search = "TRUE";  // shown form of ON
  EXPECT_EQ(Total(f), 2u);
  f.search = "31";  // 0x1F shown as an integer
  EXPECT_EQ(Describe(Page(f).rows), std::vector<std::string>{"DEV-1::COUNT=0x1F@5000"});
  f.search = "0x1f";
  EXPECT_EQ(Total(f), 1u);
  f.search = "2.5";
  EXPECT_EQ(Total(f), 1u);
  f.search = "2.50";
  EXPECT_EQ(Total(f), 1u);
  f.search = "input";  // a category
  EXPECT_EQ(Total(f), 3u);
  f.search = "dev-2";  // a device
  EXPECT_EQ(Total(f), 6u);
  f.search = "on";
  f.case_sensitive = true;
  EXPECT_EQ(Total(f), 0u);
}

TEST_F(SessionTest, RegexAndExclude) {
  Filter f;
  f.regex = true;
  f.search = "^(RUN|IDLE)$";
  EXPECT_EQ(Total(f), 2u);
  f.search = "^run$";
  EXPECT_EQ(Total(f), 1u);
  f.case_sensitive = true;
  EXPECT_EQ(Total(f), 0u);
  f.search = "nothing matches this";
  EXPECT_EQ(Total(f), 0u);
  f.search = "(";
  EntriesQuery q;
  q.filter = f;
  auto r = session_->Entries(q);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), base::StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("missing )"), std::string::npos) << r.status().message();

  Filter x;
  x.exclude = "flag";
  EXPECT_EQ(Total(x), 7u);
  x.exclude = "false";  // OFF rows
  EXPECT_EQ(Total(x), 9u);
  x.search = "DEV-1";
  EXPECT_EQ(Total(x), 4u);
}

TEST_F(SessionTest, StructuralFilters) {
  Filter f;
  f.categories = {""};
  EXPECT_EQ(Total(f), 4u);
  f.categories = {"IN", "OUT"};
  EXPECT_EQ(Total(f), 4u);
  f = {};
  f.types = {ValueType::kString};
  EXPECT_EQ(Total(f), 3u);
  f = {};
  f.signals = {"FLAG"};
  EXPECT_EQ(Total(f), 4u);
  f.signals = {"DEV-1::FLAG", "NOPE::X"};
  EXPECT_EQ(Total(f), 3u);
  f = {};
  f.devices = {"DEV-2"};
  EXPECT_EQ(Total(f), 6u);
  f = {};
  f.start_ns = Ms(2000);
  f.end_ns = Ms(4000);
  EXPECT_EQ(Total(f), 4u);
  f.start_ns = Ms(4000);
  f.end_ns = Ms(2000);
  EXPECT_EQ(Total(f), 0u);
  f = {};
  f.changed_only = true;
  EXPECT_EQ(Total(f), 10u);
  f.signals = {"DEV-1::FLAG"};
  EXPECT_EQ(Describe(Page(f).rows),
            (std::vector<std::string>{"DEV-1::FLAG=ON@1000", "DEV-1::FLAG=OFF@7000"}));
}

TEST_F(SessionTest, SortsByEveryField) {
  EXPECT_EQ(Describe(Page({}, {SortField::kSignalName, false}, 1, 6).rows),
            (std::vector<std::string>{"DEV-1::COUNT=5@2000", "DEV-1::COUNT=0x1F@5000",
                                      "DEV-1::FLAG=ON@1000", "DEV-1::FLAG=ON@3000",
                                      "DEV-2::FLAG=OFF@3000", "DEV-1::FLAG=OFF@7000"}));
  EXPECT_EQ(Describe(Page({}, {SortField::kValue, false}).rows),
            (std::vector<std::string>{
                "DEV-2::FLAG=OFF@3000", "DEV-1::FLAG=OFF@7000", "DEV-1::FLAG=ON@1000",
                "DEV-1::FLAG=ON@3000", "DEV-2::TEMP=-1.5@125000", "DEV-2::TEMP=2.50@4000",
                "DEV-1::COUNT=5@2000", "DEV-1::COUNT=0x1F@5000", "DEV-2::STATE=@6000",
                "DEV-2::STATE=IDLE@1000", "DEV-2::STATE=RUN@61000"}));
  auto desc = Describe(Page({}, {SortField::kValue, true}).rows);
  EXPECT_EQ(desc.front(), "DEV-2::STATE=RUN@61000");
  EXPECT_EQ(desc.back(), "DEV-2::FLAG=OFF@3000");
  auto by_cat = Describe(Page({}, {SortField::kCategory, false}).rows);
  EXPECT_EQ(by_cat.front(), "DEV-1::COUNT=5@2000");  // no category first
  EXPECT_EQ(by_cat.back(), "DEV-2::FLAG=OFF@3000");  // OUT last
  auto by_type = Describe(Page({}, {SortField::kType, false}).rows);
  EXPECT_EQ(by_type[4], "DEV-2::TEMP=2.50@4000");  // boolean x4, then float
  auto by_dev = Describe(Page({}, {SortField::kDeviceId, true}, 1, 1).rows);
  EXPECT_EQ(by_dev[0], "DEV-2::TEMP=-1.5@125000");
  Filter f;
  f.search = "dev-1";
  EXPECT_EQ(Page(f, {SortField::kValue, false}).total, 5u);
}

TEST_F(SessionTest, IndexOfTime) {
  auto idx = [&](Filter f, Sort s, int64_t ms) {
    auto r = session_->IndexOfTime(f, s, Ms(ms));
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r : -2;
  };
  EXPECT_EQ(idx({}, {}, 3000), 3);  // exactly on a sample
  EXPECT_EQ(idx({}, {}, 2500), 3);
  EXPECT_EQ(idx({}, {}, -100000), 0);
  EXPECT_EQ(idx({}, {}, 200000), -1);
  Filter f;
  f.devices = {"DEV-2"};
  EXPECT_EQ(idx(f, {}, 3000), 1);
  EXPECT_EQ(idx(f, {SortField::kTimestamp, true}, 3000), 0);
  EXPECT_EQ(idx(f, {SortField::kTimestamp, true}, 200000), -1);
  // Value order: OFF@3000 (DEV-2::FLAG) is first among DEV-2's rows.
  EXPECT_EQ(idx(f, {SortField::kValue, false}, 3000), 0);
  EXPECT_EQ(idx(f, {SortField::kValue, false}, 5000), 1);  // -1.5@125000
}

TEST_F(SessionTest, TimeTree) {
  auto tree = session_->TimeTree({});
  ASSERT_TRUE(tree.ok());
  ASSERT_EQ(tree->size(), 3u);
  EXPECT_EQ((*tree)[0].date, "2025-09-22");
  EXPECT_EQ((*tree)[0].hour, 13);
  EXPECT_EQ((*tree)[0].minute, 0);
  EXPECT_EQ((*tree)[0].ts_ns, Ms(1000));
  EXPECT_EQ((*tree)[1].minute, 1);
  EXPECT_EQ((*tree)[1].ts_ns, Ms(61000));
  EXPECT_EQ((*tree)[2].minute, 2);
  Filter f;
  f.signals = {"TEMP"};
  tree = session_->TimeTree(f);
  ASSERT_TRUE(tree.ok());
  ASSERT_EQ(tree->size(), 2u);
  EXPECT_EQ((*tree)[0].ts_ns, Ms(4000));
  EXPECT_EQ((*tree)[1].ts_ns, Ms(125000));
}

TEST_F(SessionTest, ChunkBoundariesAtTime) {
  ChunkQuery c;
  c.signals = {"FLAG"};
  c.start_ns = Ms(1000);
  c.end_ns = Ms(3000);
  auto chunk = session_->Chunk(c);
  ASSERT_TRUE(chunk.ok());
  EXPECT_EQ(Describe(chunk->rows),
            (std::vector<std::string>{"DEV-1::FLAG=ON@1000", "DEV-1::FLAG=ON@3000",
                                      "DEV-2::FLAG=OFF@3000"}));
  EXPECT_FALSE(chunk->truncated);
  c.limit = 2;
  chunk = session_->Chunk(c);
  EXPECT_EQ(chunk->rows.size(), 2u);
  EXPECT_TRUE(chunk->truncated);
  c.start_ns = Ms(8000);
  c.end_ns = Ms(9000);
  EXPECT_TRUE(session_->Chunk(c)->rows.empty());

  // No signals named: every entry of the window, in time order, capped.
  ChunkQuery every;
  every.start_ns = Ms(1000);
  every.end_ns = Ms(3000);
  chunk = session_->Chunk(every);
  ASSERT_TRUE(chunk.ok());
  EXPECT_EQ(Describe(chunk->rows),
            (std::vector<std::string>{"DEV-1::FLAG=ON@1000", "DEV-2::STATE=IDLE@1000",
                                      "DEV-1::COUNT=5@2000", "DEV-1::FLAG=ON@3000",
                                      "DEV-2::FLAG=OFF@3000"}));
  EXPECT_FALSE(chunk->truncated);
  every.limit = 2;
  chunk = session_->Chunk(every);
  EXPECT_EQ(chunk->rows.size(), 2u);
  EXPECT_TRUE(chunk->truncated);

  BoundariesQuery bq;
  bq.signals = {"DEV-1::FLAG", "DEV-2::TEMP", "GONE"};
  bq.start_ns = Ms(1000);
  bq.end_ns = Ms(3000);
  auto b = session_->Boundaries(bq);
  ASSERT_TRUE(b.ok());
  ASSERT_EQ(b->size(), 2u);
  EXPECT_EQ((*b)[0].before, kNoRow);  // a sample exactly at start is not before it
  EXPECT_EQ(Describe({(*b)[0].after}), std::vector<std::string>{"DEV-1::FLAG=OFF@7000"});
  EXPECT_EQ(Describe({(*b)[1].after}), std::vector<std::string>{"DEV-2::TEMP=2.50@4000"});

  AtTimeQuery at;
  at.ts_ns = Ms(3500);
  auto all = session_->AtTime(at);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(Describe(*all),
            (std::vector<std::string>{"DEV-1::COUNT=5@2000", "DEV-1::FLAG=ON@3000",
                                      "DEV-2::FLAG=OFF@3000", "DEV-2::STATE=IDLE@1000"}));
  at.signals = {"FLAG", "DEV-2::TEMP"};
  EXPECT_EQ(session_->AtTime(at)->size(), 2u);
  at.ts_ns = Ms(0);
  EXPECT_TRUE(session_->AtTime(at)->empty());
  at.ts_ns = Ms(1000000);
  EXPECT_EQ(session_->AtTime(at)->size(), 3u);
}

TEST_F(SessionTest, Metadata) {
  EXPECT_EQ(session_->SignalKeys(),
            (std::vector<std::string_view>{"DEV-1::COUNT", "DEV-1::FLAG", "DEV-2::FLAG",
                                           "DEV-2::STATE", "DEV-2::TEMP"}));
  auto devices = session_->Devices();
  ASSERT_EQ(devices.size(), 2u);
  EXPECT_EQ(devices[1].id, "DEV-2");
  EXPECT_EQ(devices[1].path, "X/DEV-2");
  EXPECT_EQ(devices[1].signal_count, 3u);
  EXPECT_EQ(session_->Categories(), (std::vector<std::string_view>{"IN", "INPUT2", "OUT"}));
  EXPECT_EQ(session_->min_ts(), Ms(1000));
  EXPECT_EQ(session_->max_ts(), Ms(125000));
  EXPECT_EQ(store_->signal_type(4), ValueType::kFloat);
  auto errors = session_->Errors(2, 2);
  ASSERT_TRUE(errors.ok());
  EXPECT_EQ(errors->total_details, 3u);
  EXPECT_EQ(errors->error_count, 3u);
  ASSERT_EQ(errors->errors.size(), 1u);
  EXPECT_EQ(errors->errors[0].line, 12u);
  EXPECT_EQ(errors->counts_by_reason.at("bad timestamp"), 2u);
  EXPECT_TRUE(session_->Errors(3, 2)->errors.empty());
}

TEST_F(SessionTest, EntryJsonAndExport) {
  std::string json;
  AppendEntryJson(*store_, 0, {}, &json);
  EXPECT_EQ(json,
            "{\"deviceId\":\"DEV-1\",\"signalName\":\"FLAG\",\"timestamp\":"
            "\"2025-09-22T13:00:01.000Z\",\"value\":true,\"signalType\":\"boolean\","
            "\"category\":\"IN\"}");
  // A float entry: a number, or for clients that know no floats a string.
  RowId temp = 0;
  while (store_->row_time()[temp] != Ms(4000)) ++temp;
  json.clear();
  AppendEntryJson(*store_, temp, {}, &json);
  EXPECT_NE(json.find("\"value\":2.5,\"signalType\":\"float\""), std::string::npos) << json;
  json.clear();
  AppendEntryJson(*store_, temp, {}, &json, /*floats_as_strings=*/true);
  EXPECT_NE(json.find("\"value\":\"2.5\",\"signalType\":\"string\""), std::string::npos) << json;
  json.clear();
  AppendEntryJson(*store_, 0, {}, &json, /*floats_as_strings=*/true);
  EXPECT_NE(json.find("\"value\":true,\"signalType\":\"boolean\""), std::string::npos) << json;
  ExportQuery q;
  q.filter.devices = {"DEV-1"};
  base::Status csv_status;
  const std::string csv = testing::ExportToString(*session_, q, &csv_status);
  ASSERT_TRUE(csv_status.ok()) << csv_status.ToString();
  EXPECT_EQ(csv,
            "timestamp,deviceId,signalName,category,value,type\n"
            "2025-09-22 13:00:01.000,DEV-1,FLAG,IN,true,boolean\n"
            "2025-09-22 13:00:02.000,DEV-1,COUNT,,5,integer\n"
            "2025-09-22 13:00:03.000,DEV-1,FLAG,IN,true,boolean\n"
            "2025-09-22 13:00:05.000,DEV-1,COUNT,,31,integer\n"
            "2025-09-22 13:00:07.000,DEV-1,FLAG,IN,false,boolean\n");
  q.format = ExportFormat::kJsonLines;
  q.sort = {SortField::kValue, true};
  base::Status lines_status;
  const std::string lines = testing::ExportToString(*session_, q, &lines_status);
  ASSERT_TRUE(lines_status.ok()) << lines_status.ToString();
  EXPECT_EQ(std::count(lines.begin(), lines.end(), '\n'), 5);
  EXPECT_EQ(lines.substr(0, lines.find('\n')),
            "{\"deviceId\":\"DEV-1\",\"signalName\":\"COUNT\",\"timestamp\":"
            "\"2025-09-22T13:00:05.000Z\",\"value\":31,\"signalType\":\"integer\"}");
  EXPECT_EQ(session_->Export(q, [](std::string_view) { return false; }).code(),
            base::StatusCode::kIoError);
  // Time descending streams the exact reverse of ascending.
  q.format = ExportFormat::kCsv;
  q.filter = {};
  q.sort = {};
  base::Status st;
  const std::string asc = testing::ExportToString(*session_, q, &st);
  ASSERT_TRUE(st.ok());
  q.sort.descending = true;
  const std::string desc = testing::ExportToString(*session_, q, &st);
  ASSERT_TRUE(st.ok());
  auto split = [](const std::string& text) {
    std::vector<std::string> out;
    for (size_t p = 0, e; p < text.size(); p = e + 1) {
      e = text.find('\n', p);
      out.push_back(text.substr(p, e - p));
    }
    return out;
  };
  auto a = split(asc), d = split(desc);
  ASSERT_EQ(a.size(), 12u);  // header + 11 rows
  EXPECT_EQ(a[0], d[0]);
  EXPECT_TRUE(std::equal(a.begin() + 1, a.end(), d.rbegin()));
}

TEST(EmptySessionTest, EveryQueryAnswers) {
  auto store = testing::BuildStore([](store::SessionBuilder&) {});
  ASSERT_NE(store, nullptr);
  Session s(store);
  EntriesQuery q;
  q.sort.field = SortField::kValue;
  EXPECT_EQ(s.Entries(q)->total, 0u);
  q.filter.search = "x";
  EXPECT_EQ(s.Entries(q)->total, 0u);
  EXPECT_EQ(*s.IndexOfTime({}, {}, 0), -1);
  EXPECT_TRUE(s.TimeTree({})->empty());
  EXPECT_TRUE(s.AtTime({})->empty());
  EXPECT_TRUE(s.Chunk({})->rows.empty());
  WaveformQuery w;
  w.signals = {"X"};
  EXPECT_TRUE(s.Waveform(w)->signals.empty());
  EXPECT_TRUE(s.Categories().empty());
  EXPECT_TRUE(s.Devices().empty());
  EXPECT_EQ(s.Errors(1, 10)->total_details, 0u);
}

TEST(SingleSampleTest, EveryQueryFindsIt) {
  auto store = testing::BuildStore([](store::SessionBuilder& b) {
    b.AddRow(Ms(5), b.Stream(b.Signal(b.Device("D", "D"), "S"), "", 0),
             b.Value("7", DeclaredType::kInfer));
  });
  ASSERT_NE(store, nullptr);
  Session s(store);
  EXPECT_EQ(s.Entries({})->rows, std::vector<RowId>{0});
  EXPECT_EQ(*s.IndexOfTime({}, {}, Ms(5)), 0);
  EXPECT_EQ(*s.IndexOfTime({}, {}, Ms(6)), -1);
  EXPECT_EQ(s.TimeTree({})->size(), 1u);
  AtTimeQuery at;
  at.ts_ns = Ms(5);
  EXPECT_EQ(*s.AtTime(at), std::vector<RowId>{0});
  WaveformQuery w;
  w.signals = {"S"};
  w.start_ns = Ms(0);
  w.end_ns = Ms(10);
  w.width = 10;
  auto wf = s.Waveform(w);
  ASSERT_TRUE(wf.ok());
  ASSERT_EQ(wf->signals.size(), 1u);
  EXPECT_EQ(wf->signals[0].initial, kNoRow);
  EXPECT_EQ(wf->signals[0].change_rows, std::vector<RowId>{0});
}

TEST(MergedViewTest, SourcesAndSourceIds) {
  auto store = testing::BuildStore([](store::SessionBuilder& b) {
    const uint32_t sig = b.Signal(b.Device("D", "D"), "S");
    const uint32_t a = b.Stream(sig, "", 0);
    const uint32_t c = b.Stream(sig, "", 1);
    b.AddRow(Ms(0), a, b.Value("1", DeclaredType::kInfer));
    b.AddRow(Ms(5000), a, b.Value("2", DeclaredType::kInfer));
    b.AddRow(Ms(2000), c, b.Value("3", DeclaredType::kInfer));
    b.AddRow(Ms(5000), c, b.Value("4", DeclaredType::kInfer));
    b.meta().files.resize(2);
  });
  ASSERT_NE(store, nullptr);
  Session s(store);
  auto page = s.Entries({});
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->total, 4u);
  // Ties in time keep file order.
  EXPECT_EQ(store->streams()[store->row_stream()[page->rows[2]]].source, 0u);
  EXPECT_EQ(store->streams()[store->row_stream()[page->rows[3]]].source, 1u);
  std::vector<std::string> ids = {"f1", "f2"};
  std::string json;
  AppendEntryJson(*store, page->rows[3], ids, &json);
  EXPECT_NE(json.find("\"sourceId\":\"f2\""), std::string::npos) << json;
}

}  // namespace
}  // namespace plcscope::query
