#ifndef STOREPILOT_OBSERVE_LOG_H_
#define STOREPILOT_OBSERVE_LOG_H_

// Structured JSON logs: one JSON object per line on stderr, through spdlog.
//   observe::LogInfo("listening", {{"address", "127.0.0.1:8080"}});
// prints {"ts":"...","level":"info","msg":"listening","address":"127.0.0.1:8080"}.

#include <string>

#include "nlohmann/json.hpp"

namespace storepilot::observe {

// Sets the process-wide spdlog default logger to JSON lines on stderr at
// `level` ("debug", "info", "warn", "error"). Call once from main.
void InitJsonLogging(const std::string& level);

void LogInfo(const std::string& msg, const nlohmann::json& fields = nlohmann::json::object());
void LogWarn(const std::string& msg, const nlohmann::json& fields = nlohmann::json::object());
void LogError(const std::string& msg, const nlohmann::json& fields = nlohmann::json::object());
// Flushes buffered log lines (on shutdown).
void FlushLogs();

}  // namespace storepilot::observe

#endif  // STOREPILOT_OBSERVE_LOG_H_
