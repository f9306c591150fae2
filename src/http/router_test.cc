#include "http/router.h"

#include <gtest/gtest.h>

namespace plcscope::http {
namespace {

Response Text(std::string s) {
  Response r;
  r.body = std::move(s);
  return r;
}

TEST(Router, MatchesLiteralsBeforeLaterPatterns) {
  Router router;
  router.Add("GET", "/api/files/recent", [](Request&) { return Text("recent"); });
  router.Add("GET", "/api/files/:id", [](Request& r) { return Text("file " + r.Param("id")); });
  router.Add("DELETE", "/api/files/:id", [](Request&) { return Text("deleted"); });
  Request a{.method = "GET", .path = "/api/files/recent"};
  EXPECT_EQ(router.Dispatch(a).body, "recent");
  Request b{.method = "GET", .path = "/api/files/abc"};
  EXPECT_EQ(router.Dispatch(b).body, "file abc");
  Request c{.method = "DELETE", .path = "/api/files/abc/"};
  EXPECT_EQ(router.Dispatch(c).body, "deleted");
}

TEST(Router, MissesAreJsonErrors) {
  Router router;
  router.Add("GET", "/api/health", [](Request&) { return Text("ok"); });
  Request a{.method = "POST", .path = "/api/health"};
  Response r = router.Dispatch(a);
  EXPECT_EQ(r.status, 405);
  EXPECT_NE(r.body.find("\"code\":\"METHOD_NOT_ALLOWED\""), std::string::npos);
  Request b{.method = "GET", .path = "/api/nothing"};
  r = router.Dispatch(b);
  EXPECT_EQ(r.status, 404);
  EXPECT_NE(r.body.find("\"code\":\"NOT_FOUND\""), std::string::npos);
}

}  // namespace
}  // namespace plcscope::http
