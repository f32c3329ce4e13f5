#include "host/services/rr/request_response.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <array>
#include <map>
#include <set>
#include <stdexcept>

#include "host/base/status/status.h"
#include "host/services/rr/frame_reader.h"
#include "host/swarm/deadline.h"
#include "host/swarm/message_io.h"
#include "host/swarm/swarm.h"

namespace prowl::rr {
namespace asio = boost::asio;

namespace {

constexpr std::string_view kProtocolPrefix = "/prowl/rr/1.0.0/";
constexpr size_t kMaxNameBytes = 63;

/// Feeds `reader` from `stream` until the frame is decided. Throws StreamError.
asio::awaitable<void> read_frame(swarm::Stream& stream, FrameReader& reader) {
  std::array<uint8_t, 16 * 1024> buffer;
  while (reader.state() == FrameReader::State::kIncomplete) {
    const size_t n = co_await stream.read_some(buffer);
    if (n == 0) {
      reader.on_end();
    } else {
      reader.on_bytes(std::span(buffer).first(n));
    }
  }
}

/// Counts one entry of a per-peer map for the life of the guard.
class PeerSlot {
 public:
  PeerSlot(std::map<identity::PeerId, size_t>& counts, const identity::PeerId& peer)
      : counts_(counts), peer_(peer) {
    ++counts_[peer_];
  }
  ~PeerSlot() {
    if (auto it = counts_.find(peer_); it != counts_.end() && --it->second == 0) counts_.erase(it);
  }
  PeerSlot(const PeerSlot&) = delete;
  PeerSlot& operator=(const PeerSlot&) = delete;

 private:
  std::map<identity::PeerId, size_t>& counts_;
  identity::PeerId peer_;
};

}  // namespace

class RequestResponse::Impl : public std::enable_shared_from_this<Impl> {
 public:
  Impl(swarm::Swarm& swarm, asio::any_io_executor executor, RequestResponseConfig config)
      : swarm_(swarm), executor_(std::move(executor)), config_(config) {}

  /// One outbound request.
  struct Call {
    explicit Call(const asio::any_io_executor& executor) : timer(executor) {}
    ReplyCallback done;
    asio::steady_timer timer;
    std::shared_ptr<swarm::Stream> stream;
    std::optional<PeerSlot> slot;
    bool finished = false;
  };

  void finish(const std::shared_ptr<Call>& call, Reply reply) {
    if (call->finished) return;
    call->finished = true;
    call->timer.cancel();
    call->slot.reset();
    if (stopped_) return;
    asio::post(executor_, [done = std::move(call->done), reply = std::move(reply)]() mutable { done(std::move(reply)); });
  }

  void request(const PeerTarget& target, const std::string& name, std::vector<uint8_t> bytes,
               std::chrono::milliseconds timeout, ReplyCallback done) {
    auto call = std::make_shared<Call>(executor_);
    call->done = std::move(done);
    const std::string peer_text = target.peer.to_string();
    if (auto bad = check_name(name)) return finish(call, {{StatusCode::kInvalidInput, *bad}, {}});
    if (bytes.size() > config_.max_request_bytes)
      return finish(call, {{StatusCode::kLimit, "request of " + std::to_string(bytes.size()) +
                                                 " bytes exceeds the limit of " +
                                                 std::to_string(config_.max_request_bytes)},
                           {}});
    if (auto it = outbound_.find(target.peer); it != outbound_.end() && it->second >= config_.max_outbound_per_peer)
      return finish(call, {{StatusCode::kLimit, std::to_string(it->second) + " requests already in flight to " +
                                                 peer_text + " (limit " +
                                                 std::to_string(config_.max_outbound_per_peer) + ")"},
                           {}});
    call->slot.emplace(outbound_, target.peer);
    if (timeout.count() <= 0) timeout = config_.default_timeout;
    timeout = std::min(timeout, config_.max_timeout);
    call->timer.expires_after(timeout);
    call->timer.async_wait([call, self = shared_from_this(), peer_text, name, timeout](const boost::system::error_code& ec) {
      if (ec || call->finished) return;
      if (call->stream) call->stream->reset();
      self->finish(call, {{StatusCode::kTimeout, "no response from " + peer_text + " for '" + name + "' within " +
                                                  std::to_string(timeout.count()) + " ms"},
                          {}});
    });
    asio::co_spawn(executor_, run(shared_from_this(), call, target, name, std::move(bytes)), asio::detached);
  }

