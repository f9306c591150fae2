// plcscope push against a real two-shard ClickHouse cluster on loopback
// (tests/fleet/clickhouse_cluster.sh, started by the ctest fixture): what
// lands in the cluster is exactly the local session, row by row; a second
// push adds nothing; a push that stopped half-way is redone without
// duplicates; a wrong node list or an unreachable node is a clear error.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "base/mapped_file.h"
#include "base/value_text.h"
#include "fleet/clickhouse.h"
#include "fleet/push.h"
#include "gen/log_generator.h"
#include "ingest/ingest.h"
#include "store/store.h"

namespace plcscope::fleet {
namespace {
namespace fs = std::filesystem;

std::vector<ClickHouseNode> ClusterNodes() {
  std::ifstream in(PLCSCOPE_CLUSTER_DIR "/urls");
  std::string urls;
  std::getline(in, urls);
  auto list = ParseNodeList(urls);
  EXPECT_TRUE(list.ok()) << "no cluster at " PLCSCOPE_CLUSTER_DIR ": "
                         << (list.ok() ? "" : list.status().message());
  std::vector<ClickHouseNode> nodes;
  if (list.ok()) {
    for (auto& a : *list) nodes.emplace_back(a);
  }
  return nodes;
}

std::string Q(const ClickHouseNode& node, const std::string& sql) {
  auto r = node.Query(sql);
  EXPECT_TRUE(r.ok()) << sql << ": " << (r.ok() ? "" : r.status().message());
  return r.ok() ? *r : "";
}

uint64_t Num(const ClickHouseNode& node, const std::string& sql) {
  return std::strtoull(Q(node, sql + " FORMAT TSV").c_str(), nullptr, 10);
}

class FleetCluster : public ::testing::Test {
 protected:
  void SetUp() override {
    nodes_ = ClusterNodes();
    ASSERT_EQ(nodes_.size(), 2u);
    dir_ = fs::temp_directory_path() / ("plcscope_fleet_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    // A database per test: tests share the cluster.
    db_ = std::string("t_") + ::testing::UnitTest::GetInstance()->current_test_info()->name();
    for (auto& n : nodes_) Q(n, "DROP DATABASE IF EXISTS " + db_);
    options_.database = db_;
    options_.cluster = "plcscope_test";
    options_.batch_rows = 3000;  // several batches per file
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  // A generated reference-profile log (booleans, integers, floats, strings)
  // parsed into a local store.
  std::shared_ptr<const store::Store> Parse(uint64_t lines, uint64_t seed, uint64_t* hash) {
    gen::GeneratorOptions g;
    g.lines = lines;
    g.seed = seed;
    g.devices = 12;
    const std::string log = (dir_ / ("in" + std::to_string(seed) + ".log")).string();
    EXPECT_TRUE(gen::GenerateToFile(g, log).ok());
    auto h = base::HashFile(log);
    EXPECT_TRUE(h.ok());
    *hash = h.ok() ? *h : 0;
    const std::string path = (dir_ / ("s" + std::to_string(seed) + ".store")).string();
    auto meta = ingest::IngestToStore({{log, "in.log"}}, {}, path);
    EXPECT_TRUE(meta.ok()) << (meta.ok() ? "" : meta.status().message());
    auto s = store::Store::Open(path);
    EXPECT_TRUE(s.ok());
    return s.ok() ? *s : nullptr;
  }

  std::vector<ClickHouseNode> nodes_;
  fs::path dir_;
  std::string db_;
  PushOptions options_;
};

// Every row of the session is in the cluster once, with its time, device,
// signal, category, type, text, number and change bit; each signal on one
// shard; the dictionaries and the file row agree.
TEST_F(FleetCluster, WhatLandsIsTheSessionRowByRow) {
  uint64_t hash = 0;
  auto s = Parse(20000, 7, &hash);
  ASSERT_TRUE(s);
  ASSERT_TRUE(EnsureSchema(nodes_, options_).ok());
  auto r = Push(*s, hash, "in.log", nodes_, options_);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_FALSE(r->skipped);
  EXPECT_EQ(r->rows, s->row_count());
  EXPECT_GT(r->shard_rows[0], 0u);
  EXPECT_GT(r->shard_rows[1], 0u);
  EXPECT_EQ(r->shard_rows[0] + r->shard_rows[1], s->row_count());

  // Through the Distributed table, in the file's order.
  const std::string rows = Q(
      nodes_[0], "SELECT seq, ts, device, signal, category, type, value, num, changed FROM " + db_ +
                     ".samples WHERE file = " + std::to_string(hash) + " ORDER BY seq FORMAT TSV");
  std::istringstream in(rows);
  std::string line;
  uint64_t row = 0;
  while (std::getline(in, line)) {
    ASSERT_LT(row, s->row_count());
    std::vector<std::string> f;
    std::stringstream ls(line);
    for (std::string x; std::getline(ls, x, '\t');) f.push_back(x);
    ASSERT_EQ(f.size(), 9u) << line;
    const uint32_t sig = s->row_signal(row);
    const auto& rec = s->signals()[sig];
    EXPECT_EQ(std::stoull(f[0]), row);
    EXPECT_EQ(std::stoll(f[1]), s->row_time()[row]) << line;
    EXPECT_EQ(f[2], s->str(s->devices()[rec.device].name));
    EXPECT_EQ(f[3], s->str(rec.name));
    EXPECT_EQ(f[4], s->str(s->streams()[s->row_stream()[row]].category));
    EXPECT_EQ(f[5], base::ValueTypeName(s->signal_type(sig)));
    EXPECT_EQ(f[6], s->str(s->values()[s->row_value()[row]].text));
    const store::ShownValue v = s->RowValue(row);
    if (v.type == base::ValueType::kString) {
      EXPECT_EQ(f[7], "nan");
    } else {
      const double want = v.type == base::ValueType::kBoolean   ? (v.b ? 1.0 : 0.0)
                          : v.type == base::ValueType::kInteger ? static_cast<double>(v.i)
                                                                : v.d;
      EXPECT_NEAR(std::stod(f[7]), want, std::abs(want) * 1e-12) << line;
    }
    EXPECT_EQ(f[8], s->row_changed(row) ? "1" : "0");
    if (HasFailure()) break;
    ++row;
  }
  EXPECT_EQ(row, s->row_count());
  // The timeline holds the same rows; no signal is split across shards.
  EXPECT_EQ(Num(nodes_[0], "SELECT count() FROM " + db_ + ".timeline"), s->row_count());
  const uint64_t on0 = Num(nodes_[0], "SELECT uniqExact(shard_key) FROM " + db_ + ".samples_local");
  const uint64_t on1 = Num(nodes_[1], "SELECT uniqExact(shard_key) FROM " + db_ + ".samples_local");
  EXPECT_EQ(on0 + on1, Num(nodes_[0], "SELECT uniqExact(shard_key) FROM " + db_ + ".samples"));
  EXPECT_EQ(Num(nodes_[0], "SELECT count() FROM " + db_ + ".signals"), s->signals().size());
  EXPECT_EQ(Num(nodes_[0], "SELECT sum(samples) FROM " + db_ + ".signals"), s->row_count());
  EXPECT_EQ(Num(nodes_[0], "SELECT count() FROM " + db_ + ".files"), 2u);  // one row per shard
  EXPECT_EQ(Num(nodes_[0], "SELECT sum(shard_rows) FROM " + db_ + ".files"), s->row_count());
}

TEST_F(FleetCluster, ASecondPushAddsNothing) {
  uint64_t hash = 0;
  auto s = Parse(5000, 8, &hash);
  ASSERT_TRUE(s);
  ASSERT_TRUE(EnsureSchema(nodes_, options_).ok());
  ASSERT_TRUE(EnsureSchema(nodes_, options_).ok());  // idempotent too
  ASSERT_TRUE(Push(*s, hash, "in.log", nodes_, options_).ok());
  auto again = Push(*s, hash, "in.log", nodes_, options_);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->skipped);
  EXPECT_EQ(Num(nodes_[0], "SELECT count() FROM " + db_ + ".samples"), s->row_count());
  // Another file goes in beside it.
  uint64_t hash2 = 0;
  auto s2 = Parse(3000, 9, &hash2);
  ASSERT_TRUE(s2);
  auto second = Push(*s2, hash2, "in2.log", nodes_, options_);
  ASSERT_TRUE(second.ok());
  EXPECT_FALSE(second->skipped);
  EXPECT_EQ(Num(nodes_[0], "SELECT count() FROM " + db_ + ".samples"),
            s->row_count() + s2->row_count());
}

// A push that died before its commit reached every node: the next push
// removes what it left and pushes the file once.
TEST_F(FleetCluster, AHalfDonePushIsRedoneWithoutDuplicates) {
  uint64_t hash = 0;
  auto s = Parse(6000, 10, &hash);
  ASSERT_TRUE(s);
  ASSERT_TRUE(EnsureSchema(nodes_, options_).ok());
  ASSERT_TRUE(Push(*s, hash, "in.log", nodes_, options_).ok());
  // The commit row gone from the second shard, as if the push had died there.
  Q(nodes_[1], "ALTER TABLE " + db_ + ".files_local DELETE WHERE file = " + std::to_string(hash));
  for (int i = 0; i < 100 && Num(nodes_[1], "SELECT count() FROM " + db_ + ".files_local") > 0;
       ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_EQ(Num(nodes_[1], "SELECT count() FROM " + db_ + ".files_local"), 0u);
  auto redo = Push(*s, hash, "in.log", nodes_, options_);
  ASSERT_TRUE(redo.ok()) << redo.status().message();
  EXPECT_FALSE(redo->skipped);
  EXPECT_EQ(Num(nodes_[0], "SELECT count() FROM " + db_ + ".samples"), s->row_count());
  EXPECT_EQ(Num(nodes_[0], "SELECT count() FROM " + db_ + ".timeline"), s->row_count());
  EXPECT_EQ(Num(nodes_[0], "SELECT count() FROM " + db_ + ".signals"), s->signals().size());
  EXPECT_EQ(Num(nodes_[0], "SELECT count() FROM " + db_ + ".files"), 2u);
}

TEST_F(FleetCluster, ANodeListThatIsNotTheClusterIsRefused) {
  std::vector<ClickHouseNode> one = {nodes_[0]};
  base::Status st = EnsureSchema(one, options_);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("has 2 shards but 1 node URLs"), std::string::npos) << st.message();
  PushOptions none = options_;
  none.cluster = "no_such_cluster";
  st = EnsureSchema(nodes_, none);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("no cluster 'no_such_cluster'"), std::string::npos) << st.message();
  PushOptions bad = options_;
  bad.database = "x; DROP DATABASE default";
  EXPECT_FALSE(EnsureSchema(nodes_, bad).ok());
}

TEST_F(FleetCluster, AnUnreachableNodeIsNamedAtOnce) {
  auto addr = ParseNodeUrl("http://127.0.0.1:1");
  ASSERT_TRUE(addr.ok());
  ClickHouseNode down(*addr);
  const auto start = std::chrono::steady_clock::now();
  base::Status st = down.Ping();
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("http://127.0.0.1:1"), std::string::npos) << st.message();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
  std::vector<ClickHouseNode> with_down = {nodes_[0], down};
  st = EnsureSchema(with_down, options_);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("http://127.0.0.1:1"), std::string::npos) << st.message();
}

// One node, no cluster: the reader names are views of the local tables.
TEST_F(FleetCluster, OneNodeWithoutACluster) {
  uint64_t hash = 0;
  auto s = Parse(4000, 11, &hash);
  ASSERT_TRUE(s);
  PushOptions single = options_;
  single.cluster = "";
  std::vector<ClickHouseNode> one = {nodes_[0]};
  ASSERT_TRUE(EnsureSchema(one, single).ok());
  auto r = Push(*s, hash, "in.log", one, single);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->shard_rows[0], s->row_count());
  EXPECT_EQ(Num(nodes_[0], "SELECT count() FROM " + db_ + ".samples"), s->row_count());
  EXPECT_EQ(Num(nodes_[0], "SELECT count() FROM " + db_ + ".files"), 1u);
  EXPECT_FALSE(EnsureSchema(nodes_, single).ok());  // two nodes need --cluster
}

}  // namespace
}  // namespace plcscope::fleet
