// Test support for protocol handlers: an io_context and two connected
// in-memory streams of one protocol between two fixed peers.
#pragma once

#include <boost/asio/io_context.hpp>

#include <memory>
#include <string_view>

#include "host/swarm/stream.h"

namespace prowl::protocols::testing {

/// What a protocol test runs on: `client` and `server` are the two ends of a
/// memory_stream_pair negotiated for `protocol`, on `io`; client's remote
/// peer is the server's and the other way round (two fixed Ed25519 peers).
/// Not thread-safe.
struct StreamPairHarness {
  explicit StreamPairHarness(std::string_view protocol);

  boost::asio::io_context io;
  std::shared_ptr<swarm::Stream> client;
  std::shared_ptr<swarm::Stream> server;
};

}  // namespace prowl::protocols::testing
