// `storepilot import --shop S --format shopify-orders FILE.jsonl`: loads order
// history (one Shopify order JSON per line) into a data directory through the
// same path as webhooks: each line becomes an orders/create delivery in the
// log, which the server translates when it starts (or replays). Runs on a
// stopped server's data directory (the store allows one process at a time).
// Re-importing a file changes nothing: lines are deduplicated on order id and
// version.
#include <filesystem>
#include <fstream>
#include <iostream>

#include "api/engine.h"
#include "cli/commands.h"
#include "cli/config.h"
#include "common/clock.h"
#include "ingest/order.h"
#include "ingest/shop_registry.h"
#include "ingest/shopify_delivery.h"
#include "nlohmann/json.hpp"
#include "store/event_log.h"

namespace storepilot::cli {
namespace {

struct ImportFlags {
  std::string shop;
  std::string format;
  std::string file;
  std::string config_file;
  std::string data_dir;
  int partitions = 0;
  size_t batch = 1000;
};

int Import(const ImportFlags& flags) {
  api::EngineConfig config;
  std::string log_level;
  if (!flags.config_file.empty()) {
    if (absl::Status s = LoadYamlConfig(flags.config_file, &config, &log_level); !s.ok()) {
      std::cerr << "storepilot import: " << s.message() << "\n";
      return 2;
    }
  }
  if (!flags.data_dir.empty()) config.data_dir = flags.data_dir;
  if (flags.partitions > 0) config.partitions = flags.partitions;
  if (flags.format != "shopify-orders") {
    std::cerr << "storepilot import: --format must be shopify-orders\n";
    return 2;
  }
  std::ifstream in(flags.file);
  if (!in) {
    std::cerr << "storepilot import: cannot read " << flags.file << "\n";
    return 2;
  }
  ingest::ShopRegistry shops;
  for (const api::ShopConfig& s : config.shops) {
    shops.AddFromConfig(s.shop, s.api_token, s.webhook_secret);
  }
  std::error_code ec;
  std::filesystem::create_directories(config.data_dir, ec);
  SystemClock clock;
  store::EventLogOptions options;
  options.dir = config.data_dir + "/log";
  options.partitions = config.partitions;
  auto log = store::EventLog::Open(options, {&shops}, &clock, nullptr);
  if (!log.ok()) {
    std::cerr << "storepilot import: " << log.status().message()
              << " (is a server running on this data directory?)\n";
    return 1;
  }
  (*log)->WaitReady(600'000);
  if (!shops.Exists(flags.shop)) {
    std::cerr << "storepilot import: unknown shop '" << flags.shop << "'\n";
    return 2;
  }
  ingest::PiiHasher hasher(&shops);
  size_t imported = 0, duplicates = 0, invalid = 0, line_no = 0;
  std::vector<store::AppendItem> batch;
  auto flush = [&]() -> bool {
    if (batch.empty()) return true;
    auto r = (*log)->AppendSync(flags.shop, std::move(batch));
    batch.clear();
    if (!r.ok()) {
      std::cerr << "storepilot import: " << r.status().message() << "\n";
      return false;
    }
    imported += r->accepted;
    duplicates += r->duplicates;
    return true;
  };
  std::string line;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    auto order = ingest::CanonicalOrder(nlohmann::json::parse(line, nullptr, false), flags.shop,
                                        hasher);
    if (!order.ok()) {
      if (++invalid <= 20) std::cerr << "line " << line_no << ": " << order.status().message() << "\n";
      continue;
    }
    ingest::ShopifyDelivery d;
    d.topic = "orders/create";
    d.shop_domain = flags.shop;
    d.webhook_id = "import-" + std::to_string(line_no);
    d.triggered_at = (*order).value("updated_at", (*order).value("created_at", ""));
    d.body = std::move(line);
    store::AppendItem item;
    item.type = store::RecordType::kWebhook;
    item.dedup_key = "import:orders/create:" + (*order)["id"].get<std::string>() + "@" +
                     std::to_string(ingest::OrderVersionMillis(*order));
    item.payload = ingest::EncodeDelivery(d);
    batch.push_back(std::move(item));
    if (batch.size() >= flags.batch && !flush()) return 1;
  }
  if (!flush()) return 1;
  (*log)->Shutdown();
  std::cout << nlohmann::json{{"shop", flags.shop},
                              {"imported", imported},
                              {"duplicates", duplicates},
                              {"invalid", invalid}}
                   .dump()
            << "\n";
  return invalid > 0 ? 1 : 0;
}

}  // namespace

void AddImportCommand(CLI::App& app) {
  auto flags = std::make_shared<ImportFlags>();
  CLI::App* cmd = app.add_subcommand(
      "import", "Load history into a (stopped) server's data directory through the webhook path");
  cmd->add_option("--shop", flags->shop, "The shop the orders belong to")->required();
  cmd->add_option("--format", flags->format, "Input format: shopify-orders (JSON lines)")
      ->required();
  cmd->add_option("FILE", flags->file, "One order JSON per line")->required();
  cmd->add_option("--config", flags->config_file, "The server's YAML config file")
      ->envname("STOREPILOT_CONFIG");
  cmd->add_option("--data-dir", flags->data_dir, "Directory of the durable store")
      ->envname("STOREPILOT_DATA_DIR");
  cmd->add_option("--partitions", flags->partitions, "Log partitions of the data directory")
      ->envname("STOREPILOT_PARTITIONS");
  cmd->callback([flags] {
    int rc = Import(*flags);
    if (rc != 0) throw CLI::RuntimeError(rc);
  });
}

}  // namespace storepilot::cli
