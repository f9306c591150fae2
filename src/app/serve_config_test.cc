#include "app/serve_config.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <vector>

namespace plcscope::app {
namespace {

// A `serve` with one option of each kind the real one has.
struct Serve {
  CLI::App app{"test"};
  CLI::App* cmd = nullptr;
  int port = 8080;
  std::string budget = "50G";
  std::string token;
  bool no_auth = false;
  std::vector<std::string> hosts;
  std::vector<std::string> files;
  std::string config = kDefaultConfigPath;
  bool print = false;
  int parses = 1;

  Serve() {
    cmd = app.add_subcommand("serve");
    cmd->option_defaults()->always_capture_default();
    cmd->add_option("files", files);
    cmd->add_option("--port", port);
    cmd->add_option("--store-budget", budget);
    cmd->add_option("--token", token);
    cmd->add_flag("--no-auth", no_auth);
    cmd->add_option("--allowed-host", hosts);
    cmd->add_option("--max-parses", parses)->check(CLI::Range(1, 64));
    cmd->add_option("--config", config);
    cmd->add_flag("--print-config", print);
  }
  void Parse(std::vector<std::string> args) {
    args.insert(args.begin(), "serve");
    std::vector<std::string> rev(args.rbegin(), args.rend());
    app.parse(rev);
  }
};

TEST(ServeConfig, FileSetsWhatTheFlagsDoNot) {
  Serve s;
  s.Parse({"--port", "9000"});
  std::set<std::string> applied;
  const std::string text =
      "# plant server\n"
      "port = 7000\n"
      "store-budget = \"20G\"\n"
      "no-auth = true\n"
      "allowed-host = [\"scope.plant\", \"scope\"]\n"
      "files = [\"/srv/a.log\"]\n";
  ASSERT_TRUE(ApplyConfigText(s.cmd, text, "p.toml", &applied).ok());
  EXPECT_EQ(s.port, 9000);  // the flag wins
  EXPECT_EQ(s.budget, "20G");
  EXPECT_TRUE(s.no_auth);
  EXPECT_EQ(s.hosts, (std::vector<std::string>{"scope.plant", "scope"}));
  EXPECT_EQ(s.files, (std::vector<std::string>{"/srv/a.log"}));
  EXPECT_EQ(applied, (std::set<std::string>{"store-budget", "no-auth", "allowed-host", "files"}));

  const std::string printed = PrintConfig(*s.cmd, applied, "# head\n");
  EXPECT_EQ(printed.rfind("# head\n", 0), 0u);
  EXPECT_NE(printed.find("port = 9000  # flag\n"), std::string::npos) << printed;
  EXPECT_NE(printed.find("store-budget = \"20G\"  # file\n"), std::string::npos) << printed;
  EXPECT_NE(printed.find("no-auth = true  # file\n"), std::string::npos) << printed;
  EXPECT_NE(printed.find("allowed-host = [\"scope.plant\", \"scope\"]  # file\n"),
            std::string::npos)
      << printed;
  EXPECT_NE(printed.find("# token = (not set)  # default\n"), std::string::npos) << printed;
  EXPECT_EQ(printed.find("config ="), std::string::npos) << printed;
  EXPECT_EQ(printed.find("print-config"), std::string::npos) << printed;
}

TEST(ServeConfig, PrintedConfigReadsBackAsTheSameConfig) {
  Serve a;
  a.Parse({"--port", "9100", "--allowed-host", "x\"y", "--no-auth"});
  const std::string printed = PrintConfig(*a.cmd, {}, "");
  EXPECT_NE(printed.find("max-parses = 1  # default\n"), std::string::npos) << printed;
  Serve b;
  b.Parse({});
  std::set<std::string> applied;
  ASSERT_TRUE(ApplyConfigText(b.cmd, printed, "printed.toml", &applied).ok()) << printed;
  EXPECT_EQ(b.port, 9100);
  EXPECT_EQ(b.hosts, (std::vector<std::string>{"x\"y"}));
  EXPECT_TRUE(b.no_auth);
  EXPECT_EQ(b.budget, "50G");
}

TEST(ServeConfig, ErrorsNameTheFileTheLineAndTheKey) {
  struct Case {
    const char* text;
    const char* expected;
  };
  const Case cases[] = {
      {"port = 1\nprot = 2\n", "c.toml:2: unknown key 'prot'"},
      {"port = \"many\"\n", "c.toml:1: 'port':"},
      {"no-auth = 1\n", "c.toml:1: 'no-auth' is true or false"},
      {"port = [1, 2]\n", "c.toml:1: 'port' takes one value"},
      {"\n\nport = = 3\n", "c.toml:3:"},
      {"max-parses = 1000\n", "c.toml:1: 'max-parses':"},
      {"[serve]\nport = 1\n", "c.toml:1: unknown key 'serve'"},
      {"allowed-host = [[\"a\"]]\n", "c.toml:1: 'allowed-host': arrays hold"},
  };
  for (const Case& c : cases) {
    Serve s;
    s.Parse({});
    std::set<std::string> applied;
    base::Status st = ApplyConfigText(s.cmd, c.text, "c.toml", &applied);
    EXPECT_FALSE(st.ok()) << c.text;
    EXPECT_EQ(st.code(), base::StatusCode::kInvalidArgument);
    EXPECT_EQ(st.message().rfind(c.expected, 0), 0u) << c.text << " -> " << st.message();
  }
}

TEST(ServeConfig, MissingFileIsAnErrorOnlyWhenNamed) {
  Serve s;
  s.Parse({});
  std::set<std::string> applied;
  bool read = true;
  const std::string path = testing::TempDir() + "/no-such-plcscope.toml";
  std::remove(path.c_str());
  EXPECT_TRUE(ApplyConfigFile(s.cmd, path, false, &applied, &read).ok());
  EXPECT_FALSE(read);
  base::Status st = ApplyConfigFile(s.cmd, path, true, &applied, &read);
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find(path), std::string::npos) << st.message();
  { std::ofstream(path) << "port = 8181\n"; }
  EXPECT_TRUE(ApplyConfigFile(s.cmd, path, true, &applied, &read).ok());
  EXPECT_TRUE(read);
  EXPECT_EQ(s.port, 8181);
  std::remove(path.c_str());
}

}  // namespace
}  // namespace plcscope::app
