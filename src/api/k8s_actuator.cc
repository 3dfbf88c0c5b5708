#include "api/k8s_actuator.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "boost/asio/connect.hpp"
#include "boost/asio/ip/tcp.hpp"
#include "boost/asio/ssl.hpp"
#include "boost/beast/core.hpp"
#include "boost/beast/http.hpp"
#include "boost/beast/ssl.hpp"
#include "nlohmann/json.hpp"
#include "observe/log.h"

namespace storepilot::api {
namespace {

namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace ssl = boost::asio::ssl;
using tcp = boost::asio::ip::tcp;

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::FailedPreconditionError("cannot read " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

absl::Status StatusForHttp(int status, const std::string& body) {
  const std::string msg =
      absl::StrCat("Kubernetes API answered ", status, ": ", body.substr(0, 300));
  switch (status) {
    case 401: return absl::UnauthenticatedError(msg);
    case 403: return absl::PermissionDeniedError(msg);
    case 404: return absl::NotFoundError(msg);
    case 409: return absl::AbortedError(msg);
    case 429: return absl::ResourceExhaustedError(msg);
    default:
      return status >= 500 ? absl::UnavailableError(msg) : absl::InvalidArgumentError(msg);
  }
}

// One request on a fresh connection (a scale call a minute at most).
template <typename Stream>
http::response<http::string_body> Exchange(Stream& stream,
                                           http::request<http::string_body>& req) {
  http::write(stream, req);
  beast::flat_buffer buffer;
  http::response<http::string_body> res;
  http::read(stream, buffer, res);
  return res;
}

}  // namespace

absl::StatusOr<ApiEndpoint> ParseApiUrl(const std::string& url) {
  ApiEndpoint e;
  std::string_view rest = url;
  if (rest.starts_with("https://")) {
    rest.remove_prefix(8);
  } else if (rest.starts_with("http://")) {
    e.tls = false;
    rest.remove_prefix(7);
  } else {
    return absl::InvalidArgumentError("Kubernetes API URL must start with https:// or http://");
  }
  const size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  if (slash != std::string_view::npos) e.prefix = std::string(rest.substr(slash));
  while (!e.prefix.empty() && e.prefix.back() == '/') e.prefix.pop_back();
  const size_t colon = authority.rfind(':');
  const bool bracketed = authority.starts_with("[");
  if (colon != std::string_view::npos && (!bracketed || authority[colon - 1] == ']')) {
    e.port = std::string(authority.substr(colon + 1));
    authority = authority.substr(0, colon);
  } else {
    e.port = e.tls ? "443" : "80";
  }
  if (bracketed && authority.size() > 2) authority = authority.substr(1, authority.size() - 2);
  e.host = std::string(authority);
  uint32_t port = 0;
  if (e.host.empty() || !absl::SimpleAtoi(e.port, &port) || port == 0 || port > 65535) {
    return absl::InvalidArgumentError("bad Kubernetes API URL '" + url + "'");
  }
  return e;
}

absl::StatusOr<std::unique_ptr<KubernetesActuator>> KubernetesActuator::Create(
    const ActuatorConfig& config, observe::MetricsRegistry* metrics) {
  if (config.mode == ActuatorMode::kOff) {
    return absl::InvalidArgumentError("the actuator is off");
  }
  if (config.timeout_ms < 1) return absl::InvalidArgumentError("actuator timeout must be >= 1");
  ApiEndpoint endpoint;
  if (config.mode == ActuatorMode::kOn) {
    std::string url = config.api_url;
    if (url.empty()) {
      const char* host = std::getenv("KUBERNETES_SERVICE_HOST");
      const char* port = std::getenv("KUBERNETES_SERVICE_PORT");
      if (host == nullptr || port == nullptr) {
        return absl::FailedPreconditionError(
            "autoscale.actuator is on but no api_url is configured and "
            "KUBERNETES_SERVICE_HOST/PORT are not set (not in a cluster?)");
      }
      const std::string h = host;
      url = absl::StrCat("https://", h.find(':') != std::string::npos ? "[" + h + "]" : h, ":",
                         port);
    }
    auto parsed = ParseApiUrl(url);
    if (!parsed.ok()) return parsed.status();
    endpoint = *parsed;
  }
  return std::unique_ptr<KubernetesActuator>(new KubernetesActuator(config, endpoint, metrics));
}

void KubernetesActuator::Count(const std::string& service, const char* result) {
  if (metrics_ == nullptr) return;
  metrics_
      ->GetCounter("storepilot_autoscale_actuations_total",
                   "Scale calls of the Kubernetes actuator by result",
                   {{"service", service}, {"result", result}})
      ->Inc();
}

absl::Status KubernetesActuator::Scale(const std::string& service, const std::string& ns,
                                       const std::string& name, int replicas,
                                       const std::string& reason) {
  const std::string target = absl::StrCat(endpoint_.prefix, "/apis/apps/v1/namespaces/", ns,
                                          "/deployments/", name, "/scale");
  const nlohmann::json patch = {{"spec", {{"replicas", replicas}}}};
  if (config_.mode == ActuatorMode::kDryRun) {
    observe::LogInfo("autoscale dry-run: would scale",
                     {{"service", service}, {"namespace", ns}, {"deployment", name},
                      {"replicas", replicas}, {"reason", reason},
                      {"patch", absl::StrCat("PATCH ", target, " ", patch.dump())}});
    Count(service, "dry_run");
    return absl::OkStatus();
  }
  absl::Status s = Patch(target, patch.dump());
  Count(service, s.ok() ? "ok" : "error");
  if (s.ok()) {
    observe::LogInfo("autoscale: scaled", {{"service", service}, {"namespace", ns},
                                           {"deployment", name}, {"replicas", replicas},
                                           {"reason", reason}});
  } else {
    observe::LogWarn("autoscale: scale failed",
                     {{"service", service}, {"error", std::string(s.message())}});
  }
  return s;
}

absl::Status KubernetesActuator::Patch(const std::string& target, const std::string& body) {
  auto token = ReadFile(config_.token_file);
  if (!token.ok()) return token.status();
  http::request<http::string_body> req(http::verb::patch, target, 11);
  req.set(http::field::host, endpoint_.host);
  req.set(http::field::content_type, "application/merge-patch+json");
  req.set(http::field::accept, "application/json");
  req.set(http::field::authorization,
          "Bearer " + std::string(absl::StripAsciiWhitespace(*token)));
  req.set(http::field::user_agent, "storepilot-autoscaler");
  req.body() = body;
  req.prepare_payload();
  const auto timeout = std::chrono::milliseconds(config_.timeout_ms);
  try {
    boost::asio::io_context io;
    tcp::resolver resolver(io);
    auto results = resolver.resolve(endpoint_.host, endpoint_.port);
    http::response<http::string_body> res;
    if (!endpoint_.tls) {
      beast::tcp_stream stream(io);
      stream.expires_after(timeout);
      stream.connect(results);
      res = Exchange(stream, req);
    } else {
      ssl::context ctx(ssl::context::tls_client);
      ctx.set_verify_mode(ssl::verify_peer);
      ctx.load_verify_file(config_.ca_file);
      beast::ssl_stream<beast::tcp_stream> stream(io, ctx);
      if (!SSL_set_tlsext_host_name(stream.native_handle(), endpoint_.host.c_str())) {
        return absl::UnavailableError("cannot set TLS server name");
      }
      stream.set_verify_callback(ssl::host_name_verification(endpoint_.host));
      beast::get_lowest_layer(stream).expires_after(timeout);
      beast::get_lowest_layer(stream).connect(results);
      stream.handshake(ssl::stream_base::client);
      res = Exchange(stream, req);
    }
    if (res.result_int() / 100 != 2) return StatusForHttp(res.result_int(), res.body());
    return absl::OkStatus();
  } catch (const std::exception& e) {
    return absl::UnavailableError(
        absl::StrCat("Kubernetes API ", endpoint_.host, ":", endpoint_.port, ": ", e.what()));
  }
}

}  // namespace storepilot::api