  static asio::awaitable<void> run(std::shared_ptr<Impl> self, std::shared_ptr<Call> call, PeerTarget target,
                                   std::string name, std::vector<uint8_t> bytes) {
    const std::string peer_text = target.peer.to_string();
    OpenedStream opened = co_await open_stream_to(self->swarm_, target, protocol_for(name));
    if (call->finished || self->stopped_) {
      if (opened.stream) opened.stream->reset();
      co_return;
    }
    if (!opened.status.ok()) co_return self->finish(call, {std::move(opened.status), {}});
    call->stream = std::move(opened.stream);
    std::optional<Status> failed;
    // The request is written by its own coroutine so a responder that answers
    // (say, refuses an oversized request) without reading it all is heard.
    auto sent = std::make_shared<std::optional<std::string>>();
    asio::co_spawn(self->executor_, send(call->stream, std::move(bytes), sent), asio::detached);
    FrameReader reader(std::max(self->config_.max_response_bytes, kMaxErrorBytes), true);
    try {
      co_await read_frame(*call->stream, reader);
    } catch (const std::exception& e) {
      const std::string why = sent->has_value() && !sent->value().empty() ? sent->value() : e.what();
      failed = Status{StatusCode::kClosed, "stream to " + peer_text + " for '" + name + "' failed before the response: " + why};
    }
    if (failed) co_return self->finish(call, {std::move(*failed), {}});
    if (!sent->has_value()) call->stream->reset();  // still writing: the answer came first
    co_return self->finish(call, decode_reply(reader, peer_text, name, self->config_.max_response_bytes));
  }

  static asio::awaitable<void> send(std::shared_ptr<swarm::Stream> stream, std::vector<uint8_t> bytes,
                                    std::shared_ptr<std::optional<std::string>> sent) {
    try {
      co_await swarm::write_message(*stream, bytes);
      co_await stream->close_write();
      *sent = std::string();
    } catch (const std::exception& e) {
      *sent = std::string("sending the request failed: ") + e.what();
    }
  }

  static Reply decode_reply(FrameReader& reader, const std::string& peer, const std::string& name,
                            size_t max_response) {
    const std::string from = "response from " + peer + " for '" + name + "'";
    switch (reader.state()) {
      case FrameReader::State::kTooLarge:
        return {{StatusCode::kLimit, from + ": " + reader.error()}, {}};
      case FrameReader::State::kMalformed:
      case FrameReader::State::kIncomplete:
        return {{StatusCode::kInvalidInput, from + ": " + reader.error()}, {}};
      case FrameReader::State::kComplete:
        break;
    }
    const uint8_t status = reader.status();
    std::vector<uint8_t> payload = reader.take_payload();
    if (status == PROWL_OK) {
      if (payload.size() > max_response)
        return {{StatusCode::kLimit, from + ": " + std::to_string(payload.size()) + " bytes exceed the limit of " +
                                      std::to_string(max_response)},
                {}};
      return {{}, std::move(payload)};
    }
    const bool known = status == PROWL_ERR_INVALID_INPUT || status == PROWL_ERR_LIMIT ||
                       status == PROWL_ERR_UNSUPPORTED || status == PROWL_ERR_INTERNAL || status == PROWL_ERR_REMOTE;
    if (!known) return {{StatusCode::kInvalidInput, from + ": unknown status " + std::to_string(status)}, {}};
    if (payload.size() > kMaxErrorBytes)
      return {{StatusCode::kInvalidInput, from + ": error text of " + std::to_string(payload.size()) + " bytes"}, {}};
    std::string text(payload.begin(), payload.end());
    for (char& c : text) {
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
    }
    // The wire's status byte is the ABI's prowl_status, one for one with StatusCode (checked above).
    const StatusCode code = *status_code_from_int(status);
    return {{code, "peer " + peer + " refused '" + name + "' (" + std::string(status_code_name(code)) + "): " + text},
            {}};
  }

  void serve(const std::string& name, Handler handler) {
    if (auto bad = check_name(name)) throw std::invalid_argument(*bad);
    const bool first = handlers_.find(name) == handlers_.end() && !registered_.contains(name);
    handlers_[name] = std::move(handler);
    if (!first) return;
    registered_.insert(name);
    std::weak_ptr<Impl> weak = shared_from_this();
    swarm_.set_handler(protocol_for(name), [weak, name](std::shared_ptr<swarm::Stream> stream) -> asio::awaitable<void> {
      auto self = weak.lock();
      if (!self || self->stopped_) {
        stream->reset();
        co_return;
      }
      co_await self->answer(name, std::move(stream));
    });
  }

  void unserve(const std::string& name) { handlers_.erase(name); }

