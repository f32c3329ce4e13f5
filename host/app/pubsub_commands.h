// The gossipsub pieces of the `prowl` command line:
//   prowl run --subscribe TOPIC (repeatable)      prints every message of TOPIC
//   prowl run ... --publish-stdin                  publishes each stdin line to the first topic
//   prowl pub TOPIC MESSAGE --bootstrap MULTIADDR  publishes one message
//   prowl sub TOPIC --bootstrap MULTIADDR [--count N]  prints N messages, then exits
// Each received message is one JSON line on stdout, flushed:
//   {"topic":"...","from":"<author peer id>","seqno":"<16 hex digits>","data":"..."}
// seqno is the author's 64-bit sequence number as 16 lower-case hex digits
// (big-endian, as on the wire: JSON numbers cannot carry 64 bits exactly);
// data is the payload as a string when it is valid UTF-8, otherwise the
// line carries "dataHex" (lower-case hex) instead of "data".
#pragma once

#include <CLI/CLI.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <memory>
#include <string>

#include "host/app/cli_support.h"
#include "host/app/context.h"
#include "host/services/pubsub/pubsub_service.h"

namespace prowl::cli {

/// The JSON line (without newline) of one received message, as above.
std::string message_json(const pubsub::Message& message);

/// Registers `pub` and `sub` on `app`; each runs a client-mode node with the
/// configured gossipsub settings through `runner`. Their callbacks throw
/// std::exception (std::runtime_error, or CLI11 errors for bad flags) on
/// failure and set `exit_code` to 0 on success.
void add_pubsub_commands(CLI::App& app, Context& context, int& exit_code, ClientRunner runner = run_client);

/// `prowl run --publish-stdin`: publishes each line read on stdin (without
/// its newline) to `topic` until stdin ends or the publisher is destroyed.
/// Not thread-safe: use it on the service's executor; destroy it before the
/// service.
class StdinPublisher {
 public:
  StdinPublisher(boost::asio::any_io_executor executor, pubsub_service::PubsubService& service, std::string topic);
  /// Stops reading; the reading coroutine ends soon after.
  ~StdinPublisher();
  StdinPublisher(const StdinPublisher&) = delete;
  StdinPublisher& operator=(const StdinPublisher&) = delete;

 private:
  struct State;
  static boost::asio::awaitable<void> publish_lines(std::shared_ptr<State> self);
  std::shared_ptr<State> state_;  // shared with the reading coroutine
};

}  // namespace prowl::cli
