#include "host/services/rr/request_response.h"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include <chrono>
#include <future>
#include <stdexcept>

#include "host/swarm/swarm.h"
#include "transports/memory/memory_transport.h"

namespace prowl::rr {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

std::vector<uint8_t> bytes_of(std::string_view text) { return {text.begin(), text.end()}; }

/// Two swarms over the memory transport, b connected to a, each with a
/// request-response service.
class RequestResponseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_cfg_.max_request_bytes = 64 * 1024;
    a_ = make();
    b_ = make();
    server_ = std::make_unique<RequestResponse>(*a_, io_.get_executor(), server_cfg_);
    client_ = std::make_unique<RequestResponse>(*b_, io_.get_executor(), client_cfg_);
    auto address = run(a_->listen(*multiaddr::Multiaddr::parse("/ip4/127.0.0.1/tcp/0")));
    run([](swarm::Swarm& from, multiaddr::Multiaddr to) -> asio::awaitable<bool> {
      co_await from.dial(to);
      co_return true;
    }(*b_, address));
    server_->serve("echo", [](const identity::PeerId&, std::vector<uint8_t> request, Responder responder) {
      (void)responder.respond(std::move(request));
    });
  }

  void TearDown() override {
    client_.reset();
    server_.reset();
    run(b_->shutdown());
    run(a_->shutdown());
  }

  std::unique_ptr<swarm::Swarm> make() {
    auto swarm = std::make_unique<swarm::Swarm>(io_.get_executor(), identity::KeyPair::generate(), swarm::SwarmConfig{});
    swarm->add_transport(std::make_unique<transport::MemoryTransport>(io_.get_executor(), network_));
    return swarm;
  }

  template <typename T>
  T run(asio::awaitable<T> task) {
    auto future = asio::co_spawn(io_, std::move(task), asio::use_future);
    pump([&] { return future.wait_for(0s) == std::future_status::ready; });
    return future.get();
  }

  /// Runs the loop until done() holds; fails the test after 8 s.
  template <typename F>
  void pump(F done) {
    const auto deadline = std::chrono::steady_clock::now() + 8s;
    while (!done() && std::chrono::steady_clock::now() < deadline) io_.run_one_for(10ms);
    if (!done()) throw std::runtime_error("test loop timed out");
  }

  /// Sends one request from b to a and waits for its reply.
  Reply ask(const std::string& name, std::vector<uint8_t> request, std::chrono::milliseconds timeout = 0ms) {
    std::optional<Reply> reply;
    client_->request({a_->local_peer(), std::nullopt}, name, std::move(request), timeout,
                     [&](Reply r) { reply = std::move(r); });
    EXPECT_FALSE(reply.has_value()) << "the callback ran inside request()";
    pump([&] { return reply.has_value(); });
    return std::move(*reply);
  }

  asio::io_context io_;
  std::shared_ptr<transport::MemoryNetwork> network_ = std::make_shared<transport::MemoryNetwork>();
  RequestResponseConfig server_cfg_;
  RequestResponseConfig client_cfg_;
  std::unique_ptr<swarm::Swarm> a_, b_;
  std::unique_ptr<RequestResponse> server_, client_;
};

TEST_F(RequestResponseTest, EchoesARequest) {
  Reply reply = ask("echo", bytes_of("hello prowl"));
  ASSERT_TRUE(reply.status.ok()) << reply.status.message();
  EXPECT_EQ(reply.bytes, bytes_of("hello prowl"));
  Reply empty = ask("echo", {});
  ASSERT_TRUE(empty.status.ok()) << empty.status.message();
  EXPECT_TRUE(empty.bytes.empty());
}

TEST_F(RequestResponseTest, AnswersLaterFromAnotherEvent) {
  server_->serve("later", [this](const identity::PeerId&, std::vector<uint8_t> request, Responder responder) {
    asio::post(io_, [request = std::move(request), responder]() mutable {
      request.push_back('!');
      (void)responder.respond(std::move(request));
    });
  });
  Reply reply = ask("later", bytes_of("hi"));
  ASSERT_TRUE(reply.status.ok()) << reply.status.message();
  EXPECT_EQ(reply.bytes, bytes_of("hi!"));
}

TEST_F(RequestResponseTest, TimesOutWhenTheHandlerNeverAnswers) {
  std::optional<Responder> kept;
  server_->serve("silent", [&](const identity::PeerId&, std::vector<uint8_t>, Responder responder) { kept = responder; });
  const auto start = std::chrono::steady_clock::now();
  Reply reply = ask("silent", bytes_of("anyone?"), 150ms);
  EXPECT_EQ(reply.status.code(), StatusCode::kTimeout) << reply.status.message();
  EXPECT_NE(reply.status.message().find("within 150 ms"), std::string::npos) << reply.status.message();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
}