  /// Writes one response frame and finishes our side.
  static asio::awaitable<void> reply(swarm::Stream& stream, uint8_t status, std::span<const uint8_t> payload) {
    co_await stream.write(encode_response(status, payload));
    co_await stream.close_write();
  }
  static asio::awaitable<void> refuse(swarm::Stream& stream, uint8_t status, const std::string& text) {
    const auto* bytes = reinterpret_cast<const uint8_t*>(text.data());
    co_await reply(stream, status, std::span(bytes, std::min(text.size(), kMaxErrorBytes)));
  }

  asio::awaitable<void> answer(std::string name, std::shared_ptr<swarm::Stream> stream) {
    auto self = shared_from_this();
    const identity::PeerId peer = stream->remote_peer();
    if (auto it = inbound_.find(peer); it != inbound_.end() && it->second >= config_.max_inbound_per_peer) {
      co_await refuse(*stream, PROWL_ERR_LIMIT, "too many requests in flight (limit " +
                                                    std::to_string(config_.max_inbound_per_peer) + ")");
      co_return;
    }
    PeerSlot slot(inbound_, peer);
    auto state = std::make_shared<Responder::State>(executor_, config_.max_response_bytes);
    swarm::Deadline deadline(executor_, config_.inbound_timeout, [stream, state] {
      stream->reset();
      state->open = false;
      state->wake.cancel();
    });
    FrameReader reader(config_.max_request_bytes, false);
    co_await read_frame(*stream, reader);
    if (reader.state() == FrameReader::State::kTooLarge) {
      co_await refuse(*stream, PROWL_ERR_LIMIT, "request " + reader.error());
      co_return;
    }
    if (reader.state() != FrameReader::State::kComplete) {
      co_await refuse(*stream, PROWL_ERR_INVALID_INPUT, "request: " + reader.error());
      co_return;
    }
    auto it = handlers_.find(name);
    if (it == handlers_.end()) {
      co_await refuse(*stream, PROWL_ERR_UNSUPPORTED, "nothing serves '" + name + "'");
      co_return;
    }
    Handler handler = it->second;  // the handler may unserve itself
    try {
      handler(peer, reader.take_payload(), Responder(state));
    } catch (const std::exception& e) {
      // (Still open, so the refusal is taken: its status has nothing to report.)
      if (state->open) (void)Responder(state).fail(std::string("handler threw: ") + e.what());
    } catch (...) {
      if (state->open) (void)Responder(state).fail("handler threw an unknown exception");
    }
    if (state->open) {
      boost::system::error_code ec;
      co_await state->wake.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
    if (deadline.expired() || stopped_) co_return;
    deadline.disarm();
    co_await reply(*stream, state->status, state->payload);
  }

  swarm::Swarm& swarm_;
  asio::any_io_executor executor_;
  RequestResponseConfig config_;
  bool stopped_ = false;
  std::map<std::string, Handler, std::less<>> handlers_;
  std::set<std::string, std::less<>> registered_;  ///< names with a swarm handler
  std::map<identity::PeerId, size_t> outbound_;
  std::map<identity::PeerId, size_t> inbound_;
};

RequestResponse::RequestResponse(swarm::Swarm& swarm, asio::any_io_executor executor, RequestResponseConfig config)
    : impl_(std::make_shared<Impl>(swarm, std::move(executor), config)) {}

RequestResponse::~RequestResponse() {
  impl_->stopped_ = true;
  impl_->handlers_.clear();
}

std::string RequestResponse::protocol_for(std::string_view name) {
  return std::string(kProtocolPrefix) + std::string(name);
}

std::optional<std::string> RequestResponse::check_name(std::string_view name) {
  if (name.empty()) return "empty request-response name";
  if (name.size() > kMaxNameBytes)
    return "request-response name of " + std::to_string(name.size()) + " bytes (limit " +
           std::to_string(kMaxNameBytes) + ")";
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (i > 0 && (c == '.' || c == '_' || c == '-'));
    if (!ok)
      return "request-response name '" + std::string(name) + "' has a bad character at byte " + std::to_string(i) +
             " (allowed: [a-z0-9][a-z0-9._-]*)";
  }
  return std::nullopt;
}

const RequestResponseConfig& RequestResponse::config() const noexcept { return impl_->config_; }

void RequestResponse::serve(const std::string& name, Handler handler) { impl_->serve(name, std::move(handler)); }

void RequestResponse::unserve(const std::string& name) { impl_->unserve(name); }

void RequestResponse::request(const PeerTarget& target, const std::string& name, std::vector<uint8_t> request,
                              std::chrono::milliseconds timeout, ReplyCallback done) {
  impl_->request(target, name, std::move(request), timeout, std::move(done));
}

}  // namespace prowl::rr
