#include "host/services/protocols/identify/identify_service.h"

#include <algorithm>
#include <chrono>
#include <set>
#include <stdexcept>
#include <string>

#include "host/base/log/log.h"
#include "host/swarm/message_io.h"
#include "host/swarm/swarm.h"

namespace prowl::protocols {
namespace asio = boost::asio;

namespace {

std::shared_ptr<spdlog::logger> logger() { return log::get_logger("identify"); }

}  // namespace

asio::awaitable<IdentifyRecord> read_identify(swarm::Stream& stream, size_t max_bytes) {
  const auto bytes = co_await swarm::read_message(stream, max_bytes);
  if (!bytes) throw swarm::StreamError("identify: the stream ended before an identify message");
  std::string error;
  auto decoded = decode_identify(*bytes, &error, max_bytes);
  if (!decoded) throw std::runtime_error(error);
  for (const std::string& why : decoded->skipped) {
    logger()->debug("identify from {}: skipped {}", stream.remote_peer().to_string(), why);
  }
  co_return std::move(decoded->record);
}

asio::awaitable<void> write_identify(swarm::Stream& stream, const IdentifyRecord& record) {
  co_await swarm::write_message(stream, encode_identify(record));
}

IdentifyService::IdentifyService(swarm::Swarm& swarm, PeerStore& store, std::string agent_version,
                                 size_t max_message_bytes)
    : swarm_(swarm), store_(store), agent_version_(std::move(agent_version)), max_message_bytes_(max_message_bytes) {}

void IdentifyService::install() {
  swarm_.set_handler(std::string(kIdentifyProtocol),
                     [this](std::shared_ptr<swarm::Stream> stream) -> asio::awaitable<void> {
                       co_await serve(*stream);
                     });
  swarm_.set_handler(std::string(kIdentifyPushProtocol),
                     [this](std::shared_ptr<swarm::Stream> stream) -> asio::awaitable<void> {
                       co_await serve_push(*stream);
                     });
  announced_protocols_ = swarm_.protocols();
}

IdentifyRecord IdentifyService::local_record(
    const std::optional<multiaddr::Multiaddr>& observed) const {
  IdentifyRecord r;
  r.protocol_version = std::string(kIdentifyProtocolVersion);
  r.agent_version = agent_version_;
  r.public_key = swarm_.identity().public_key().to_protobuf();
  for (const auto& address : swarm_.listen_addresses()) {
    r.listen_addrs.push_back(address.without_peer());
  }
  r.observed_addr = observed;
  r.protocols = swarm_.protocols();
  r.signed_peer_record = own_peer_record().envelope();
  return r;
}

const peer_record::SignedPeerRecord& IdentifyService::own_peer_record() const {
  std::vector<multiaddr::Multiaddr> addresses;
  for (const auto& address : swarm_.listen_addresses()) addresses.push_back(address.without_peer());
  if (addresses.size() > peer_record::kMaxRecordAddresses) addresses.resize(peer_record::kMaxRecordAddresses);
  if (!own_record_ || own_record_->record().addresses() != addresses) {
    const auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::system_clock::now().time_since_epoch()).count();
    const uint64_t seq = std::max<uint64_t>(own_record_ ? own_record_->record().seq() + 1 : 0,
                                            static_cast<uint64_t>(now_ms));
    own_record_ = peer_record::SignedPeerRecord::seal(swarm_.identity(), seq, addresses);
  }
  return *own_record_;
}

void IdentifyService::keep_signed_record(const identity::PeerId& peer, const IdentifyRecord& record) {
  if (!record.signed_peer_record) return;
  std::string why;
  if (!store_.add_certified(peer, *record.signed_peer_record, &why)) {
    logger()->debug("identify from {}: signed peer record not kept: {}", peer.to_string(), why);
  }
}

std::optional<multiaddr::Multiaddr> IdentifyService::observed_address(
    const identity::PeerId& peer) const {
  for (const auto& connection : swarm_.connections()) {
    if (connection.peer == peer) return connection.remote_address.without_peer();
  }
  return std::nullopt;
}

asio::awaitable<void> IdentifyService::serve(swarm::Stream& stream) {
  co_await write_identify(stream, local_record(observed_address(stream.remote_peer())));
  co_await stream.close_write();
}

asio::awaitable<void> IdentifyService::serve_push(swarm::Stream& stream) {
  const IdentifyRecord record = co_await read_identify(stream, max_message_bytes_);
  std::string error;
  if (record.public_key && !identifies_peer(record, stream.remote_peer(), &error)) {
    stream.reset();
    throw std::runtime_error("identify push: " + error);
  }
  store_.update(stream.remote_peer(), record, PeerStore::Update::kMerge);
  keep_signed_record(stream.remote_peer(), record);
  co_await stream.close_write();
}

asio::awaitable<IdentifyRecord> IdentifyService::identify(const identity::PeerId& peer) {
  const std::vector<std::string> wanted{std::string(kIdentifyProtocol)};
  auto stream = co_await swarm_.open_stream(peer, wanted);
  IdentifyRecord record = co_await read_identify(*stream, max_message_bytes_);
  std::string error;
  if (!identifies_peer(record, peer, &error)) {
    stream->reset();
    throw std::runtime_error(error);
  }
  co_await stream->close_write();
  store_.update(peer, record, PeerStore::Update::kReplace);
  keep_signed_record(peer, record);
  co_return record;
}

asio::awaitable<size_t> IdentifyService::push_if_changed() {
  std::vector<std::string> protocols = swarm_.protocols();
  if (protocols == announced_protocols_) co_return 0;
  announced_protocols_ = std::move(protocols);
  const std::vector<std::string> wanted{std::string(kIdentifyPushProtocol)};
  size_t pushed = 0;
  std::set<identity::PeerId> done;
  for (const auto& connection : swarm_.connections()) {
    if (!done.insert(connection.peer).second) continue;
    try {
      auto stream = co_await swarm_.open_stream(connection.peer, wanted);
      co_await write_identify(*stream, local_record(connection.remote_address.without_peer()));
      co_await stream->close_write();
      ++pushed;
    } catch (const std::exception& e) {
      logger()->debug("identify push to {} failed: {}", connection.peer.to_string(), e.what());
    }
  }
  co_return pushed;
}

}  // namespace prowl::protocols
