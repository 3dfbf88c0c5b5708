// `storepilot serve`: configuration (defaults < YAML file < environment
// STOREPILOT_* < flags), JSON logs, the engine, and graceful shutdown on
// SIGINT/SIGTERM.
#include <csignal>
#include <fstream>
#include <iostream>

#include "api/engine.h"
#include "cli/commands.h"
#include "cli/config.h"
#include "observe/log.h"

namespace storepilot::cli {
namespace {

struct ServeFlags {
  std::string config_file;
  std::string listen;
  std::string data_dir;
  std::string admin_token;
  int threads = 0;
  int partitions = 0;
  size_t max_body_bytes = 0;
  std::string fraud_model;
  std::string port_file;
  std::string log_level = "info";
  bool admission = false;
  int admission_queue_delay_ms = 0;
};

int Serve(const ServeFlags& flags, CLI::App* cmd) {
  api::EngineConfig config;
  std::string log_level = flags.log_level;
  auto given = [cmd](const char* name) { return cmd->get_option(name)->count() > 0; };
  if (!flags.config_file.empty()) {
    if (absl::Status s = LoadYamlConfig(flags.config_file, &config, &log_level); !s.ok()) {
      std::cerr << "storepilot: " << s.message() << "\n";
      return 2;
    }
  }
  if (given("--listen")) config.listen = flags.listen;
  if (given("--data-dir")) config.data_dir = flags.data_dir;
  if (given("--admin-token")) config.admin_token = flags.admin_token;
  if (given("--threads")) config.threads = flags.threads;
  if (given("--partitions")) config.partitions = flags.partitions;
  if (given("--max-body-bytes")) config.max_body_bytes = flags.max_body_bytes;
  if (given("--fraud-model")) config.fraud_model = flags.fraud_model;
  if (given("--log-level")) log_level = flags.log_level;
  if (given("--admission")) config.admission.enabled = flags.admission;
  if (given("--admission-queue-delay-ms")) {
    config.admission.target_queue_delay_ms = flags.admission_queue_delay_ms;
  }

  observe::InitJsonLogging(log_level);
  // Block the signals in every thread; the main thread waits for them below.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  SystemClock clock;
  auto engine = api::Engine::Start(config, &clock);
  if (!engine.ok()) {
    observe::LogError("startup failed", {{"error", std::string(engine.status().message())}});
    observe::FlushLogs();
    return 1;
  }
  const std::string address = (*engine)->address();
  observe::LogInfo("listening", {{"address", address},
                                 {"data_dir", config.data_dir},
                                 {"partitions", config.partitions},
                                 {"admin_api", !config.admin_token.empty()},
                                 {"admission", config.admission.enabled}});
  if (!flags.port_file.empty()) {
    // Written to a temporary name and renamed, so readers never see half.
    std::string tmp = flags.port_file + ".tmp";
    std::ofstream(tmp) << (*engine)->port() << "\n";
    std::rename(tmp.c_str(), flags.port_file.c_str());
  }
  int sig = 0;
  sigwait(&signals, &sig);
  observe::LogInfo("shutting down", {{"signal", sig == SIGINT ? "SIGINT" : "SIGTERM"}});
  (*engine)->Shutdown();
  observe::LogInfo("stopped");
  observe::FlushLogs();
  return 0;
}

}  // namespace

void AddServeCommand(CLI::App& app) {
  auto flags = std::make_shared<ServeFlags>();
  CLI::App* cmd = app.add_subcommand("serve", "Run the engine: HTTP API on the embedded store");
  cmd->add_option("--config", flags->config_file, "YAML config file")
      ->envname("STOREPILOT_CONFIG");
  cmd->add_option("--listen", flags->listen, "HOST:PORT to listen on (port 0: any free port)")
      ->envname("STOREPILOT_LISTEN")
      ->default_str("127.0.0.1:8080");
  cmd->add_option("--data-dir", flags->data_dir, "Directory of the durable store")
      ->envname("STOREPILOT_DATA_DIR")
      ->default_str("./data");
  cmd->add_option("--admin-token", flags->admin_token, "Token of the admin API")
      ->envname("STOREPILOT_ADMIN_TOKEN");
  cmd->add_option("--threads", flags->threads, "Server threads (default: one per core)")
      ->envname("STOREPILOT_THREADS");
  cmd->add_option("--partitions", flags->partitions,
                  "Log partitions (fixed for a data directory)")
      ->envname("STOREPILOT_PARTITIONS")
      ->default_str("8");
  cmd->add_option("--max-body-bytes", flags->max_body_bytes, "Request body limit")
      ->envname("STOREPILOT_MAX_BODY_BYTES")
      ->default_str("8388608");
  cmd->add_option("--fraud-model", flags->fraud_model,
                  "Fraud model shops use until they train their own (fraud predict --model-out)")
      ->envname("STOREPILOT_FRAUD_MODEL");
  cmd->add_option("--admission", flags->admission,
                  "Priority-aware admission control: true sheds low-priority requests first "
                  "when overloaded (docs/overload.md)")
      ->envname("STOREPILOT_ADMISSION")
      ->default_str("false");
  cmd->add_option("--admission-queue-delay-ms", flags->admission_queue_delay_ms,
                  "Queueing delay above which the server counts as overloaded")
      ->envname("STOREPILOT_ADMISSION_QUEUE_DELAY_MS")
      ->check(CLI::Range(1, 10'000))
      ->default_str("20");
  cmd->add_option("--port-file", flags->port_file, "Write the bound port to this file");
  cmd->add_option("--log-level", flags->log_level, "debug, info, warn or error")
      ->envname("STOREPILOT_LOG_LEVEL")
      ->default_str("info");
  cmd->callback([flags, cmd] {
    int rc = Serve(*flags, cmd);
    if (rc != 0) throw CLI::RuntimeError(rc);
  });
}

}  // namespace storepilot::cli
