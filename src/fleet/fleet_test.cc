#include <gtest/gtest.h>
#include <zlib.h>

#include <string>

#include "fleet/clickhouse.h"
#include "fleet/push.h"
#include "fleet/schema.h"

namespace plcscope::fleet {
namespace {

TEST(NodeUrl, ParsesHostAndPort) {
  auto a = ParseNodeUrl("http://127.0.0.1:18123/");
  ASSERT_TRUE(a.ok()) << a.status().message();
  EXPECT_EQ(a->host, "127.0.0.1");
  EXPECT_EQ(a->port, 18123);
  auto b = ParseNodeUrl("http://ch.plant");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->port, 8123);
}

TEST(NodeUrl, RefusesWhatItCannotUseAndSaysWhy) {
  for (const char* bad : {"https://h:8443", "h:8123", "http://", "http://h:0", "http://h:99999",
                          "http://h:12x", "http://h/db", "http://u:p@h", "http://h?x=1"}) {
    auto a = ParseNodeUrl(bad);
    EXPECT_FALSE(a.ok()) << bad;
    if (!a.ok()) {
      EXPECT_NE(a.status().message().find(bad), std::string::npos);
    }
  }
}

TEST(NodeUrl, ListKeepsTheShardOrder) {
  auto l = ParseNodeList("http://a:1,http://b:2");
  ASSERT_TRUE(l.ok());
  ASSERT_EQ(l->size(), 2u);
  EXPECT_EQ((*l)[0].host, "a");
  EXPECT_EQ((*l)[1].port, 2);
  EXPECT_FALSE(ParseNodeList("http://a:1,").ok());
}

TEST(Sql, StringLiteralsAndUrlParameters) {
  EXPECT_EQ(SqlString("it's a\\b"), "'it\\'s a\\\\b'");
  EXPECT_EQ(UrlEncode("INSERT INTO db.t FORMAT RowBinary"),
            "INSERT%20INTO%20db.t%20FORMAT%20RowBinary");
  EXPECT_EQ(UrlEncode("a&b=c"), "a%26b%3Dc");
}

TEST(Schema, IdentifiersAreCheckedBeforeTheyAreSplicedIn) {
  EXPECT_TRUE(ValidIdentifier("plcscope"));
  EXPECT_TRUE(ValidIdentifier("fab_2"));
  EXPECT_FALSE(ValidIdentifier(""));
  EXPECT_FALSE(ValidIdentifier("2fab"));
  EXPECT_FALSE(ValidIdentifier("a; DROP TABLE x"));
  EXPECT_FALSE(ValidIdentifier(std::string(65, 'a')));
}

TEST(Schema, ClusterTablesAreDistributedOverTheLocalOnes) {
  const auto one = SchemaStatements("db", "");
  const auto two = SchemaStatements("db", "fab");
  ASSERT_EQ(one.size(), two.size());
  bool local = false, view = false, dist = false;
  for (const auto& s : one) {
    local |=
        s.find("db.samples_local") != std::string::npos && s.find("MergeTree") != std::string::npos;
    view |=
        s.rfind("CREATE VIEW IF NOT EXISTS db.samples AS SELECT * FROM db.samples_local", 0) == 0;
  }
  for (const auto& s : two) {
    dist |= s.find(
                "db.samples AS db.samples_local ENGINE = Distributed(fab, db, samples_local, "
                "shard_key)") != std::string::npos;
  }
  EXPECT_TRUE(local);
  EXPECT_TRUE(view);
  EXPECT_TRUE(dist);
}

TEST(Shards, OneSignalOneShardStableAcrossRuns) {
  EXPECT_EQ(ShardOf("dev::sig", 2), ShardOf("dev::sig", 2));
  EXPECT_EQ(ShardOf("dev::sig", 1), 0u);
  int on[2] = {0, 0};
  for (int i = 0; i < 1000; ++i) ++on[ShardOf("d::s" + std::to_string(i), 2)];
  EXPECT_GT(on[0], 400);  // XXH3 spreads keys evenly
  EXPECT_GT(on[1], 400);
  EXPECT_EQ(ShardOf("dev::sig", 2), ShardKey("dev::sig") % 2);
}

TEST(Gzip, RoundTrips) {
  std::string in;
  for (int i = 0; i < 10000; ++i) in += "row " + std::to_string(i) + "\n";
  const std::string gz = Gzip(in);
  EXPECT_LT(gz.size(), in.size() / 3);
  z_stream z{};
  inflateInit2(&z, 15 + 16);
  std::string out(in.size() + 16, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gz.data()));
  z.avail_in = static_cast<uInt>(gz.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(inflate(&z, Z_FINISH), Z_STREAM_END);
  out.resize(z.total_out);
  inflateEnd(&z);
  EXPECT_EQ(out, in);
}

}  // namespace
}  // namespace plcscope::fleet