TEST_F(RequestResponseTest, RefusesOversizedRequestsLocallyAndRemotely) {
  client_cfg_.max_request_bytes = 16;
  client_ = std::make_unique<RequestResponse>(*b_, io_.get_executor(), client_cfg_);
  Reply local = ask("echo", std::vector<uint8_t>(17, 'x'));
  EXPECT_EQ(local.status.code(), StatusCode::kLimit);
  EXPECT_EQ(local.status.message(), "request of 17 bytes exceeds the limit of 16");

  // The server's limit is 64 KiB; this 300 KiB request is refused from its
  // length prefix, before the sender could finish writing it.
  client_cfg_.max_request_bytes = 1024 * 1024;
  client_ = std::make_unique<RequestResponse>(*b_, io_.get_executor(), client_cfg_);
  Reply remote = ask("echo", std::vector<uint8_t>(300 * 1024, 'y'));
  EXPECT_EQ(remote.status.code(), StatusCode::kLimit) << remote.status.message();
  EXPECT_NE(remote.status.message().find("exceeds the limit of 65536"), std::string::npos) << remote.status.message();

  // A response over the server's own limit fails the handler's respond().
  Status too_big;
  server_->serve("big", [&](const identity::PeerId&, std::vector<uint8_t>, Responder responder) {
    too_big = responder.respond(std::vector<uint8_t>(server_cfg_.max_response_bytes + 1));
    (void)responder.fail("cannot answer: " + too_big.message());
  });
  Reply refused = ask("big", {});
  EXPECT_EQ(too_big.code(), StatusCode::kLimit);
  EXPECT_EQ(refused.status.code(), StatusCode::kRemote) << refused.status.message();
  EXPECT_NE(refused.status.message().find("cannot answer: response of 1048577 bytes"), std::string::npos)
      << refused.status.message();
}

TEST_F(RequestResponseTest, ReportsUnknownNamesHandlerErrorsAndUnreachablePeers) {
  Reply unknown = ask("nobody-serves-this", bytes_of("?"));
  EXPECT_EQ(unknown.status.code(), StatusCode::kUnsupported) << unknown.status.message();

  server_->serve("gone", [](const identity::PeerId&, std::vector<uint8_t>, Responder) {});
  server_->unserve("gone");
  Reply gone = ask("gone", bytes_of("?"));
  EXPECT_EQ(gone.status.code(), StatusCode::kUnsupported) << gone.status.message();

  server_->serve("throws", [](const identity::PeerId&, std::vector<uint8_t>, Responder) -> void {
    throw std::runtime_error("no can do");
  });
  Reply thrown = ask("throws", bytes_of("?"));
  EXPECT_EQ(thrown.status.code(), StatusCode::kRemote);
  EXPECT_NE(thrown.status.message().find("handler threw: no can do"), std::string::npos) << thrown.status.message();

  Reply bad_name = ask("Bad Name", {});
  EXPECT_EQ(bad_name.status.code(), StatusCode::kInvalidInput);

  std::optional<Reply> stranger;
  const auto nobody = identity::PeerId::from_public_key(identity::KeyPair::generate().public_key());
  client_->request({nobody, std::nullopt}, "echo", {}, 0ms, [&](Reply r) { stranger = std::move(r); });
  pump([&] { return stranger.has_value(); });
  EXPECT_EQ(stranger->status.code(), StatusCode::kUnreachable) << stranger->status.message();
}

TEST_F(RequestResponseTest, HandlesAHundredConcurrentRequests) {
  client_cfg_.max_outbound_per_peer = 100;
  server_cfg_.max_inbound_per_peer = 100;
  server_ = std::make_unique<RequestResponse>(*a_, io_.get_executor(), server_cfg_);
  server_->serve("echo", [](const identity::PeerId&, std::vector<uint8_t> request, Responder responder) {
    (void)responder.respond(std::move(request));
  });
  client_ = std::make_unique<RequestResponse>(*b_, io_.get_executor(), client_cfg_);
  std::vector<std::optional<Reply>> replies(100);
  for (size_t i = 0; i < replies.size(); ++i) {
    client_->request({a_->local_peer(), std::nullopt}, "echo", std::vector<uint8_t>(i + 1, static_cast<uint8_t>(i)),
                     0ms, [&replies, i](Reply r) { replies[i] = std::move(r); });
  }
  std::optional<Reply> over_limit;
  client_->request({a_->local_peer(), std::nullopt}, "echo", {}, 0ms, [&](Reply r) { over_limit = std::move(r); });
  pump([&] { return std::all_of(replies.begin(), replies.end(), [](const auto& r) { return r.has_value(); }); });
  for (size_t i = 0; i < replies.size(); ++i) {
    ASSERT_TRUE(replies[i]->status.ok()) << i << ": " << replies[i]->status.message();
    EXPECT_EQ(replies[i]->bytes, std::vector<uint8_t>(i + 1, static_cast<uint8_t>(i)));
  }
  ASSERT_TRUE(over_limit.has_value());
  EXPECT_EQ(over_limit->status.code(), StatusCode::kLimit) << over_limit->status.message();
}

}  // namespace
}  // namespace prowl::rr
