// `storepilot import --shop S --format shopify-orders FILE.jsonl`, run as the
// built binary on a temporary data directory: the orders reach the order
// store and every engine through the webhook path when a server starts on
// that directory, re-importing changes nothing, and bad input is reported
// with its line number.
#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <thread>

#include "api/engine.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "http_client.h"
#include "ingest/testdata/shopify_payloads.h"
#include "nlohmann/json.hpp"
#include "temp_dir.h"

namespace storepilot {
namespace {

using ::testing::HasSubstr;
using json = nlohmann::json;
using testing::HttpClient;

constexpr char kToken[] = "northwind-api-token-0123";
constexpr char kSecret[] = "whsec_0f1e2d3c4b5a69788796a5b4c3d2e1f0";

struct CommandResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr
};

CommandResult Storepilot(const std::string& args) {
  CommandResult run;
  const std::string cmd = std::string(STOREPILOT_BIN) + " " + args + " 2>&1";
  FILE* pipe = popen(cmd.c_str(), "r");
  if (pipe == nullptr) return run;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), pipe)) > 0) run.output.append(buf, n);
  const int status = pclose(pipe);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

// The import's stdout summary: the last line that parses as a JSON object.
json Summary(const std::string& output) {
  json last;
  size_t start = 0;
  while (start < output.size()) {
    size_t end = output.find('\n', start);
    if (end == std::string::npos) end = output.size();
    json j = json::parse(output.substr(start, end - start), nullptr, false);
    if (j.is_object()) last = std::move(j);
    start = end + 1;
  }
  return last;
}

std::string OneLine(const char* payload) { return json::parse(payload).dump(); }

class ImportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    config_path_ = dir_.path() + "/storepilot.yaml";
    std::ofstream(config_path_) << "data_dir: " << data_dir() << "\n"
                                << "partitions: 4\n"
                                << "shops:\n"
                                << "  - shop: northwind\n"
                                << "    api_token: " << kToken << "\n"
                                << "    webhook_secret: " << kSecret << "\n";
  }
  std::string data_dir() const { return dir_.path() + "/data"; }
  std::string Write(const std::string& name, const std::vector<std::string>& lines) {
    const std::string path = dir_.path() + "/" + name;
    std::ofstream out(path);
    for (const std::string& line : lines) out << line << "\n";
    return path;
  }
  CommandResult Import(const std::string& file, const std::string& extra = "") {
    return Storepilot("import --config " + config_path_ + " --shop northwind " +
                      "--format shopify-orders " + extra + " " + file);
  }
  std::unique_ptr<api::Engine> Serve() {
    api::EngineConfig config;
    config.data_dir = data_dir();
    config.partitions = 4;
    config.listen = "127.0.0.1:0";
    config.threads = 2;
    config.sync = false;
    config.fraud_retrain_interval_s = 0;
    config.shops.push_back({"northwind", kToken, kSecret});
    auto engine = api::Engine::Start(config, &clock_);
    EXPECT_TRUE(engine.ok()) << engine.status();
    if (!engine.ok()) return nullptr;
    EXPECT_TRUE((*engine)->WaitReady(30'000));
    return std::move(*engine);
  }
  // GET `path` once the log has been applied far enough for it to answer 200.
  json Get(HttpClient& c, const std::string& path) {
    for (int i = 0; i < 3000; ++i) {
      auto r = c.Send("GET", path, "", kToken);
      if (r.status == 200) return json::parse(r.body);
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ADD_FAILURE() << path << " never answered 200";
    return json();
  }

  testing::TempDir dir_;
  std::string config_path_;
  SystemClock clock_;
};

TEST_F(ImportTest, OrdersReachEveryEngineAndReimportingChangesNothing) {
  const std::string file = Write("orders.jsonl", {OneLine(testdata::kOrderCreate),
                                                  OneLine(testdata::kOrderCreate2),
                                                  OneLine(testdata::kOtherOrder)});
  CommandResult first = Import(file);
  ASSERT_EQ(first.exit_code, 0) << first.output;
  json summary = Summary(first.output);
  EXPECT_EQ(summary["imported"], 3) << first.output;
  EXPECT_EQ(summary["duplicates"], 0);
  EXPECT_EQ(summary["invalid"], 0);

  auto check = [&] {
    auto engine = Serve();
    ASSERT_NE(engine, nullptr);
    HttpClient c(engine->port());
    json order = Get(c, "/v1/shops/northwind/orders/5550001001");
    EXPECT_EQ(order["line_items"].size(), 2u) << order.dump();
    EXPECT_THAT(order.dump(), ::testing::Not(HasSubstr("Ada.Lovelace")));  // hashed at rest
    Get(c, "/v1/shops/northwind/orders/5550001002");
    Get(c, "/v1/shops/northwind/orders/5550002001");
    // The purchases became events (one per line item: 2 + 1 for this
    // customer), counted once however often the file is imported.
    json value = Get(c, "/v1/shops/northwind/customers/7001234567/value");
    for (int i = 0; i < 3000 && value["orders"] != 3; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      value = Get(c, "/v1/shops/northwind/customers/7001234567/value");
    }
    EXPECT_EQ(value["orders"], 3) << value.dump();
    // And the fraud engine remembers them.
    EXPECT_NE(c.Send("GET", "/v1/shops/northwind/orders/5550002001/risk", "", kToken).status,
              404);
    engine->Shutdown();
  };
  check();

  CommandResult again = Import(file);
  ASSERT_EQ(again.exit_code, 0) << again.output;
  summary = Summary(again.output);
  EXPECT_EQ(summary["imported"], 0) << again.output;
  EXPECT_EQ(summary["duplicates"], 3);
  check();
}

TEST_F(ImportTest, BadLinesAreReportedWithTheirLineNumber) {
  json no_total = json::parse(testdata::kOrderCreate2);
  no_total.erase("id");
  const std::string file = Write("bad.jsonl", {OneLine(testdata::kOtherOrder), "",
                                               "{\"id\": 5550003001, \"line_items\": [",
                                               no_total.dump()});
  CommandResult run = Import(file);
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_THAT(run.output, HasSubstr("line 3: "));
  EXPECT_THAT(run.output, HasSubstr("line 4: "));
  EXPECT_THAT(run.output, ::testing::Not(HasSubstr("line 1: ")));
  json summary = Summary(run.output);
  EXPECT_EQ(summary["imported"], 1) << run.output;  // the good line is kept
  EXPECT_EQ(summary["invalid"], 2);
}

TEST_F(ImportTest, RejectsBadArguments) {
  const std::string file = Write("one.jsonl", {OneLine(testdata::kOtherOrder)});
  CommandResult format = Storepilot("import --config " + config_path_ +
                          " --shop northwind --format csv " + file);
  EXPECT_EQ(format.exit_code, 2);
  EXPECT_THAT(format.output, HasSubstr("--format must be shopify-orders"));
  CommandResult shop = Storepilot("import --config " + config_path_ +
                        " --shop nowhere --format shopify-orders " + file);
  EXPECT_EQ(shop.exit_code, 2);
  EXPECT_THAT(shop.output, HasSubstr("unknown shop 'nowhere'"));
  CommandResult missing = Import(dir_.path() + "/missing.jsonl");
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_THAT(missing.output, HasSubstr("cannot read"));
}

}  // namespace
}  // namespace storepilot
