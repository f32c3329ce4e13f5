#include "host/services/compute/channel.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include <algorithm>

#include "host/base/status/status.h"
#include "host/swarm/message_io.h"

namespace prowl::compute {
namespace asio = boost::asio;

Channel::Channel(std::shared_ptr<swarm::Stream> stream, asio::any_io_executor executor, task::Limits limits)
    : stream_(std::move(stream)), executor_(executor), limits_(limits), wake_(executor) {}

void Channel::start() {
  asio::co_spawn(executor_, [self = shared_from_this()]() -> asio::awaitable<void> { co_await self->write_loop(); },
                 asio::detached);
}

void Channel::send(const task::pb::Frame& frame) {
  if (closed_) return;
  queue_.push_back(task::encode_frame(frame));
  wake_.notify();
}

void Channel::send_with_payload(task::pb::Frame frame, uint64_t task_id, std::span<const uint8_t> payload,
                                const std::function<void(task::pb::Frame&, std::span<const uint8_t>)>& set_inline) {
  const size_t chunk = limits_.max_chunk_bytes;
  const size_t head = std::min(payload.size(), chunk);
  set_inline(frame, payload.first(head));
  send(frame);
  for (size_t offset = head; offset < payload.size(); offset += chunk) {
    const size_t n = std::min(chunk, payload.size() - offset);
    task::pb::Frame piece;
    task::pb::Chunk* c = piece.mutable_chunk();
    c->set_task_id(task_id);
    c->set_offset(offset);
    c->set_data(reinterpret_cast<const char*>(payload.data() + offset), n);
    send(piece);
  }
}

asio::awaitable<std::optional<task::pb::Frame>> Channel::read() {
  auto bytes = co_await swarm::read_message(*stream_, limits_.max_frame_bytes);
  if (!bytes) co_return std::nullopt;
  task::pb::Frame frame;
  if (Status s = task::decode_frame(*bytes, limits_, &frame); !s.ok()) throw StatusError(std::move(s));
  co_return frame;
}

void Channel::close() noexcept {
  if (closed_) return;
  closed_ = true;
  queue_.clear();
  wake_.notify();
  stream_->reset();
}

asio::awaitable<void> Channel::write_loop() {
  try {
    while (!closed_) {
      if (queue_.empty()) {
        co_await wake_.wait();
        continue;
      }
      std::vector<uint8_t> frame = std::move(queue_.front());
      queue_.pop_front();
      co_await swarm::write_message(*stream_, frame);
    }
  } catch (const std::exception&) {
    close();
  }
}

}  // namespace prowl::compute
