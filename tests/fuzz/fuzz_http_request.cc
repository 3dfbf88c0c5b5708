// libFuzzer target: raw bytes through the server's request parsing and the
// whole API service (routing, auth, JSON, validation, the store). Any crash,
// sanitizer report or unanswered request is a failure.
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <memory>
#include <string_view>

#include "api/http_server.h"
#include "api/service.h"
#include "store/event_log.h"

namespace {

using namespace storepilot;

struct World {
  FakeClock clock{1'795'773'600'000'000};
  observe::MetricsRegistry metrics;
  ingest::ShopRegistry shops;
  ingest::ShopStats stats;
  catalog::Catalog catalog;
  std::unique_ptr<store::EventLog> log;
  std::unique_ptr<api::ApiService> service;

  World() {
    auto dir = std::filesystem::temp_directory_path() /
               ("storepilot_fuzz_" + std::to_string(getpid()));
    std::filesystem::remove_all(dir);
    store::EventLogOptions o;
    o.dir = dir.string();
    o.partitions = 2;
    o.sync = false;
    log = std::move(store::EventLog::Open(o, {&shops, &catalog, &stats}, &clock, &metrics).value());
    log->WaitReady(10'000);
    // A shop whose token and the admin token the fuzzer can find in the corpus.
    shops.AddFromConfig("s1", "fuzz-token-0123456789", "secret");
    api::ServiceDeps deps{log.get(), &shops, &stats, &catalog, &metrics, &clock,
                          "fuzz-admin-0123456789"};
    service = std::make_unique<api::ApiService>(deps);
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static World* world = new World();  // lives for the whole fuzzing run
  auto request = api::ParseHttpRequest(
      std::string_view(reinterpret_cast<const char*>(data), size), 1 << 20);
  if (!request.ok()) return 0;
  std::promise<api::HttpResponse> answered;
  auto future = answered.get_future();
  world->service->Handle(std::move(*request),
                         [&answered](api::HttpResponse r) { answered.set_value(std::move(r)); });
  if (future.wait_for(std::chrono::seconds(10)) != std::future_status::ready) std::abort();
  api::HttpResponse r = future.get();
  if (r.status < 200 || r.status > 599) std::abort();
  return 0;
}
