// prowl_swarm_throughput: moves N bytes one way over one Yamux stream on a
// Noise connection between two swarms on two threads (separate io_contexts)
// over loopback TCP, and prints the rate and the CPU time each side's thread
// spent per GiB (user + system), which stays meaningful on a busy machine.
// A measurement tool, not a test.
//
//   prowl_swarm_throughput [--bytes N] [--chunk N]

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "host/swarm/swarm.h"
#include "transports/tcp/tcp_transport.h"

namespace {

namespace asio = boost::asio;
using prowl::swarm::Stream;
using prowl::swarm::Swarm;

constexpr const char* kProtocol = "/prowl/throughput/1.0.0";

// CPU seconds (user + system) the calling thread has used.
double thread_cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_THREAD, &usage);
  const auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// Reads to the end, then answers with the byte count as 8 bytes.
asio::awaitable<void> sink(std::shared_ptr<Stream> stream) {
  std::vector<uint8_t> buffer(256 * 1024);
  uint64_t total = 0;
  while (size_t n = co_await stream->read_some(buffer)) total += n;
  uint8_t answer[8];
  std::memcpy(answer, &total, sizeof answer);
  co_await stream->write(answer);
  co_await stream->close_write();
}

asio::awaitable<uint64_t> send(Swarm& swarm, prowl::multiaddr::Multiaddr address, uint64_t bytes, size_t chunk) {
  const auto peer = co_await swarm.dial(address);
  const std::vector<std::string> protocols{kProtocol};
  auto stream = co_await swarm.open_stream(peer, protocols);
  std::vector<uint8_t> data(chunk, 0x5a);
  for (uint64_t left = bytes; left > 0;) {
    const size_t n = static_cast<size_t>(std::min<uint64_t>(left, chunk));
    co_await stream->write(std::span(data).first(n));
    left -= n;
  }
  co_await stream->close_write();
  uint8_t answer[8];
  co_await stream->read_exact(answer);
  uint64_t received = 0;
  std::memcpy(&received, answer, sizeof answer);
  co_return received;
}

}  // namespace

int main(int argc, char** argv) {
  uint64_t bytes = 1ull << 30;
  size_t chunk = 1 << 20;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const uint64_t value = std::strtoull(argv[i + 1], nullptr, 10);
    if (flag == "--bytes") bytes = value;
    else if (flag == "--chunk" && value > 0) chunk = static_cast<size_t>(value);
    else {
      std::fprintf(stderr, "usage: %s [--bytes N] [--chunk N]\n", argv[0]);
      return 2;
    }
  }

  asio::io_context server_io;
  auto server = std::make_unique<Swarm>(server_io.get_executor(), prowl::identity::KeyPair::generate(),
                                        prowl::swarm::SwarmConfig{});
  server->add_transport(std::make_unique<prowl::transport::TcpTransport>(server_io.get_executor()));
  server->set_handler(kProtocol, sink);
  auto listening = asio::co_spawn(server_io, server->listen(*prowl::multiaddr::Multiaddr::parse("/ip4/127.0.0.1/tcp/0")),
                                  asio::use_future);
  auto work = asio::make_work_guard(server_io);
  std::thread server_thread([&] { server_io.run(); });
  const auto address = listening.get();

  asio::io_context client_io;
  Swarm client(client_io.get_executor(), prowl::identity::KeyPair::generate(), prowl::swarm::SwarmConfig{});
  client.add_transport(std::make_unique<prowl::transport::TcpTransport>(client_io.get_executor()));
  const auto server_cpu = [&] { return asio::post(server_io, asio::use_future(thread_cpu_seconds)).get(); };
  const double server_start = server_cpu();
  const double client_start = thread_cpu_seconds();
  const auto start = std::chrono::steady_clock::now();
  uint64_t received = 0;
  std::exception_ptr failure;
  asio::co_spawn(client_io, send(client, address, bytes, chunk), [&](std::exception_ptr e, uint64_t n) {
    failure = e;
    received = n;
    client_io.stop();  // the connection's own loops would keep it running
  });
  client_io.run();
  int status = 0;
  try {
    if (failure) std::rethrow_exception(failure);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const double gib = static_cast<double>(bytes) / (1 << 30);
    const double client_seconds = thread_cpu_seconds() - client_start;
    const double server_seconds = server_cpu() - server_start;
    std::printf("sent %llu bytes, peer received %llu, in %.3f s: %.3f GB/s (%.3f GiB/s)\n",
                static_cast<unsigned long long>(bytes), static_cast<unsigned long long>(received), seconds,
                static_cast<double>(bytes) / seconds / 1e9, gib / seconds);
    std::printf("CPU per GiB: sender %.3f s, receiver %.3f s\n", client_seconds / gib, server_seconds / gib);
    if (received != bytes) status = 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "failed: %s\n", e.what());
    status = 1;
  }
  asio::post(server_io, [&] { server.reset(); work.reset(); server_io.stop(); });
  server_thread.join();
  return status;
}
