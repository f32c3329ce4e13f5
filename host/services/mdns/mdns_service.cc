#include "host/services/mdns/mdns_service.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/multicast.hpp>
#include <boost/asio/ip/unicast.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <array>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <system_error>
#include <utility>

#include "host/base/log/log.h"

namespace prowl::mdns {
namespace {

namespace asio = boost::asio;
using asio::ip::udp;

const asio::ip::address_v4 kGroup = asio::ip::make_address_v4("224.0.0.251");
constexpr uint8_t kMdnsHops = 255;  // RFC 6762 section 11

std::runtime_error failure(const std::string& interface_name, const std::string& step,
                           const std::string& why) {
  return std::runtime_error("mDNS on interface '" + interface_name + "': " + step + ": " + why);
}

// The first IPv4 address of the named interface.
std::optional<asio::ip::address_v4> ipv4_of(const std::string& name) {
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) return std::nullopt;
  std::optional<asio::ip::address_v4> found;
  for (ifaddrs* it = list; it != nullptr && !found; it = it->ifa_next) {
    if (it->ifa_addr == nullptr || it->ifa_addr->sa_family != AF_INET || name != it->ifa_name) {
      continue;
    }
    sockaddr_in in{};
    std::memcpy(&in, it->ifa_addr, sizeof in);
    found = asio::ip::address_v4(ntohl(in.sin_addr.s_addr));
  }
  freeifaddrs(list);
  return found;
}

void set_int_option(int fd, int level, int option, int value, const char* what,
                    const std::string& interface_name) {
  if (setsockopt(fd, level, option, &value, sizeof value) != 0) {
    throw failure(interface_name, what, std::strerror(errno));
  }
}

}  // namespace

std::shared_ptr<MdnsService> MdnsService::create(asio::any_io_executor executor,
                                                 MdnsDiscovery discovery,
                                                 MdnsSocketOptions options, PeerHandler on_peer) {
  std::shared_ptr<MdnsService> service(new MdnsService(std::move(executor), std::move(discovery),
                                                       std::move(options), std::move(on_peer)));
  service->open();
  return service;
}

MdnsService::MdnsService(asio::any_io_executor executor, MdnsDiscovery discovery,
                         MdnsSocketOptions options, PeerHandler on_peer)
    : discovery_(std::move(discovery)),
      options_(std::move(options)),
      on_peer_(std::move(on_peer)),
      socket_(executor),
      timer_(executor) {}

void MdnsService::open() {
  const std::string& name = options_.interface_name;
  interface_index_ = if_nametoindex(name.c_str());
  if (interface_index_ == 0) throw failure(name, "if_nametoindex", "no such interface");
  auto address = ipv4_of(name);
  if (!address) throw failure(name, "getifaddrs", "the interface has no IPv4 address");
  interface_address_ = *address;
  try {
    socket_.open(udp::v4());
    socket_.set_option(udp::socket::reuse_address(true));
    set_int_option(socket_.native_handle(), SOL_SOCKET, SO_REUSEPORT, 1, "SO_REUSEPORT", name);
    // The arrival interface of each datagram, to ignore other links.
    set_int_option(socket_.native_handle(), IPPROTO_IP, IP_PKTINFO, 1, "IP_PKTINFO", name);
    socket_.bind(udp::endpoint(asio::ip::address_v4::any(), kMdnsPort));
    socket_.set_option(asio::ip::multicast::join_group(kGroup, interface_address_));
    socket_.set_option(asio::ip::multicast::outbound_interface(interface_address_));
    socket_.set_option(asio::ip::multicast::enable_loopback(options_.multicast_loop));
    socket_.set_option(asio::ip::multicast::hops(kMdnsHops));
    socket_.set_option(asio::ip::unicast::hops(kMdnsHops));
  } catch (const std::system_error& e) {
    throw failure(name, "socket setup", e.what());
  }
}

void MdnsService::start() {
  asio::co_spawn(socket_.get_executor(), receive_loop(shared_from_this()), asio::detached);
  asio::co_spawn(socket_.get_executor(), query_loop(shared_from_this()), asio::detached);
}

void MdnsService::stop() {
  stopped_ = true;
  boost::system::error_code ignored;
  socket_.close(ignored);
  timer_.cancel();
}

void MdnsService::set_listen_addresses(const std::vector<multiaddr::Multiaddr>& addresses) {
  discovery_.set_listen_addresses(addresses);
}

asio::awaitable<void> MdnsService::send(const std::vector<uint8_t>& bytes,
                                        const udp::endpoint& to) {
  boost::system::error_code ec;
  co_await socket_.async_send_to(asio::buffer(bytes), to,
                                 asio::redirect_error(asio::use_awaitable, ec));
  if (ec && !stopped_) {
    log::get_logger("mdns")->warn("sending {} bytes to {}:{} failed: {}", bytes.size(),
                                  to.address().to_string(), to.port(), ec.message());
  }
}

asio::awaitable<void> MdnsService::query_loop([[maybe_unused]] std::shared_ptr<MdnsService> self) {
  const udp::endpoint group(kGroup, kMdnsPort);
  while (!stopped_) {
    if (auto query = discovery_.poll_query(MdnsDiscovery::Clock::now())) {
      co_await send(*query, group);
    }
    timer_.expires_at(discovery_.next_query_time());
    boost::system::error_code ec;
    co_await timer_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
}

asio::awaitable<void> MdnsService::receive_loop([[maybe_unused]] std::shared_ptr<MdnsService> self) {
  auto logger = log::get_logger("mdns");
  const udp::endpoint group(kGroup, kMdnsPort);
  // One byte more than the largest message, so an oversized datagram is seen as such.
  std::vector<uint8_t> buffer(kMaxMessageBytes + 1);
  std::array<char, CMSG_SPACE(sizeof(in_pktinfo))> control{};
  while (!stopped_) {
    boost::system::error_code ec;
    co_await socket_.async_wait(udp::socket::wait_read,
                                asio::redirect_error(asio::use_awaitable, ec));
    if (ec || stopped_) break;
    sockaddr_in source{};
    iovec iov{buffer.data(), buffer.size()};
    msghdr header{};
    header.msg_name = &source;
    header.msg_namelen = sizeof source;
    header.msg_iov = &iov;
    header.msg_iovlen = 1;
    header.msg_control = control.data();
    header.msg_controllen = control.size();
    const ssize_t got = recvmsg(socket_.native_handle(), &header, MSG_DONTWAIT);
    if (got < 0) {
      if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
        logger->warn("receiving on {} failed: {}", options_.interface_name, std::strerror(errno));
      }
      continue;
    }
    unsigned arrived_on = 0;
    for (cmsghdr* c = CMSG_FIRSTHDR(&header); c != nullptr; c = CMSG_NXTHDR(&header, c)) {
      if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
        in_pktinfo info{};
        std::memcpy(&info, CMSG_DATA(c), sizeof info);
        arrived_on = static_cast<unsigned>(info.ipi_ifindex);
      }
    }
    if (arrived_on != interface_index_) continue;
    const udp::endpoint sender(asio::ip::address_v4(ntohl(source.sin_addr.s_addr)),
                               ntohs(source.sin_port));
    std::string error;
    MdnsOutput output =
        discovery_.handle_packet(std::span<const uint8_t>(buffer.data(), static_cast<size_t>(got)),
                                 sender.port(), MdnsDiscovery::Clock::now(), &error);
    if (!error.empty()) {
      logger->debug("datagram from {}:{}: {}", sender.address().to_string(), sender.port(), error);
    }
    for (DiscoveredPeer& found : output.discovered) {
      if (on_peer_) on_peer_(found.peer, std::move(found.addresses));
    }
    if (output.reply) co_await send(output.reply->bytes, output.reply->to_sender ? sender : group);
  }
}

}  // namespace prowl::mdns
